// The backup drill on the database under test (PGlite's data folder dumped through the open
// database, as the running server does; PostgreSQL through pg_dump of one snapshot): transfers run
// while the backup is taken, the restore into a fresh target passes the audit, every write
// acknowledged at or before the manifest's heads is there with its hash, and every document of the
// manifest too. Corrupted backups are refused with stable codes.
import { cp, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentStore } from '../../src/db/document-store.ts';
import { sha256OfBytes } from '../../src/db/sha256.ts';
import { restoreBackup, takeBackup, type BackupManifest } from '../../src/services/backup.ts';
import {
  backupSourceOf,
  drillOpening,
  fileDocuments,
  freshRestoreTarget,
  lostWrites,
  startLoad,
} from '../support/backup-drill.ts';
import { createApp } from '../../src/http/app.ts';
import { createPlatform } from '../../src/services/platform.ts';
import {
  freshDb,
  freshPlatform,
  testDbKind,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';

const now = () => new Date().toISOString();
// PGlite restores boot a second database in-process and audit it: slow on a shared machine.
const slow = 300_000;

describe(`backup and restore, on ${testDbKind}`, () => {
  let platform: TestPlatform;
  let testDb: TestDb;
  let folder: string;
  let backupDir: string;
  let manifest: BackupManifest;
  let acknowledged: ReturnType<typeof startLoad>['acknowledged'];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'jcm-backup-test-'));
    const documentsDir = join(folder, 'documents');
    ({ platform, testDb } = await freshPlatform({ documentsDir }));
    await drillOpening(platform);
    await fileDocuments(platform, documentsDir, 5);
    const load = startLoad([platform], 4);
    await load.until(20);
    backupDir = join(folder, 'backup');
    const steps: string[] = [];
    const taken = await takeBackup(
      backupSourceOf(platform, testDb),
      documentsDir,
      backupDir,
      now,
      (s) => steps.push(s),
    );
    await load.until(load.acknowledged.length + 10);
    await load.stop();
    acknowledged = load.acknowledged;
    if (!taken.ok) throw new Error(`backup refused: ${taken.error.code} ${taken.error.message}`);
    manifest = taken.value.manifest;
    expect(steps.at(-1)).toMatch(/^backup complete/);
  }, slow);

  afterAll(async () => {
    await testDb?.drop();
    await rm(folder, { recursive: true, force: true });
  });

  it(
    'restores into a fresh target: heads, every acknowledged write, documents, audit',
    { timeout: slow },
    async () => {
      const fresh = await freshRestoreTarget(platform.kind);
      try {
        const restored = await restoreBackup(backupDir, fresh.target, fresh.documentsDir, now);
        expect(restored.ok ? restored.value.auditPassed : restored.error).toBe(true);
        expect(manifest.documents).toHaveLength(11);
        const db = await fresh.open();
        try {
          const { covered, lost } = await lostWrites(db, manifest.chains, acknowledged);
          expect(covered).toBeGreaterThanOrEqual(20);
          expect(lost).toEqual([]);
        } finally {
          await db.close();
        }
        const store = new DocumentStore(fresh.documentsDir);
        for (const d of manifest.documents) {
          const bytes = await store.get(d.sha256);
          expect(bytes === null ? null : sha256OfBytes(bytes)).toBe(d.sha256);
        }
        // The same target again is not empty any more.
        const again = await restoreBackup(backupDir, fresh.target, fresh.documentsDir, now);
        expect(again.ok ? 'restored' : again.error.code).toBe('restore_target_not_empty');
      } finally {
        await fresh.drop();
      }
    },
  );

  it('keeps the backup folder to its owner: it holds every secret of the database', async () => {
    expect((await stat(backupDir)).mode & 0o077).toBe(0);
  });

  it('refuses to write a backup into a folder that is not empty', async () => {
    const taken = await takeBackup(
      backupSourceOf(platform, testDb),
      join(folder, 'documents'),
      backupDir,
      now,
    );
    expect(taken.ok ? 'taken' : taken.error.code).toBe('backup_target_not_empty');
  });

  const corruptions: [string, (dir: string) => Promise<void>, string][] = [
    [
      'a changed byte in a document',
      async (dir) => {
        const d = manifest.documents[0]?.sha256 ?? '';
        const path = join(dir, 'documents', d.slice(0, 2), d);
        const bytes = await readFile(path);
        bytes[0] = (bytes[0] ?? 0) ^ 1;
        await writeFile(path, bytes);
      },
      'backup_document_corrupt',
    ],
    [
      'a missing document',
      async (dir) => {
        const d = manifest.documents[1]?.sha256 ?? '';
        await unlink(join(dir, 'documents', d.slice(0, 2), d));
      },
      'backup_document_missing',
    ],
    [
      'a changed database file',
      async (dir) => {
        const path = join(dir, manifest.database.file);
        const bytes = await readFile(path);
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
        await writeFile(path, bytes);
      },
      'backup_database_file_corrupt',
    ],
    [
      'a manifest head that does not match the database',
      async (dir) => {
        const changed = structuredClone(manifest);
        const chain = changed.chains.find((c) => c.chain === 'JP');
        if (chain === undefined) throw new Error('no JP chain in the manifest');
        chain.headSeq = String(BigInt(chain.headSeq) - 1n);
        await writeFile(join(dir, 'manifest.json'), JSON.stringify(changed));
      },
      'restore_heads_mismatch',
    ],
    [
      'a manifest that is not one',
      (dir) => writeFile(join(dir, 'manifest.json'), '{"format":"other"}'),
      'backup_manifest_invalid',
    ],
  ];

  for (const [name, corrupt, code] of corruptions)
    it(`refuses a backup with ${name}: ${code}`, { timeout: slow }, async () => {
      const copy = join(folder, `corrupt-${code}`);
      await cp(backupDir, copy, { recursive: true });
      await corrupt(copy);
      const fresh = await freshRestoreTarget(platform.kind);
      try {
        const restored = await restoreBackup(copy, fresh.target, fresh.documentsDir, now);
        expect(restored.ok ? 'restored' : restored.error.code).toBe(code);
      } finally {
        await fresh.drop();
      }
    });
});

describe(`POST /api/v1/backups (administrators), on ${testDbKind}`, () => {
  it(
    'takes a restorable backup for an administrator, and none for anyone else',
    { timeout: slow },
    async () => {
      const folder = await mkdtemp(join(tmpdir(), 'jcm-backup-route-'));
      const testDb = await freshDb();
      const documentsDir = join(folder, 'documents');
      const platform = await createPlatform(testDb.db, {
        migrate: false,
        documentsDir,
        backup: {
          dir: join(folder, 'backups'),
          ...(testDb.url === undefined ? {} : { postgresUrl: testDb.url }),
        },
      });
      const app = createApp(platform, { devToken: 'route-token' });
      const post = (roles: string | null, body: string) =>
        app.request('/api/v1/backups', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(roles === null
              ? {}
              : {
                  authorization: 'Bearer route-token',
                  'x-jcm-actor': 'ops',
                  'x-jcm-roles': roles,
                }),
          },
          body,
        });
      const fresh = await freshRestoreTarget(platform.kind);
      try {
        await drillOpening(platform);
        expect((await post(null, '{"label":"x"}')).status).toBe(401);
        expect((await post('registry_manager:JP', '{"label":"x"}')).status).toBe(403);
        expect((await post('administrator', '{"label":"../etc"}')).status).toBe(400);
        const response = await post('administrator', '{"label":"drill"}');
        expect(response.status).toBe(200);
        const taken = (await response.json()) as { dir: string; chains: { chain: string }[] };
        expect(taken.dir.startsWith(join(folder, 'backups', 'jcm-backup-'))).toBe(true);
        expect(taken.chains.map((c) => c.chain)).toContain('JP');
        const restored = await restoreBackup(taken.dir, fresh.target, fresh.documentsDir, now);
        expect(restored.ok ? restored.value.auditPassed : restored.error).toBe(true);
      } finally {
        await fresh.drop();
        await platform.outbox.idle();
        await testDb.drop();
        await rm(folder, { recursive: true, force: true });
      }
    },
  );
});
