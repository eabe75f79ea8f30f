// The ledger state the core decides on and applies events to. It is a mutable working set on purpose:
// replaying millions of journal entries with copy-on-write maps would be quadratic. Only `apply`
// mutates it; `decide` only reads. The database adapter fills it lazily with the rows a batch of
// commands needs and writes back the keys `apply` marked dirty.
import type { AccountId, DecisionId, ProjectRef, RegistryId } from '../shared/ids.ts';
import type {
  Account,
  Block,
  IssuanceDecision,
  MovedPiece,
  MovementKind,
  Registry,
} from './types.ts';
import { blockKey } from './types.ts';
import { emptyArticle6State, type Article6State } from '../article6/state.ts';

/** What a reversal needs to know of an earlier movement entry. */
export type MovementRecord =
  | { readonly movement: null }
  | {
      readonly movement: MovementKind;
      readonly from: AccountId;
      readonly to: AccountId;
      readonly pieces: readonly MovedPiece[];
      readonly reversed: boolean;
    };

export interface LedgerState {
  readonly registries: Map<RegistryId, Registry>;
  readonly accounts: Map<AccountId, Account>;
  /** Blocks by `blockKey(project, first)`. */
  readonly blocks: Map<string, Block>;
  /** Block keys per account; kept in step with `blocks` by `apply`. */
  readonly blocksByAccount: Map<AccountId, Set<string>>;
  readonly decisions: Map<DecisionId, IssuanceDecision>;
  /** The last serial decided for each project (0n before its first decision). */
  readonly projectLastSerial: Map<ProjectRef, bigint>;
  readonly verificationsUsed: Set<string>;
  /** `lineKey(decision, lineNo)` of every allocation line issued. */
  readonly issuedLines: Set<string>;
  /** Every journal entry by `entryKey` (movement: null when it moved no credits), for reversals. */
  readonly movements: Map<string, MovementRecord>;
  /**
   * Article 6.2 records (approaches, authorisations, finalisations): few, written by several chains,
   * so the adapter loads them afresh for every batch that needs them.
   */
  readonly article6: Article6State;
  /** Keys changed by `apply` since the state was loaded, for the adapter to write back. */
  readonly dirty: {
    readonly registries: Set<RegistryId>;
    readonly accounts: Set<AccountId>;
    readonly blocks: Set<string>;
  };
}

export function emptyState(): LedgerState {
  return {
    registries: new Map(),
    accounts: new Map(),
    blocks: new Map(),
    blocksByAccount: new Map(),
    decisions: new Map(),
    projectLastSerial: new Map(),
    verificationsUsed: new Set(),
    issuedLines: new Set(),
    movements: new Map(),
    article6: emptyArticle6State(),
    dirty: { registries: new Set(), accounts: new Set(), blocks: new Set() },
  };
}

export function putBlock(state: LedgerState, block: Block): void {
  const key = blockKey(block.project, block.serials.first);
  state.blocks.set(key, block);
  let keys = state.blocksByAccount.get(block.account);
  if (keys === undefined) {
    keys = new Set();
    state.blocksByAccount.set(block.account, keys);
  }
  keys.add(key);
}

export function removeBlock(state: LedgerState, key: string): void {
  const block = state.blocks.get(key);
  if (block === undefined) return;
  state.blocks.delete(key);
  state.blocksByAccount.get(block.account)?.delete(key);
}

/** The blocks an account holds, ordered by project, vintage and first serial (the order credits leave in). */
export function accountBlocks(state: LedgerState, account: AccountId): Block[] {
  const keys = state.blocksByAccount.get(account);
  if (keys === undefined) return [];
  const blocks: Block[] = [];
  for (const key of keys) {
    const block = state.blocks.get(key);
    if (block !== undefined) blocks.push(block);
  }
  return blocks.sort(compareBlocks);
}

export function compareBlocks(a: Block, b: Block): number {
  if (a.project !== b.project) return a.project < b.project ? -1 : 1;
  if (a.vintage !== b.vintage) return a.vintage - b.vintage;
  return a.serials.first < b.serials.first ? -1 : a.serials.first > b.serials.first ? 1 : 0;
}

/** The block of an account that holds a piece of credits (every piece lies inside one block). */
export function blockHolding(
  state: LedgerState,
  account: AccountId,
  piece: MovedPiece,
): Block | undefined {
  for (const key of state.blocksByAccount.get(account) ?? []) {
    const block = state.blocks.get(key);
    if (
      block !== undefined &&
      block.project === piece.project &&
      block.serials.first <= piece.serials.first &&
      piece.serials.last <= block.serials.last
    )
      return block;
  }
  return undefined;
}
