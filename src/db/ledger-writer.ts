// The single writer of each journal chain. Commands for one chain queue here and are applied in
// batches: one transaction per batch, the chain head locked first (FOR UPDATE, which also serialises
// writers in other processes), each command decided in order against the state so far, one commit,
// then callers are answered; a rejected command writes nothing. The group commit of DESIGN-NOTES.md.
import type { Actor } from '../core/ledger/actor.ts';
import { assert } from '../core/shared/assert.ts';
import { apply } from '../core/ledger/apply.ts';
import type { LedgerCommand } from '../core/ledger/commands.ts';
import { decide } from '../core/ledger/decide.ts';
import { deriveActions } from '../core/article6/derive-actions.ts';
import { deriveMovements } from '../core/ledger/movements.ts';
import { entryHash, envelopeText, genesisHash, readEnvelope } from '../core/ledger/journal.ts';
import { emptyState, type LedgerState } from '../core/ledger/state.ts';
import type { LedgerEvent } from '../core/ledger/events.ts';
import { canonicalJson } from '../core/shared/canonical-json.ts';
import type { ChainId, IdempotencyKey } from '../core/shared/ids.ts';
import { keyReusedWithDifferentInput, type Rejection } from '../core/shared/result.ts';
import type { Db, Tx } from './connect.ts';
import { emptyLoaderMemory, LedgerLoader, type LoaderMemory } from './ledger-loader.ts';
import { clearArticle6 } from './article6-rows.ts';
import { lockChainsForFinalisation } from './article6-locks.ts';
import { emptyWrites, flush } from './ledger-persist.ts';
import { withRetries } from './retry.ts';
import { isDatabaseUnavailable } from './unavailable.ts';
import { sha256Hex } from './sha256.ts';
import { lockChainHead } from './chain-head.ts';

export interface WriteRequest {
  readonly chain: ChainId;
  readonly command: LedgerCommand;
  readonly actor: Actor;
  readonly key: IdempotencyKey;
  /** sha256 of the command type, its canonical input and the actor: what "same input" means. */
  readonly requestHash: string;
  /** Decide and answer with the entry it would write, writing nothing. */
  readonly dryRun?: boolean;
}

export interface CommittedEntry {
  readonly chain: ChainId;
  readonly seq: bigint;
  readonly hash: string;
  readonly recordedAt: string;
}

export type WriteOutcome =
  | {
      readonly ok: true;
      readonly entry: CommittedEntry;
      readonly event: LedgerEvent;
      readonly replayed: boolean;
    }
  | { readonly ok: false; readonly error: Rejection };

export interface WriterOptions {
  readonly clock: () => string;
  readonly batchSizeMax?: number;
  /** Told of every committed batch: its size and seconds (/metrics). */
  readonly observeBatch?: (size: number, seconds: number) => void;
}

interface Pending {
  readonly request: WriteRequest;
  readonly resolve: (outcome: WriteOutcome) => void;
  readonly fail: (error: unknown) => void;
}

/** Commands applied in one transaction at most. */
export const batchSizeMaxDefault = 256;

/**
 * A chain's working state as this writer last committed it. It is reused only when the locked chain
 * head still shows this writer's last entry, so no other process has written the chain since; the
 * rows a chain owns (its registry, accounts, blocks, issued lines, movements) can only change through
 * it. Rows owned by other chains are dropped before reuse, and so are the Article 6.2 records, which
 * every chain may write.
 */
interface ChainCache {
  readonly seq: bigint;
  readonly state: LedgerState;
  readonly memory: LoaderMemory;
}

/** Above this many blocks in memory a chain's cache is dropped and rebuilt from the database. */
export const cachedBlocksPerChainMax = 200_000;

export class LedgerWriter {
  readonly #queues = new Map<ChainId, Pending[]>();
  readonly #draining = new Set<ChainId>();
  readonly #caches = new Map<ChainId, ChainCache>();

  constructor(
    private readonly db: Db,
    private readonly options: WriterOptions,
  ) {}

  /**
   * Applies one command inside a transaction that another pipeline holds (the cycle's issuance
   * decision, an approved transfer request), so that both commit or neither does. The chain head is
   * locked as in a batch; this writer's cache is not used, and the moved head tells the next batch
   * to reload.
   */
  async applyWithin(trx: Tx, request: WriteRequest): Promise<WriteOutcome> {
    const { outcomes } = await applyBatch(
      trx,
      request.chain,
      [request],
      this.options.clock,
      undefined,
    );
    const outcome = outcomes[0];
    assert(outcome !== undefined, 'a batch of one command has one outcome');
    return outcome;
  }

  submit(request: WriteRequest): Promise<WriteOutcome> {
    return new Promise((resolve, fail) => {
      const queue = this.#queues.get(request.chain) ?? [];
      queue.push({ request, resolve, fail });
      this.#queues.set(request.chain, queue);
      if (!this.#draining.has(request.chain)) void this.#drain(request.chain);
    });
  }

  async #drain(chain: ChainId): Promise<void> {
    this.#draining.add(chain);
    try {
      for (;;) {
        // Yield once to the event loop: callers answered by the previous batch resubmit in their
        // continuations, and gathering them here makes the next batch, and its single commit, fuller.
        await new Promise((resolve) => setImmediate(resolve));
        const queue = this.#queues.get(chain) ?? [];
        if (queue.length === 0) break;
        const batch = queue.splice(0, this.options.batchSizeMax ?? batchSizeMaxDefault);
        await this.#runBatch(chain, batch);
      }
    } finally {
      this.#draining.delete(chain);
    }
  }

  async #runBatch(chain: ChainId, batch: readonly Pending[]): Promise<void> {
    const started = performance.now();
    try {
      // Every command has its key, found by lockChainHead: a batch whose COMMIT committed before
      // the connection broke is replayed by the retry, not written twice.
      const { outcomes, cache } = await withRetries(
        () => {
          const cached = this.#caches.get(chain);
          // The cache is handed to one batch at a time and only put back after a commit: a failed
          // transaction leaves its in-memory changes behind with it.
          this.#caches.delete(chain);
          return this.db.transaction((trx) =>
            applyBatch(
              trx,
              chain,
              batch.map((p) => p.request),
              this.options.clock,
              cached,
            ),
          );
        },
        { idempotent: true },
      );
      // Movement records are only needed to reverse an entry; the loader reads them back from the
      // journal on demand, so the cache does not grow with every entry ever written.
      cache.state.movements.clear();
      if (cache.state.blocks.size <= cachedBlocksPerChainMax) this.#caches.set(chain, cache);
      this.options.observeBatch?.(batch.length, (performance.now() - started) / 1000);
      batch.forEach((pending, index) => pending.resolve(outcomes[index] as WriteOutcome));
    } catch (error) {
      // Isolate the failing command: the others deserve their own chance. A database that cannot
      // be reached is no command's fault: the whole batch is answered at once (503, send again).
      if (batch.length > 1 && !isDatabaseUnavailable(error)) {
        for (const pending of batch) await this.#runBatch(chain, [pending]);
        return;
      }
      for (const pending of batch) pending.fail(error);
    }
  }
}

/** What one batch works on: the locked head, the keys already used, the state and the writes. */
interface Batch {
  readonly trx: Tx;
  readonly chain: ChainId;
  readonly head: { seq: bigint; hash: string; exists: boolean };
  readonly known: Map<string, { requestHash: string; result: string }>;
  readonly state: LedgerState;
  readonly loader: LedgerLoader;
  readonly writes: ReturnType<typeof emptyWrites>;
  readonly clock: () => string;
  /** The answers of the commands this batch wrote, by key. */
  readonly answered: Map<string, Extract<WriteOutcome, { ok: true }>>;
}

async function applyBatch(
  trx: Tx,
  chain: ChainId,
  requests: readonly WriteRequest[],
  clock: () => string,
  cached: ChainCache | undefined,
): Promise<{ outcomes: WriteOutcome[]; cache: ChainCache }> {
  const keys = [...new Set(requests.map((r) => r.key as string))];
  await lockChainsForFinalisation(trx, chain, requests);
  const { head, known } = await lockChainHead(trx, chain, keys);
  const reuse = cached !== undefined && cached.seq === head.seq && head.exists;
  const state = reuse ? cached.state : emptyState();
  const memory = reuse ? cached.memory : emptyLoaderMemory();
  if (reuse) dropForeignRows(state, memory, chain);
  clearArticle6(state.article6);
  const batch: Batch = {
    trx,
    chain,
    head,
    known,
    state,
    loader: new LedgerLoader(trx, state, memory),
    writes: emptyWrites(),
    clock,
    answered: new Map(),
  };
  const firstSeq = head.seq + 1n;
  await batch.loader.prefetch(requests.filter((r) => !known.has(r.key)).map((r) => r.command));
  const outcomes: WriteOutcome[] = [];
  for (const request of requests) outcomes.push(await applyOne(batch, request));
  await ensureChain(batch);
  if (head.seq >= firstSeq) {
    // One message per batch leaves through the outbox: the entries firstSeq..head.seq of the chain.
    batch.writes.outbox.push({
      message: { topic: 'ledger.entries', payload: { chain, first: firstSeq, last: head.seq } },
      at: batch.writes.journal.at(-1)?.recorded_at ?? clock(),
    });
  }
  await flush(trx, state, batch.loader, batch.writes, { chain, seq: head.seq, hash: head.hash });
  return { outcomes, cache: { seq: head.seq, state, memory } };
}

/** A chain that does not exist yet is created when its first entry is written. */
async function ensureChain(batch: Batch): Promise<void> {
  if (batch.head.exists || batch.writes.journal.length === 0) return;
  await batch.trx
    .insertInto('chains')
    .values({ id: batch.chain, head_seq: 0n, head_hash: genesisHash })
    .execute();
  batch.head.exists = true;
}

/**
 * One command of a batch: replayed if its key is known, else decided on the state so far and, unless
 * it is a dry run, applied and chained. A dry run answers with the entry it would have written.
 */
async function applyOne(batch: Batch, request: WriteRequest): Promise<WriteOutcome> {
  const { chain, head, state, writes } = batch;
  const prior = batch.known.get(request.key);
  if (prior !== undefined) {
    if (prior.requestHash !== request.requestHash) return keyReusedWithDifferentInput();
    // A key used earlier in this batch is answered from memory: its entry is not written yet.
    const earlier = batch.answered.get(request.key);
    return earlier === undefined ? replay(batch.trx, prior.result) : { ...earlier, replayed: true };
  }
  await batch.loader.ensureFor(request.command);
  const recordedAt = batch.clock();
  const decided = decide(state, request.actor, request.command, recordedAt);
  if (!decided.ok) return decided;
  // Account status changes are written in their own step so the blocks trigger sees each
  // account's status as it was when credits moved.
  if (decided.value.type === 'account_status_changed' && request.dryRun !== true) {
    await ensureChain(batch);
    await flush(batch.trx, state, batch.loader, writes);
  }
  const seq = head.seq + 1n;
  const entry = envelopeText({
    chain,
    seq,
    actor: request.actor.id,
    recordedAt,
    idempotencyKey: request.key,
    event: decided.value,
  });
  const hash = entryHash(sha256Hex, head.hash, entry);
  const committed: CommittedEntry = { chain, seq, hash, recordedAt };
  if (request.dryRun === true)
    return { ok: true, entry: committed, event: decided.value, replayed: false };
  // Actions are derived from the state before the event changes it (the audit's replay does the same).
  const actions = deriveActions(state, decided.value, { chain, seq }, recordedAt);
  apply(state, decided.value, { chain, seq });
  writes.journal.push({
    chain,
    seq,
    prev_hash: head.hash,
    hash,
    type: decided.value.type,
    actor: request.actor.id,
    recorded_at: recordedAt,
    idempotency_key: request.key,
    entry,
  });
  const result = canonicalJson({ chain, seq, hash, recordedAt });
  writes.idempotency.push({
    chain,
    key: request.key,
    request_hash: request.requestHash,
    result,
    seq,
  });
  const movements = deriveMovements(decided.value, { chain, seq }, recordedAt);
  writes.events.push({ event: decided.value, entry: { chain, seq }, actions, movements });
  batch.known.set(request.key, { requestHash: request.requestHash, result });
  head.seq = seq;
  head.hash = hash;
  const outcome = { ok: true as const, entry: committed, event: decided.value, replayed: false };
  batch.answered.set(request.key, outcome);
  return outcome;
}

/** Keeps only what the chain owns: a registry chain its own registry and accounts, a JC chain none. */
function dropForeignRows(state: LedgerState, memory: LoaderMemory, chain: ChainId): void {
  for (const id of state.registries.keys())
    if ((id as string) !== chain) state.registries.delete(id);
  for (const [id, account] of state.accounts) {
    if ((account.registry as string) === chain) continue;
    state.accounts.delete(id);
    for (const key of state.blocksByAccount.get(id) ?? []) {
      state.blocks.delete(key);
      memory.persistedBlocks.delete(key);
    }
    state.blocksByAccount.delete(id);
    memory.blocksLoaded.delete(id);
  }
}

async function replay(trx: Tx, result: string): Promise<WriteOutcome> {
  const stored = JSON.parse(result) as {
    chain: ChainId;
    seq: string;
    hash: string;
    recordedAt: string;
  };
  const row = await trx
    .selectFrom('journal')
    .select('entry')
    .where('chain', '=', stored.chain)
    .where('seq', '=', BigInt(stored.seq))
    .executeTakeFirstOrThrow();
  return {
    ok: true,
    entry: {
      chain: stored.chain,
      seq: BigInt(stored.seq),
      hash: stored.hash,
      recordedAt: stored.recordedAt,
    },
    event: readEnvelope(row.entry).event,
    replayed: true,
  };
}
