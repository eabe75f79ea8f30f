// India's 2027 AEF written as XLSX, CSV and JSON and read back: the same tables, which still pass the
// checks; the template's labels as headers; files over the limits, or not shaped as the AEF, refused.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkAef } from '../../../src/core/article6/aef-checks.ts';
import type { AefDescription } from '../../../src/core/article6/aef-description.ts';
import { buildAefTables, type AefTables } from '../../../src/core/article6/aef-tables.ts';
import {
  aefFileBytesMax,
  aefRowsMax,
  readAefCsv,
  readAefJson,
  readAefXlsx,
  writeAefCsv,
  writeAefJson,
  writeAefXlsx,
} from '../../../src/formats/aef-export.ts';
import { rowsSheet, zipOf } from '../../support/zip-bomb.ts';
import { description, input, knownEntries, registryHoldings } from './aef-fixture.ts';

const built = buildAefTables(input, description);
if (!built.ok) throw new Error(built.error.message);
// A cell a spreadsheet would take for a formula, and one with a quote and a line break, survive.
const tables: AefTables = {
  ...built.value,
  authorized_entities: built.value.authorized_entities.map((row) => ({
    ...row,
    conditions: '=HYPERLINK("http://example.org")',
    change_conditions: 'Revoked on "breach",\nwith notice',
  })),
};

const codeOf = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }) =>
  r.ok ? 'ok' : r.error.code;

describe('the AEF as files', () => {
  it('reads back the tables it wrote as XLSX, and they pass the checks', async () => {
    const read = await readAefXlsx(await writeAefXlsx(tables, description), description);
    expect(read).toEqual({ ok: true, value: tables });
    if (!read.ok) return;
    const context = {
      description,
      isKnownEntry: (e: string) => knownEntries.has(e),
      registryHoldings,
      otherAuthorizations: [],
    };
    expect(checkAef(read.value, context)).toEqual([]);
  });

  it('reads back the tables it wrote as CSV, one file per table', () => {
    const files = writeAefCsv(tables, description);
    expect(files.map((f) => f.name)).toEqual([
      'submission.csv',
      'authorizations.csv',
      'actions.csv',
      'holdings.csv',
      'authorized_entities.csv',
    ]);
    expect(readAefCsv(files, description)).toEqual({ ok: true, value: tables });
  });

  it('reads back the tables it wrote as JSON, with the AEF version, Party and year', () => {
    const text = writeAefJson(tables, description);
    expect(JSON.parse(text)).toMatchObject({ version: 'AEF-2024', party: 'IND', year: 2027 });
    expect(readAefJson(text, description)).toEqual({ ok: true, value: tables });
  });

  it("heads each sheet and file with the template's labels, in the template's order", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await writeAefXlsx(tables, description)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((ws) => ws.name)).toEqual([
      'Table 1 Submission',
      'Table 2 Authorizations',
      'Table 3 Actions',
      'Table 4 Holdings',
      'Table 5 Auth. entities',
    ]);
    const header = (book.getWorksheet('Table 1 Submission')?.getRow(1).values as unknown[]).slice(
      1,
    );
    expect(header).toEqual([
      'Party',
      'Version',
      'Reported year',
      'Date of submission',
      'Review status of the initial report',
      'Result of the consistency check of this AEF submission',
      'First year of the NDC implementation period',
      'Last year of the NDC implementation period',
      'Reference to the Article 6 technical expert review report of the initial report',
    ]);
    const csv = writeAefCsv(tables, description)[0]?.text;
    expect(csv).toBe(
      '"Party","Version","Reported year","Date of submission","Review status of the initial report",' +
        '"Result of the consistency check of this AEF submission","First year of the NDC implementation period",' +
        '"Last year of the NDC implementation period","Reference to the Article 6 technical expert review report of the initial report"\r\n' +
        '"IND","1.0","2027","10/04/2028","","","2021","2030",""\r\n',
    );
  });

  it('takes labels from the description: a renamed column is written and read by its new label', async () => {
    const renamed: AefDescription = {
      ...description,
      tables: description.tables.map((t) => ({
        ...t,
        fields: t.fields.map((f) => (f.key === 'party' ? { ...f, label: 'Reporting Party' } : f)),
      })),
    };
    const bytes = await writeAefXlsx(tables, renamed);
    expect(codeOf(await readAefXlsx(bytes, renamed))).toBe('ok');
    expect(codeOf(await readAefXlsx(bytes, description))).toBe('aef_file_invalid');
  });

  it.each([
    [
      'XLSX',
      async () => codeOf(await readAefXlsx(new Uint8Array(aefFileBytesMax + 1), description)),
    ],
    [
      'CSV',
      async () =>
        codeOf(
          readAefCsv([{ name: 'actions.csv', text: 'x'.repeat(aefFileBytesMax + 1) }], description),
        ),
    ],
    ['JSON', async () => codeOf(readAefJson(' '.repeat(aefFileBytesMax + 1), description))],
  ])('refuses an oversized %s file', async (_, read) => {
    expect(await read()).toBe('aef_file_too_large');
  });

  it.each([
    [
      'XLSX',
      async () =>
        codeOf(
          await readAefXlsx(zipOf([await rowsSheet('xl/worksheets/sheet1.xml', 101)]), description),
        ),
    ],
    [
      'CSV',
      async () => {
        const files = writeAefCsv(tables, description).map((f) =>
          f.name === 'holdings.csv'
            ? { ...f, text: f.text + `${'"",'.repeat(15)}""\r\n`.repeat(aefRowsMax) }
            : f,
        );
        return codeOf(readAefCsv(files, description));
      },
    ],
    [
      'JSON',
      async () => {
        const document = JSON.parse(writeAefJson(tables, description)) as { tables: AefTables };
        // Rows of no cells: the count is refused before any row is looked at.
        const rows = Array.from({ length: aefRowsMax + 1 }, () => ({}));
        const text = JSON.stringify({
          ...document,
          tables: { ...document.tables, holdings: rows },
        });
        return codeOf(readAefJson(text, description));
      },
    ],
  ])(`refuses a %s table of more than ${aefRowsMax} rows`, async (_, read) => {
    expect(await read()).toBe('aef_file_too_many_rows');
  });

  it.each([
    [
      'a file that is no workbook',
      async () => codeOf(await readAefXlsx(Buffer.from('not a zip'), description)),
    ],
    [
      'CSV that is not CSV',
      async () => codeOf(readAefCsv([{ name: 'submission.csv', text: '"open' }], description)),
    ],
    ['JSON that is not JSON', async () => codeOf(readAefJson('{', description))],
  ])('refuses %s as unreadable', async (_, read) => {
    expect(await read()).toBe('aef_file_unreadable');
  });

  it.each([
    [
      'a CSV file missing',
      async () => codeOf(readAefCsv(writeAefCsv(tables, description).slice(1), description)),
    ],
    [
      'a CSV line of another width than its header',
      async () => {
        const files = writeAefCsv(tables, description).map((f) =>
          f.name === 'submission.csv' ? { ...f, text: `${f.text}"IND"\r\n` } : f,
        );
        return codeOf(readAefCsv(files, description));
      },
    ],
    [
      'a CSV column missing',
      async () => {
        const files = writeAefCsv(tables, description).map((f) =>
          f.name === 'submission.csv' ? { ...f, text: '"Party"\r\n"IND"\r\n' } : f,
        );
        return codeOf(readAefCsv(files, description));
      },
    ],
    [
      'a JSON document of another AEF version',
      async () => {
        const document = JSON.parse(writeAefJson(tables, description)) as object;
        return codeOf(
          readAefJson(JSON.stringify({ ...document, version: 'AEF-2022' }), description),
        );
      },
    ],
    [
      'a JSON row with a key the AEF has not',
      async () => {
        const document = JSON.parse(writeAefJson(tables, description)) as { tables: AefTables };
        const submission = [{ ...tables.submission[0], remarks: 'x' }];
        const text = JSON.stringify({ ...document, tables: { ...document.tables, submission } });
        return codeOf(readAefJson(text, description));
      },
    ],
    [
      'a workbook with a sheet the AEF has not',
      async () => {
        const book = new ExcelJS.Workbook();
        await book.xlsx.load((await writeAefXlsx(tables, description)) as unknown as ArrayBuffer);
        book.addWorksheet('Notes');
        return codeOf(await readAefXlsx(Buffer.from(await book.xlsx.writeBuffer()), description));
      },
    ],
  ])('refuses %s as not shaped as the AEF', async (_, read) => {
    expect(await read()).toBe('aef_file_invalid');
  });
});
