// The backup drill shared by the PGlite integration test and the PostgreSQL system test: transfers
// under load through the real ledger service, a backup taken while they run, a restore into a fresh
// target, and the checks that nothing acknowledged before the backup's heads was lost.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { journalHashAt } from '../../src/db/backup-snapshot.ts';
import { openDb, type Db } from '../../src/db/connect.ts';
import { sha256OfBytes } from '../../src/db/sha256.ts';
import type { BackupSource, RestoreTarget } from '../../src/services/backup.ts';
import type { Platform } from '../../src/services/platform.ts';
import { CycleFixtures } from './cycle-fixtures.ts';
import type { TestDb, TestPlatform } from './db.ts';
import { adminUrl, databaseUrl } from './postgres-urls.ts';
import { issueOneLine, mustRun, openJapanAndIndia, run } from './scenario.ts';

export interface Acknowledged {
  readonly chain: string;
  readonly seq: bigint;
  readonly hash: string;
}

/** JP registry with two holding accounts (JP-000004 with 1,000,000 credits, JP-000005). */
export async function drillOpening(platform: Platform): Promise<void> {
  await openJapanAndIndia(platform);
  for (const holder of ['src', 'dst'])
    await mustRun(platform, 'open_account', {
      registry: 'JP',
      accountType: 'holding',
      holderId: holder,
      holderName: holder,
    });
  await issueOneLine(platform, 'D1', 'JP-000004', '1000000');
}

/** Cycle documents in the store and rows referring to them: `count` distinct files. */
export async function fileDocuments(
  platform: TestPlatform,
  documentsDir: string,
  count: number,
): Promise<void> {
  const fixtures = new CycleFixtures(platform.db, '2028-04-01T09:00:00.000Z', documentsDir);
  const item = await fixtures.methodology('public_input');
  const { DocumentStore } = await import('../../src/db/document-store.ts');
  const store = new DocumentStore(documentsDir);
  for (let i = 1; i <= count; i++) {
    const bytes = new TextEncoder().encode(
      `supporting document ${i} ${randomBytes(8).toString('hex')}`,
    );
    const full = new TextEncoder().encode(
      `confidential version ${i} ${randomBytes(8).toString('hex')}`,
    );
    await store.put(bytes);
    await store.put(full);
    await platform.db.transaction((trx) =>
      trx
        .insertInto('cycle_documents')
        .values({
          item_id: item,
          type: 'supporting',
          version: i,
          file_name: `support-${i}.txt`,
          media_type: 'text/plain',
          public_sha256: sha256OfBytes(bytes),
          full_sha256: sha256OfBytes(full),
          bytes: BigInt(bytes.byteLength),
          uploaded_by: 'drill',
          uploaded_at: '2028-04-01T09:00:00.000Z',
        })
        .execute(),
    );
  }
}

/**
 * Transfers of one credit back and forth through the ledger service by `workers` concurrent
 * clients until `stop()`; every acknowledged write is recorded with its journal position.
 */
export function startLoad(platforms: readonly Platform[], workers: number) {
  const acknowledged: Acknowledged[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, w) => {
    const platform = platforms[w % platforms.length] as Platform;
    for (let i = 0; running; i++) {
      const forth = (i + w) % 2 === 0;
      const result = await run(platform, 'transfer', {
        from: forth ? 'JP-000004' : 'JP-000005',
        to: forth ? 'JP-000005' : 'JP-000004',
        selection: { quantity: '1' },
      });
      if (result.ok) acknowledged.push(result.value.entry);
    }
  });
  return {
    acknowledged,
    /** Resolves once `n` writes have been acknowledged. */
    async until(n: number): Promise<void> {
      while (acknowledged.length < n) await new Promise((r) => setTimeout(r, 10));
    },
    async stop(): Promise<void> {
      running = false;
      await Promise.all(loops);
    },
  };
}

export function backupSourceOf(platform: TestPlatform, testDb: TestDb): BackupSource {
  return platform.kind === 'postgres'
    ? { kind: 'postgres', url: testDb.url ?? '', tools: { bin: '' } }
    : { kind: 'pglite', db: platform.db };
}

/** A fresh restore target of the same kind (a new database or folder) and how to drop it. */
export async function freshRestoreTarget(kind: 'postgres' | 'pglite'): Promise<{
  target: RestoreTarget;
  documentsDir: string;
  open(): Promise<Db>;
  drop(): Promise<void>;
}> {
  const folder = await mkdtemp(join(tmpdir(), 'jcm-restore-'));
  const documentsDir = join(folder, 'documents');
  if (kind === 'pglite') {
    const dataDir = join(folder, 'data');
    return {
      target: { kind: 'pglite', dataDir },
      documentsDir,
      open: () => openDb({ kind: 'pglite', dataDir }),
      drop: () => rm(folder, { recursive: true, force: true }),
    };
  }
  const name = `jcm_restore_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE template0`);
  const url = databaseUrl(name);
  return {
    target: { kind: 'postgres', url, tools: { bin: '' } },
    documentsDir,
    open: () => openDb({ kind: 'postgres', url, poolSize: 2 }),
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const admin = await openDb({ kind: 'postgres', url: adminUrl, poolSize: 1 });
  try {
    await admin.exclusive((k) => sql.raw(text).execute(k));
  } finally {
    await admin.close();
  }
}

/** The acknowledged writes at or before their chain's head in the manifest whose entry differs. */
export async function lostWrites(
  restored: Db,
  heads: readonly { chain: string; headSeq: string }[],
  acknowledged: readonly Acknowledged[],
): Promise<{ covered: number; lost: Acknowledged[] }> {
  const head = new Map(heads.map((h) => [h.chain, BigInt(h.headSeq)]));
  const covered = acknowledged.filter((a) => a.seq <= (head.get(a.chain) ?? -1n));
  const lost: Acknowledged[] = [];
  for (const a of covered)
    if ((await restored.read((k) => journalHashAt(k, a.chain, a.seq))) !== a.hash) lost.push(a);
  return { covered: covered.length, lost };
}
