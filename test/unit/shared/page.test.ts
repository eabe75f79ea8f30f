import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasControlCharacter } from '../../../src/core/shared/control-characters.ts';
import {
  cursorLengthMax,
  decodeCursor,
  encodeCursor,
  pageOf,
  type KeyPart,
} from '../../../src/core/shared/page.ts';
import { textLengthMax } from '../../../src/core/shared/limits.ts';
import { beneficiaryKey } from '../../../src/db/history-queries.ts';

describe('keyset pages', () => {
  it('reads back every sort key it encodes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 30 }).filter((s) => !hasControlCharacter(s)),
            fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (key: KeyPart[]) => {
          const shape = key.map((p): 'int' | 'text' => (typeof p === 'bigint' ? 'int' : 'text'));
          const cursor = encodeCursor(key);
          if (cursor.length > cursorLengthMax) return;
          expect(decodeCursor(cursor, shape)).toEqual({ ok: true, value: key });
        },
      ),
    );
  });

  it('refuses a cursor of another shape, a forged one and garbage with one stable code', () => {
    const good = encodeCursor(['IN001', 5n]);
    const forged = [
      encodeCursor([5n, 'IN001']),
      encodeCursor(['IN001']),
      Buffer.from(JSON.stringify(['tIN001', 'i1e9'])).toString('base64url'),
      Buffer.from(JSON.stringify(['tIN001', `i${2n ** 63n}`])).toString('base64url'),
      Buffer.from(JSON.stringify(['tIN\u0000', 'i1'])).toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      'not base64!',
      '',
      'A'.repeat(cursorLengthMax + 1),
    ];
    expect(decodeCursor(good, ['text', 'int']).ok).toBe(true);
    for (const cursor of forged) {
      const result = decodeCursor(cursor, ['text', 'int']);
      expect(result.ok ? 'accepted' : result.error.code, cursor).toBe('page_cursor_invalid');
    }
  });

  it('gives a next cursor only when a row beyond the limit was fetched', () => {
    const rows = [1n, 2n, 3n];
    expect(pageOf(rows, 3, (r) => [r])).toEqual({ items: rows, next: null });
    const page = pageOf(rows, 2, (r) => [r]);
    expect(page.items).toEqual([1n, 2n]);
    expect(decodeCursor(page.next ?? '', ['int'])).toEqual({ ok: true, value: [2n] });
  });

  it('takes an instant part only as toISOString writes it, so SQL never casts a forged one', () => {
    const at = '2026-12-01T22:20:00.123Z';
    expect(decodeCursor(encodeCursor([at, 'TR1']), ['instant', 'text'])).toEqual({
      ok: true,
      value: [at, 'TR1'],
    });
    for (const forged of [
      'garbage',
      '2026-13-01T00:00:00.000Z',
      '2026-02-30T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '',
    ]) {
      const result = decodeCursor(encodeCursor([forged, 'TR1']), ['instant', 'text']);
      expect(result.ok ? 'accepted' : result.error.code, forged).toBe('page_cursor_invalid');
    }
  });

  it('takes an int4 part only within int4, so a forged one is not an out-of-range error in SQL', () => {
    expect(decodeCursor(encodeCursor([5n, 2n ** 31n - 1n]), ['int', 'int4']).ok).toBe(true);
    for (const n of [2n ** 31n, -(2n ** 31n) - 1n, 2n ** 40n]) {
      const result = decodeCursor(encodeCursor([5n, n]), ['int', 'int4']);
      expect(result.ok ? 'accepted' : result.error.code, String(n)).toBe('page_cursor_invalid');
    }
  });

  it("gives a next cursor it takes back for the register's longest beneficiary", () => {
    // The register by beneficiary keys on the folded name: a retirement's beneficiary is any text of
    // up to textLengthMax characters (Japanese names three bytes each, emoji four, quotes escaped).
    for (const name of ['\u{1F600}', '"', '\u65E5', 'a']) {
      const key: KeyPart[] = [name.repeat(textLengthMax), 'JP', 2n ** 62n, 2n ** 31n - 1n];
      expect(decodeCursor(encodeCursor(key), beneficiaryKey)).toEqual({ ok: true, value: key });
    }
  });
});
