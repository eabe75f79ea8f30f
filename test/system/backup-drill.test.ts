// The backup drill on PostgreSQL under the load of two writers (two connection pools, as two server
// processes): transfers run while pg_dump dumps one exported snapshot; the restore into a fresh
// database passes the audit, holds every write acknowledged at or before the manifest's heads with
// the same hash, and every document of the manifest. Repeated, each round with its own databases.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.ts';
import { DocumentStore } from '../../src/db/document-store.ts';
import { sha256OfBytes } from '../../src/db/sha256.ts';
import { restoreBackup, takeBackup } from '../../src/services/backup.ts';
import { createPlatform } from '../../src/services/platform.ts';
import {
  backupSourceOf,
  drillOpening,
  fileDocuments,
  freshRestoreTarget,
  lostWrites,
  startLoad,
} from '../support/backup-drill.ts';
import { freshPlatform } from '../support/db.ts';

const rounds = 3;
const now = () => new Date().toISOString();

describe('backup and restore drill on PostgreSQL, under write load', () => {
  for (let round = 1; round <= rounds; round++)
    it(`round ${round}: 8 clients on two writers, backup while they write, restore, check`, async () => {
      const folder = await mkdtemp(join(tmpdir(), 'jcm-drill-'));
      const documentsDir = join(folder, 'documents');
      const { platform, testDb } = await freshPlatform({ documentsDir });
      const second = await createPlatform(
        await openDb({ kind: 'postgres', url: testDb.url ?? '' }),
        { migrate: false, documentsDir },
      );
      const fresh = await freshRestoreTarget('postgres');
      try {
        await drillOpening(platform);
        await fileDocuments(platform, documentsDir, 20);
        const load = startLoad([platform, second], 8);
        await load.until(50);
        const taken = await takeBackup(
          backupSourceOf(platform, testDb),
          documentsDir,
          join(folder, 'backup'),
          now,
        );
        // Writes go on after the snapshot: the backup must not contain them, nor miss earlier ones.
        await load.until(load.acknowledged.length + 50);
        await load.stop();
        if (!taken.ok) throw new Error(`backup refused: ${taken.error.code}`);
        const { manifest } = taken.value;
        const restored = await restoreBackup(
          join(folder, 'backup'),
          fresh.target,
          fresh.documentsDir,
          now,
        );
        expect(restored.ok ? restored.value.auditPassed : restored.error).toBe(true);
        const db = await fresh.open();
        try {
          const { covered, lost } = await lostWrites(db, manifest.chains, load.acknowledged);
          expect(covered).toBeGreaterThanOrEqual(50);
          expect(lost).toEqual([]);
        } finally {
          await db.close();
        }
        expect(manifest.documents).toHaveLength(41);
        const store = new DocumentStore(fresh.documentsDir);
        for (const d of manifest.documents) {
          const bytes = await store.get(d.sha256);
          expect(bytes === null ? null : sha256OfBytes(bytes)).toBe(d.sha256);
        }
      } finally {
        await fresh.drop();
        await second.close();
        await testDb.drop();
        await rm(folder, { recursive: true, force: true });
      }
    });
});
