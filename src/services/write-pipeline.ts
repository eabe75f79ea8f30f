// The one pipeline every write goes through (docs/ARCHITECTURE.md): parse at the edge; in one
// transaction claim the idempotency key, load the state with the rows the write needs locked, decide
// in the pure core (a value: the change, or a rejection with its stable code), persist the change and
// the outbox messages; answer after the commit. A dry run does all of it and rolls back. The ledger's
// commands take the same envelope through their chain's batching writer (ledger-service.ts).
import type { Actor } from '../core/ledger/actor.ts';
import { canonicalJson, type Json } from '../core/shared/canonical-json.ts';
import { parseIdempotencyKey } from '../core/shared/ids.ts';
import { jsonText } from '../core/shared/json-text.ts';
import { keyReusedWithDifferentInput, ok, reject, type Result } from '../core/shared/result.ts';
import type { Db, Tx } from '../db/connect.ts';
import { withRetries } from '../db/retry.ts';
import { sha256Hex } from '../db/sha256.ts';
import { addToOutbox, claimKey, keepAnswer, type OutboxMessage } from '../db/write-store.ts';

/** The envelope of every write: who, the idempotency key, whether it is a dry run, and the input. */
export interface WriteEnvelope<I = unknown> {
  readonly actor: Actor;
  readonly idempotencyKey?: string | undefined;
  /** Decide and answer without writing anything. */
  readonly dryRun?: boolean | undefined;
  readonly input: I;
}

export interface Persisted<A> {
  readonly answer: A;
  readonly outbox: readonly OutboxMessage[];
}

export interface WriteContext {
  readonly now: string;
  readonly dryRun: boolean;
}

/**
 * A family of writes: `parse` at the edge (it may read, never write), then in the transaction `load`
 * (the store, under lock), `decide` (pure) and `persist` (the store). Persist may itself refuse, when
 * it runs another family's decider in the same transaction (the ledger's, for an issuance decision).
 */
export interface WriteFamily<P, S, D, A> {
  readonly name: string;
  /** Whether an API caller must send an idempotency key. */
  readonly keyRequired: boolean;
  parse(input: unknown, actor: Actor): Promise<Result<P>>;
  load(tx: Tx, parsed: P, actor: Actor, ctx: WriteContext): Promise<S>;
  decide(state: S, parsed: P, actor: Actor, ctx: WriteContext): Result<D>;
  persist(
    tx: Tx,
    decision: D,
    parsed: P,
    actor: Actor,
    ctx: WriteContext,
  ): Promise<Result<Persisted<A>>>;
  /** What makes two requests the same, for the idempotency key (secrets such as passwords left out). */
  requestOf?(input: unknown): unknown;
  /** The answer as it is kept and shown again: secrets shown once are withheld. */
  redact?(answer: A): A;
  /** An answer kept as JSON, back in its type. */
  revive?(kept: unknown): A;
}

/** A write's result, and whether it is the answer kept under its key from an earlier request. */
export type Outcome<A> = Result<A> & { readonly replayed?: boolean };

/** Ends the transaction with a rollback and carries the outcome out of it. */
class Rollback<A> {
  constructor(readonly outcome: Result<A>) {}
}

export class WritePipeline {
  constructor(
    private readonly db: Db,
    private readonly clock: () => string,
    /** Called after every commit that put messages into the outbox. */
    private readonly committed: () => void = () => undefined,
  ) {}

  async run<P, S, D, A>(
    family: WriteFamily<P, S, D, A>,
    envelope: WriteEnvelope,
  ): Promise<Outcome<A>> {
    const key = keyOf(family.keyRequired, envelope.idempotencyKey);
    if (!key.ok) return key;
    // Hashed before any work is done on it: an input that JSON cannot carry is refused first.
    const requestHash =
      key.value === null
        ? ok(null)
        : requestHashOf(
            family.name,
            envelope.actor,
            family.requestOf?.(envelope.input) ?? envelope.input,
          );
    if (!requestHash.ok) return requestHash;
    const parsed = await family.parse(envelope.input, envelope.actor);
    if (!parsed.ok) return parsed;
    const ctx: WriteContext = { now: this.clock(), dryRun: envelope.dryRun === true };
    const claim =
      key.value === null || requestHash.value === null
        ? null
        : { key: key.value, requestHash: requestHash.value };
    // With a key, a retry after a broken connection replays what a lost COMMIT committed.
    const outcome = await withRetries(
      () => this.once(family, parsed.value, envelope.actor, claim, ctx),
      { idempotent: claim !== null },
    );
    if (outcome.published) this.committed();
    return outcome.result;
  }

  private async once<P, S, D, A>(
    family: WriteFamily<P, S, D, A>,
    parsed: P,
    actor: Actor,
    claim: { readonly key: string; readonly requestHash: string } | null,
    ctx: WriteContext,
  ): Promise<{ result: Outcome<A>; published: boolean }> {
    try {
      return await this.db.transaction(async (tx) => {
        if (claim !== null) {
          const earlier = await claimKey(tx, family.name, claim.key, claim.requestHash, ctx.now);
          if (!earlier.claimed)
            return { result: replay(family, earlier, claim.requestHash), published: false };
        }
        const state = await family.load(tx, parsed, actor, ctx);
        const decided = family.decide(state, parsed, actor, ctx);
        if (!decided.ok) throw new Rollback(decided);
        const persisted = await family.persist(tx, decided.value, parsed, actor, ctx);
        if (!persisted.ok) throw new Rollback(persisted);
        const answer = family.redact?.(persisted.value.answer) ?? persisted.value.answer;
        if (ctx.dryRun) throw new Rollback(ok(answer));
        if (claim !== null) await keepAnswer(tx, family.name, claim.key, jsonText(answer));
        await addToOutbox(tx, persisted.value.outbox, ctx.now);
        return { result: ok(persisted.value.answer), published: persisted.value.outbox.length > 0 };
      });
    } catch (error) {
      if (error instanceof Rollback)
        return { result: error.outcome as Result<A>, published: false };
      throw error;
    }
  }
}

/** The idempotency key of an envelope: required for some families, parsed when given. */
export function keyOf(required: boolean, raw: string | undefined): Result<string | null> {
  if (raw === undefined || raw === '')
    return required
      ? reject('idempotency_key_required', 'send an Idempotency-Key with every write')
      : ok(null);
  const key = parseIdempotencyKey(raw);
  return key.ok ? ok(key.value) : key;
}

/** What "the same request" means for a key: the family (or command), the actor and the input. */
export function requestHashOf(family: string, actor: Actor, input: unknown): Result<string> {
  try {
    return ok(sha256Hex(canonicalJson({ family, actor: actor.id, input: input as Json })));
  } catch {
    return reject('invalid_request', 'the request holds a value JSON cannot carry (NaN or ±∞)');
  }
}

function replay<A>(
  family: { revive?(kept: unknown): A },
  claim: { readonly requestHash: string; readonly result: unknown },
  requestHash: string,
): Outcome<A> {
  if (claim.requestHash !== requestHash) return keyReusedWithDifferentInput();
  return { ...ok(family.revive?.(claim.result) ?? (claim.result as A)), replayed: true };
}
