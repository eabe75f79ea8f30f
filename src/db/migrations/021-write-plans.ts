// The write functions plan their statements for the rows they are given (issue 15, point 7).
//
// PL/pgSQL caches a statement's plan and, after five runs, may keep a generic plan made without
// the parameters' values. A session that planned jcm_write_batch while `blocks` had no statistics
// (a new database, or one not yet analysed) kept, measured with auto_explain, a generic plan that
// found the block to update through the exclusion constraint's GiST index on `project` alone and
// filtered every block of the project by serial: 253 buffers and 0.29 ms for one row at 1,700
// blocks, growing with the registry. With custom plans each statement is planned with the row's
// values and reaches the block by its primary key; planning costs a few microseconds per statement.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER FUNCTION jcm_write_batch(jsonb) SET plan_cache_mode = force_custom_plan`,
  `ALTER FUNCTION jcm_apply_aggregates(jsonb, jsonb) SET plan_cache_mode = force_custom_plan`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
