// The public register of retirements (issue 15, lane H2): two partial indexes over the retirements
// of ledger_movements (migration 018), one per order the register is read in. A search by
// beneficiary is a case-insensitive prefix: lower() on both sides (the database's own case folding,
// the same for the stored names and the text searched), compared in "C" (code point) order so that
// the names beginning with a prefix are one range of the index, whatever the database's collation.
// Newest first is the other order. Either way a page reads `limit + 1` index entries.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE INDEX ledger_movements_retired_by_beneficiary ON ledger_movements
     ((lower(beneficiary) COLLATE "C"), chain, seq, n) WHERE kind = 'retire'`,
  `CREATE INDEX ledger_movements_retired_by_time ON ledger_movements
     (recorded_at, chain, seq, n) WHERE kind = 'retire'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
