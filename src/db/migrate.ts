// Applies pending migrations with Kysely's migrator (which takes its own lock, so two processes
// starting together on PostgreSQL do not both migrate).
import { Migrator, type MigrationResult } from 'kysely';
import type { Db } from './connect.ts';
import { migrations } from './migrations/index.ts';

export async function migrate(db: Db): Promise<readonly MigrationResult[]> {
  return db.exclusive(async (kysely) => {
    const migrator = new Migrator({
      db: kysely,
      provider: { getMigrations: async () => migrations },
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
    return results ?? [];
  });
}
