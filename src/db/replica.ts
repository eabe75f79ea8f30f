// The read side of PostgreSQL: a streaming replica (DATABASE_READ_URL) that serves the public reads
// while it is fresh enough, and the primary everything else (docs/OPERATIONS.md, "Read replica").
//
// Which reads may go to the replica is decided by the caller, not guessed here: only reads made
// inside `publicReads` (the HTTP edge wraps anonymous GET and HEAD requests in it) do. Every other
// read - a request with credentials (so a writer reads its own writes), a write's reads, the CLI,
// start-up, the outbox relay, /ready - reads the primary.
//
// Freshness is measured, not assumed: every check samples the primary's WAL position with the time
// it was taken and the replica's replay position. Once the replica has replayed past a sample taken
// at time t, it holds every transaction committed before t, so its staleness is at most now - t. A
// public read goes to the replica only while that bound is within maxLagMs (or the primary is
// unreachable, when the replica is all there is); otherwise it reads the primary.
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';
import { isDatabaseUnavailable, ReplicaReadTimedOut } from './unavailable.ts';

const scope = new AsyncLocalStorage<'public' | 'primary'>();

/** Runs `fn` with its reads allowed on the replica: a public read, which may be boundedly stale. */
export function publicReads<T>(fn: () => T): T {
  return scope.run('public', fn);
}

/** Runs `fn` with every read on the primary, even inside a public read. */
export function primaryReads<T>(fn: () => T): T {
  return scope.run('primary', fn);
}

export function inPublicReads(): boolean {
  return scope.getStore() === 'public';
}

export interface ReplicaOptions {
  /** The staleness bound: a replica further behind than this does not serve (JCM_READ_MAX_LAG_MS). */
  readonly maxLagMs: number;
  /** How often the replica's position is checked (JCM_READ_CHECK_MS); well below maxLagMs. */
  readonly checkMs: number;
  /**
   * The replica's statement_timeout (JCM_READ_STATEMENT_TIMEOUT_MS): a public read running longer
   * is cancelled by the replica and answered 503 `database_unavailable`, not read on the primary.
   */
  readonly statementTimeoutMs: number;
}

export const defaultReplicaOptions: ReplicaOptions = {
  maxLagMs: 5000,
  checkMs: 500,
  statementTimeoutMs: 5000,
};

export type ReplicaState = 'starting' | 'streaming' | 'lagging' | 'unreachable' | 'not_standby';

export interface ReplicaStatus {
  readonly state: ReplicaState;
  /** Whether public reads go to the replica now. */
  readonly serving: boolean;
  /** At most how far behind the primary the replica is, in milliseconds (null: not known). */
  readonly stalenessMs: number | null;
  readonly maxLagMs: number;
  readonly primaryReachable: boolean;
  /** Public reads this process answered from the replica, and from the primary instead. */
  readonly readsOnReplica: number;
  readonly readsOnPrimary: number;
}

/** A WAL position as a number: 'X/Y' is X * 2^32 + Y, both hexadecimal. */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high ?? '0'}`) << 32n) + BigInt(`0x${low ?? '0'}`);
}

/** SQLSTATEs of a replica query that the primary answers instead: a conflict with recovery. */
const retryOnPrimary = new Set(['40001', '40P01']);

/** The SQLSTATE of a statement cancelled, here by the replica's statement_timeout. */
const queryCanceled = '57014';

function replicaFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isDatabaseUnavailable(error) || (typeof code === 'string' && retryOnPrimary.has(code));
}

/**
 * A sample's query that has not answered within `ms` counts as failed: a server that holds the
 * connection without answering (stopped, or behind a firewall that drops packets) must not hold
 * the check, and every /ready waiting on it, forever.
 */
function within<T>(query: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([query, late]).finally(() => clearTimeout(timer));
}

export class ReadReplica {
  readonly #replica: Kysely<Schema>;
  readonly #primary: Kysely<Schema>;
  readonly #options: ReplicaOptions;
  readonly #timer: NodeJS.Timeout;
  /** Primary WAL positions with the time each was taken (oldest first). */
  #samples: { at: number; lsn: bigint }[] = [];
  #caughtUpAt: number | null = null;
  #reachable: boolean | null = null;
  #standby = true;
  #primaryReachable = true;
  #checking: Promise<void> | null = null;
  #onReplica = 0;
  #onPrimary = 0;

  constructor(replica: Kysely<Schema>, primary: Kysely<Schema>, options: ReplicaOptions) {
    this.#replica = replica;
    this.#primary = primary;
    this.#options = options;
    this.#timer = setInterval(() => void this.check(), options.checkMs);
    this.#timer.unref();
  }

  /** Samples both positions now (one check at a time: a call during a check waits for it). */
  check(): Promise<void> {
    this.#checking ??= this.#sample().finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  async #sample(): Promise<void> {
    const at = Date.now();
    const bound = Math.max(1000, this.#options.checkMs * 2);
    const [primary, replica] = await Promise.allSettled([
      within(
        sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(this.#primary),
        bound,
      ),
      within(
        sql<{
          lsn: string | null;
          standby: boolean;
        }>`SELECT pg_last_wal_replay_lsn()::text AS lsn, pg_is_in_recovery() AS standby`.execute(
          this.#replica,
        ),
        bound,
      ),
    ]);
    this.#primaryReachable = primary.status === 'fulfilled';
    const primaryLsn = primary.status === 'fulfilled' ? primary.value.rows[0]?.lsn : undefined;
    if (primaryLsn !== undefined) {
      this.#samples.push({ at, lsn: lsnValue(primaryLsn) });
      const keep = Math.ceil(this.#options.maxLagMs / this.#options.checkMs) + 8;
      if (this.#samples.length > keep) this.#samples = this.#samples.slice(-keep);
    }
    this.#reachable = replica.status === 'fulfilled';
    const row = replica.status === 'fulfilled' ? replica.value.rows[0] : undefined;
    this.#standby = row?.standby ?? this.#standby;
    if (row?.lsn === null || row?.lsn === undefined || !row.standby) return;
    const replayed = lsnValue(row.lsn);
    for (const sample of this.#samples) {
      if (sample.lsn <= replayed && sample.at > (this.#caughtUpAt ?? -Infinity))
        this.#caughtUpAt = sample.at;
    }
  }

  status(): ReplicaStatus {
    const stalenessMs = this.#caughtUpAt === null ? null : Date.now() - this.#caughtUpAt;
    const fresh = stalenessMs !== null && stalenessMs <= this.#options.maxLagMs;
    const state: ReplicaState =
      this.#reachable === null
        ? 'starting'
        : !this.#reachable
          ? 'unreachable'
          : !this.#standby
            ? 'not_standby'
            : fresh
              ? 'streaming'
              : 'lagging';
    const usable = this.#reachable === true && this.#standby;
    return {
      state,
      serving: usable && (fresh || !this.#primaryReachable),
      stalenessMs,
      maxLagMs: this.#options.maxLagMs,
      primaryReachable: this.#primaryReachable,
      readsOnReplica: this.#onReplica,
      readsOnPrimary: this.#onPrimary,
    };
  }

  /** A public read: on the replica while it serves, else (or if it fails to answer) the primary. */
  async read<T>(fn: (db: Kysely<Schema>) => Promise<T>): Promise<T> {
    if (!this.status().serving) {
      this.#onPrimary++;
      return fn(this.#primary);
    }
    try {
      const result = await fn(this.#replica);
      this.#onReplica++;
      return result;
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === queryCanceled)
        throw new ReplicaReadTimedOut(this.#options.statementTimeoutMs, error);
      if (!replicaFailure(error)) throw error;
      if (isDatabaseUnavailable(error)) this.#reachable = false;
      this.#onPrimary++;
      return fn(this.#primary);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#checking;
    await this.#replica.destroy();
  }
}
