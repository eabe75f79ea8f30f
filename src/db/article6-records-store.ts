// Article 6.2 records between deployments in the database (migration 028, issue 16): the approaches
// a forwarded record is checked against, the records forwarded to peers, the first-transfer actions a
// committed batch derived (read by the message producer) and the first transfers peers recorded.
import type { CooperativeApproach } from '../core/article6/types.ts';
import type { FirstTransfer } from '../core/federation/article6-records.ts';
import type { Db, Tx } from './connect.ts';
import { approachFromRecord } from './article6-rows.ts';

/** The latest version of every cooperative approach recorded here. */
export async function latestApproaches(tx: Tx): Promise<CooperativeApproach[]> {
  const rows = await tx
    .selectFrom('article6_approaches')
    .select(['record'])
    .distinctOn('partnership')
    .orderBy('partnership')
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => approachFromRecord(r.record));
}

export interface ForwardedRecord {
  readonly receiver: string;
  readonly sequence: bigint;
  readonly kind: 'authorisation' | 'confirmation';
  readonly registry: string;
  readonly authorisation: string;
  /** The record as the message states it (canonical JSON). */
  readonly record: string;
  /** Who recorded it here. */
  readonly actor: string;
  readonly recordedAt: string;
}

/** A forwarded record as listed: refused by the peer's ledger (its code), or not. */
export type ListedForward = ForwardedRecord & {
  readonly refused: { readonly code: string; readonly message: string } | null;
};

export async function recordForwarded(tx: Tx, r: ForwardedRecord): Promise<void> {
  await tx
    .insertInto('article6_forwarded')
    .values({
      receiver: r.receiver,
      sequence: r.sequence,
      kind: r.kind,
      registry_id: r.registry,
      authorisation: r.authorisation,
      record: r.record,
      actor: r.actor,
      recorded_at: r.recordedAt,
    })
    .execute();
}

/** A peer's record this deployment's ledger refused for its content. */
export interface RefusedRecord {
  readonly peer: string;
  readonly sequence: bigint;
  readonly code: string;
  readonly message: string;
}

/** Keeps the refusal of a peer's record (its message stays applied: acknowledged, told back). */
export async function recordRefusal(tx: Tx, r: RefusedRecord, now: string): Promise<void> {
  await tx
    .insertInto('article6_records_refused')
    .values({
      sender: r.peer,
      sequence: r.sequence,
      code: r.code,
      message: r.message,
      refused_at: now,
    })
    .execute();
}

/**
 * Marks a record forwarded to `peer` as refused there; false when no such record was forwarded, or
 * its refusal was marked already.
 */
export async function markForwardedRefused(
  tx: Tx,
  r: RefusedRecord,
  now: string,
): Promise<boolean> {
  const updated = await tx
    .updateTable('article6_forwarded')
    .set({ refused_code: r.code, refused_message: r.message, refused_at: now })
    .where('receiver', '=', r.peer)
    .where('sequence', '=', r.sequence)
    .where('refused_code', 'is', null)
    .executeTakeFirst();
  return (updated.numUpdatedRows ?? 0n) > 0n;
}

/** The records forwarded to peers, newest first, at most `limit`. */
export async function forwardedRecords(db: Db, limit: number): Promise<ListedForward[]> {
  const rows = await db.read((k) =>
    k.selectFrom('article6_forwarded').selectAll().orderBy('id', 'desc').limit(limit).execute(),
  );
  return rows.map((r) => ({
    receiver: r.receiver,
    sequence: BigInt(r.sequence),
    kind: r.kind,
    registry: r.registry_id,
    authorisation: r.authorisation,
    record: r.record,
    actor: r.actor,
    recordedAt: r.recorded_at,
    refused:
      r.refused_code === null ? null : { code: r.refused_code, message: r.refused_message ?? '' },
  }));
}

/** The first-transfer actions of a range of a chain's journal. */
export async function firstTransfersOf(
  tx: Tx,
  chain: string,
  first: bigint,
  last: bigint,
): Promise<FirstTransfer[]> {
  const rows = await tx
    .selectFrom('article6_actions')
    .selectAll()
    .where('chain', '=', chain)
    .where('seq', '>=', first)
    .where('seq', '<=', last)
    .where('type', '=', 'first_transfer')
    .orderBy('seq')
    .orderBy('n')
    .execute();
  return rows.map(firstTransferOfRow);
}

/** Records a peer's first transfer; false when that action of its journal was recorded already. */
export async function recordFirstTransfer(
  tx: Tx,
  sender: string,
  t: FirstTransfer,
  now: string,
): Promise<boolean> {
  const inserted = await tx
    .insertInto('article6_first_transfers_received')
    .values({
      sender,
      chain: t.chain,
      seq: t.seq,
      n: t.n,
      party: t.party,
      action_date: t.date,
      approach: t.approach,
      authorisation: t.authorisation,
      registry_id: t.registry,
      project: t.project,
      vintage: t.vintage,
      serial_first: t.serialFirst,
      serial_last: t.serialLast,
      quantity: t.serialLast - t.serialFirst + 1n,
      acquiring_party: t.acquiringParty,
      received_at: now,
    })
    .onConflict((c) => c.doNothing())
    .executeTakeFirst();
  return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** The first transfer a peer recorded at a place of its journal, if any. */
export async function receivedFirstTransferAt(
  tx: Tx,
  sender: string,
  at: Pick<FirstTransfer, 'chain' | 'seq' | 'n'>,
): Promise<FirstTransfer | undefined> {
  const row = await tx
    .selectFrom('article6_first_transfers_received')
    .selectAll()
    .where('sender', '=', sender)
    .where('chain', '=', at.chain)
    .where('seq', '=', at.seq)
    .where('n', '=', at.n)
    .executeTakeFirst();
  return row === undefined ? undefined : firstTransferOfRow(row);
}

/** The first transfers peers recorded, by sender and journal place. */
export async function receivedFirstTransfers(
  db: Pick<Db, 'read'>,
): Promise<(FirstTransfer & { readonly sender: string })[]> {
  const rows = await db.read((k) =>
    k
      .selectFrom('article6_first_transfers_received')
      .selectAll()
      .orderBy('sender')
      .orderBy('chain')
      .orderBy('seq')
      .orderBy('n')
      .execute(),
  );
  return rows.map((r) => ({ sender: r.sender, ...firstTransferOfRow(r) }));
}

/** The columns a first transfer has both as an action derived here and as one a peer recorded. */
interface FirstTransferRow {
  readonly chain: string;
  readonly seq: bigint | string;
  readonly n: number;
  readonly party: string;
  readonly action_date: string;
  readonly approach: string;
  readonly authorisation: string;
  readonly registry_id: string;
  readonly project: string;
  readonly vintage: number;
  readonly serial_first: bigint | string;
  readonly serial_last: bigint | string;
  readonly acquiring_party: string | null;
}

function firstTransferOfRow(r: FirstTransferRow): FirstTransfer {
  return {
    chain: r.chain,
    seq: BigInt(r.seq),
    n: r.n,
    party: r.party,
    date: r.action_date,
    approach: r.approach,
    authorisation: r.authorisation,
    registry: r.registry_id,
    project: r.project,
    vintage: r.vintage,
    serialFirst: BigInt(r.serial_first),
    serialLast: BigInt(r.serial_last),
    acquiringParty: r.acquiring_party,
  };
}
