// Article 6.2 records between deployments (issue 16): what an `authorisation_record` and a
// `first_transfer_record` say, forwarding a Party's authorisation or confirmation to the peer that
// hosts its registry, and what applying each message does here (core/federation/article6-records.ts
// holds the rules).
//
// - A Party's government records an authorisation (or confirms one) of credits in a registry a peer
//   hosts: it is checked here, written to `article6_forwarded` and to the link's outbox in one
//   transaction, and answered as forwarded. The peer records it through its ledger as the government
//   of the Parties the sender hosts the registries of. A refusal of its content there is kept,
//   acknowledged and told back (federation-article6-refusals.ts); any other refusal stops the link.
// - An entry here derives a first transfer by a Party whose registry a peer hosts (an issuance into
//   Japan's registry is India's first transfer): the peer records it in
//   `article6_first_transfers_received`, for its corresponding adjustments and its reconciliation.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  checkFirstTransfer,
  checkRecordHere,
  decideForward,
  isContentRefusal,
  partyRegistries,
  peerGovernment,
  recordRegistry,
  type Article6Record,
  type FirstTransfer,
  type Forwarded,
} from '../core/federation/article6-records.ts';
import { bodyText, type SignedMessage } from '../core/federation/messages.ts';
import type { CooperativeApproach } from '../core/article6/types.ts';
import type { LedgerCommand } from '../core/ledger/commands.ts';
import type { Json } from '../core/shared/canonical-json.ts';
import { civilDateText } from '../core/shared/date-schema.ts';
import { parseProjectRef, parseRegistryId } from '../core/shared/ids.ts';
import { vintageMax, vintageMin } from '../core/shared/limits.ts';
import { assert } from '../core/shared/assert.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import {
  latestApproaches,
  receivedFirstTransferAt,
  recordFirstTransfer,
  recordForwarded,
} from '../db/article6-records-store.ts';
import { enqueueMessage } from '../db/federation-store.ts';
import { authorisationOf } from './article6.ts';
import { applyRefusal, isRefusal, refuseRecord } from './federation-article6-refusals.ts';
import {
  approachIdSchema,
  authorisationIdPattern,
  authorisationInputSchema,
  authorisedEntitiesMax,
  authorisedEntityRecordSchema,
  confirmationInputSchema,
  partySchema,
} from './article6-schemas.ts';
import type { FederationConfig } from './federation-config.ts';
import type { MessageAppliers } from './federation-receiver.ts';
import { registryIdSchema, sequenceSchema, serialsSchema } from './federation-wire.ts';
import type { LedgerService } from './ledger-service.ts';
import { parseInput } from './parse-input.ts';
import type { WriteEnvelope, WriteFamily, WritePipeline } from './write-pipeline.ts';

const recordSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('authorisation'),
      authorisation: authorisationInputSchema.extend({
        authorisedEntities: z.array(authorisedEntityRecordSchema).max(authorisedEntitiesMax),
      }),
    })
    .strict(),
  confirmationInputSchema.extend({
    kind: z.literal('confirmation'),
    registry: registryIdSchema,
  }),
]);

const firstTransferSchema = z
  .object({
    entry: z
      .object({
        chain: registryIdSchema,
        seq: sequenceSchema,
        n: z.number().int().min(0).max(1_000_000),
      })
      .strict(),
    party: partySchema,
    date: civilDateText,
    approach: approachIdSchema,
    authorisation: z.string().regex(authorisationIdPattern),
    registry: registryIdSchema,
    project: z.string().refine((s) => parseProjectRef(s).ok, 'a project reference'),
    vintage: z.number().int().min(vintageMin).max(vintageMax),
    serials: serialsSchema,
    acquiringParty: partySchema.nullable(),
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
    authorisation_record: async (tx, message, ctx) => {
      if (isRefusal(message.envelope.body)) return applyRefusal(tx, message, ctx.now);
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
      if (recorded.ok) return ok(undefined);
      if (!isContentRefusal(recorded.error.code)) return recorded;
      await refuseRecord(tx, message, recorded.error, ctx.now);
      return ok(undefined);
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

/**
 * The write that forwards a Party's record to `to`, the peer that hosts its registry: the approaches
 * read in the transaction, the decision pure, the record and the message written together.
 */
function forwardFamily(
  record: Article6Record,
  to: string,
  hostedHere: readonly string[],
): WriteFamily<Article6Record, { approaches: CooperativeApproach[] }, true, Forwarded> {
  return {
    name: `forward_${record.kind}`,
    keyRequired: true,
    // Article6Writes (article6.ts) parsed the record; the request's input still makes its key's hash.
    parse: () => Promise.resolve(ok(record)),
    load: async (tx) => ({ approaches: await latestApproaches(tx) }),
    decide: (state, record, actor, ctx) =>
      decideForward({
        actor,
        record,
        approaches: state.approaches,
        hostedHere,
        recordedAt: ctx.now,
      }),
    persist: async (tx, _decided, record, actor, ctx) => {
      const body = bodyText(recordBody(record));
      const authorisation =
        record.kind === 'authorisation' ? record.authorisation.id : record.authorisation;
      const sequence = await enqueueMessage(
        tx,
        {
          receiver: to,
          kind: 'authorisation_record',
          // Each forwarded record is its own message (the request's own key is claimed above).
          idempotencyKey: `a6-record:${randomUUID()}`,
          body,
        },
        ctx.now,
      );
      assert(sequence !== null, 'a fresh idempotency key is never numbered already');
      await recordForwarded(tx, {
        receiver: to,
        sequence,
        kind: record.kind,
        registry: recordRegistry(record),
        authorisation,
        record: body,
        actor: actor.id,
        recordedAt: ctx.now,
      });
      const forwarded = { to, sequence: sequence.toString(), kind: record.kind, authorisation };
      return ok({ answer: { forwarded }, outbox: [] });
    },
  };
}

/** Forwards a Party's record to the peer that hosts its registry, as one write of the pipeline. */
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

  /** Forwards a record whose registry a peer hosts (`hostOf` says which). */
  async forward(
    record: Article6Record,
    envelope: WriteEnvelope,
  ): Promise<Result<Forwarded & { readonly replayed: boolean }>> {
    const to = this.hostOf(recordRegistry(record));
    assert(to !== undefined, 'only a record for a registry a peer hosts is forwarded');
    const family = forwardFamily(record, to, this.config.registries);
    const outcome = await this.pipeline.run(family, envelope);
    if (!outcome.ok) return outcome;
    const replayed = outcome.replayed === true;
    if (!replayed && envelope.dryRun !== true) this.written();
    return ok({ ...outcome.value, replayed });
  }
}
