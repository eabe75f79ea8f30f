// Serial-range algebra over inclusive bigint ranges: size, intersection, subtraction, taking the
// lowest serials first, and the tiling check behind invariant 1.
import { assert } from '../shared/assert.ts';

export interface SerialRange {
  readonly first: bigint;
  readonly last: bigint;
}

export function rangeSize(r: SerialRange): bigint {
  return r.last - r.first + 1n;
}

export function totalSize(ranges: readonly SerialRange[]): bigint {
  let total = 0n;
  for (const r of ranges) total += rangeSize(r);
  return total;
}

export function overlaps(a: SerialRange, b: SerialRange): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function contains(outer: SerialRange, inner: SerialRange): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

export function intersect(a: SerialRange, b: SerialRange): SerialRange | undefined {
  const first = a.first > b.first ? a.first : b.first;
  const last = a.last < b.last ? a.last : b.last;
  return first <= last ? { first, last } : undefined;
}

/** The parts of `whole` not covered by `cut`: zero, one or two ranges, in ascending order. */
export function subtract(whole: SerialRange, cut: SerialRange): SerialRange[] {
  const pieces: SerialRange[] = [];
  if (!overlaps(whole, cut)) return [whole];
  if (whole.first < cut.first) pieces.push({ first: whole.first, last: cut.first - 1n });
  if (cut.last < whole.last) pieces.push({ first: cut.last + 1n, last: whole.last });
  assert(
    totalSize(pieces) + rangeSize(intersect(whole, cut) as SerialRange) === rangeSize(whole),
    'subtract lost serials',
  );
  return pieces;
}

export function sortRanges(ranges: readonly SerialRange[]): SerialRange[] {
  return [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
}

/** Sorted, with adjacent or overlapping ranges coalesced: the canonical form of a set of serials. */
export function normalise(ranges: readonly SerialRange[]): SerialRange[] {
  const out: SerialRange[] = [];
  for (const r of sortRanges(ranges)) {
    const lastOut = out[out.length - 1];
    if (lastOut !== undefined && r.first <= lastOut.last + 1n) {
      out[out.length - 1] = {
        first: lastOut.first,
        last: r.last > lastOut.last ? r.last : lastOut.last,
      };
    } else {
      out.push(r);
    }
  }
  return out;
}

export function anyOverlap(ranges: readonly SerialRange[]): boolean {
  const sorted = sortRanges(ranges);
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as SerialRange).first <= (sorted[i - 1] as SerialRange).last) return true;
  }
  return false;
}

/** True when `parts` cover `whole` exactly: no gap, no overlap, nothing outside. */
export function tiles(parts: readonly SerialRange[], whole: SerialRange): boolean {
  const sorted = sortRanges(parts);
  let next = whole.first;
  for (const part of sorted) {
    if (part.first !== next) return false;
    next = part.last + 1n;
  }
  return next === whole.last + 1n;
}

/**
 * Takes `quantity` serials, lowest first, from ranges given in the order to take them. Returns the
 * taken ranges; undefined when the ranges hold fewer serials than asked.
 */
export function takeLowest(
  ranges: readonly SerialRange[],
  quantity: bigint,
): SerialRange[] | undefined {
  assert(quantity > 0n, 'takeLowest needs a positive quantity');
  const taken: SerialRange[] = [];
  let remaining = quantity;
  for (const r of ranges) {
    if (remaining === 0n) break;
    const size = rangeSize(r);
    if (size <= remaining) {
      taken.push(r);
      remaining -= size;
    } else {
      taken.push({ first: r.first, last: r.first + remaining - 1n });
      remaining = 0n;
    }
  }
  if (remaining > 0n) return undefined;
  assert(totalSize(taken) === quantity, 'takeLowest took the wrong quantity');
  return taken;
}
