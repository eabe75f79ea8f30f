// Property tests of the serial-range algebra: subtraction and intersection partition a range,
// taking the lowest serials conserves quantities, normalisation and tiling agree with a per-serial view.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyOverlap,
  intersect,
  normalise,
  rangeSize,
  subtract,
  takeLowest,
  tiles,
  totalSize,
  type SerialRange,
} from '../../src/core/ledger/serial-range.ts';

const seed = Number(process.env['JCM_SEED'] ?? Date.now() % 2_147_483_647);
console.log(`serial-range properties: JCM_SEED=${seed}`);
const params = { seed, numRuns: 300 };

const serial = fc.bigInt({ min: 1n, max: 2n ** 62n });
const smallSerial = fc.bigInt({ min: 1n, max: 60n });
const rangeOf = (s: fc.Arbitrary<bigint>) =>
  fc
    .tuple(s, s)
    .map(([a, b]): SerialRange => (a <= b ? { first: a, last: b } : { first: b, last: a }));

function serialsOf(ranges: readonly SerialRange[]): Set<bigint> {
  const out = new Set<bigint>();
  for (const r of ranges) for (let s = r.first; s <= r.last; s++) out.add(s);
  return out;
}

describe('serial ranges', () => {
  it('subtracting and intersecting partition the whole range (huge serials)', () => {
    fc.assert(
      fc.property(rangeOf(serial), rangeOf(serial), (whole, cut) => {
        const rest = subtract(whole, cut);
        const common = intersect(whole, cut);
        expect(totalSize(rest) + (common === undefined ? 0n : rangeSize(common))).toBe(
          rangeSize(whole),
        );
        expect(anyOverlap(common === undefined ? rest : [...rest, common])).toBe(false);
        expect(tiles(common === undefined ? rest : [...rest, common], whole)).toBe(true);
      }),
      params,
    );
  });

  it('normalise keeps exactly the same serials and leaves no adjacent ranges', () => {
    fc.assert(
      fc.property(fc.array(rangeOf(smallSerial), { maxLength: 8 }), (ranges) => {
        const out = normalise(ranges);
        expect(serialsOf(out)).toEqual(serialsOf(ranges));
        for (let i = 1; i < out.length; i++)
          expect((out[i] as SerialRange).first > (out[i - 1] as SerialRange).last + 1n).toBe(true);
      }),
      params,
    );
  });

  it('tiles is true exactly when the parts cover the whole once', () => {
    fc.assert(
      fc.property(
        fc.array(rangeOf(smallSerial), { maxLength: 6 }),
        rangeOf(smallSerial),
        (parts, whole) => {
          const covered = serialsOf([whole]);
          const counted = parts.reduce((n, p) => n + rangeSize(p), 0n);
          const expected =
            counted === rangeSize(whole) &&
            [...serialsOf(parts)].every((s) => covered.has(s)) &&
            serialsOf(parts).size === covered.size;
          expect(tiles(parts, whole)).toBe(expected);
        },
      ),
      params,
    );
  });

  it('takeLowest takes exactly the quantity, lowest first, or refuses', () => {
    fc.assert(
      fc.property(
        fc.array(rangeOf(smallSerial), { maxLength: 6 }),
        fc.bigInt({ min: 1n, max: 200n }),
        (raw, quantity) => {
          const ranges = normalise(raw);
          const taken = takeLowest(ranges, quantity);
          if (totalSize(ranges) < quantity) {
            expect(taken).toBeUndefined();
            return;
          }
          expect(taken).toBeDefined();
          const got = [...serialsOf(taken ?? [])].sort((a, b) => (a < b ? -1 : 1));
          const all = [...serialsOf(ranges)].sort((a, b) => (a < b ? -1 : 1));
          expect(got).toEqual(all.slice(0, Number(quantity)));
        },
      ),
      params,
    );
  });

  it('a split and a merge give back the original (tiling)', () => {
    fc.assert(
      fc.property(
        rangeOf(serial),
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 62n }), { maxLength: 5 }),
        (whole, cuts) => {
          const points = [...new Set(cuts.map((c) => whole.first + (c % rangeSize(whole))))].sort(
            (a, b) => (a < b ? -1 : 1),
          );
          const pieces: SerialRange[] = [];
          let start = whole.first;
          for (const p of points) {
            if (p > start) {
              pieces.push({ first: start, last: p - 1n });
              start = p;
            }
          }
          pieces.push({ first: start, last: whole.last });
          expect(tiles(pieces, whole)).toBe(true);
          expect(normalise(pieces)).toEqual([whole]);
        },
      ),
      params,
    );
  });
});
