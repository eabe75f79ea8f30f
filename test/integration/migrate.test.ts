// Migrations at start: a database with every migration is left alone (no migrator run), and one that
// holds a migration this version does not know (a newer version's) is refused, not served.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;

beforeEach(async () => {
  ({ platform, testDb } = await freshPlatform());
});
afterEach(async () => {
  await testDb.drop();
});

describe(`migrate on ${testDbKind}`, () => {
  it('applies nothing to an up-to-date database', async () => {
    expect(await migrate(platform.db)).toEqual([]);
  });

  it('refuses a database migrated by a newer version', async () => {
    await platform.db.transaction((trx) =>
      sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('999-from-the-future', now()::text)`.execute(
        trx,
      ),
    );
    await expect(migrate(platform.db)).rejects.toThrow(/999-from-the-future/);
  });
});
