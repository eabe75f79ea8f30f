// A Db whose reads record the queries they run and the rows they answer: for tests that a read's cost
// is bounded (rows read whatever the tables hold) or that it does not touch a table.
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import type { Db } from '../../src/db/connect.ts';

export interface Recorded {
  /** Each query's operation tree as JSON (bigints as text): a table read appears as its name. */
  readonly queries: string[];
  /** Rows the reads answered, all queries together. */
  rows: number;
}

export function recordingDb(db: Db): { db: Db; seen: Recorded } {
  const seen: Recorded = { queries: [], rows: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      seen.queries.push(
        JSON.stringify(node, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
      );
      return node as RootOperationNode;
    },
    transformResult: async ({ result }) => {
      seen.rows += result.rows.length;
      return result;
    },
  };
  return { db: { ...db, read: (fn) => db.read((k) => fn(k.withPlugin(plugin))) }, seen };
}
