// Signed checkpoints (issue 16): each registry periodically signs its journal heads and its totals and
// publishes them, so that anyone holding two of its checkpoints, or one and its public journal, can
// tell whether the registry rewrote its history. A later checkpoint must extend every earlier one:
// each chain's head at a sequence number at least as high, and the journal entry at an earlier
// checkpoint's head still the one with that hash. This is the pure check; signing and publishing
// belong to the adapters.
import { canonicalJson, type Json } from '../shared/canonical-json.ts';
import { ok, reject, type Result } from '../shared/result.ts';

export interface ChainHead {
  readonly chain: string;
  readonly seq: bigint;
  readonly hash: string;
}

export interface RegistryTotal {
  readonly accountType: string;
  readonly project: string;
  readonly vintage: number;
  readonly quantity: bigint;
}

export interface Checkpoint {
  readonly version: 1;
  readonly deployment: string;
  readonly registry: string;
  /** When the heads were read, in the snapshot the totals were read in (ISO 8601, UTC). */
  readonly at: string;
  readonly heads: readonly ChainHead[];
  readonly totals: readonly RegistryTotal[];
}

/** The text a checkpoint's signature covers: its canonical JSON, heads and totals in a fixed order. */
export function checkpointText(checkpoint: Checkpoint): string {
  const heads = [...checkpoint.heads].sort((a, b) => compareText(a.chain, b.chain));
  const totals = [...checkpoint.totals].sort(
    (a, b) =>
      compareText(a.accountType, b.accountType) ||
      compareText(a.project, b.project) ||
      a.vintage - b.vintage,
  );
  return canonicalJson({ ...checkpoint, heads, totals } as unknown as Json);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type CheckpointDiscrepancy =
  | { readonly kind: 'checkpoint_chain_missing'; readonly chain: string; readonly at: string }
  | {
      readonly kind: 'checkpoint_head_went_back';
      readonly chain: string;
      readonly from: bigint;
      readonly to: bigint;
      readonly at: string;
    }
  | {
      readonly kind: 'checkpoint_history_rewritten';
      readonly chain: string;
      readonly seq: bigint;
      readonly at: string;
    };

/**
 * Whether a registry's checkpoints, in the order of their times, extend one another: no chain
 * disappears, no head goes back, and two checkpoints with a head at the same number name the same
 * hash. `hashAt` gives the hash of an entry from a source the checker trusts more (the public
 * journal export) where there is one, so that a head left behind is checked too.
 */
export function checkpointsExtend(
  checkpoints: readonly Checkpoint[],
  hashAt: (chain: string, seq: bigint) => string | undefined = () => undefined,
  max = Number.POSITIVE_INFINITY,
): CheckpointDiscrepancy[] {
  const found: { at: number; discrepancy: CheckpointDiscrepancy }[] = [];
  const report = (at: number, discrepancy: CheckpointDiscrepancy) =>
    found.length < max && found.push({ at, discrepancy });
  const ordered = [...checkpoints].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // Per chain: its latest head, the hash signed at each number, and the last checkpoint naming it.
  // The work grows with the heads, not with checkpoints times chains (an export may hold many).
  const seen = new Map<string, { last: ChainHead; hashes: Map<bigint, string>; index: number }>();
  const missing = (chain: string, from: number, to: number) => {
    for (let k = from; k < to && found.length < max; k++)
      report(k, { kind: 'checkpoint_chain_missing', chain, at: (ordered[k] as Checkpoint).at });
  };
  for (const [index, checkpoint] of ordered.entries())
    for (const head of checkpoint.heads) {
      const earlier = seen.get(head.chain);
      if (earlier !== undefined) {
        missing(head.chain, earlier.index + 1, index);
        if (head.seq < earlier.last.seq)
          report(index, {
            kind: 'checkpoint_head_went_back',
            chain: head.chain,
            from: earlier.last.seq,
            to: head.seq,
            at: checkpoint.at,
          });
      }
      const signed = earlier?.hashes.get(head.seq);
      const journal = hashAt(head.chain, head.seq);
      if (
        (signed !== undefined && signed !== head.hash) ||
        (journal !== undefined && journal !== head.hash)
      )
        report(index, {
          kind: 'checkpoint_history_rewritten',
          chain: head.chain,
          seq: head.seq,
          at: checkpoint.at,
        });
      const hashes = earlier?.hashes ?? new Map<bigint, string>();
      if (!hashes.has(head.seq)) hashes.set(head.seq, head.hash);
      seen.set(head.chain, { last: head, hashes, index });
    }
  for (const [chain, { index }] of seen) missing(chain, index + 1, ordered.length);
  // In the order of the checkpoints where each was found.
  return found.sort((a, b) => a.at - b.at).map((f) => f.discrepancy);
}

/** A checkpoint with the signature over its text and the key that made it. */
export interface SignedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly keyId: string;
  /** The signing key's public half (SPKI DER, base64); trust it only as the peer's configuration does. */
  readonly publicKey: string;
  /** Ed25519 over `checkpointText(checkpoint)`, base64. */
  readonly signature: string;
}

/** What a registry's next checkpoint is made from, read in one snapshot with its head locked. */
export interface CheckpointInput {
  readonly deployment: string;
  readonly registry: string;
  readonly at: string;
  /** The registry's chain head, or null when the registry has written nothing. */
  readonly head: ChainHead | null;
  readonly totals: readonly RegistryTotal[];
  /** The registry's last checkpoint, if any. */
  readonly previous: Checkpoint | null;
  /** The hash of the journal entry at the previous checkpoint's head now; undefined if it is gone. */
  readonly hashAtPrevious: string | undefined;
  /** The hash of the journal entry at `head`'s number; undefined if there is none. */
  readonly hashAtHead: string | undefined;
}

/**
 * The registry's next checkpoint, or a refusal: a registry without entries has nothing to sign, a
 * head that is not the journal's entry at its number (a chain row changed behind the journal) is not
 * signed, a time not after the last checkpoint's would make their order ambiguous, and a checkpoint
 * that does not extend the last one (its head went back, to nothing too, or the entry the last one
 * signed is not in the journal any more) is refused rather than signed, with the discrepancies found.
 */
export function decideCheckpoint(input: CheckpointInput): Result<Checkpoint> {
  const previous = input.previous;
  if (input.head === null)
    // A registry that signed a head before and has none now went back to nothing: not "nothing
    // to sign", which the scheduled run passes over in silence.
    return previous === null
      ? reject(
          'checkpoint_nothing_to_sign',
          `registry ${input.registry} has no journal entries yet`,
        )
      : reject(
          'checkpoint_does_not_extend',
          `the journal of ${input.registry} has no head, and its last checkpoint of ${previous.at} signed one`,
          { discrepancies: ['checkpoint_head_went_back'] },
        );
  const next: Checkpoint = {
    version: 1,
    deployment: input.deployment,
    registry: input.registry,
    at: input.at,
    heads: [input.head],
    totals: input.totals,
  };
  const extending = previous === null ? ok(next) : extendsLast(input, previous, next);
  if (!extending.ok) return extending;
  // The head is read from the chain's row: it is signed only if the journal has that entry. Checked
  // after the last checkpoint, whose discrepancies say more when the two disagree.
  if (input.hashAtHead !== input.head.hash)
    return reject(
      'checkpoint_head_not_in_journal',
      `the head of ${input.registry} (${input.head.seq}) is not an entry of its journal with that hash`,
    );
  return ok(next);
}

/** `next`, or a refusal when it is not after `previous` in time or does not extend it. */
function extendsLast(
  input: CheckpointInput,
  previous: Checkpoint,
  next: Checkpoint,
): Result<Checkpoint> {
  if (Date.parse(input.at) <= Date.parse(previous.at))
    return reject(
      'checkpoint_time_not_after_last',
      `the last checkpoint of ${input.registry} is at ${previous.at}, not before ${input.at}`,
    );
  const previousHead = previous.heads.find((h) => h.chain === input.head?.chain);
  // The journal entry the last checkpoint signed: its hash now, or none when it is gone (which no
  // hash matches: a journal that lost an entry it had signed was rewritten).
  const found = checkpointsExtend([previous, next], (chain, seq) =>
    previousHead !== undefined && chain === previousHead.chain && seq === previousHead.seq
      ? (input.hashAtPrevious ?? 'absent')
      : undefined,
  );
  if (found.length > 0) {
    const kinds = [...new Set(found.map((f) => f.kind))];
    return reject(
      'checkpoint_does_not_extend',
      `the journal of ${input.registry} does not extend its last signed checkpoint of ${previous.at} (${kinds.join(', ')})`,
      { discrepancies: kinds },
    );
  }
  return ok(next);
}
