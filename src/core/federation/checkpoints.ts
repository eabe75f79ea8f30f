// Signed checkpoints (issue 16): each registry periodically signs its journal heads and its totals and
// publishes them, so that anyone holding two of its checkpoints, or one and its public journal, can
// tell whether the registry rewrote its history. A later checkpoint must extend every earlier one:
// each chain's head at a sequence number at least as high, and the journal entry at an earlier
// checkpoint's head still the one with that hash. This is the pure check; signing and publishing
// belong to the adapters.
import { canonicalJson, type Json } from '../shared/canonical-json.ts';

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
): CheckpointDiscrepancy[] {
  const found: CheckpointDiscrepancy[] = [];
  const ordered = [...checkpoints].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const seen = new Map<string, ChainHead[]>();
  for (const checkpoint of ordered) {
    const heads = new Map(checkpoint.heads.map((h) => [h.chain, h]));
    for (const [chain, earlier] of seen) {
      const head = heads.get(chain);
      const last = earlier[earlier.length - 1] as ChainHead;
      if (head === undefined)
        found.push({ kind: 'checkpoint_chain_missing', chain, at: checkpoint.at });
      else if (head.seq < last.seq)
        found.push({
          kind: 'checkpoint_head_went_back',
          chain,
          from: last.seq,
          to: head.seq,
          at: checkpoint.at,
        });
    }
    for (const head of checkpoint.heads) {
      const earlier = seen.get(head.chain) ?? [];
      const sameSeq = earlier.find((e) => e.seq === head.seq);
      const journal = hashAt(head.chain, head.seq);
      if (
        (sameSeq !== undefined && sameSeq.hash !== head.hash) ||
        (journal !== undefined && journal !== head.hash)
      )
        found.push({
          kind: 'checkpoint_history_rewritten',
          chain: head.chain,
          seq: head.seq,
          at: checkpoint.at,
        });
      if (earlier.length === 0) seen.set(head.chain, earlier);
      earlier.push(head);
    }
  }
  return found;
}
