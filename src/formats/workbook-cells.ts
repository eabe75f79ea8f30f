// How the monitoring workbook writer dresses its cells: bold header cells with unit and description
// below them, and yellow input cells holding numbers or dates.
import type ExcelJS from 'exceljs';
import { parseCivilDate } from '../core/shared/civil-date.ts';
import { descriptionRow, symbolRow, unitRow } from './workbook-layout.ts';

const inputFill: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFFFF4CC' },
};

export const headerFont: Partial<ExcelJS.Font> = { bold: true };

/** Writes a column's header: symbol (bold), unit and a wrapped description, one row each. */
export function header(
  sheet: ExcelJS.Worksheet,
  column: number,
  symbol: string,
  unit: string,
  description: string,
): void {
  sheet.getCell(symbolRow, column).value = symbol;
  sheet.getCell(symbolRow, column).font = headerFont;
  sheet.getCell(unitRow, column).value = unit;
  sheet.getCell(descriptionRow, column).value = description;
  sheet.getCell(descriptionRow, column).alignment = { wrapText: true, vertical: 'top' };
  sheet.getColumn(column).width = 18;
}

export function setNumber(cell: ExcelJS.Cell, text: string): void {
  // Numbers go in as numbers so that Excel computes with them; the reader reads the shortest
  // decimal that identifies the stored value, which is the text written here for ordinary values.
  cell.value = text === '' ? null : Number(text);
  cell.fill = inputFill;
}

export function setDate(cell: ExcelJS.Cell, text: string): void {
  const date = parseCivilDate(text);
  cell.value = date === null ? text : new Date(Date.UTC(date.year, date.month - 1, date.day));
  cell.numFmt = 'yyyy-mm-dd';
  cell.fill = inputFill;
}
