// What a million blocks broke: a spread of a large array into one call (push(...x), Math.max(...x))
// overflows the stack, and copying a list at every block made invariant 1's check quadratic. The
// loops that replaced them take 200,000 items (more than any call's argument limit) in one go.
import { describe, expect, it } from 'vitest';
import { table } from '../../src/cli/output.ts';
import { checkInvariants } from '../../src/core/ledger/invariants.ts';
import { selectPieces } from '../../src/core/ledger/selection.ts';
import { emptyState, putBlock, type LedgerState } from '../../src/core/ledger/state.ts';
import type { AccountId, ChainId, ProjectRef, RegistryId } from '../../src/core/shared/ids.ts';
import { forgetPage } from '../../src/db/audit.ts';

const many = 200_000;
const project = 'IN001' as ProjectRef;
const account = 'JP-000004' as AccountId;

/** One account holding `many` one-serial blocks, serials 1..many. */
function stateWithBlocks(count: number): LedgerState {
  const state = emptyState();
  state.accounts.set(account, {
    id: account,
    registry: 'JP' as RegistryId,
    type: 'holding',
    status: 'open',
    holderId: 'h',
    holderName: 'H',
  } as never);
  for (let s = 1n; s <= BigInt(count); s++)
    putBlock(state, {
      project,
      vintage: 2027,
      serials: { first: s, last: s },
      registry: 'JP' as RegistryId,
      account,
      entry: { chain: 'JP' as ChainId, seq: s },
    });
  return state;
}

// A machine shared by many test runs is slow: room for the loops, none for a quadratic walk.
const slow = { timeout: 120_000 };
let built: LedgerState | undefined;
const stateWithManyBlocks = () => (built ??= stateWithBlocks(many));

describe('iteration over a large number of blocks', () => {
  it('selects a range spanning 200,000 blocks without overflowing the stack', slow, () => {
    const state = stateWithManyBlocks();
    const result = selectPieces(state, account, {
      kind: 'ranges',
      ranges: [{ project, serials: { first: 1n, last: BigInt(many) } }],
    });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toHaveLength(many);
  });

  it('checks invariant 1 over 200,000 blocks of one project (no longer quadratic)', slow, () => {
    const violations = checkInvariants(stateWithManyBlocks());
    // No decision issued these serials: one coverage violation for the project, not one per block.
    expect(violations.filter((v) => v.invariant === 1)).toHaveLength(1);
  });

  it('prints a table of 200,000 rows with the widest cell setting the width', slow, () => {
    const rows = Array.from({ length: many }, (_, i) => ({ n: String(i) }));
    const text = table(rows, ['n'], ['n']);
    const lines = text.split('\n');
    expect(lines).toHaveLength(many + 2);
    expect(lines[1]).toBe('-'.repeat(String(many - 1).length));
  });

  it('forgets, after a page of the replay, the dirty keys and every entry not reversed', () => {
    const state = stateWithBlocks(10);
    state.dirty.blocks.add('x');
    state.movements.set('JP#1', { movement: null });
    state.movements.set('JP#2', {
      movement: 'transfer',
      from: account,
      to: account,
      pieces: [],
      reversed: false,
    } as never);
    state.movements.set('JP#3', {
      movement: 'transfer',
      from: account,
      to: account,
      pieces: [],
      reversed: true,
    } as never);
    forgetPage(state);
    expect(state.dirty.blocks.size).toBe(0);
    expect([...state.movements.keys()]).toEqual(['JP#3']);
    expect(state.blocks.size).toBe(10);
  });
});
