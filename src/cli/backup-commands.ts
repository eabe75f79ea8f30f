// `jcm backup` and `jcm restore` (docs/OPERATIONS.md, "Backup and restore"): a backup of the
// configured database at one snapshot and of the documents it refers to, with a manifest; taken
// directly (PostgreSQL, or a PGlite folder no server holds) or through a running server's API; and
// a restore into an empty target, verified against the manifest and audited. Progress goes to
// stderr (JSON lines with --json), the answer to stdout.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { reject, type Result } from '../core/shared/result.ts';
import {
  backupPgliteFolder,
  restoreBackup,
  takeBackup,
  type BackupSummary,
  type Progress,
  type RestoreTarget,
} from '../services/backup.ts';
import { createOutput, type Output } from './output.ts';
import type { CliOpts } from './platform-action.ts';

/** What the commands need from the configuration (main.ts reads it). */
export interface BackupDeps {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly documentsDir: string;
  /** Folder of pg_dump and pg_restore (JCM_PG_BIN; empty: the PATH). */
  readonly pgBin: string;
  /** JCM_API_TOKEN: an administrator's API token, for `jcm backup --server`. */
  readonly apiToken: string | undefined;
}

const now = () => new Date().toISOString();

function progressTo(json: boolean, command: string): Progress {
  return (step) =>
    process.stderr.write(
      json ? `${JSON.stringify({ progress: step })}\n` : `${command}: ${step}\n`,
    );
}

export function registerBackupCommands(program: Command, deps: BackupDeps): void {
  program
    .command('backup [dir]')
    .description(
      'back up the database (one snapshot) and the documents it refers to into a new folder, with a manifest of journal heads and document hashes; --server takes it through a running server (PGlite)',
    )
    .option(
      '--server <url>',
      'ask the running server at this URL to take the backup (JCM_API_TOKEN)',
    )
    .option('--label <label>', 'with --server: a label for the folder name', 'manual')
    .action(async (dir: string | undefined, o: { server?: string; label: string }) => {
      const json = program.opts<CliOpts>().json === true;
      const out = createOutput(json);
      const progress = progressTo(json, 'backup');
      if (o.server !== undefined)
        return show(out, await backupThroughServer(deps, o.server, o.label));
      if (dir === undefined)
        return out.rejection({
          code: 'invalid_request',
          message: 'name a new folder for the backup',
        });
      show(out, summaryOf(await backupDirectly(deps, resolve(dir), progress)));
    });
  program
    .command('restore <dir>')
    .description(
      'restore a backup into an empty database (DATABASE_URL or --database-url) or a new PGlite data folder (JCM_DATA_DIR or --data-dir); checks the manifest and runs the audit',
    )
    .option('--database-url <url>', 'the empty PostgreSQL database to restore into')
    .option('--data-dir <dir>', 'the new PGlite data folder to restore into')
    .option('--documents <dir>', 'the new document folder (default: documents/ in the data folder)')
    .action(
      async (dir: string, o: { databaseUrl?: string; dataDir?: string; documents?: string }) => {
        const json = program.opts<CliOpts>().json === true;
        const out = createOutput(json);
        const dataDir = resolve(o.dataDir ?? deps.dataDir);
        const url = o.dataDir === undefined ? (o.databaseUrl ?? deps.databaseUrl) : o.databaseUrl;
        const target: RestoreTarget =
          url === undefined
            ? { kind: 'pglite', dataDir }
            : { kind: 'postgres', url, tools: { bin: deps.pgBin } };
        const documentsDir =
          o.documents !== undefined
            ? resolve(o.documents)
            : url === undefined || o.dataDir !== undefined
              ? resolve(dataDir, 'documents')
              : deps.documentsDir;
        const restored = await restoreBackup(
          resolve(dir),
          target,
          documentsDir,
          now,
          progressTo(json, 'restore'),
        );
        if (!restored.ok) return out.rejection(restored.error);
        const { manifest, chains, documents } = restored.value;
        out.data(
          {
            ...restored.value,
            manifest: undefined,
            createdAt: manifest.createdAt,
            target: target.kind,
          },
          () =>
            `restored the backup of ${manifest.createdAt}: ${chains} journal chains at the manifest's heads, ${documents} documents, audit passed`,
        );
      },
    );
}

async function backupDirectly(
  deps: BackupDeps,
  dir: string,
  progress: Progress,
): Promise<Result<BackupSummary>> {
  if (deps.databaseUrl !== undefined)
    return takeBackup(
      { kind: 'postgres', url: deps.databaseUrl, tools: { bin: deps.pgBin } },
      deps.documentsDir,
      dir,
      now,
      progress,
    );
  return backupPgliteFolder(deps.dataDir, deps.documentsDir, dir, now, progress);
}

async function backupThroughServer(
  deps: BackupDeps,
  server: string,
  label: string,
): Promise<Result<Record<string, unknown>>> {
  if (deps.apiToken === undefined)
    return reject('unauthenticated', 'set JCM_API_TOKEN to an administrator’s API token');
  const response = await fetch(new URL('/api/v1/backups', server), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.apiToken}` },
    body: JSON.stringify({ label }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok)
    return {
      ok: false,
      error: {
        code: (body['code'] as never) ?? 'backup_tool_failed',
        message: String(body['detail'] ?? response.statusText),
      },
    };
  return { ok: true, value: body };
}

/** The answer of a backup, as the server's route gives it too. */
function summaryOf(result: Result<BackupSummary>): Result<Record<string, unknown>> {
  if (!result.ok) return result;
  const { dir, manifest } = result.value;
  return {
    ok: true,
    value: {
      dir,
      createdAt: manifest.createdAt,
      kind: manifest.kind,
      chains: manifest.chains,
      documents: manifest.documents.length,
      database: manifest.database,
    },
  };
}

function show(out: Output, result: Result<Record<string, unknown>>): void {
  if (!result.ok) return out.rejection(result.error);
  const summary = result.value;
  const chains = summary['chains'] as readonly unknown[];
  out.data(
    summary,
    () =>
      `backup in ${String(summary['dir'])}: ${chains.length} journal chains at their heads, ${String(summary['documents'])} documents`,
  );
}
