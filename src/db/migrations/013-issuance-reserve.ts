// The reserve of an allocation line (CCS): the part of the line, its last serials, that issuance puts
// into the registry's reserve account in the same journal entry (issue 13, item 7). Lines decided
// before keep 0.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE decision_lines ADD COLUMN reserve int8 NOT NULL DEFAULT 0
    CHECK (reserve >= 0 AND reserve <= quantity)`.execute(db);
}
