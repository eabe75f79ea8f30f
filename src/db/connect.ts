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
import {
  defaultReplicaOptions,
  inPublicReads,
  ReadReplica,
  type ReplicaOptions,
  type ReplicaStatus,
} from './replica.ts';
import type { Schema } from './schema.ts';
import { DatabaseClosed } from './unavailable.ts';

export type DbKind = 'pglite' | 'postgres';

/** An open transaction: the handle the stores write through, from the pipeline's one transaction. */
export type Tx = Transaction<Schema>;

export interface Db {
  readonly kind: DbKind;
  /** Runs `fn` with the database to itself on PGlite, or with the pool on PostgreSQL. */
  exclusive<T>(fn: (db: Kysely<Schema>) => Promise<T>): Promise<T>;
  /** A read: on the primary, or on the replica when there is one and the caller is a public read. */
  read<T>(fn: (db: Kysely<Schema>) => Promise<T>): Promise<T>;
  transaction<T>(fn: (trx: Transaction<Schema>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The read replica (replica.ts), only on PostgreSQL with a read URL (DATABASE_READ_URL). */
  readonly replica?: {
    check(): Promise<void>;
    status(): ReplicaStatus;
  };
  /**
   * PGlite only (backup, src/db/backup-pglite.ts): runs `read` and then dumps the data folder as a
   * gzipped tarball in one turn of the queue, so nothing is written between the two.
   */
  readonly pgliteDump?: <T>(read: (db: Kysely<Schema>) => Promise<T>) => Promise<{
    value: T;
    tarball: Blob;
  }>;
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
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize?: number;
      /** A streaming replica for public reads (DATABASE_READ_URL), and its staleness bound. */
      readonly readUrl?: string;
      readonly replica?: ReplicaOptions;
    };

export const pgliteExtensions = { btree_gist, pgcrypto };

export async function openDb(target: DbTarget): Promise<Db> {
  if (target.kind === 'postgres') {
    const poolSize = target.poolSize ?? 10;
    if (target.readUrl === undefined) return openPostgres(target.url, poolSize);
    return openWithReplica(target.url, target.readUrl, poolSize, target.replica);
  }
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
    pgliteDump: (read) =>
      exclusive(async (db) => {
        const value = await read(db);
        return { value, tarball: await raw.dumpDataDir('gzip') };
      }),
    close: async () => {
      await exclusive(async () => {
        closed = true;
      });
      await kysely.destroy();
      release();
    },
  };
}

/** What a pool's connections are opened with besides the URL and size. */
interface PoolLimits {
  /** A connection not made within this many milliseconds fails (pg's connectionTimeoutMillis). */
  readonly connectTimeoutMs?: number;
  /** The server cancels a statement running longer (PostgreSQL's statement_timeout, per session). */
  readonly statementTimeoutMs?: number;
}

/** The replica's pool: connections give up within twice the check interval, statements at the timeout. */
export function replicaPoolLimits(options: ReplicaOptions): PoolLimits {
  return {
    connectTimeoutMs: Math.max(1000, options.checkMs * 2),
    statementTimeoutMs: options.statementTimeoutMs,
  };
}

export function poolConfig(url: string, poolSize: number, limits: PoolLimits = {}): pg.PoolConfig {
  return {
    connectionString: url,
    max: poolSize,
    ...(limits.connectTimeoutMs === undefined
      ? {}
      : { connectionTimeoutMillis: limits.connectTimeoutMs }),
    ...(limits.statementTimeoutMs === undefined
      ? {}
      : { statement_timeout: limits.statementTimeoutMs }),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8
          ? (value: string) => BigInt(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  };
}

function newPool(url: string, poolSize: number, limits: PoolLimits = {}): pg.Pool {
  const pool = new pg.Pool(poolConfig(url, poolSize, limits));
  // A client can lose its connection (server restart, an administrator terminating it): pg emits an
  // error on the pool if the client is idle, and on the client itself if it is checked out; either
  // event without a listener would crash the process. The query in flight fails on its own (and is
  // answered 503, unavailable.ts), the broken client is discarded when released, and the pool opens
  // a new one, so the events are only noted.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

function openPostgres(url: string, poolSize: number): Db {
  const pool = newPool(url, poolSize);
  return postgresDb(new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }), pool);
}

function postgresDb(kysely: Kysely<Schema>, pool: pg.Pool): Db {
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

/**
 * PostgreSQL with a streaming replica: writes, transactions and every read but the public ones on
 * the primary; public reads on the replica while it is within its staleness bound (replica.ts). A
 * replica that does not connect within twice the check interval (at least a second) counts as
 * unreachable; a statement on it runs at most the statement timeout.
 */
async function openWithReplica(
  url: string,
  readUrl: string,
  poolSize: number,
  options: ReplicaOptions = defaultReplicaOptions,
): Promise<Db> {
  const primaryPool = newPool(url, poolSize);
  const primaryKysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: primaryPool }) });
  const primary = postgresDb(primaryKysely, primaryPool);
  const replicaPool = newPool(readUrl, poolSize, replicaPoolLimits(options));
  const replicaKysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: replicaPool }) });
  const replica = new ReadReplica(replicaKysely, primaryKysely, options);
  await replica.check();
  return {
    ...primary,
    read: (fn) => (inPublicReads() ? replica.read(fn) : primary.read(fn)),
    close: async () => {
      await replica.close();
      await primary.close();
    },
    replica: { check: () => replica.check(), status: () => replica.status() },
  };
}
/** The data folder is held by another live process (backup: take it through that server). */
export class DataDirInUse extends Error {}

/** PGlite allows one process per data folder; a lock file says which process has it. */
function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, 'jcm.lock');
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) {
      throw new DataDirInUse(
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
