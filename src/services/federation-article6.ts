// Article 6.2 records between deployments (issue 16): what an `authorisation_record` and a
// `first_transfer_record` say, forwarding a Party's authorisation or confirmation to the peer that
// hosts its registry, and what applying each message does here (core/federation/article6-records.ts
// holds the rules).
//
// - A Party's government records an authorisation (or confirms one) of credits in a registry a peer
//   hosts: it is checked here, written to `article6_forwarded` and to the link's outbox in one
//   transaction, and answered as forwarded. The peer records it through its ledger as the government
//   of the Parties the sender hosts the registries of; a refusal there stops the link with its code.
// - An entry here derives a first transfer by a Party whose registry a peer hosts (an issuance into
//   Japan's registry is India's first transfer): the peer records it in
//   `article6_first_transfers_received`, for its corresponding adjustments and its reconciliation.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  checkFirstTransfer,
  checkRecordHere,
  decideForward,
  partyRegistries,
  peerGovernment,
  recordRegistry,
  type Article6Record,
  type FirstTransfer,
} from '../core/federation/article6-records.ts';
import { bodyText, type SignedMessage } from '../core/federation/messages.ts';
import type { LedgerCommand } from '../core/ledger/commands.ts';
import type { Json } from '../core/shared/canonical-json.ts';
import { civilDateText } from '../core/shared/date-schema.ts';
import { parseProjectRef, parseRegistryId } from '../core/shared/ids.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Tx } from '../db/connect.ts';
import {
  latestApproaches,
  receivedFirstTransferAt,
  recordFirstTransfer,
  recordForwarded,
} from '../db/article6-records-store.ts';
import { enqueueMessage } from '../db/federation-store.ts';
import { authorisationOf } from './article6.ts';
import {
  authorisationIdPattern,
  authorisationInputSchema,
  authorisedEntitiesMax,
} from './article6-schemas.ts';
import type { FederationConfig } from './federation-config.ts';
import type { MessageAppliers } from './federation-receiver.ts';
import { int8TextSchema, registryIdSchema, sequenceSchema } from './federation-wire.ts';
import type { LedgerService } from './ledger-service.ts';
import { parseInput } from './parse-input.ts';
import type { WriteContext, WriteEnvelope, WritePipeline } from './write-pipeline.ts';

const entitySchema = z
  .object({
    organisation: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    name: z.string().min(1).max(300),
    country: z.string().regex(/^[A-Z]{2}$/),
    identifier: z.string().trim().min(1).max(64),
  })
  .strict();

const recordSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('authorisation'),
      authorisation: authorisationInputSchema
        .omit({ authorisedEntities: true })
        .extend({ authorisedEntities: z.array(entitySchema).max(authorisedEntitiesMax) }),
    })
    .strict(),
  z
    .object({
      kind: z.literal('confirmation'),
      registry: registryIdSchema,
      authorisation: z.string().regex(authorisationIdPattern),
      version: z.number().int().min(1).max(100_000),
    })
    .strict(),
]);

const party = z.string().regex(/^[A-Z]{3}$/);
const firstTransferSchema = z
  .object({
    entry: z
      .object({
        chain: z.string().regex(/^[A-Z]{2}$/),
        seq: sequenceSchema,
        n: z.number().int().min(0).max(1_000_000),
      })
      .strict(),
    party,
    date: civilDateText,
    approach: z.string().regex(/^CA\d{4}$/),
    authorisation: z.string().regex(authorisationIdPattern),
    registry: registryIdSchema,
    project: z.string().refine((s) => parseProjectRef(s).ok, 'a project reference'),
    vintage: z.number().int().min(2000).max(2100),
    serials: z
      .object({
        first: int8TextSchema.refine((n) => n >= 1n),
        last: int8TextSchema.refine((n) => n >= 1n),
      })
      .strict(),
    acquiringParty: party.nullable(),
  })
  .strict();

/** The body of an `authorisation_record` (bigints as decimal strings). */
export function recordBody(record: Article6Record): Json {
  if (record.kind === 'confirmation') return { ...record };
  const a = record.authorisation;
  return {
    kind: 'authorisation',
    authorisation: {
      ...a,
      projects: [...a.projects],
      purposes: [...a.purposes],
      authorisedParties: [...a.authorisedParties],
      authorisedEntities: a.authorisedEntities.map((e) => ({ ...e })),
      quantityCap: a.quantityCap === null ? null : a.quantityCap.toString(),
    },
  };
}

/** The body of a `first_transfer_record`. */
export function firstTransferBody(t: FirstTransfer): Json {
  return {
    entry: { chain: t.chain, seq: t.seq.toString(), n: t.n },
    party: t.party,
    date: t.date,
    approach: t.approach,
    authorisation: t.authorisation,
    registry: t.registry,
    project: t.project,
    vintage: t.vintage,
    serials: { first: t.serialFirst.toString(), last: t.serialLast.toString() },
    acquiringParty: t.acquiringParty,
  };
}

/** A record as this deployment's ledger runs it. */
function commandOf(record: Article6Record): LedgerCommand {
  return record.kind === 'authorisation'
    ? { type: 'record_authorisation', authorisation: record.authorisation }
    : {
        type: 'confirm_authorisation',
        registry: record.registry,
        authorisation: record.authorisation,
        version: record.version,
      };
}

/** The appliers of the two Article 6.2 messages, for the receiver (federation-receiver.ts). */
export function article6Appliers(config: FederationConfig, ledger: LedgerService): MessageAppliers {
  const hosts = (sender: string) => config.peers.find((p) => p.id === sender)?.registries ?? [];
  return {
    authorisation_record: async (tx, message) => {
      const record = parseRecord(message);
      if (!record.ok) return record;
      const sender = message.envelope.sender;
      const here = checkRecordHere(sender, record.value, config.registries);
      if (!here.ok) return here;
      const recorded = await ledger.executeBuiltWithin(
        tx,
        'federation.authorisation_record',
        commandOf(record.value),
        {
          actor: peerGovernment(sender, hosts(sender)),
          idempotencyKey: `federation:${sender}:${message.envelope.sequence}`,
          input: message.envelope.body,
        },
      );
      return recorded.ok ? ok(undefined) : recorded;
    },
    first_transfer_record: async (tx, message, ctx) => {
      const body = parseInput(firstTransferSchema, message.envelope.body, 'message_body_invalid');
      if (!body.ok) return body;
      const { entry, serials, ...rest } = body.value;
      const transfer: FirstTransfer = {
        ...rest,
        ...entry,
        serialFirst: serials.first,
        serialLast: serials.last,
      };
      const sender = message.envelope.sender;
      const checked = checkFirstTransfer({
        sender,
        senderHosts: hosts(sender),
        transfer,
        partyRegistry: partyRegistries(await latestApproaches(tx)).get(transfer.party),
        hostedHere: config.registries,
      });
      if (!checked.ok) return checked;
      if (await recordFirstTransfer(tx, sender, transfer, ctx.now)) return ok(undefined);
      // The same action of the sender's journal reported again (by another message): the same
      // statement of it is applied as it was; another one is refused, the first one standing.
      const stored = await receivedFirstTransferAt(tx, sender, transfer);
      return stored !== undefined &&
        bodyText(firstTransferBody(stored)) === bodyText(firstTransferBody(transfer))
        ? ok(undefined)
        : reject(
            'first_transfer_conflict',
            `${sender} reported action ${transfer.chain}/${transfer.seq}/${transfer.n} of its journal before, otherwise`,
          );
    },
  };
}

function parseRecord(message: SignedMessage): Result<Article6Record> {
  const body = parseInput(recordSchema, message.envelope.body, 'message_body_invalid');
  if (!body.ok) return body;
  const value = body.value;
  if (value.kind === 'confirmation') {
    const registry = parseRegistryId(value.registry);
    return registry.ok ? ok({ ...value, registry: registry.value }) : registry;
  }
  const { authorisedEntities, ...rest } = value.authorisation;
  const authorisation = authorisationOf(rest, authorisedEntities);
  if (!authorisation.ok) return authorisation;
  return ok({ kind: 'authorisation', authorisation: authorisation.value });
}

/** What a forwarded record answers: the peer it went to and its number on the link. */
export interface Forwarded {
  readonly forwarded: {
    readonly to: string;
    readonly sequence: string;
    readonly kind: Article6Record['kind'];
    readonly authorisation: string;
  };
}

/** A forwarded record in words (the CLI and the back office). */
export function forwardedText(f: Forwarded['forwarded']): string {
  return `${f.kind} of ${f.authorisation} forwarded to deployment ${f.to} as its message ${f.sequence}; it is recorded there when the message is applied`;
}

/**
 * Forwards a Party's record to the peer that hosts its registry, as one write of the pipeline: the
 * approaches read in the transaction, the decision pure, the record and the message written together.
 */
export class Article6Forwarding {
  constructor(
    private readonly pipeline: WritePipeline,
    private readonly config: FederationConfig,
    /** Wakes the delivery worker after a commit that wrote a message. */
    private readonly written: () => void,
  ) {}

  /** The peer that hosts a registry, or undefined when this deployment or none does. */
  hostOf(registry: string): string | undefined {
    return this.config.peers.find((p) => p.registries.includes(registry))?.id;
  }

  async forward(
    record: Article6Record,
    envelope: WriteEnvelope,
  ): Promise<Result<Forwarded & { readonly replayed: boolean }>> {
    const to = this.hostOf(recordRegistry(record));
    const outcome = await this.pipeline.run(
      {
        name: `forward_${record.kind}`,
        keyRequired: true,
        parse: () => Promise.resolve(ok(record)),
        load: async (tx: Tx) => ({ approaches: await latestApproaches(tx) }),
        decide: (state, parsed, actor, ctx: WriteContext) =>
          decideForward({
            actor,
            record: parsed,
            approaches: state.approaches,
            hostedHere: this.config.registries,
            recordedAt: ctx.now,
          }),
        persist: async (tx, _decided, parsed, actor, ctx) => {
          const receiver = to ?? '';
          const body = bodyText(recordBody(parsed));
          const registry = recordRegistry(parsed);
          const authorisation =
            parsed.kind === 'authorisation' ? parsed.authorisation.id : parsed.authorisation;
          const sequence = await enqueueMessage(
            tx,
            {
              receiver,
              kind: 'authorisation_record',
              // Each forwarded record is its own message (the request's own key is claimed above).
              idempotencyKey: `a6-record:${randomUUID()}`,
              body,
            },
            ctx.now,
          );
          await recordForwarded(tx, {
            receiver,
            sequence: sequence ?? 0n,
            kind: parsed.kind,
            registry,
            authorisation,
            record: body,
            actor: actor.id,
            recordedAt: ctx.now,
          });
          return ok({
            answer: {
              forwarded: {
                to: receiver,
                sequence: String(sequence),
                kind: parsed.kind,
                authorisation,
              },
            },
            outbox: [],
          });
        },
      },
      envelope,
    );
    if (!outcome.ok) return outcome;
    const replayed = outcome.replayed === true;
    if (!replayed && envelope.dryRun !== true) this.written();
    return ok({ ...outcome.value, replayed });
  }
}
