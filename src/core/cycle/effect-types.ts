// What an action of the cycle changes, as data: the item's data, a new version of the project data,
// a finding, related items, the issuance decision the ledger records, a reference to give out and a
// catalogue entry. effects.ts computes them; the store persists them.
import type { AllocationLineData, ItemData } from './items.ts';
import type { ProjectData } from './project-data.ts';

export interface ItemChange {
  readonly set: Partial<ItemData>;
  readonly unset: readonly (keyof ItemData)[];
}

/** An item's data after a change: the keys set, without the keys unset. */
export function applyChange(data: ItemData, change: ItemChange): ItemData {
  const next: Record<string, unknown> = { ...data, ...change.set };
  for (const key of change.unset) delete next[key];
  return next as ItemData;
}

export type FindingChange =
  | { readonly kind: 'raise'; readonly finding: 'CAR' | 'CL' | 'FAR'; readonly text: string }
  | { readonly kind: 'answer'; readonly id: bigint; readonly answer: string }
  | { readonly kind: 'close'; readonly id: bigint };

/** The issuance decision the ledger records when the Joint Committee decides an issuance. */
export interface LedgerDecisionRecord {
  readonly decision: string;
  readonly project: string;
  /** The stored project's methodology: its reserve share (CCS) is set aside at issuance. */
  readonly methodology: { readonly id: string; readonly version: string } | null;
  readonly verification: {
    readonly reference: string;
    readonly reductions: readonly { readonly vintage: number; readonly quantity: string }[];
  };
  readonly lines: readonly AllocationLineData[];
}

/** A methodology proposal approved: the catalogue entry it becomes, with its decision. */
export interface CatalogueEntryRecord {
  readonly id: string;
  readonly version: string;
  readonly partnership: string;
  readonly item: string;
  readonly decision: string;
  /** When the Joint Committee adopted the decision. */
  readonly adoptedAt: string;
  /** The proposal's methodology file (the document store holds its bytes). */
  readonly fileSha256: string;
}

export interface CycleEffects {
  readonly data: ItemChange;
  readonly projectVersion: ProjectData | null;
  readonly finding: FindingChange | null;
  readonly related: readonly { readonly id: string; readonly change: ItemChange }[];
  readonly ledger: LedgerDecisionRecord | null;
  readonly assignReference: boolean;
  readonly catalogueEntry: CatalogueEntryRecord | null;
}
