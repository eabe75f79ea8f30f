// Resolves a selection (a quantity, or explicit serial ranges) against the blocks an account holds,
// into pieces that each lie inside one block. Every movement (transfer, retirement, cancellation,
// reservation, release, reversal) selects credits through this one function.
import type { AccountId } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import type { Selection } from './commands.ts';
import { intersect, rangeSize, tiles, totalSize, type SerialRange } from './serial-range.ts';
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
    const pieces: MovedPiece[] = [];
    let remaining = selection.quantity;
    for (const block of blocks) {
      if (remaining === 0n) break;
      if (selection.project !== undefined && block.project !== selection.project) continue;
      if (selection.vintage !== undefined && block.vintage !== selection.vintage) continue;
      const size = rangeSize(block.serials);
      const take = size <= remaining ? size : remaining;
      pieces.push({
        project: block.project,
        vintage: block.vintage,
        serials: { first: block.serials.first, last: block.serials.first + take - 1n },
      });
      remaining -= take;
    }
    if (remaining > 0n) {
      return reject(
        'source_holds_insufficient_credits',
        `account ${account} holds ${selection.quantity - remaining} matching credits, ${selection.quantity} requested`,
        {
          held: String(selection.quantity - remaining),
          requested: String(selection.quantity),
        },
      );
    }
    assert(
      totalSize(pieces.map((piece) => piece.serials)) === selection.quantity,
      'selection took the wrong quantity',
    );
    return ok(pieces);
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
    pieces.push(...found);
  }
  return ok(pieces);
}

function describe(serials: SerialRange): string {
  return `${serials.first}-${serials.last}`;
}
