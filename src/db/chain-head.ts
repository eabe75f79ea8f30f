// The first statement of every writer batch: the chain head locked, the batch's idempotency keys
// looked up, and JIT turned off for the transaction, in one round trip.
import { sql } from 'kysely';
import { genesisHash } from '../core/ledger/journal.ts';
import type { ChainId } from '../core/shared/ids.ts';
import type { Tx } from './connect.ts';

/**
 * JIT compilation off for the rest of the batch's transaction, set in the head's own round trip:
 * its threshold is the planner's estimated cost, and the prefetch's parameterised range probes are
 * estimated far above their cost, so every batch compiled one (perf: 47% of the writer's database
 * time in LLVM). Per transaction, not per connection, so that a pooler in front of PostgreSQL
 * (OPERATIONS.md) sees no startup option.
 */
const jitOff = sql`set_config('jit', 'off', true) AS jit`;

/**
 * Locks the chain head for the rest of the transaction and reads the idempotency keys of the batch
 * in the same round trip. A chain that does not exist yet is created only when the batch commits an
 * entry (see `applyBatch`); two first writers then collide on its primary key and the loser retries.
 */
export async function lockChainHead(
  trx: Tx,
  chain: ChainId,
  keys: readonly string[],
): Promise<{
  head: { seq: bigint; hash: string; exists: boolean };
  known: Map<string, { requestHash: string; result: string }>;
}> {
  const rows = await sql<{
    head_seq: bigint | null;
    head_hash: string | null;
    key: string | null;
    request_hash: string | null;
    result: string | null;
  }>`
    WITH head AS (SELECT head_seq, head_hash FROM chains WHERE id = ${chain} FOR UPDATE)
    SELECT head.head_seq, head.head_hash, i.key, i.request_hash, i.result, ${jitOff}
    FROM (SELECT 1) one
    LEFT JOIN head ON true
    LEFT JOIN idempotency i ON i.chain = ${chain} AND i.key = ANY(${keys as string[]})`.execute(
    trx,
  );
  const first = rows.rows[0];
  const head =
    first?.head_seq === null || first?.head_seq === undefined
      ? { seq: 0n, hash: genesisHash, exists: false }
      : { seq: first.head_seq, hash: first.head_hash ?? genesisHash, exists: true };
  const known = new Map<string, { requestHash: string; result: string }>();
  for (const row of rows.rows) {
    if (row.key !== null && row.request_hash !== null && row.result !== null)
      known.set(row.key, { requestHash: row.request_hash, result: row.result });
  }
  return { head, known };
}
