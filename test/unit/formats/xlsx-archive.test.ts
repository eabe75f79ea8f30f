// The archive inspection of issue 12: entries and sizes as declared, sizes and rows as inflated,
// rows counted exactly across the chunks the inflater hands out.
import { describe, expect, it } from 'vitest';
import {
  archiveLimits,
  declaredRefusal,
  inflatedRefusal,
} from '../../../src/formats/xlsx-archive.ts';
import { blankSheet, rowsSheet, storedEntry, zipOf } from '../../support/zip-bomb.ts';

const sheet = 'xl/worksheets/sheet1.xml';

describe('xlsx archive inspection', () => {
  it('counts the rows of a sheet exactly, across inflated chunks', async () => {
    const limits = { ...archiveLimits, sheetRowsMax: 100_000 };
    const exactly = zipOf([await rowsSheet(sheet, 100)]);
    expect(await inflatedRefusal(exactly, limits)).toBeNull();
    const oneMore = zipOf([await rowsSheet(sheet, 101)]);
    expect((await inflatedRefusal(oneMore, limits))?.code).toBe('workbook_too_many_rows');
    // Rows are counted only in worksheets.
    const notASheet = zipOf([{ ...(await rowsSheet('xl/other.xml', 101)) }]);
    expect(await inflatedRefusal(notASheet, limits)).toBeNull();
  });

  it('refuses by declared sizes without inflating, and by real sizes when they lie', async () => {
    const limits = {
      ...archiveLimits,
      entryBytesMax: 4 * 1024 * 1024,
      totalBytesMax: 6 * 1024 * 1024,
    };
    const honest = zipOf([await blankSheet(sheet, 5)]);
    expect(declaredRefusal(honest, limits)?.code).toBe('workbook_too_large_unpacked');
    const lying = zipOf([await blankSheet(sheet, 5, 100)]);
    expect(declaredRefusal(lying, limits)).toBeNull();
    expect((await inflatedRefusal(lying, limits))?.code).toBe('workbook_too_large_unpacked');
    // Two entries each within the entry limit, together beyond the total.
    const two = zipOf([
      await blankSheet(sheet, 3, 100),
      await blankSheet('xl/worksheets/sheet2.xml', 3, 100),
    ]);
    expect((await inflatedRefusal(two, limits))?.message).toContain('the workbook unpacks');
  });

  it('refuses too many entries, and leaves what is no ZIP to the reader', async () => {
    const many = zipOf(
      Array.from({ length: 501 }, (_, i) => storedEntry(`e${i}`, Buffer.from('x'))),
    );
    expect(declaredRefusal(many)?.code).toBe('workbook_too_many_entries');
    expect(declaredRefusal(new TextEncoder().encode('not a zip'))).toBeNull();
    expect(await inflatedRefusal(new TextEncoder().encode('not a zip'))).toBeNull();
  });

  it('refuses a ZIP laid out as no XLSX is, which another reader would correct for', async () => {
    const bomb = zipOf([await blankSheet(sheet, 5, 100)]);
    const cases: [string, Buffer][] = [
      ['bytes before', Buffer.concat([Buffer.alloc(4096), bomb])],
      ['bytes after', Buffer.concat([bomb, Buffer.alloc(10)])],
    ];
    for (const [what, bytes] of cases) {
      expect(declaredRefusal(bytes)?.code, what).toBe('workbook_archive_malformed');
      expect((await inflatedRefusal(bytes))?.code, what).toBe('workbook_archive_malformed');
    }
    // An entry count in the end record that disagrees with the directory.
    const miscounted = Buffer.from(bomb);
    miscounted.writeUInt16LE(2, miscounted.length - 22 + 10);
    expect(declaredRefusal(miscounted)?.code).toBe('workbook_archive_malformed');
    expect(declaredRefusal(bomb)).toBeNull();
  });
});
