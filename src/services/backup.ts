// Backup and restore of the whole registry: the database at one snapshot and the documents its rows
// refer to, with a manifest of the journal heads and document hashes (docs/OPERATIONS.md, "Backup
// and restore"). The order is the point: the snapshot first, then the documents it refers to (a
// document is always stored before the row that names it commits, and never deleted), so every
// document of the snapshot is in the backup. A restore goes only into an empty target, checks every
// file before restoring, then the restored journal heads and documents against the manifest, and
// runs the audit.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, reject, type Result } from '../core/shared/result.ts';
import { runAudit } from '../db/audit.ts';
import {
  copyDocuments,
  databaseFileNames,
  folderIsEmpty,
  installDocuments,
  manifestOf,
  readManifest,
  sha256OfFile,
  verifyBackupFiles,
  writeManifest,
  type BackupManifest,
} from '../db/backup-files.ts';
import { dumpPglite, restorePglite } from '../db/backup-pglite.ts';
import {
  dumpPostgres,
  PgToolFailed,
  postgresIsEmpty,
  restorePostgres,
  type PgTools,
} from '../db/backup-postgres.ts';
import {
  analyseAll,
  journalHashAt,
  readSnapshotState,
  type SnapshotState,
} from '../db/backup-snapshot.ts';
import { DataDirInUse, openDb, type Db } from '../db/connect.ts';

export type { BackupManifest } from '../db/backup-files.ts';
export type { PgTools } from '../db/backup-postgres.ts';

/** Where a backup is taken from: a PostgreSQL URL, or an open PGlite database (server or CLI). */
export type BackupSource =
  | { readonly kind: 'postgres'; readonly url: string; readonly tools: PgTools }
  | { readonly kind: 'pglite'; readonly db: Db };

/** Where a restore goes: an empty PostgreSQL database, or a new PGlite data folder. */
export type RestoreTarget =
  | { readonly kind: 'postgres'; readonly url: string; readonly tools: PgTools }
  | { readonly kind: 'pglite'; readonly dataDir: string };

/** One line of progress for the operator (the CLI prints them on stderr). */
export type Progress = (step: string) => void;

export interface BackupSummary {
  readonly dir: string;
  readonly manifest: BackupManifest;
}

async function dumpDatabase(source: BackupSource, dir: string): Promise<SnapshotState> {
  const file = join(dir, databaseFileNames[source.kind]);
  if (source.kind === 'postgres') return dumpPostgres(source.url, file, source.tools);
  const { state, tarball } = await dumpPglite(source.db);
  await writeFile(file, new Uint8Array(await tarball.arrayBuffer()));
  return state;
}

/** Takes a backup into `dir` (new or empty); the manifest is written last, once all is in place. */
export async function takeBackup(
  source: BackupSource,
  documentsDir: string,
  dir: string,
  now: () => string,
  progress: Progress = () => undefined,
): Promise<Result<BackupSummary>> {
  if (!(await folderIsEmpty(dir)))
    return reject('backup_target_not_empty', `${dir} is not empty; name a new folder`);
  await mkdir(dir, { recursive: true });
  // The dump holds every secret of the database (password hashes, TOTP secrets, sessions,
  // confidential documents): the folder is the owner's alone, whatever the umask or old mode.
  await chmod(dir, 0o700);
  const createdAt = now();
  progress(`dumping the ${source.kind} database at one snapshot`);
  let state: SnapshotState;
  try {
    state = await dumpDatabase(source, dir);
  } catch (error) {
    if (error instanceof PgToolFailed) return reject('backup_tool_failed', error.message);
    throw error;
  }
  progress(
    `snapshot taken: ${state.chains.length} journal chains, ${state.documents.length} documents referred to`,
  );
  const documents = await copyDocuments(documentsDir, dir, state.documents, (n) =>
    progress(`documents copied: ${n} of ${state.documents.length}`),
  );
  if (!documents.ok) return documents;
  const database = await sha256OfFile(join(dir, databaseFileNames[source.kind]));
  const manifest = manifestOf(source.kind, createdAt, state, database, documents.value);
  await writeManifest(dir, manifest);
  progress(`backup complete in ${dir}`);
  return ok({ dir, manifest });
}

export interface RestoreSummary {
  readonly manifest: BackupManifest;
  readonly chains: number;
  readonly documents: number;
  readonly auditPassed: true;
}

async function targetIsEmpty(target: RestoreTarget, documentsDir: string): Promise<boolean> {
  const database =
    target.kind === 'postgres'
      ? await postgresIsEmpty(target.url)
      : await folderIsEmpty(target.dataDir);
  return database && (await folderIsEmpty(documentsDir));
}

/** Restores the backup in `dir` into an empty target, then verifies it and runs the audit. */
export async function restoreBackup(
  dir: string,
  target: RestoreTarget,
  documentsDir: string,
  now: () => string,
  progress: Progress = () => undefined,
): Promise<Result<RestoreSummary>> {
  const manifest = await readManifest(dir);
  if (!manifest.ok) return manifest;
  const m = manifest.value;
  if (m.kind !== target.kind)
    return reject(
      'backup_kind_mismatch',
      `the backup is of ${m.kind}, the target is ${target.kind}`,
    );
  progress(`checking the database file and ${m.documents.length} documents against the manifest`);
  const files = await verifyBackupFiles(dir, m, (n) => progress(`documents checked: ${n}`));
  if (!files.ok) return files;
  if (!(await targetIsEmpty(target, documentsDir)))
    return reject(
      'restore_target_not_empty',
      'the target database or document folder is not empty; restore into a new one',
    );
  progress(`restoring the ${m.kind} database`);
  const databaseFile = join(dir, m.database.file);
  try {
    if (target.kind === 'postgres') await restorePostgres(target.url, databaseFile, target.tools);
    else
      await restorePglite(join(target.dataDir, 'pgdata'), new Blob([await readFile(databaseFile)]));
  } catch (error) {
    if (error instanceof PgToolFailed) return reject('backup_tool_failed', error.message);
    throw error;
  }
  progress(`installing ${m.documents.length} documents`);
  await installDocuments(dir, m, documentsDir);
  const db = await openDb(
    target.kind === 'postgres'
      ? { kind: 'postgres', url: target.url, poolSize: 2 }
      : { kind: 'pglite', dataDir: target.dataDir },
  );
  try {
    // A restore writes every row anew with no statistics: the planner needs them before the audit
    // and the first requests (docs/OPERATIONS.md, autovacuum).
    progress('analysing the restored tables');
    await db.exclusive(analyseAll);
    return await verifyRestored(db, m, now, progress);
  } finally {
    await db.close();
  }
}

/** The restored database against the manifest: the same heads, every document listed; the audit. */
async function verifyRestored(
  db: Db,
  m: BackupManifest,
  now: () => string,
  progress: Progress,
): Promise<Result<RestoreSummary>> {
  progress('checking the restored journal heads against the manifest');
  const state = await db.read(readSnapshotState);
  const restored = new Map(state.chains.map((c) => [c.chain, c]));
  const differing = m.chains.filter((c) => {
    const r = restored.get(c.chain);
    return r === undefined || r.headSeq.toString() !== c.headSeq || r.headHash !== c.headHash;
  });
  if (differing.length > 0 || restored.size !== m.chains.length)
    return reject('restore_heads_mismatch', 'the restored journal heads differ from the manifest', {
      chains: differing.map((c) => c.chain),
    });
  for (const c of m.chains) {
    const hash = await db.read((k) => journalHashAt(k, c.chain, BigInt(c.headSeq)));
    if (BigInt(c.headSeq) > 0n && hash !== c.headHash)
      return reject('restore_heads_mismatch', `chain ${c.chain}: the entry at the head differs`, {
        chains: [c.chain],
      });
  }
  const listed = new Set(m.documents.map((d) => d.sha256));
  const unlisted = state.documents.filter((d) => !listed.has(d));
  if (unlisted.length > 0)
    return reject('restore_documents_incomplete', 'the restored rows refer to unlisted documents', {
      documents: unlisted.slice(0, 20),
    });
  progress('running the audit on the restored database');
  const audit = await runAudit(db, now());
  if (!audit.passed)
    return reject('restore_audit_failed', `the audit found ${audit.violationCount} violations`, {
      kinds: audit.kinds.map((k) => k.kind),
    });
  progress('restore verified: heads, documents and audit');
  return ok({
    manifest: m,
    chains: m.chains.length,
    documents: m.documents.length,
    auditPassed: true,
  });
}

/** A backup's label, part of its folder's name (so a request never names a path). */
export const backupLabelPattern = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * Backups the running server takes of its own database (POST /api/v1/backups, administrators):
 * the only way to back up a PGlite data folder while the server holds it. Each goes into a new
 * folder under the configured backups folder (JCM_BACKUP_DIR).
 */
export class ServerBackups {
  constructor(
    private readonly source: BackupSource | null,
    private readonly documentsDir: string,
    private readonly backupsDir: string | null,
    private readonly now: () => string,
  ) {}

  async take(label: string, progress: Progress = () => undefined): Promise<Result<BackupSummary>> {
    if (!backupLabelPattern.test(label))
      return reject(
        'invalid_request',
        'a label is 1-40 of [a-z0-9-], starting with a letter or digit',
      );
    if (this.source === null || this.backupsDir === null)
      return reject(
        'backup_not_configured',
        'this server takes no backups (JCM_BACKUP_DIR, and DATABASE_URL on PostgreSQL); back up with `jcm backup`',
      );
    const stamp = this.now().replace(/[^0-9TZ]/g, '');
    const dir = join(this.backupsDir, `jcm-backup-${stamp}-${label}`);
    return takeBackup(this.source, this.documentsDir, dir, this.now, progress);
  }
}

/** The server's backups over its open database (PlatformOptions.backup; defaults for tests). */
export function serverBackups(
  db: Db,
  options: {
    readonly documentsDir?: string;
    readonly backup?: {
      readonly dir: string;
      readonly postgresUrl?: string;
      readonly pgBin?: string;
    };
  },
  now: () => string,
): ServerBackups {
  const source: BackupSource | null =
    db.kind === 'pglite'
      ? { kind: 'pglite', db }
      : options.backup?.postgresUrl === undefined
        ? null
        : {
            kind: 'postgres',
            url: options.backup.postgresUrl,
            tools: { bin: options.backup.pgBin ?? '' },
          };
  return new ServerBackups(
    source,
    options.documentsDir ?? join(tmpdir(), 'jcm-documents'),
    // Unconfigured (tests, embedding): no backups, rather than a folder nobody chose.
    options.backup?.dir ?? null,
    now,
  );
}

/**
 * A backup of a PGlite data folder no server holds (`jcm backup` with the server stopped): the
 * folder is opened, and so locked, for the time of the backup; a live server's lock refuses it.
 */
export async function backupPgliteFolder(
  dataDir: string,
  documentsDir: string,
  dir: string,
  now: () => string,
  progress: Progress,
): Promise<Result<BackupSummary>> {
  let db: Db;
  try {
    db = await openDb({ kind: 'pglite', dataDir });
  } catch (error) {
    if (!(error instanceof DataDirInUse)) throw error;
    return reject(
      'backup_data_folder_in_use',
      `${error.message}; or take the backup through it: jcm backup --server http://localhost:3000 (JCM_API_TOKEN)`,
    );
  }
  try {
    return await takeBackup({ kind: 'pglite', db }, documentsDir, dir, now, progress);
  } finally {
    await db.close();
  }
}
