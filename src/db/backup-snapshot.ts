// What a backup records of the database at its snapshot: the head of every journal chain and the
// document store hashes the rows refer to. Read inside the snapshot that is dumped, so the manifest
// and the dump agree by construction.
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export interface ChainHead {
  readonly chain: string;
  readonly headSeq: bigint;
  readonly headHash: string;
}

export interface SnapshotState {
  readonly chains: readonly ChainHead[];
  /** SHA-256 of every document a row of the snapshot refers to, sorted. */
  readonly documents: readonly string[];
}

export async function readSnapshotState(k: Kysely<Schema>): Promise<SnapshotState> {
  const chains = await k
    .selectFrom('chains')
    .select(['id', 'head_seq', 'head_hash'])
    .orderBy('id')
    .execute();
  // cycle_documents holds both versions of each document; document_reads only refers to them again.
  const documents = await sql<{ sha256: string }>`
    SELECT public_sha256 AS sha256 FROM cycle_documents
    UNION SELECT full_sha256 FROM cycle_documents WHERE full_sha256 IS NOT NULL
    UNION SELECT full_sha256 FROM document_reads
    ORDER BY 1`.execute(k);
  return {
    chains: chains.map((c) => ({
      chain: c.id,
      headSeq: BigInt(c.head_seq),
      headHash: c.head_hash,
    })),
    documents: documents.rows.map((r) => r.sha256),
  };
}

/** The hash of the journal entry at `seq` of `chain` (null: no such entry). */
export async function journalHashAt(
  k: Kysely<Schema>,
  chain: string,
  seq: bigint,
): Promise<string | null> {
  const row = await k
    .selectFrom('journal')
    .select('hash')
    .where('chain', '=', chain)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.hash ?? null;
}

/**
 * Whether a database holds nothing of its own: no table, view or sequence outside the system
 * schemas, and no extension but plpgsql. A restore goes only into such a database.
 */
export async function databaseIsEmpty(k: Kysely<Schema>): Promise<boolean> {
  const found = await sql<{ n: string }>`
    SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f')
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%')
         + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql') AS n`.execute(k);
  return Number(found.rows[0]?.n ?? 1) === 0;
}

/** Statistics for every table, as autovacuum's analyse would make them (after a restore). */
export async function analyseAll(k: Kysely<Schema>): Promise<void> {
  await sql`ANALYZE`.execute(k);
}
