// A consistent backup of a PostgreSQL database with pg_dump, and its restore with pg_restore. One
// connection opens a REPEATABLE READ transaction and exports its snapshot; the journal heads and the
// documents referred to are read in that transaction, and pg_dump --snapshot dumps exactly the same
// state, so the manifest describes the dump and nothing committed later.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { databaseIsEmpty, readSnapshotState, type SnapshotState } from './backup-snapshot.ts';
import type { Schema } from './schema.ts';

/** The PostgreSQL client tools, from `bin` (a folder) or the PATH when it is empty. */
export interface PgTools {
  readonly bin: string;
}

function tool(tools: PgTools, name: string): string {
  return tools.bin === '' ? name : join(tools.bin, name);
}

/** The URL without its password, and the password for PGPASSWORD (not on any command line). */
function splitPassword(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    url: parsed.toString(),
    env: password === '' ? process.env : { ...process.env, PGPASSWORD: password },
  };
}

/** Runs a client tool; resolves with its stderr, rejects with it when the tool fails. */
function runTool(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', (error) => reject(new PgToolFailed(`${command}: ${error.message}`)));
    child.on('close', (code) =>
      code === 0
        ? resolve(stderr)
        : reject(new PgToolFailed(`${command} exited with ${String(code)}: ${stderr.trim()}`)),
    );
  });
}

export class PgToolFailed extends Error {}

function singleConnection(url: string): Kysely<Schema> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8
          ? (value: string) => BigInt(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => undefined);
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Dumps the database at `url` into `file` (pg_dump's custom format) from one exported snapshot,
 * and answers the journal heads and document hashes of that snapshot.
 */
export async function dumpPostgres(
  url: string,
  file: string,
  tools: PgTools,
): Promise<SnapshotState> {
  const kysely = singleConnection(url);
  try {
    return await kysely.connection().execute(async (conn) => {
      await sql`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`.execute(conn);
      try {
        const exported = await sql<{
          id: string;
        }>`SELECT pg_export_snapshot() AS id`.execute(conn);
        const snapshot = exported.rows[0]?.id ?? '';
        const state = await readSnapshotState(conn);
        const { url: bare, env } = splitPassword(url);
        // The transaction stays open until pg_dump has finished: the snapshot lives as long as it.
        await runTool(
          tool(tools, 'pg_dump'),
          ['--format=custom', `--snapshot=${snapshot}`, '--file', file, '--dbname', bare],
          env,
        );
        return state;
      } finally {
        await sql`ROLLBACK`.execute(conn);
      }
    });
  } finally {
    await kysely.destroy();
  }
}

/** Whether the database at `url` is empty (see databaseIsEmpty). */
export async function postgresIsEmpty(url: string): Promise<boolean> {
  const kysely = singleConnection(url);
  try {
    return await databaseIsEmpty(kysely);
  } finally {
    await kysely.destroy();
  }
}

/**
 * Restores a dump into the (empty) database at `url` in one transaction: either everything is
 * restored or nothing. Data is loaded before the journal's triggers and the foreign keys are made
 * (pg_dump's post-data section), so the rows go in as they were.
 */
export async function restorePostgres(url: string, file: string, tools: PgTools): Promise<void> {
  const { url: bare, env } = splitPassword(url);
  await runTool(
    tool(tools, 'pg_restore'),
    ['--exit-on-error', '--single-transaction', '--no-owner', '--dbname', bare, file],
    env,
  );
}
