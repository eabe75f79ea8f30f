// `jcm backup` and `jcm restore` on a PGlite data folder with no server holding it: the backup, the
// restore into a new folder with --json, and the refusals (a backup folder in use, a target that is
// not empty, a folder that is no backup) with their codes. Runs once, in the PGlite project.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupDeps } from '../../src/cli/backup-commands.ts';
import { openDb } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { runCli } from '../support/cli.ts';
import { testDbKind } from '../support/db.ts';

describe.skipIf(testDbKind !== 'pglite')('jcm backup and jcm restore on a PGlite folder', () => {
  let folder: string;
  let backup: BackupDeps;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'jcm-backup-cli-'));
    const dataDir = join(folder, 'data');
    const db = await openDb({ kind: 'pglite', dataDir });
    await migrate(db);
    await db.close();
    backup = {
      databaseUrl: undefined,
      dataDir,
      documentsDir: join(dataDir, 'documents'),
      pgBin: '',
      apiToken: undefined,
    };
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it(
    'backs up, restores into a new folder, and refuses a second restore there',
    { timeout: 300_000 },
    async () => {
      const taken = await runCli({ backup }, '--json', 'backup', join(folder, 'b'));
      expect(taken.exitCode).toBe(0);
      expect(JSON.parse(taken.out)).toMatchObject({ kind: 'pglite', documents: 0 });
      expect(taken.err).toContain('"progress"');
      const target = join(folder, 'restored');
      const restored = await runCli(
        { backup },
        '--json',
        'restore',
        join(folder, 'b'),
        '--data-dir',
        target,
      );
      expect(restored.exitCode).toBe(0);
      expect(JSON.parse(restored.out)).toMatchObject({ auditPassed: true, target: 'pglite' });
      const again = await runCli({ backup }, 'restore', join(folder, 'b'), '--data-dir', target);
      expect(again.exitCode).toBe(1);
      expect(again.err).toContain('error restore_target_not_empty');
    },
  );

  it('refuses a backup folder that is not empty and a folder that holds no backup', async () => {
    const used = join(folder, 'used');
    await mkdir(used, { recursive: true });
    await writeFile(join(used, 'something'), 'x');
    const taken = await runCli({ backup }, 'backup', used);
    expect([taken.exitCode, taken.err]).toEqual([
      1,
      expect.stringContaining('backup_target_not_empty'),
    ]);
    const restored = await runCli(
      { backup },
      '--json',
      'restore',
      used,
      '--data-dir',
      join(folder, 'r2'),
    );
    expect(restored.exitCode).toBe(1);
    expect(JSON.parse(restored.out)).toMatchObject({ error: { code: 'backup_manifest_invalid' } });
  });
});
