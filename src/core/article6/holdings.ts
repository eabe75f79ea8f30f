// The ITMOs a registry holds at a date, from its actions alone: the units an Authorization brought in
// (at issuance or by assignment) less those a Use, Cancellation or Voluntary cancellation took out.
// Credits never leave a registry otherwise (transfers stay inside it), so this is the AEF's "Holdings
// at 31 December". The registry's own blocks give the same ranges by another path: the AEF check
// compares the two.
import { assert } from '../shared/assert.ts';
import type { ProjectRef } from '../shared/ids.ts';
import { normalise, rangeSize, subtract, type SerialRange } from '../ledger/serial-range.ts';
import type { Holding } from './aef-input.ts';
import type { Action } from './types.ts';

/** A held range without the purposes (the registry's blocks do not carry them). */
export type HeldRange = Omit<Holding, 'purpose'>;

const outflows: readonly Action['type'][] = ['use', 'cancellation', 'voluntary_cancellation'];

/** Holdings of one registry from its actions dated up to the date (YYYY-MM-DD), in serial order. */
export function holdingsFromActions(actions: readonly Action[], until: string): Holding[] {
  const inside = actions.filter((a) => a.date <= until);
  const entered = inside.filter((a) => a.type === 'authorization');
  const left = inside.filter((a) => outflows.includes(a.type));
  const holdings: Holding[] = [];
  for (const a of entered) {
    const gone = left
      .filter((o) => o.project === a.project)
      .map((o): SerialRange => ({ first: o.serialFirst, last: o.serialLast }));
    for (const serials of remaining({ first: a.serialFirst, last: a.serialLast }, gone))
      holdings.push({
        approach: a.approach,
        authorisation: a.authorisation,
        registry: a.registry,
        partyRegistryId: a.partyRegistryId,
        firstParty: a.firstParty,
        project: a.project,
        vintage: a.vintage,
        serialFirst: serials.first,
        serialLast: serials.last,
        quantity: rangeSize(serials),
        purpose: a.purpose,
      });
  }
  return holdings.sort(byProjectAndSerial);
}

/**
 * The registry's holdings at a date from its blocks now: add back what left after the date and take
 * out what entered after it. `now` are the ranges its blocks hold, `later` the actions dated after.
 */
export function holdingsBefore(now: readonly HeldRange[], later: readonly Action[]): HeldRange[] {
  const back: HeldRange[] = later.filter((a) => outflows.includes(a.type)).map(holdingOf);
  const entered = later.filter((a) => a.type === 'authorization');
  const result: HeldRange[] = [];
  for (const h of [...now, ...back]) {
    const cut = entered
      .filter((a) => a.project === h.project)
      .map((a): SerialRange => ({ first: a.serialFirst, last: a.serialLast }));
    for (const serials of remaining({ first: h.serialFirst, last: h.serialLast }, cut))
      result.push({
        ...h,
        serialFirst: serials.first,
        serialLast: serials.last,
        quantity: rangeSize(serials),
      });
  }
  return result.sort(byProjectAndSerial);
}

function holdingOf(a: Action): HeldRange {
  return {
    approach: a.approach,
    authorisation: a.authorisation,
    registry: a.registry,
    partyRegistryId: a.partyRegistryId,
    firstParty: a.firstParty,
    project: a.project,
    vintage: a.vintage,
    serialFirst: a.serialFirst,
    serialLast: a.serialLast,
    quantity: a.quantity,
  };
}

function remaining(whole: SerialRange, cuts: readonly SerialRange[]): SerialRange[] {
  let pieces: SerialRange[] = [whole];
  for (const cut of normalise(cuts)) pieces = pieces.flatMap((p) => subtract(p, cut));
  const size = pieces.reduce((sum, p) => sum + rangeSize(p), 0n);
  assert(size <= rangeSize(whole), 'holdings: a cut added credits');
  return pieces;
}

function byProjectAndSerial(a: { project: ProjectRef; serialFirst: bigint }, b: typeof a): number {
  if (a.project !== b.project) return a.project < b.project ? -1 : 1;
  return a.serialFirst < b.serialFirst ? -1 : a.serialFirst > b.serialFirst ? 1 : 0;
}
