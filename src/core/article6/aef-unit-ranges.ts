// The ITMOs an AEF row names, read back from its First ID and Last ID (and the JCM credits of its unit
// ids): which project's serials, from which to which. The consistency checks compare rows through
// these ranges: overlaps, units still held, a unit's attributes across rows, counts under a cap.
import { parseBlockId } from '../ledger/block-id.ts';
import { projectNumber } from '../shared/ids.ts';
import { aefTableKeys, type AefTableKey } from './aef-description.ts';
import type { AefRow } from './aef-tables.ts';
import { parseItmoId } from './itmo-id.ts';

export interface UnitRange {
  readonly table: AefTableKey;
  readonly row: number;
  readonly approach: string;
  readonly partyRegistryId: string;
  readonly firstParty: string;
  readonly vintage: number;
  /** The project number the ITMO ids carry (JCM serials restart with each project). */
  readonly projectNumber: string;
  /**
   * Whose serials these are, whatever the row says of its approach: the project of the unit ids
   * (IN001), or, without them, the approach and project number.
   */
  readonly unit: string;
  readonly first: bigint;
  readonly last: bigint;
}

export type RangeReading =
  | { readonly kind: 'range'; readonly range: UnitRange }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'mixed'; readonly what: string }
  | { readonly kind: 'reversed' };

/**
 * The range of a row. Unreadable ids are reported by the field checks; a range whose two ids name
 * different approaches, registries, Parties, projects or vintages is mixed; one whose first serial
 * comes after its last is reversed.
 */
export function readRange(table: AefTableKey, row: number, cells: AefRow): RangeReading {
  const firstText = cells['first_id'] ?? null;
  const lastText = cells['last_id'] ?? null;
  if (firstText === null || lastText === null) return { kind: 'unreadable' };
  // The partner is no part of an ITMO id; only the project number is kept from it here.
  const first = parseItmoId(firstText, 'ZZ');
  const last = parseItmoId(lastText, 'ZZ');
  if (!first.ok || !last.ok) return { kind: 'unreadable' };
  const a = first.value;
  const b = last.value;
  const differing = (
    [
      ['approach', a.approach, b.approach],
      ['registry', a.partyRegistryId, b.partyRegistryId],
      ['first transferring Party', a.firstParty, b.firstParty],
      ['project', a.project, b.project],
      ['vintage', String(a.vintage), String(b.vintage)],
    ] as const
  ).filter(([, x, y]) => x !== y);
  if (differing.length > 0) return { kind: 'mixed', what: differing.map(([w]) => w).join(', ') };
  if (a.serial > b.serial) return { kind: 'reversed' };
  const number = projectNumber(a.project);
  const unitBlock = parseBlockId(cells['first_unit_id'] ?? '');
  return {
    kind: 'range',
    range: {
      table,
      row,
      approach: a.approach,
      partyRegistryId: a.partyRegistryId,
      firstParty: a.firstParty,
      vintage: a.vintage,
      projectNumber: number,
      unit: unitBlock.ok ? unitBlock.value.project : `${a.approach}/${number}`,
      first: a.serial,
      last: b.serial,
    },
  };
}

/**
 * Pairs of ranges that share a unit and conflict: ranges of different signatures, or, with
 * `sameConflicts`, any two. Every range that conflicts with an earlier one (by first serial) is
 * reported at least once, with the earlier range that reaches furthest; O(n log n), so a table of
 * many overlapping rows cannot make the check quadratic.
 */
export function conflictingPairs(
  ranges: readonly UnitRange[],
  signatureOf: (range: UnitRange) => string,
  sameConflicts: boolean,
): [UnitRange, UnitRange][] {
  const pairs: [UnitRange, UnitRange][] = [];
  for (const group of groupBy(ranges, (r) => r.unit).values()) {
    const sorted = group.toSorted((x, y) =>
      x.first < y.first ? -1 : x.first > y.first ? 1 : place(x) - place(y),
    );
    // Per signature, the range seen so far that reaches furthest: if any range of a signature
    // overlaps the next one, this one does.
    const furthest = new Map<string, UnitRange>();
    for (const range of sorted) {
      const signature = signatureOf(range);
      for (const [other, open] of furthest)
        if ((sameConflicts || other !== signature) && open.last >= range.first)
          pairs.push(order(open, range));
      const mine = furthest.get(signature);
      if (mine === undefined || range.last > mine.last) furthest.set(signature, range);
    }
  }
  return pairs.toSorted(([a1, b1], [a2, b2]) => place(a1) - place(a2) || place(b1) - place(b2));
}

/** Units counted once however many ranges name them. */
export function distinctUnits(ranges: readonly UnitRange[]): bigint {
  let total = 0n;
  for (const group of groupBy(ranges, (r) => r.unit).values())
    for (const [first, last] of merged(group.map((r) => [r.first, r.last] as const)))
      total += last - first + 1n;
  return total;
}

/** Sorted, disjoint intervals covering the same serials as the given ones. */
export function merged(intervals: readonly (readonly [bigint, bigint])[]): [bigint, bigint][] {
  const sorted = intervals.toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [first, last] of sorted) {
    const top = out.at(-1);
    if (top !== undefined && first <= top[1] + 1n) top[1] = last > top[1] ? last : top[1];
    else out.push([first, last]);
  }
  return out;
}

/** The parts of `from` that no interval of `minus` covers (both sorted and disjoint). */
export function without(
  from: readonly (readonly [bigint, bigint])[],
  minus: readonly (readonly [bigint, bigint])[],
): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  for (const [first, last] of from) {
    let at = first;
    for (const [mFirst, mLast] of minus) {
      if (mLast < at || mFirst > last) continue;
      if (mFirst > at) out.push([at, mFirst - 1n]);
      at = mLast + 1n;
      if (at > last) break;
    }
    if (at <= last) out.push([at, last]);
  }
  return out;
}

export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

function place(r: UnitRange): number {
  return aefTableKeys.indexOf(r.table) * 1_000_000_000 + r.row;
}

function order(a: UnitRange, b: UnitRange): [UnitRange, UnitRange] {
  return place(a) <= place(b) ? [a, b] : [b, a];
}
