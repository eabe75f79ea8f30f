// What every write family stores besides its own rows, in the write's transaction: the claim of its
// idempotency key and the answer kept under it, the counters that number new things, and the outbox
// messages that leave the process after the commit.
import { sql } from 'kysely';
import { jsonText } from '../core/shared/json-text.ts';
import { isoInstant, jsonOf } from './columns.ts';
import type { Tx } from './connect.ts';

export type KeyClaim =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly requestHash: string; readonly result: unknown };

/**
 * Claims an idempotency key for this transaction. A concurrent write with the same key waits here
 * until this one ends: after a commit it finds the answer, after a rollback it claims the key itself.
 */
export async function claimKey(
  tx: Tx,
  family: string,
  key: string,
  requestHash: string,
  at: string,
): Promise<KeyClaim> {
  const inserted = await tx
    .insertInto('write_idempotency')
    .values({ family, key, request_hash: requestHash, result: null, at })
    .onConflict((oc) => oc.columns(['family', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted !== undefined) return { claimed: true };
  const row = await tx
    .selectFrom('write_idempotency')
    .select(['request_hash', 'result'])
    .where('family', '=', family)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return { claimed: false, requestHash: row.request_hash, result: jsonOf(row.result) };
}

/** Keeps the answer of a write under its key (JSON text with bigints as decimal strings). */
export async function keepAnswer(
  tx: Tx,
  family: string,
  key: string,
  answer: string,
): Promise<void> {
  await tx
    .updateTable('write_idempotency')
    .set({ result: answer })
    .where('family', '=', family)
    .where('key', '=', key)
    .execute();
}

/** The current values of counters, locked for the rest of the transaction (a missing one is 0). */
export async function lockCounters(tx: Tx, keys: readonly string[]): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  if (keys.length === 0) return values;
  await tx
    .insertInto('counters')
    .values(keys.map((key) => ({ key, value: 0 })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const rows = await tx
    .selectFrom('counters')
    .select(['key', 'value'])
    .where('key', 'in', [...keys])
    .orderBy('key')
    .forUpdate()
    .execute();
  for (const row of rows) values.set(row.key, row.value);
  return values;
}

export async function setCounters(tx: Tx, values: ReadonlyMap<string, number>): Promise<void> {
  for (const [key, value] of values)
    await tx.updateTable('counters').set({ value }).where('key', '=', key).execute();
}

export interface OutboxMessage {
  readonly topic: string;
  readonly payload: unknown;
}

export async function addToOutbox(
  tx: Tx,
  messages: readonly OutboxMessage[],
  at: string,
): Promise<void> {
  if (messages.length === 0) return;
  await tx
    .insertInto('outbox')
    .values(
      messages.map((m) => ({
        topic: m.topic,
        payload: jsonText(m.payload),
        created_at: at,
        published_at: null,
      })),
    )
    .execute();
}

export interface OutboxRow {
  readonly id: bigint;
  readonly topic: string;
  readonly payload: unknown;
  readonly createdAt: string;
}

/**
 * Hands the oldest unpublished messages to `publish` and marks them published, in one transaction:
 * they are marked and read in one statement, and the mark stands only if publishing did not throw
 * (the transaction rolls back otherwise); two drainers never take the same one.
 */
export async function drainOutbox(
  tx: Tx,
  limit: number,
  at: string,
  publish: (rows: readonly OutboxRow[]) => Promise<void>,
): Promise<number> {
  const rows = await sql<{ id: bigint; topic: string; payload: unknown; created_at: unknown }>`
    UPDATE outbox SET published_at = ${at} WHERE id IN (
      SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id, topic, payload, created_at`.execute(tx);
  if (rows.rows.length === 0) return 0;
  // RETURNING keeps no order: the subscribers get the messages in the order they were written.
  const taken = rows.rows
    .map((r) => ({
      id: r.id,
      topic: r.topic,
      payload: jsonOf(r.payload),
      createdAt: isoInstant(r.created_at),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await publish(taken);
  return taken.length;
}

/** Published messages kept this long (hours) for an operator to look at, then deleted. */
export const outboxKeptHours = 24;

/** Deletes published messages older than the kept time, at most `limit` at once; returns how many. */
export async function pruneOutbox(tx: Tx, before: string, limit: number): Promise<number> {
  const result = await sql`DELETE FROM outbox WHERE id IN (
    SELECT id FROM outbox WHERE published_at < ${before} ORDER BY id LIMIT ${limit})`.execute(tx);
  return Number(result.numAffectedRows ?? 0n);
}
