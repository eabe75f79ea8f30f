// Transfers out of government accounts take two people (SPEC section 6), each step on the one
// pipeline: a request is stored (numbered per registry); an approval locks the request row and runs
// the transfer through the ledger in the same transaction, with the requester named so that the core
// refuses an approval by the same person; a rejection locks the row too. Nothing moves until an
// approval, and of an approval and a rejection that race, exactly one wins.
import type { PageRequest } from '../core/shared/page.ts';
import {
  decideApproval,
  decideRejection,
  decideTransferRequest,
  type AccountFacts,
  type StoredTransferRequest,
} from '../core/ledger/transfer-requests.ts';
import { isAdministrator, type Actor } from '../core/ledger/actor.ts';
import { reviveEvent } from '../core/ledger/events.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Db } from '../db/connect.ts';
import {
  accountFacts,
  decideTransferRequestRow,
  insertTransferRequest,
  listTransferRequests,
  lockTransferRequest,
} from '../db/transfer-request-store.ts';
import { lockCounters, setCounters } from '../db/write-store.ts';
import { commandSchemas, type CommandInput } from './ledger-schemas.ts';
import type { Committed, LedgerService } from './ledger-service.ts';
import { parseInput } from './parse-input.ts';
import type { WriteEnvelope, WriteFamily, WritePipeline, Outcome } from './write-pipeline.ts';

export interface TransferRequest {
  readonly id: string;
  readonly registry: string;
  readonly from: string;
  readonly status: string;
  readonly requestedBy: string;
}

type Transfer = CommandInput<'transfer'>;
const requestIdPattern = /^TR-[A-Za-z0-9-]{1,60}$/;

function parseRequestId(input: unknown): Result<string> {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === 'string' && requestIdPattern.test(id)
    ? ok(id)
    : reject('transfer_request_not_found', 'a transfer request id is TR-...');
}

/** A request: only for a government account, by its holder or its registry's manager. */
const requesting: WriteFamily<
  Transfer,
  { account: AccountFacts | null; counter: number },
  { account: AccountFacts; number: number },
  TransferRequest
> = {
  name: 'transfer_request',
  keyRequired: true,
  parse: async (input) => parseInput(commandSchemas.transfer, input),
  load: async (tx, input) => {
    const account = await accountFacts(tx, input.from);
    const counters = await lockCounters(tx, account === null ? [] : [`tr:${account.registry}`]);
    return { account, counter: counters.get(`tr:${account?.registry ?? ''}`) ?? 0 };
  },
  decide: (state, input, actor) => {
    const decided = decideTransferRequest(state.account, input.from, actor);
    return decided.ok ? ok({ account: decided.value, number: state.counter + 1 }) : decided;
  },
  persist: async (tx, { account, number }, input, actor, ctx) => {
    const id = `TR-${account.registry}-${String(number).padStart(6, '0')}`;
    await setCounters(tx, new Map([[`tr:${account.registry}`, number]]));
    await insertTransferRequest(
      tx,
      { id, registry: account.registry, from: account.id, input, requestedBy: actor.id },
      ctx.now,
    );
    const request = {
      id,
      registry: account.registry,
      from: account.id,
      status: 'pending',
      requestedBy: actor.id,
    };
    return ok({
      answer: request,
      outbox: [{ topic: 'transfer_request.requested', payload: request }],
    });
  },
};

/** The second person's approval: the transfer runs in the same transaction, the requester named. */
function approving(
  ledger: LedgerService,
): WriteFamily<string, StoredTransferRequest | null, StoredTransferRequest, Committed> {
  return {
    name: 'transfer_request_approval',
    keyRequired: true,
    parse: async (input) => parseRequestId(input),
    load: (tx, id) => lockTransferRequest(tx, id),
    decide: (request, id, actor) => decideApproval(request, id, actor),
    persist: async (tx, request, _id, actor, ctx) => {
      const done = await ledger.executeWithin(
        tx,
        'transfer',
        { actor, idempotencyKey: `approval-${request.id}`, input: request.input as Transfer },
        request.requestedBy,
      );
      if (!done.ok) return done;
      await decideTransferRequestRow(tx, request.id, {
        status: 'approved',
        by: actor.id,
        at: ctx.now,
        entrySeq: done.value.entry.seq,
      });
      return ok({
        answer: done.value,
        outbox: [{ topic: 'transfer_request.approved', payload: { id: request.id, by: actor.id } }],
      });
    },
    // The kept answer is JSON: the entry's seq and the event's quantities come back as strings.
    revive: (kept) => {
      const k = kept as Omit<Committed, 'entry'> & { entry: Committed['entry'] & { seq: string } };
      return {
        ...k,
        entry: { ...k.entry, seq: BigInt(k.entry.seq) },
        event: reviveEvent(JSON.stringify(k.event)),
        replayed: true,
      };
    },
  };
}

/** The registry manager's rejection: nothing moves. */
const rejecting: WriteFamily<
  string,
  StoredTransferRequest | null,
  StoredTransferRequest,
  { id: string; status: 'rejected' }
> = {
  name: 'transfer_request_rejection',
  keyRequired: true,
  parse: async (input) => parseRequestId(input),
  load: (tx, id) => lockTransferRequest(tx, id),
  decide: (request, id, actor) => decideRejection(request, id, actor),
  persist: async (tx, request, _id, actor, ctx) => {
    await decideTransferRequestRow(tx, request.id, {
      status: 'rejected',
      by: actor.id,
      at: ctx.now,
      entrySeq: null,
    });
    return ok({
      answer: { id: request.id, status: 'rejected' as const },
      outbox: [{ topic: 'transfer_request.rejected', payload: { id: request.id, by: actor.id } }],
    });
  },
};

export class TransferRequests {
  private readonly approving: ReturnType<typeof approving>;

  constructor(
    private readonly pipeline: WritePipeline,
    ledger: LedgerService,
    private readonly db: Db,
  ) {
    this.approving = approving(ledger);
  }

  /** Records a request; only for government accounts, by their holder or their registry's manager. */
  request(envelope: WriteEnvelope): Promise<Outcome<TransferRequest>> {
    return this.pipeline.run(requesting, envelope);
  }

  /** The second person approves (`input: {id}`): the transfer runs now, in the same transaction. */
  approve(envelope: WriteEnvelope): Promise<Outcome<Committed>> {
    return this.pipeline.run(this.approving, envelope);
  }

  /** The registry's manager rejects (`input: {id}`); nothing moves. */
  decline(envelope: WriteEnvelope): Promise<Outcome<{ id: string; status: 'rejected' }>> {
    return this.pipeline.run(rejecting, envelope);
  }

  /**
   * The requests an actor's roles reach (the API, the back office), or all of them ('all': the
   * operator's command line). The reach is always named, so a new caller cannot forget it.
   */
  list(status: string | undefined, reader: Actor | 'all', request: PageRequest = {}) {
    if (reader === 'all' || isAdministrator(reader))
      return listTransferRequests(this.db, status, 'all', request);
    const registries: string[] = [];
    const holders: string[] = [];
    for (const role of reader.roles) {
      if (role.kind === 'registry_manager') registries.push(role.registry);
      if (role.kind === 'account_holder') holders.push(role.holderId);
    }
    return listTransferRequests(this.db, status, { registries, holders }, request);
  }
}
