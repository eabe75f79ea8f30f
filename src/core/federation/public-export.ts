// A deployment's public export (issue 16, SPEC section 8): everything anyone needs to check its
// registries without an account, as one file of JSON lines. The first line names the deployment, the
// registries it hosts and its signing keys; then its signed checkpoints (first, so that a checker
// streaming the journal knows which hashes to keep), the journal of every chain it keeps (Joint
// Committee chains first, as a replay needs them), the issuance decisions with their lines, the
// blocks, the totals by account type, project and vintage, and the first transfers of its Parties
// that peers reported (Article 6.2: what it adjusts for); the last line counts what came before
// it, so that a download cut short is told from a registry with less in it. Read in one
// snapshot of the database (src/db/public-export.ts); checked by export-check.ts and reconcile.ts.
import type { SerialRange } from '../ledger/serial-range.ts';
import type { FirstTransfer } from './article6-records.ts';
import { canonicalJson, type Json } from '../shared/canonical-json.ts';

export const exportVersion = 1;

export interface ExportHeader {
  readonly record: 'export';
  readonly version: typeof exportVersion;
  readonly deployment: string;
  /** The registries this deployment hosts: their issuances, totals and checkpoints are its own. */
  readonly registries: readonly string[];
  /** When the snapshot was read (ISO 8601, UTC). */
  readonly exportedAt: string;
  /** The deployment's signing keys as it states them (a checker may pin its own, `--key`). */
  readonly keys: readonly { readonly keyId: string; readonly publicKey: string }[];
}

export interface ExportEntry {
  readonly record: 'entry';
  readonly chain: string;
  readonly seq: bigint;
  readonly hash: string;
  readonly prevHash: string;
  /**
   * The entry as the public sees it: its canonical JSON with the actor's public name in place of a
   * person's login, so its hash cannot be recomputed from it (`jcm audit` does, with the database).
   */
  readonly entry: string;
}

/** An allocation line as the export lists it (ledger/types.ts `AllocationLine`). */
export interface ExportLine {
  readonly lineNo: number;
  readonly registry: string;
  readonly account: string;
  readonly vintage: number;
  readonly quantity: bigint;
  readonly serials: SerialRange;
  readonly reserve: bigint;
}

export interface ExportDecision {
  readonly record: 'decision';
  readonly id: string;
  readonly project: string;
  readonly serials: SerialRange;
  readonly lines: readonly ExportLine[];
}

export interface ExportBlock {
  readonly record: 'block';
  readonly project: string;
  readonly vintage: number;
  readonly serials: SerialRange;
  readonly registry: string;
  readonly account: string;
  readonly entryChain: string;
  readonly entrySeq: bigint;
}

export interface ExportTotal {
  readonly record: 'total';
  readonly registry: string;
  readonly accountType: string;
  readonly project: string;
  readonly vintage: number;
  readonly quantity: bigint;
}

export interface ExportCheckpoint {
  readonly record: 'checkpoint';
  readonly id: bigint;
  /** The signed text (core/federation/checkpoints.ts `checkpointText`). */
  readonly text: string;
  readonly keyId: string;
  readonly publicKey: string;
  readonly signature: string;
}

/**
 * A first transfer of this deployment's Party that a peer recorded in a registry it hosts, as the
 * peer's `first_transfer_record` stated it (core/federation/article6-records.ts `FirstTransfer`).
 */
export type ExportFirstTransferReceived = Omit<FirstTransfer, 'serialFirst' | 'serialLast'> & {
  readonly record: 'first_transfer_received';
  readonly sender: string;
  readonly serials: SerialRange;
};

export interface ExportEnd {
  readonly record: 'end';
  readonly firstTransfersReceived: bigint;
  readonly entries: bigint;
  readonly decisions: bigint;
  readonly blocks: bigint;
  readonly totals: bigint;
  readonly checkpoints: bigint;
}

export type ExportRecord =
  | ExportHeader
  | ExportEntry
  | ExportDecision
  | ExportBlock
  | ExportTotal
  | ExportCheckpoint
  | ExportFirstTransferReceived
  | ExportEnd;

/** The order of the sections: a record of an earlier section after a later one is out of place. */
export const sectionOrder: readonly ExportRecord['record'][] = [
  'export',
  'checkpoint',
  'entry',
  'decision',
  'block',
  'total',
  'first_transfer_received',
  'end',
];

/** A decision's serials and lines as one comparable text. */
export function decisionText(decision: {
  readonly project: string;
  readonly serials: { readonly first: bigint; readonly last: bigint };
  readonly lines: readonly ExportLine[];
}): string {
  return canonicalJson({
    project: decision.project,
    serials: decision.serials,
    lines: decision.lines.map((l) => ({ ...l })),
  } as unknown as Json);
}
