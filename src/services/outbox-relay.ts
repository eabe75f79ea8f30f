// Where committed events leave the process: after each commit the relay drains the outbox table in
// order (FOR UPDATE SKIP LOCKED, so several processes share the work) and hands each batch to the
// subscribers inside the transaction that marks it published. What a subscriber writes with that
// transaction commits with the mark or not at all (the federation's producer writes its messages so,
// once each); what it does outside it happens at least once, so it must be idempotent. A subscriber
// that throws rolls back every subscriber's writes and leaves the batch waiting for the next drain.
// The transaction holds the batch's rows locked (and, on PGlite, the one connection), so a
// subscriber does no slow I/O in it.
import type { Db, Tx } from '../db/connect.ts';
import { formatInstant, instantMillis } from '../core/shared/civil-date.ts';
import { drainOutbox, outboxKeptHours, pruneOutbox, type OutboxRow } from '../db/write-store.ts';
import { systemClock } from './clock.ts';

/**
 * Takes a batch of messages inside the drain's transaction (`tx`): what it writes there commits with
 * the mark that the messages were published, or neither does (the federation's producer writes its
 * messages so, exactly once).
 */
export type Subscriber = (messages: readonly OutboxRow[], tx: Tx) => Promise<void> | void;

/** Messages taken in one transaction. */
export const outboxBatchMax = 200;

/**
 * Published messages are pruned at most this often. Pruning after every drain cost two more
 * transactions per ledger batch; on PGlite's one connection they queue in front of the writer
 * (the relay's statements took about 3 ms of a 16 ms batch in bench:ledger's statement timings,
 * docs/PERFORMANCE.md). A table that grows for a minute between prunes stays small.
 */
export const outboxPruneEveryMs = 60_000;

/** Rows deleted per pruning transaction, and transactions per prune (so a prune has a bounded cost). */
const pruneBatch = 1_000;
const pruneRoundsMax = 20;

export class OutboxRelay {
  readonly #subscribers = new Set<Subscriber>();
  readonly #afterDrain = new Set<() => void>();
  readonly #published = new Map<string, number>();
  #draining: Promise<void> | null = null;
  #scheduled: ReturnType<typeof setTimeout> | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #again = false;
  #lastError: unknown = null;
  /** Wall time (ms, of `clock`) of the last prune; null before the first. */
  #prunedAt: number | null = null;

  /**
   * `clock` stamps when messages left (wall time, not the clock of the writes); `delayMs` gathers
   * the commits of a burst into one drain.
   */
  constructor(
    private readonly db: Db,
    private readonly clock: () => string = systemClock,
    private readonly delayMs = 10,
  ) {}

  subscribe(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  /** Called after each drain that published messages, once its transaction committed. */
  afterDrain(listener: () => void): () => void {
    this.#afterDrain.add(listener);
    return () => this.#afterDrain.delete(listener);
  }

  /** Messages published so far by this process, by topic (for /metrics). */
  get published(): ReadonlyMap<string, number> {
    return this.#published;
  }

  get lastError(): unknown {
    return this.#lastError;
  }

  /** Called after a commit: drains shortly, or once more after the drain under way. */
  poke(): void {
    if (this.#draining !== null) {
      this.#again = true;
      return;
    }
    this.#scheduled ??= setTimeout(() => this.#start(), this.delayMs);
  }

  #start(): void {
    this.#scheduled = null;
    if (this.#draining !== null) {
      this.#again = true;
      return;
    }
    this.#draining = this.#loop().finally(() => {
      this.#draining = null;
    });
  }

  /**
   * Drains now and every `everyMs` while the server runs: messages another process committed (a CLI
   * write, a process killed before its drain) leave without waiting for this process's next commit.
   */
  start(everyMs: number): void {
    this.poke();
    this.#timer ??= setInterval(() => this.poke(), everyMs);
    this.#timer.unref();
  }

  /** Stops the drains `start` set going (a drain under way finishes: `idle` waits for it). */
  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Resolves when no drain is waiting or under way (before the database closes). */
  async idle(): Promise<void> {
    if (this.#scheduled !== null) {
      clearTimeout(this.#scheduled);
      this.#start();
    }
    while (this.#draining !== null) await this.#draining;
  }

  /** Publishes every waiting message; returns how many. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      let taken: readonly OutboxRow[] = [];
      const n = await this.db.transaction((tx) =>
        drainOutbox(tx, outboxBatchMax, this.clock(), async (rows) => {
          for (const subscriber of this.#subscribers) await subscriber(rows, tx);
          taken = rows;
        }),
      );
      // Counted once committed: a batch whose commit failed is handed over again.
      for (const row of taken)
        this.#published.set(row.topic, (this.#published.get(row.topic) ?? 0) + 1);
      total += n;
      if (n > 0) for (const listener of this.#afterDrain) listener();
      if (n < outboxBatchMax) break;
    }
    await this.prune();
    return total;
  }

  /**
   * Published messages are kept a day for operators, then deleted (a bounded table): at most once
   * every `outboxPruneEveryMs`, in transactions of `pruneBatch` rows until none is left to delete
   * or `pruneRoundsMax` transactions were taken (the rest goes at the next prune).
   */
  private async prune(): Promise<void> {
    const now = instantMillis(this.clock()) ?? 0;
    if (this.#prunedAt !== null && now - this.#prunedAt < outboxPruneEveryMs) return;
    this.#prunedAt = now;
    const before = formatInstant(now - outboxKeptHours * 3_600_000);
    for (let round = 0; round < pruneRoundsMax; round++) {
      const deleted = await this.db.transaction((tx) => pruneOutbox(tx, before, pruneBatch));
      if (deleted < pruneBatch) break;
    }
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.drain();
        this.#lastError = null;
      } catch (error) {
        // The messages stay in the outbox and go with the next commit's drain.
        this.#lastError = error;
        return;
      }
    } while (this.#again);
  }
}
