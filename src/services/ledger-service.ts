// The write pipeline of the registry: parse the input, route it to its journal chain, and hand it to
// the chain's single writer, which loads the state under the chain lock, decides in the core and
// persists in one transaction. Callers get an answer only after the commit. The envelope is the one
// every write takes (write-pipeline.ts); a dry run decides and answers with the entry it would write.
import {
  accountRegistry,
  japanRegistryId,
  jointCommitteeChain,
  projectCountry,
  registryChain,
  type ChainId,
  type IdempotencyKey,
  type RegistryId,
} from '../core/shared/ids.ts';
import { assert, assertNever } from '../core/shared/assert.ts';
import { reject, type Result, ok } from '../core/shared/result.ts';
import type { LedgerCommand } from '../core/ledger/commands.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { actingHere, speaksOnlyElsewhere } from '../core/federation/article6-records.ts';
import type { Tx } from '../db/connect.ts';
import type { LedgerQueries } from '../db/ledger-queries.ts';
import type { LedgerWriter, WriteOutcome, WriteRequest } from '../db/ledger-writer.ts';
import { parseCommand } from './ledger-input.ts';
import { commandSchemas, type CommandInput, type CommandName } from './ledger-schemas.ts';
import { parseInput } from './parse-input.ts';
import { keyOf, requestHashOf, type WriteEnvelope } from './write-pipeline.ts';

export type Committed = Extract<WriteOutcome, { ok: true }>;

/** A reserve share as an exact fraction (numerator / denominator). */
export interface ReserveShare {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** A methodology's reserve share (a decimal in [0, 1)) as an exact fraction; null when it is 0. */
export function reserveShareOf(decimal: string): ReserveShare | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(decimal);
  assert(match !== null, `a reserve share is a plain decimal, not ${decimal}`);
  const fraction = match[2] ?? '';
  const denominator = 10n ** BigInt(fraction.length);
  const numerator =
    BigInt(match[1] ?? '0') * denominator + BigInt(fraction === '' ? '0' : fraction);
  assert(numerator < denominator, 'a reserve share lies in [0, 1)');
  return numerator === 0n ? null : { numerator, denominator };
}

/** Which registries this deployment hosts and which its peers do (issue 16, JCM_FEDERATION). */
export interface Hosting {
  readonly elsewhere: readonly RegistryId[];
}

/** The Article 6.2 records a Party's government makes. */
const article6Records = new Set<LedgerCommand['type']>([
  'record_authorisation',
  'confirm_authorisation',
  'authorise_units',
  'finalise_adjustments',
]);

export class LedgerService {
  constructor(
    private readonly queries: LedgerQueries,
    private readonly writer: LedgerWriter,
    private readonly committed: () => void = () => undefined,
    private readonly hosting: Hosting | null = null,
  ) {}

  /**
   * The command as this deployment runs it: refused on the chain of a registry a peer hosts (its
   * writes are the peer's; only its opening is recorded here too, so that decisions can name it),
   * and an issuance decision told which registries' accounts are the peers' to check.
   */
  forHosting(command: LedgerCommand, actor: Actor | null = null): Result<LedgerCommand> {
    const elsewhere = this.hosting?.elsewhere ?? [];
    if (elsewhere.length === 0) return ok(command);
    const chain = chainOf(command) as string;
    if (command.type !== 'open_registry' && elsewhere.includes(chain as RegistryId))
      return reject(
        'registry_hosted_elsewhere',
        `registry ${chain} is hosted by a peer deployment: write it there`,
      );
    // A Party whose registry a peer hosts speaks through that peer (its records come as messages):
    // a government role for it here authorises no Article 6.2 record.
    if (
      actor !== null &&
      article6Records.has(command.type) &&
      speaksOnlyElsewhere(actor, elsewhere)
    )
      return reject(
        'article6_party_hosted_elsewhere',
        `${actor.id} acts for a Party whose registry a peer hosts: its records are made on that deployment`,
      );
    return command.type === 'record_issuance_decision'
      ? ok({ ...command, hostedElsewhere: elsewhere })
      : ok(command);
  }

  /** The actor an Article 6.2 record is decided as here: without roles for a peer's Parties. */
  private actorHere(command: LedgerCommand, actor: Actor): Actor {
    const elsewhere = this.hosting?.elsewhere ?? [];
    return article6Records.has(command.type) && elsewhere.length > 0
      ? actingHere(actor, elsewhere)
      : actor;
  }

  /**
   * Runs a command another service built inside that service's transaction (an issuance decision a
   * peer notified, issue 16): both commit or neither.
   */
  async executeBuiltWithin(
    tx: Tx,
    family: string,
    command: LedgerCommand,
    envelope: WriteEnvelope,
  ): Promise<Result<Committed>> {
    const request = this.built(family, command, envelope, true);
    if (!request.ok) return request;
    const outcome = await this.writer.applyWithin(tx, request.value);
    return outcome.ok ? ok(outcome) : outcome;
  }

  /** Runs a registry command (its input checked by the command's schema) through its chain's writer. */
  async execute(name: CommandName, envelope: WriteEnvelope): Promise<Result<Committed>> {
    const request = this.request(name, envelope, null);
    if (!request.ok) return request;
    const known = await this.knownCountry(request.value.command);
    if (!known.ok) return known;
    const outcome = await this.writer.submit(request.value);
    if (outcome.ok && !outcome.replayed && envelope.dryRun !== true) this.committed();
    return outcome.ok ? ok(outcome) : outcome;
  }

  /**
   * Runs a command another service built from checked input and stored facts (the Article 6.2
   * service: an approach from the partnership's record, an authorisation's entities from the stored
   * organisations). `family` and `input` say what makes two requests the same.
   */
  async executeBuilt(
    family: string,
    command: LedgerCommand,
    envelope: WriteEnvelope,
  ): Promise<Result<Committed>> {
    const request = this.built(family, command, envelope);
    if (!request.ok) return request;
    const outcome = await this.writer.submit(request.value);
    if (outcome.ok && !outcome.replayed && envelope.dryRun !== true) this.committed();
    return outcome.ok ? ok(outcome) : outcome;
  }

  /**
   * Runs a registry command inside another write's transaction (the Joint Committee's issuance
   * decision in the cycle, the transfer a second person approves), so that both commit or neither.
   * `requestedBy` names who requested a transfer out of a government account.
   */
  async executeWithin(
    tx: Tx,
    name: CommandName,
    envelope: WriteEnvelope,
    requestedBy: string | null = null,
    reserveShare: ReserveShare | null = null,
  ): Promise<Result<Committed>> {
    const request = this.request(name, envelope, requestedBy, reserveShare);
    if (!request.ok) return request;
    assert(
      request.value.command.type !== 'open_registry',
      'registries are opened on their own, not inside another write',
    );
    const outcome = await this.writer.applyWithin(tx, request.value);
    return outcome.ok ? ok(outcome) : outcome;
  }

  /**
   * A partner registry is opened only for a partnership with a record: the registry its record names.
   * The records are static (stored at start, never written by a command), so this read may run
   * before the chain's transaction without a race.
   */
  private async knownCountry(command: LedgerCommand): Promise<Result<null>> {
    if (
      command.type !== 'open_registry' ||
      command.registry === japanRegistryId ||
      (await this.queries.isPartnershipRegistry(command.registry))
    )
      return ok(null);
    return reject(
      'registry_country_unknown',
      `${command.registry} is not the partner registry of a partnership with a record on this platform`,
    );
  }

  /** The write request of a command another service built: `family` and `input` key its hash. */
  private built(
    family: string,
    command: LedgerCommand,
    envelope: WriteEnvelope,
    fromPeer = false,
  ): Result<WriteRequest> {
    const key = keyOf(true, envelope.idempotencyKey);
    if (!key.ok) return key;
    const requestHash = requestHashOf(family, envelope.actor, envelope.input);
    if (!requestHash.ok) return requestHash;
    // `actor` null: a peer's message, whose Party the receiver derived from the configuration.
    const hosted = this.forHosting(command, fromPeer ? null : envelope.actor);
    if (!hosted.ok) return hosted;
    return ok({
      chain: chainOf(hosted.value),
      command: hosted.value,
      actor: fromPeer ? envelope.actor : this.actorHere(hosted.value, envelope.actor),
      key: key.value as IdempotencyKey,
      requestHash: requestHash.value,
      dryRun: envelope.dryRun === true,
    });
  }

  private request(
    name: CommandName,
    envelope: WriteEnvelope,
    requestedBy: string | null,
    reserveShare: ReserveShare | null = null,
  ): Result<WriteRequest> {
    const key = keyOf(true, envelope.idempotencyKey);
    if (!key.ok) return key;
    const input = parseInput(commandSchemas[name], envelope.input);
    if (!input.ok) return input;
    const parsedCommand = parseCommand(name, input.value as CommandInput);
    if (!parsedCommand.ok) return parsedCommand;
    const forHosting = this.forHosting(parsedCommand.value, envelope.actor);
    if (!forHosting.ok) return forHosting;
    const parsed = forHosting.value;
    // Set by the service from stored facts, never from the request: who requested a transfer, and
    // the reserve share of the project's methodology for an issuance decision.
    const command: LedgerCommand =
      requestedBy !== null && parsed.type === 'transfer'
        ? { ...parsed, requestedBy }
        : reserveShare !== null && parsed.type === 'record_issuance_decision'
          ? { ...parsed, reserveShare }
          : parsed;
    const requestHash = requestHashOf(`ledger.${name}`, envelope.actor, {
      input: input.value,
      ...(requestedBy === null ? {} : { requestedBy }),
      ...(reserveShare === null
        ? {}
        : { reserveShare: `${reserveShare.numerator}/${reserveShare.denominator}` }),
    });
    if (!requestHash.ok) return requestHash;
    return ok({
      chain: chainOf(command),
      command,
      actor: this.actorHere(command, envelope.actor),
      key: key.value as IdempotencyKey,
      requestHash: requestHash.value,
      dryRun: envelope.dryRun === true,
    });
  }
}

export function chainOf(command: LedgerCommand): ChainId {
  switch (command.type) {
    case 'open_registry':
    case 'open_account':
    case 'issue':
    case 'reverse':
      return registryChain(command.registry);
    case 'freeze_account':
    case 'unfreeze_account':
    case 'close_account':
      return registryChain(accountRegistry(command.account));
    case 'record_issuance_decision':
      return jointCommitteeChain(projectCountry(command.project));
    case 'transfer':
    case 'retire':
    case 'cancel':
      return registryChain(accountRegistry(command.from));
    case 'release':
      return registryChain(accountRegistry(command.to));
    // Article 6.2: an approach is the Joint Committee's; an authorisation, its confirmations and the
    // credits assigned to it live on the chain of the registry whose credits it covers, so that the
    // cap and the versions are decided by one writer.
    case 'record_approach':
      return jointCommitteeChain(command.approach.partnership);
    case 'record_authorisation':
      return registryChain(command.authorisation.registry);
    case 'confirm_authorisation':
    case 'finalise_adjustments':
      return registryChain(command.registry);
    case 'authorise_units':
      return registryChain(accountRegistry(command.from));
    default:
      return assertNever(command, 'command');
  }
}
