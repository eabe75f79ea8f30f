// A fresh, migrated database per test, on the database the project under test names (JCM_TEST_DB):
// PGlite clones a migrated in-memory template; PostgreSQL copies the template database.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { newPglite, openDb, type Db } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { loadReferenceData } from '../../src/db/reference-data.ts';
import type { FederationOptions } from '../../src/services/federation.ts';
import { createPlatform, type Platform } from '../../src/services/platform.ts';
import { inject } from 'vitest';
import { adminUrl, databaseUrl } from './postgres-urls.ts';

export const testDbKind = process.env['JCM_TEST_DB'] === 'postgres' ? 'postgres' : 'pglite';
export const dataDir = join(import.meta.dirname, '..', '..', 'data');

let pgliteTemplate: Promise<PGlite> | undefined;

async function buildPgliteTemplate(): Promise<PGlite> {
  const pglite = await newPglite(undefined);
  const db = await openDb({ kind: 'pglite-memory', pglite });
  await migrate(db);
  await loadReferenceData(db, dataDir);
  return pglite;
}

export interface TestDb {
  readonly db: Db;
  /** Opens another connection pool to the same database (PostgreSQL only): a second process, in effect. */
  readonly url?: string;
  drop(): Promise<void>;
}

export async function freshDb(): Promise<TestDb> {
  if (testDbKind === 'pglite') {
    pgliteTemplate ??= buildPgliteTemplate();
    const clone = await (await pgliteTemplate).clone();
    const db = await openDb({ kind: 'pglite-memory', pglite: clone });
    return { db, drop: () => db.close() };
  }
  const name = `jcm_test_${randomBytes(6).toString('hex')}`;
  const admin = await openDb({ kind: 'postgres', url: adminUrl, poolSize: 1 });
  try {
    await admin.exclusive((k) =>
      sql.raw(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`).execute(k),
    );
  } finally {
    await admin.close();
  }
  const url = databaseUrl(name);
  const db = await openDb({ kind: 'postgres', url });
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      const again = await openDb({ kind: 'postgres', url: adminUrl, poolSize: 1 });
      try {
        await again.exclusive((k) =>
          sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).execute(k),
        );
      } finally {
        await again.close();
      }
    },
  };
}

/** The platform with the database handle the test made (to snapshot tables and to tamper). */
export type TestPlatform = Platform & { readonly db: Db };

/** A platform over a fresh database, with a clock tests control (and, if given, its own documents). */
export async function freshPlatform(
  options: { documentsDir?: string; publicUrl?: string; federation?: FederationOptions } = {},
): Promise<{
  platform: TestPlatform;
  testDb: TestDb;
  clock: TestClock;
}> {
  const testDb = await freshDb();
  const clock = new TestClock();
  const platform = await createPlatform(testDb.db, {
    clock: () => clock.now(),
    migrate: false,
    documentsDir: options.documentsDir ?? join(tmpdir(), 'jcm-test-documents'),
    ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
    ...(options.federation === undefined ? {} : { federation: options.federation }),
  });
  // Dropping waits for the outbox relay's last drain, as the platform's own close does.
  const drop = async () => {
    await platform.outbox.idle();
    await testDb.drop();
  };
  return {
    platform: Object.assign(platform, { db: testDb.db }),
    testDb: { ...testDb, drop },
    clock,
  };
}

export class TestClock {
  #ms = Date.UTC(2028, 3, 1, 9, 0, 0);
  /** Moves time forward to the start of the next minute (for per-minute limits). */
  advanceToNextMinute(): void {
    this.#ms = (Math.floor(this.#ms / 60_000) + 1) * 60_000;
  }
  /** Moves time forward by whole days (deadlines count calendar days). */
  advanceDays(days: number): void {
    this.#ms += days * 86_400_000;
  }
  now(): string {
    this.#ms += 1000;
    return new Date(this.#ms).toISOString();
  }
}
