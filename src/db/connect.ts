// Opens the database: embedded PGlite in a data folder (default) or PostgreSQL when a URL is given.
// Both return the same narrow port, with int8 read back as bigint on both drivers. PGlite has one
// connection, so every use of it, reads included, is serialised through one queue here.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types as pgliteTypes, type PGliteInterface } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { PgliteDialect } from './pglite-dialect.ts';
import type { Schema } from './schema.ts';
import { DatabaseClosed } from './unavailable.ts';

export type DbKind = 'pglite' | 'postgres';

/** An open transaction: the handle the stores write through, from the pipeline's one transaction. */
export type Tx = Transaction<Schema>;

export interface Db {
  readonly kind: DbKind;
  /** Runs `fn` with the database to itself on PGlite, or with the pool on PostgreSQL. */
  exclusive<T>(fn: (db: Kysely<Schema>) => Promise<T>): Promise<T>;
  read<T>(fn: (db: Kysely<Schema>) => Promise<T>): Promise<T>;
  transaction<T>(fn: (trx: Transaction<Schema>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** How the connections are used now, for /metrics (issue 15, lane P). */
  use?(): DbUse;
}

/** PostgreSQL's pool (connections open, idle, callers waiting for one) or PGlite's one queue. */
export type DbUse =
  | {
      readonly kind: 'postgres';
      readonly total: number;
      readonly idle: number;
      readonly waiting: number;
    }
  | { readonly kind: 'pglite'; readonly queued: number };

export type DbTarget =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'pglite-memory'; readonly pglite?: PGliteInterface }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number };

export const pgliteExtensions = { btree_gist, pgcrypto };

export async function openDb(target: DbTarget): Promise<Db> {
  if (target.kind === 'postgres') return openPostgres(target.url, target.poolSize ?? 10);
  if (target.kind === 'pglite-memory')
    return wrapPglite(target.pglite ?? (await newPglite(undefined)), () => undefined);
  mkdirSync(target.dataDir, { recursive: true });
  const release = lockDataDir(target.dataDir);
  try {
    return wrapPglite(await newPglite(join(target.dataDir, 'pgdata')), release);
  } catch (error) {
    release();
    throw error;
  }
}

export async function newPglite(dataDir: string | undefined): Promise<PGlite> {
  const options = {
    extensions: pgliteExtensions,
    parsers: { [pgliteTypes.INT8]: (value: string) => BigInt(value) },
  };
  const pglite = dataDir === undefined ? new PGlite(options) : new PGlite(dataDir, options);
  await pglite.waitReady;
  return pglite;
}

const int8AsBigint = { [pgliteTypes.INT8]: (value: string) => BigInt(value) };

type Queryable = Pick<PGliteInterface, 'query'>;

/** Passes the int8 parser with every query: a clone of a PGlite instance does not keep its parsers. */
function withBigints<T extends Queryable>(target: T): T {
  return new Proxy(target, {
    get(object, property) {
      if (property === 'query') {
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          object.query(query, params, {
            ...options,
            parsers: { ...(options?.['parsers'] as object), ...int8AsBigint },
          });
      }
      const value: unknown = Reflect.get(object, property);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

function wrapPglite(raw: PGliteInterface, release: () => void): Db {
  const pglite = withBigints(raw);
  const kysely = new Kysely<Schema>({ dialect: new PgliteDialect(pglite) });
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  // Uses of the one connection not yet finished, the running one included (for /metrics).
  let queued = 0;
  const settled = () => {
    queued -= 1;
  };
  // Work that arrives after close (a relay's timer, a late request) is refused here: handed to
  // Kysely's PGlite driver it would leave a rejection inside the driver that nobody handles.
  const exclusive = <T>(fn: (db: Kysely<Schema>) => Promise<T>): Promise<T> => {
    const run = queue.then(() => (closed ? Promise.reject(new DatabaseClosed()) : fn(kysely)));
    queue = run.catch(() => undefined);
    queued += 1;
    run.then(settled, settled);
    return run;
  };
  return {
    kind: 'pglite',
    use: () => ({ kind: 'pglite', queued }),
    exclusive,
    read: exclusive,
    transaction: (fn) => exclusive((db) => db.transaction().execute(fn)),
    close: async () => {
      await exclusive(async () => {
        closed = true;
      });
      await kysely.destroy();
      release();
    },
  };
}

function openPostgres(url: string, poolSize: number): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8
          ? (value: string) => BigInt(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A client can lose its connection (server restart, an administrator terminating it): pg emits an
  // error on the pool if the client is idle, and on the client itself if it is checked out; either
  // event without a listener would crash the process. The query in flight fails on its own (and is
  // answered 503, unavailable.ts), the broken client is discarded when released, and the pool opens
  // a new one, so the events are only noted.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    use: () => ({
      kind: 'postgres',
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    exclusive: (fn) => fn(kysely),
    read: (fn) => fn(kysely),
    transaction: (fn) => kysely.transaction().execute(fn),
    close: () => kysely.destroy(),
  };
}

/** PGlite allows one process per data folder; a lock file says which process has it. */
function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, 'jcm.lock');
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) {
      throw new Error(
        `the data folder ${dataDir} is in use by process ${pid}; stop it first (or set DATABASE_URL)`,
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
