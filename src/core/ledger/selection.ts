// Resolves a selection (a quantity, or explicit serial ranges) against the blocks an account holds,
// into pieces that each lie inside one block. Every movement (transfer, retirement, cancellation,
// reservation, release, reversal) selects credits through this one function.
import type { AccountId } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import type { Selection } from './commands.ts';
import { intersect, takeLowest, tiles, totalSize, type SerialRange } from './serial-range.ts';
import { accountBlocks, type LedgerState } from './state.ts';
import type { MovedPiece } from './types.ts';
import { assert } from '../shared/assert.ts';

export function selectPieces(
  state: LedgerState,
  account: AccountId,
  selection: Selection,
): Result<MovedPiece[]> {
  const blocks = accountBlocks(state, account);
  if (selection.kind === 'quantity') {
    const candidates = blocks.filter(
      (block) =>
        (selection.project === undefined || block.project === selection.project) &&
        (selection.vintage === undefined || block.vintage === selection.vintage),
    );
    // takeLowest takes a prefix of each range in order, so the i-th range taken lies in the i-th block.
    const taken = takeLowest(
      candidates.map((block) => block.serials),
      selection.quantity,
    );
    if (taken === undefined) {
      const held = totalSize(candidates.map((block) => block.serials));
      return reject(
        'source_holds_insufficient_credits',
        `account ${account} holds ${held} matching credits, ${selection.quantity} requested`,
        { held: String(held), requested: String(selection.quantity) },
      );
    }
    return ok(
      taken.map((serials, i) => {
        const block = candidates[i];
        assert(
          block !== undefined && block.serials.first === serials.first,
          'selection lost its block',
        );
        return { project: block.project, vintage: block.vintage, serials };
      }),
    );
  }
  const pieces: MovedPiece[] = [];
  for (const wanted of selection.ranges) {
    const found: MovedPiece[] = [];
    for (const block of blocks) {
      if (block.project !== wanted.project) continue;
      const common = intersect(block.serials, wanted.serials);
      if (common !== undefined)
        found.push({ project: block.project, vintage: block.vintage, serials: common });
    }
    if (
      !tiles(
        found.map((piece) => piece.serials),
        wanted.serials,
      )
    ) {
      return reject(
        'serial_range_not_held_by_account',
        `account ${account} does not hold all of ${wanted.project} ${describe(wanted.serials)}`,
        {
          project: wanted.project,
          range: describe(wanted.serials),
        },
      );
    }
    // One by one: spreading a range that spans 100,000 blocks into push() overflows the stack.
    for (const piece of found) pieces.push(piece);
  }
  return ok(pieces);
}

function describe(serials: SerialRange): string {
  return `${serials.first}-${serials.last}`;
}
