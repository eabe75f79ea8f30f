// Applies pending migrations with Kysely's migrator (which takes its own lock, so two processes
// starting together on PostgreSQL do not both migrate). A database that has every migration already
// is told apart first by reading the migration table, without the migrator's lock and bookkeeping.
import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely';
import type { Db } from './connect.ts';
import type { Schema } from './schema.ts';
import { migrations } from './migrations/index.ts';

/**
 * Whether exactly the migrations this version knows have been applied: one it does not know (a newer
 * version's) sends the database to the migrator, which refuses it with its own error.
 */
async function upToDate(kysely: Kysely<Schema>): Promise<boolean> {
  const table = await sql<{ exists: boolean }>`
    SELECT to_regclass('kysely_migration') IS NOT NULL AS exists`.execute(kysely);
  if (table.rows[0]?.exists !== true) return false;
  const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(kysely);
  const names = new Set(applied.rows.map((r) => r.name));
  const known = Object.keys(migrations);
  return names.size === known.length && known.every((name) => names.has(name));
}

export async function migrate(db: Db): Promise<readonly MigrationResult[]> {
  return db.exclusive(async (kysely) => {
    if (await upToDate(kysely)) return [];
    const migrator = new Migrator({
      db: kysely,
      provider: { getMigrations: async () => migrations },
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
    return results ?? [];
  });
}
