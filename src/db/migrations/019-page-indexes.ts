// Keyset pages (lane H1 of issue 15): each paged list is read in the order of a unique key, and
// these indexes serve that order so that a page costs the same at the millionth row as at the
// first. Indexes only; no table changes.
import { sql, type Kysely } from 'kysely';

const statements = [
  // Accounts of a registry, by id.
  `CREATE INDEX accounts_by_registry ON accounts (registry_id, id)`,
  // Issuance decisions by project and first serial (the exclusion constraint's GiST index does
  // not give that order).
  `CREATE UNIQUE INDEX decisions_by_serial ON decisions (project, serial_first)`,
  // A role's inbox by due date, then item.
  `CREATE INDEX cycle_items_due_page ON cycle_items (due_role, due_date, id) WHERE due_date IS NOT NULL`,
  // Transfer requests by the instant requested, then id.
  `CREATE INDEX transfer_requests_by_requested ON transfer_requests (requested_at, id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
