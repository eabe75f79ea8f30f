// What checking a public export gives (export-check.ts): the discrepancies it lists, and what it says
// once checked, which reconciliation compares across deployments (reconcile.ts).
import type { Result } from '../shared/result.ts';
import type { Checkpoint } from './checkpoints.ts';
import type { FirstTransfers } from './export-first-transfers.ts';
import type { ExportDecision, ExportHeader } from './public-export.ts';

export interface Discrepancy {
  /** Stable: what kind of disagreement (docs/OPERATIONS.md "When reconciliation fails"). */
  readonly kind: string;
  /** The deployment whose export shows it. */
  readonly deployment: string;
  /** What it is about: a chain and number, a decision and line, a block, a total. */
  readonly subject: string;
  readonly message: string;
}

/** An allocation line as a registry issued it (from its journal's `credits_issued`). */
export interface IssuedLine {
  readonly registry: string;
  readonly first: bigint;
  readonly last: bigint;
}

/** What one export says, once checked: what reconciliation compares across deployments. */
export interface CheckedExport {
  readonly header: ExportHeader;
  readonly decisions: ReadonlyMap<string, ExportDecision>;
  /** By `lineKey(decision, lineNo)`. */
  readonly issued: ReadonlyMap<string, IssuedLine>;
  /** Totals by `registry|accountType|project|vintage` (replayed), quantities above zero. */
  readonly totals: ReadonlyMap<string, bigint>;
  readonly heads: ReadonlyMap<string, { readonly seq: bigint; readonly hash: string }>;
  readonly counts: {
    readonly entries: bigint;
    readonly blocks: bigint;
    readonly checkpoints: number;
  };
  /** Checkpoints whose totals were compared with the replay (none written after them). */
  readonly checkpointTotalsCompared: number;
  readonly firstTransfers: FirstTransfers;
  /** Whether the checkpoints were checked against keys of the checker's own, not the export's. */
  readonly keysPinned: boolean;
}

export interface ExportCheckOptions {
  readonly verify: (publicKey: string, text: string, signature: string) => boolean;
  /**
   * The public keys the checker trusts for a deployment (its configuration, `--key`); undefined
   * when it has none of its own for it, and then the keys the export states are used.
   */
  readonly trustedKeys?: (deployment: string) => readonly string[] | undefined;
  /** Reads a checkpoint's signed text (services: checkpointFromText). */
  readonly readCheckpoint: (text: string) => Result<Checkpoint>;
}
