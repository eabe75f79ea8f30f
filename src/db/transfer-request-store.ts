// Transfer requests in the write pipeline: the source account and the request row read under lock
// (FOR UPDATE, so that of an approval and a rejection racing exactly one wins), and the rows a
// decision writes. The database refuses an approval by the requester whatever the code does.
import type { AccountFacts, StoredTransferRequest } from '../core/ledger/transfer-requests.ts';
import { isoInstant, jsonOf } from './columns.ts';
import { afterKey, pageLimit, pageOf, type PageRequest } from '../core/shared/page.ts';
import { ok } from '../core/shared/result.ts';
import { keyAfter } from './page-keys.ts';
import { assert } from '../core/shared/assert.ts';
import type { Db, Tx } from './connect.ts';

export async function accountFacts(tx: Tx, id: string): Promise<AccountFacts | null> {
  const row = await tx
    .selectFrom('accounts')
    .select(['id', 'registry_id', 'type', 'holder_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined
    ? null
    : { id: row.id, registry: row.registry_id, type: row.type, holderId: row.holder_id };
}

export async function lockTransferRequest(
  tx: Tx,
  id: string,
): Promise<StoredTransferRequest | null> {
  const row = await tx
    .selectFrom('transfer_requests')
    .select(['id', 'registry', 'from_account', 'status', 'requested_by', 'input'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined) return null;
  return {
    id: row.id,
    registry: row.registry,
    fromAccount: row.from_account,
    status: row.status as StoredTransferRequest['status'],
    requestedBy: row.requested_by,
    input: jsonOf(row.input),
  };
}

export async function insertTransferRequest(
  tx: Tx,
  request: { id: string; registry: string; from: string; input: unknown; requestedBy: string },
  at: string,
): Promise<void> {
  await tx
    .insertInto('transfer_requests')
    .values({
      id: request.id,
      registry: request.registry,
      from_account: request.from,
      input: JSON.stringify(request.input),
      requested_by: request.requestedBy,
      requested_at: at,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      entry_seq: null,
    })
    .execute();
}

export async function decideTransferRequestRow(
  tx: Tx,
  id: string,
  outcome: { status: 'approved' | 'rejected'; by: string; at: string; entrySeq: bigint | null },
): Promise<void> {
  const updated = await tx
    .updateTable('transfer_requests')
    .set({
      status: outcome.status,
      decided_by: outcome.by,
      decided_at: outcome.at,
      entry_seq: outcome.entrySeq,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  // The row was locked while the request was decided: it is still pending.
  assert(updated.numUpdatedRows === 1n, `transfer request ${id} is pending`);
}

/** Whose requests a reader may see: all, or those of some registries and of some holders' accounts. */
export type TransferRequestReach =
  'all' | { readonly registries: readonly string[]; readonly holders: readonly string[] };

/** Transfer requests by the instant requested, then id, a page at a time. */
export async function listTransferRequests(
  db: Db,
  status?: string,
  reach: TransferRequestReach = 'all',
  request: PageRequest = {},
) {
  const after = afterKey(request, ['instant', 'text']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  const rows = await db.read((k) => {
    let q = k
      .selectFrom('transfer_requests')
      .selectAll()
      .where(keyAfter(['requested_at', 'id'], after.value, ['timestamptz']))
      .orderBy('requested_at')
      .orderBy('id')
      .limit(limit + 1);
    if (status !== undefined) q = q.where('status', '=', status);
    if (reach !== 'all') {
      const { registries, holders } = reach;
      q = q.where((eb) =>
        eb.or([
          ...(registries.length === 0 ? [] : [eb('registry', 'in', registries)]),
          ...(holders.length === 0
            ? []
            : [
                eb(
                  'from_account',
                  'in',
                  eb.selectFrom('accounts').select('id').where('holder_id', 'in', holders),
                ),
              ]),
        ]),
      );
    }
    return q.execute();
  });
  return ok(pageOf(rows, limit, (r) => [isoInstant(r.requested_at), r.id]));
}
