// Reading a workbook's cells as a person reads them: the text of a cell (numbers, dates, formula
// results, rich text), and the data rows of a sheet that have anything in them.
import type ExcelJS from 'exceljs';
import { formatCivilDate } from '../core/shared/civil-date.ts';
import { firstDataRow } from './workbook-layout.ts';

/** Calls `visit` for every data row that has anything in it. */
export function eachDataRow(ws: ExcelJS.Worksheet, visit: (row: number) => void): void {
  for (let row = firstDataRow; row <= ws.rowCount; row += 1) {
    const r = ws.getRow(row);
    let any = false;
    r.eachCell({ includeEmpty: false }, (cell) => {
      if (cellText(cell) !== '') any = true;
    });
    if (any) visit(row);
  }
}

/**
 * The text of a cell as a person reads it: numbers as the shortest decimal that identifies the stored
 * value, dates as YYYY-MM-DD, formulas by their result, rich text joined.
 */
export function cellText(cell: ExcelJS.Cell): string {
  return valueText(cell.value);
}

function valueText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    return formatCivilDate({
      year: value.getUTCFullYear(),
      month: value.getUTCMonth() + 1,
      day: value.getUTCDate(),
    });
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    return result === undefined ? '' : valueText(result as ExcelJS.CellValue);
  }
  if ('richText' in value)
    return value.richText
      .map((r) => r.text)
      .join('')
      .trim();
  if ('error' in value) return String(value.error);
  if ('text' in value) return String(value.text).trim();
  return '';
}
