// Block ids, identifiers and the bigint parsers: one row per case, including values above 2^53.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBlockId, parseBlockId } from '../../src/core/ledger/block-id.ts';
import { parseAccountId, parseProjectRef, type ProjectRef } from '../../src/core/shared/ids.ts';
import { parseQuantity, parseSerial, parseVintage } from '../../src/core/shared/numbers.ts';
import { canonicalJson } from '../../src/core/shared/canonical-json.ts';

describe('block ids', () => {
  it('formats the SPEC example', () => {
    expect(
      formatBlockId({
        project: 'IN001' as ProjectRef,
        vintage: 2027,
        serials: { first: 1n, last: 12000n },
      }),
    ).toBe('JCM-IN-001-2027-1-12000');
  });

  it('parse inverts format for any block, serials up to 2^62', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('IN001', 'ID009', 'TH1234', 'MN042'),
        fc.integer({ min: 2013, max: 2100 }),
        fc.bigInt({ min: 1n, max: 2n ** 62n - 2n ** 40n }),
        fc.bigInt({ min: 0n, max: 2n ** 40n }),
        (project, vintage, first, extra) => {
          const block = {
            project: project as ProjectRef,
            vintage,
            serials: { first, last: first + extra },
          };
          const parsed = parseBlockId(formatBlockId(block));
          expect(parsed).toEqual({ ok: true, value: block });
        },
      ),
    );
  });

  it.each([
    ['JCM-IN-1-2027-1-10', 'block_id_malformed'],
    ['JCM-in-001-2027-1-10', 'block_id_malformed'],
    ['JCM-IN-001-2027-10-1', 'serial_range_reversed'],
    ['JCM-IN-001-1999-1-10', 'vintage_out_of_range'],
    ['JCM-IN-001-2027-0-10', 'serial_must_be_positive'],
    ['JCM-IN-001-2027-1-9999999999999999999', 'serial_too_large'],
  ])('refuses %s with %s', (text, code) => {
    const parsed = parseBlockId(text);
    expect(parsed.ok ? 'accepted' : parsed.error.code).toBe(code);
  });
});

describe('quantities, serials and vintages', () => {
  it.each([
    ['1', 1n],
    ['999999999999', 999999999999n],
    ['1000000000000', 1000000000000n],
    [' 42 ', 42n],
    ['5.000', 5n],
  ])('accepts quantity %s', (text, value) => {
    expect(parseQuantity(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['0', 'quantity_must_be_positive'],
    ['-5', 'quantity_must_be_positive'],
    ['1.5', 'quantity_must_be_whole'],
    ['.5', 'quantity_must_be_whole'],
    ['1000000000001', 'quantity_too_large'],
    ['1e3', 'quantity_malformed'],
    ['', 'quantity_malformed'],
    ['abc', 'quantity_malformed'],
    ['0x10', 'quantity_malformed'],
  ])('refuses quantity %j with %s', (text, code) => {
    const parsed = parseQuantity(text);
    expect(parsed.ok ? 'accepted' : parsed.error.code).toBe(code);
  });

  it('parses serials and vintages', () => {
    expect(parseSerial('4611686018427387904')).toEqual({ ok: true, value: 2n ** 62n });
    expect(parseSerial('9007199254740993')).toEqual({ ok: true, value: 9007199254740993n });
    expect(parseSerial('4611686018427387905').ok).toBe(false);
    expect(parseVintage(2027)).toEqual({ ok: true, value: 2027 });
    expect(parseVintage(2027.5).ok).toBe(false);
    expect(parseVintage('27').ok).toBe(false);
  });

  it('parses identifiers', () => {
    expect(parseAccountId('JP-000001').ok).toBe(true);
    expect(parseAccountId('JP-1').ok).toBe(false);
    expect(parseProjectRef('IN001').ok).toBe(true);
    expect(parseProjectRef('IN01').ok).toBe(false);
  });
});

describe('canonical JSON', () => {
  it('sorts keys, drops undefined and writes bigints as strings', () => {
    expect(canonicalJson({ b: 1, a: [2n, null, { d: undefined, c: 'x' }] })).toBe(
      '{"a":["2",null,{"c":"x"}],"b":1}',
    );
  });
});
