// The write pipeline of the registry: parse the input, route it to its journal chain, and hand it to
// the chain's single writer, which authorises and decides in the core and persists in one
// transaction. Callers get an answer only after the commit.
import {
  accountRegistry,
  japanRegistryId,
  jointCommitteeChain,
  projectCountry,
  registryChain,
  parseIdempotencyKey,
  type ChainId,
  type IdempotencyKey,
} from '../core/shared/ids.ts';
import { canonicalJson, type Json } from '../core/shared/canonical-json.ts';
import { assertNever } from '../core/shared/assert.ts';
import { reject, type Result, ok } from '../core/shared/result.ts';
import type { Actor } from '../core/ledger/actor.ts';
import type { LedgerCommand } from '../core/ledger/commands.ts';
import type { Db } from '../db/connect.ts';
import { sha256Hex, type LedgerWriter, type WriteOutcome } from '../db/ledger-writer.ts';
import { parseCommand } from './ledger-input.ts';
import type { CommandInput, CommandName } from './ledger-schemas.ts';

export type Committed = Extract<WriteOutcome, { ok: true }>;

export class LedgerService {
  constructor(
    private readonly db: Db,
    private readonly writer: LedgerWriter,
  ) {}

  async execute<N extends CommandName>(
    name: N,
    input: CommandInput<N>,
    actor: Actor,
    rawKey: string | undefined,
  ): Promise<Result<Committed>> {
    return this.run(name, input, actor, rawKey, null);
  }

  /**
   * A transfer approved by a second person (transfer requests): the same pipeline, with the
   * requester named so that the core can check that the approver is someone else.
   */
  executeTransfer(
    input: CommandInput<'transfer'>,
    approver: Actor,
    rawKey: string,
    requestedBy: string,
  ): Promise<Result<Committed>> {
    return this.run('transfer', input, approver, rawKey, requestedBy);
  }

  private async run<N extends CommandName>(
    name: N,
    input: CommandInput<N>,
    actor: Actor,
    rawKey: string | undefined,
    requestedBy: string | null,
  ): Promise<Result<Committed>> {
    if (rawKey === undefined || rawKey === '')
      return reject('idempotency_key_required', 'send an Idempotency-Key with every write');
    const key = parseIdempotencyKey(rawKey);
    if (!key.ok) return key;
    const parsedCommand = parseCommand(name, input);
    if (!parsedCommand.ok) return parsedCommand;
    const parsed: LedgerCommand =
      requestedBy !== null && parsedCommand.value.type === 'transfer'
        ? { ...parsedCommand.value, requestedBy }
        : parsedCommand.value;
    if (parsed.type === 'open_registry' && parsed.registry !== japanRegistryId) {
      const known = await this.db.read((k) =>
        k
          .selectFrom('ref_partner_countries')
          .select('alpha2')
          .where('alpha2', '=', parsed.registry)
          .executeTakeFirst(),
      );
      if (known === undefined)
        return reject(
          'registry_country_unknown',
          `${parsed.registry} is not a JCM partner country in the reference data`,
        );
    }
    const requestHash = sha256Hex(
      canonicalJson({
        command: name,
        input: input as unknown as Json,
        actor: actor.id,
        ...(requestedBy === null ? {} : { requestedBy }),
      }),
    );
    const outcome = await this.writer.submit({
      chain: chainOf(parsed),
      command: parsed,
      actor,
      key: key.value as IdempotencyKey,
      requestHash,
    });
    return outcome.ok ? ok(outcome) : outcome;
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
    case 'reserve':
      return registryChain(accountRegistry(command.from));
    case 'release':
      return registryChain(accountRegistry(command.to));
    default:
      return assertNever(command, 'command');
  }
}
