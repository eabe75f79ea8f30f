// Keyset pagination in SQL (lane H1): the condition "sort key after the cursor's key" as one row
// comparison, which PostgreSQL answers from a btree index on the same columns in the same order; and
// a whole list read that way, a page at a time (the public export, src/db/public-export.ts).
import { sql, type RawBuilder } from 'kysely';
import type { KeyPart } from '../core/shared/page.ts';

/**
 * `(c1, c2, ...) > (k1, k2, ...)` over the given (trusted, code-given) column names; true when
 * there is no key (the first page). Integer parts are bound as int8, text parts as text.
 */
export function keyAfter(
  columns: readonly string[],
  key: readonly KeyPart[] | null,
  /** For a text part, the column's type when it is not text (an instant: 'timestamptz'). */
  casts: readonly ('timestamptz' | undefined)[] = [],
): RawBuilder<boolean> {
  if (key === null) return sql<boolean>`true`;
  const refs = sql.join(columns.map((c) => sql.ref(c)));
  const values = sql.join(
    key.map((part, i) =>
      typeof part === 'bigint'
        ? sql`${part.toString()}::int8`
        : casts[i] === 'timestamptz'
          ? sql`${part}::timestamptz`
          : sql`${part}::text`,
    ),
  );
  return sql<boolean>`(${refs}) > (${values})`;
}

/**
 * Reads a whole list in key order a page at a time, handing each page to `take` before the next is
 * read (memory holds one page): `read(after, limit)` gives up to `limit` rows after the key (null:
 * from the start), `keyOf` a row's key. Returns how many rows were read.
 */
export async function eachPage<R>(
  read: (after: readonly KeyPart[] | null, limit: number) => Promise<readonly R[]>,
  keyOf: (row: R) => readonly KeyPart[],
  take: (rows: readonly R[]) => Promise<void>,
  limit: number,
): Promise<bigint> {
  let count = 0n;
  let after: readonly KeyPart[] | null = null;
  for (;;) {
    const rows = await read(after, limit);
    if (rows.length > 0) await take(rows);
    count += BigInt(rows.length);
    const last = rows.at(-1);
    if (last === undefined || rows.length < limit) return count;
    after = keyOf(last);
  }
}
