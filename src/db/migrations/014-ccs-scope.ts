// Sectoral scope 16 (CCS and CCUS, data/sectoral_scopes.csv): a third-party entity can be designated
// for it, so that a CCS project (IN_AM006) can be validated. 004 allowed scopes 1 to 15 only.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE tpe_designations DROP CONSTRAINT tpe_designations_sectoral_scope_check`.execute(
    db,
  );
  await sql`ALTER TABLE tpe_designations ADD CONSTRAINT tpe_designations_sectoral_scope_check
    CHECK (sectoral_scope BETWEEN 1 AND 16)`.execute(db);
}
