// A Party's AEF tables as files: an XLSX workbook with one sheet per table, one CSV file per table
// (RFC 4180, the platform's one CSV writer) or one JSON document; each with the template's labels as
// the header, the sheets and columns in the description's order. The readers take such a file back
// into tables, for the re-read test and for `jcm aef check` on a file, and refuse files over
// `aefFileBytesMax` bytes or tables over `aefRowsMax` rows before reading them whole.
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { z } from 'zod';
import {
  formatAefDate,
  type AefDescription,
  type AefTableDescription,
  type AefTableKey,
} from '../core/article6/aef-description.ts';
import type { AefRow, AefTables } from '../core/article6/aef-tables.ts';
import { assert } from '../core/shared/assert.ts';
import { formatCivilDate } from '../core/shared/civil-date.ts';
import { csvField, csvFieldValue } from '../core/shared/csv.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import { cellText } from './workbook-cell-text.ts';
import { headerFont } from './workbook-cells.ts';
import { archiveLimits, inflatedRefusal } from './xlsx-archive.ts';

/** Largest AEF file read (bytes): an XLSX workbook, the CSV files together, or a JSON document. */
export const aefFileBytesMax = 16 * 1024 * 1024;
/** Rows read from one table, the header not counted. */
export const aefRowsMax = 100_000;

/** The JSON export: the AEF version of the description, the Party and year, and the tables. */
export interface AefDocument {
  readonly version: string;
  readonly party: string;
  readonly year: number;
  readonly tables: AefTables;
}

export async function writeAefXlsx(tables: AefTables, d: AefDescription): Promise<Buffer> {
  // Loaded on first use: a start or a command without spreadsheets does not pay for it.
  const book = new (await import('exceljs')).default.Workbook();
  book.creator = 'jcm';
  for (const table of d.tables) {
    const sheet = book.addWorksheet(table.sheet);
    sheet.addRow(table.fields.map((f) => f.label)).font = headerFont;
    // Every cell is text, as the tables hold it: no number or date is reinterpreted on the way.
    for (const row of tables[table.key]) sheet.addRow(table.fields.map((f) => row[f.key] ?? null));
    table.fields.forEach((f, i) => {
      sheet.getColumn(i + 1).width = Math.min(40, Math.max(12, f.label.length + 2));
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** One file per table, named after the table's key (actions.csv). */
export function writeAefCsv(
  tables: AefTables,
  d: AefDescription,
): { readonly name: string; readonly text: string }[] {
  return d.tables.map((table) => ({
    name: `${table.key}.csv`,
    text: [
      table.fields.map((f) => csvField(f.label)).join(','),
      ...tables[table.key].map((row) => table.fields.map((f) => csvField(row[f.key])).join(',')),
    ]
      .map((line) => `${line}\r\n`)
      .join(''),
  }));
}

export function writeAefJson(tables: AefTables, d: AefDescription): string {
  const submission = tables.submission[0];
  const year = Number(submission?.['reported_year']);
  assert(
    submission?.['party'] != null && Number.isInteger(year),
    'the tables have their Submission',
  );
  const document: AefDocument = { version: d.version, party: submission['party'], year, tables };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export async function readAefXlsx(
  bytes: Uint8Array,
  d: AefDescription,
): Promise<Result<AefTables>> {
  if (bytes.byteLength > aefFileBytesMax) return tooLarge();
  const refusal = await inflatedRefusal(bytes, { ...archiveLimits, sheetRowsMax: aefRowsMax + 1 });
  if (refusal !== null)
    return refusal.code === 'workbook_too_many_rows'
      ? tooManyRows(refusal.message)
      : reject(refusal.code, refusal.message);
  const book = new (await import('exceljs')).default.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    return reject(
      'aef_file_unreadable',
      `the file is not a readable XLSX workbook (${why(error)})`,
    );
  }
  const expected = new Set(d.tables.map((t) => t.sheet));
  const unknown = book.worksheets.map((ws) => ws.name).filter((name) => !expected.has(name));
  if (unknown.length > 0)
    return invalid(`the workbook has sheets the AEF has not: ${unknown.join(', ')}`);
  const tables: Partial<Record<AefTableKey, AefRow[]>> = {};
  for (const table of d.tables) {
    const ws = book.getWorksheet(table.sheet);
    if (ws === undefined) return invalid(`the workbook has no sheet "${table.sheet}"`);
    const rows = readSheet(ws, table, d);
    if (!rows.ok) return rows;
    tables[table.key] = rows.value;
  }
  return ok(complete(tables));
}

function readSheet(
  ws: ExcelJS.Worksheet,
  table: AefTableDescription,
  d: AefDescription,
): Result<AefRow[]> {
  if (ws.rowCount > aefRowsMax + 1)
    return tooManyRows(`the sheet "${table.sheet}" has more than ${aefRowsMax} rows`);
  const header: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (cell, column) => {
    header[column - 1] = cellText(cell);
  });
  const columns = columnsOf(header, table, `the sheet "${table.sheet}"`);
  if (!columns.ok) return columns;
  const rows: AefRow[] = [];
  for (let r = 2; r <= ws.rowCount; r += 1) {
    const sheetRow = ws.getRow(r);
    const cells = columns.value.map((column) => sheetCell(sheetRow.getCell(column + 1), d));
    if (cells.every((c) => c === null)) continue;
    rows.push(rowOf(table, cells));
  }
  return ok(rows);
}

/** A cell as text; a date cell (a person's edit) in the description's date format. */
function sheetCell(cell: ExcelJS.Cell, d: AefDescription): string | null {
  if (cell.value instanceof Date) {
    const v = cell.value;
    const iso = formatCivilDate({
      year: v.getUTCFullYear(),
      month: v.getUTCMonth() + 1,
      day: v.getUTCDate(),
    });
    return formatAefDate(iso, d.date_format);
  }
  const text = cellText(cell);
  return text === '' ? null : text;
}

/** One file per table, each named after its table's key, as `writeAefCsv` names them. */
export function readAefCsv(
  files: readonly { readonly name: string; readonly text: string }[],
  d: AefDescription,
): Result<AefTables> {
  if (files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0) > aefFileBytesMax)
    return tooLarge();
  const expected = new Set(d.tables.map((t) => `${t.key}.csv`));
  const unknown = files.map((f) => f.name).filter((name) => !expected.has(name));
  if (unknown.length > 0) return invalid(`files the AEF has no table for: ${unknown.join(', ')}`);
  const tables: Partial<Record<AefTableKey, AefRow[]>> = {};
  for (const table of d.tables) {
    const file = files.find((f) => f.name === `${table.key}.csv`);
    if (file === undefined) return invalid(`no file ${table.key}.csv`);
    let records: string[][];
    try {
      // Parsing stops one record past the limit: enough to know the file is over it.
      records = parse(file.text, {
        bom: true,
        skip_empty_lines: true,
        to: aefRowsMax + 2,
      }) as string[][];
    } catch (error) {
      // Lines of another width than the header are a table of another shape, not broken CSV.
      const ragged = (error as { code?: unknown }).code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH';
      return reject(
        ragged ? 'aef_file_invalid' : 'aef_file_unreadable',
        `${file.name} is not ${ragged ? 'a table of the AEF' : 'readable CSV'} (${why(error)})`,
      );
    }
    if (records.length > aefRowsMax + 1)
      return tooManyRows(`${file.name} has more than ${aefRowsMax} rows`);
    const columns = columnsOf(records[0] ?? [], table, file.name);
    if (!columns.ok) return columns;
    tables[table.key] = records.slice(1).map((record) =>
      rowOf(
        table,
        columns.value.map((column) => {
          const text = csvFieldValue(record[column] ?? '');
          return text === '' ? null : text;
        }),
      ),
    );
  }
  return ok(complete(tables));
}

const cell = z.string().max(10_000).nullable();
const documentSchema = z
  .object({
    version: z.string().max(40),
    party: z.string().max(3),
    year: z.number().int(),
    tables: z.record(z.string(), z.array(z.record(z.string(), cell))),
  })
  .strict();

export function readAefJson(text: string, d: AefDescription): Result<AefTables> {
  if (Buffer.byteLength(text) > aefFileBytesMax) return tooLarge();
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch (error) {
    return reject('aef_file_unreadable', `the file is not a JSON document (${why(error)})`);
  }
  const parsed = documentSchema.safeParse(plain);
  if (!parsed.success)
    return invalid(
      `the document is not an AEF document (${parsed.error.issues[0]?.message ?? ''})`,
    );
  const document = parsed.data;
  if (document.version !== d.version)
    return invalid(
      `the document is of AEF version ${document.version}, the description of ${d.version}`,
    );
  const keys = Object.keys(document.tables);
  const unknown = keys.filter((k) => !d.tables.some((t) => t.key === k));
  if (unknown.length > 0) return invalid(`tables the AEF has not: ${unknown.join(', ')}`);
  const tables: Partial<Record<AefTableKey, AefRow[]>> = {};
  for (const table of d.tables) {
    const rows = document.tables[table.key];
    if (rows === undefined) return invalid(`no table ${table.key}`);
    if (rows.length > aefRowsMax)
      return tooManyRows(`the table ${table.key} has more than ${aefRowsMax} rows`);
    const fieldKeys = new Set(table.fields.map((f) => f.key));
    for (const [i, row] of rows.entries()) {
      const extra = Object.keys(row).filter((k) => !fieldKeys.has(k));
      const absent = [...fieldKeys].filter((k) => !(k in row));
      if (extra.length > 0 || absent.length > 0)
        return invalid(
          `${table.key} row ${i} has keys ${[...extra, ...absent.map((k) => `no ${k}`)].join(', ')}`,
        );
    }
    tables[table.key] = rows.map((row) =>
      rowOf(
        table,
        table.fields.map((f) => row[f.key] ?? null),
      ),
    );
  }
  return ok(complete(tables));
}

/** Where each field's label stands in a header: every label once, and nothing else. */
function columnsOf(
  header: readonly string[],
  table: AefTableDescription,
  where: string,
): Result<number[]> {
  const labels = header.map((h) => h.trim());
  const extra = labels.filter((l) => l !== '' && !table.fields.some((f) => f.label === l));
  if (extra.length > 0) return invalid(`${where} has columns the AEF has not: ${extra.join('; ')}`);
  const columns: number[] = [];
  for (const field of table.fields) {
    const at = labels.indexOf(field.label);
    if (at < 0) return invalid(`${where} has no column "${field.label}"`);
    if (labels.lastIndexOf(field.label) !== at)
      return invalid(`${where} has "${field.label}" twice`);
    columns.push(at);
  }
  return ok(columns);
}

function rowOf(table: AefTableDescription, cells: readonly (string | null)[]): AefRow {
  assert(cells.length === table.fields.length, 'a cell for each field');
  return Object.fromEntries(table.fields.map((f, i) => [f.key, cells[i] ?? null]));
}

function complete(tables: Partial<Record<AefTableKey, AefRow[]>>): AefTables {
  const { submission, authorizations, actions, holdings, authorized_entities } = tables;
  assert(
    submission !== undefined &&
      authorizations !== undefined &&
      actions !== undefined &&
      holdings !== undefined &&
      authorized_entities !== undefined,
    'every table read',
  );
  return { submission, authorizations, actions, holdings, authorized_entities };
}

function tooLarge<T>(): Result<T> {
  return reject('aef_file_too_large', `the file is larger than ${aefFileBytesMax} bytes`);
}

function tooManyRows<T>(message: string): Result<T> {
  return reject('aef_file_too_many_rows', message);
}

function invalid<T>(message: string): Result<T> {
  return reject('aef_file_invalid', message);
}

function why(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 160) : 'unknown error';
}
