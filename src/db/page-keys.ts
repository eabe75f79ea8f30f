// Keyset pagination in SQL (lane H1): the condition "sort key after the cursor's key" as one row
// comparison, which PostgreSQL answers from a btree index on the same columns in the same order.
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
