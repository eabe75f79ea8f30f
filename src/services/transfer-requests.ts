// Transfers out of government accounts take two people (SPEC section 6): one requests, another
// approves. The request is stored; the approval runs the transfer through the ledger's pipeline with
// the requester named, and the core refuses it if the approver is the requester. A rejection ends the
// request; nothing moves until an approval.
import { parseInput } from './parse-input.ts';
import { randomUUID } from 'node:crypto';
import { managesRegistry, type Actor } from '../core/ledger/actor.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Db } from '../db/connect.ts';
import { commandSchemas, type CommandInput } from './ledger-schemas.ts';
import type { Committed, LedgerService } from './ledger-service.ts';

export interface TransferRequest {
  readonly id: string;
  readonly registry: string;
  readonly from: string;
  readonly status: string;
  readonly requestedBy: string;
}

export class TransferRequests {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
    private readonly clock: () => string,
  ) {}

  /** Records a request; only for government accounts, by their holder or their registry's manager. */
  async request(raw: unknown, actor: Actor): Promise<Result<TransferRequest>> {
    const parsed = parseInput(commandSchemas.transfer, raw);
    if (!parsed.ok) return parsed;
    const input = parsed.value;
    const account = await this.db.read((k) =>
      k
        .selectFrom('accounts')
        .select(['id', 'registry_id', 'type', 'holder_id'])
        .where('id', '=', input.from)
        .executeTakeFirst(),
    );
    if (account === undefined) return reject('account_not_found', `no account ${input.from}`);
    if (account.type !== 'government_holding') {
      return reject(
        'invalid_request',
        `${account.id} is not a government account: transfer from it directly`,
      );
    }
    const allowed =
      managesRegistry(actor, account.registry_id as never) ||
      actor.roles.some((r) => r.kind === 'account_holder' && r.holderId === account.holder_id);
    if (!allowed)
      return reject('actor_not_authorised', `${actor.id} does not act for ${account.id}`);
    const id = `TR-${randomUUID()}`;
    await this.db.transaction((trx) =>
      trx
        .insertInto('transfer_requests')
        .values({
          id,
          registry: account.registry_id,
          from_account: account.id,
          input: JSON.stringify(input),
          requested_by: actor.id,
          requested_at: this.clock(),
          status: 'pending',
          decided_by: null,
          decided_at: null,
          entry_seq: null,
        })
        .execute(),
    );
    return ok({
      id,
      registry: account.registry_id,
      from: account.id,
      status: 'pending',
      requestedBy: actor.id,
    });
  }

  /** The second person approves: the transfer runs now, under an idempotency key of the request. */
  /** A pending request that the actor, not being its requester, may decide. */
  private async decidable(id: string, actor: Actor) {
    const row = await this.db.read((k) =>
      k.selectFrom('transfer_requests').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    if (row === undefined) return reject('transfer_request_not_found', `no transfer request ${id}`);
    if (row.status !== 'pending')
      return reject('transfer_request_not_pending', `${id} is ${row.status}`);
    if (row.requested_by === actor.id)
      return reject(
        'second_approver_must_differ',
        'the person who requested the transfer cannot decide it; another person does',
      );
    return ok(row);
  }

  async approve(id: string, actor: Actor): Promise<Result<Committed>> {
    const found = await this.decidable(id, actor);
    if (!found.ok) return found;
    const row = found.value;
    const input = (
      typeof row.input === 'string' ? JSON.parse(row.input) : row.input
    ) as CommandInput<'transfer'>;
    const done = await this.ledger.executeTransfer(
      input,
      actor,
      `approval-${id}`,
      row.requested_by,
    );
    if (!done.ok) return done;
    await this.db.transaction((trx) =>
      trx
        .updateTable('transfer_requests')
        .set({
          status: 'approved',
          decided_by: actor.id,
          decided_at: this.clock(),
          entry_seq: done.value.entry.seq,
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute(),
    );
    return done;
  }

  async decline(id: string, actor: Actor): Promise<Result<{ id: string; status: 'rejected' }>> {
    const found = await this.decidable(id, actor);
    if (!found.ok) return found;
    const row = found.value;
    if (!managesRegistry(actor, row.registry as never))
      return reject('actor_not_authorised', `${actor.id} does not manage registry ${row.registry}`);
    await this.db.transaction((trx) =>
      trx
        .updateTable('transfer_requests')
        .set({ status: 'rejected', decided_by: actor.id, decided_at: this.clock() })
        .where('id', '=', id)
        .execute(),
    );
    return ok({ id, status: 'rejected' });
  }

  list(status?: string) {
    return this.db.read((k) => {
      let q = k.selectFrom('transfer_requests').selectAll().orderBy('requested_at');
      if (status !== undefined) q = q.where('status', '=', status);
      return q.execute();
    });
  }
}
