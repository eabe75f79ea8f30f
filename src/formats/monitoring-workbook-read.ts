// Reads a filled monitoring workbook back into a raw report: every value as text with the sheet and
// cell it came from. Problems of structure (a missing sheet, an unknown or missing column, a wrong
// unit in a header) are reported here, once per column; problems of values by the core's validation.
import ExcelJS from 'exceljs';
import type { CompiledMethodology, CompiledParameter } from '../core/methodology/compile.ts';
import type { MonitoringIssue, RawReport, RawValue } from '../core/methodology/monitoring-input.ts';
import { formatCivilDate } from '../core/shared/civil-date.ts';
import {
  cellName,
  firstDataRow,
  keyColumns,
  parameterGroups,
  sheets,
  symbolRow,
  unitRow,
} from './workbook-layout.ts';

export interface ReadOutcome {
  readonly report: RawReport;
  readonly issues: readonly MonitoringIssue[];
  /** Parameters whose column is missing: their values are not reported missing row by row. */
  readonly absent: ReadonlySet<string>;
}

/** Largest workbook accepted (bytes). */
export const workbookBytesMax = 32 * 1024 * 1024;
/** Rows read from one sheet. */
export const sheetRowsMax = 250_000;

export async function readMonitoringWorkbook(
  methodology: CompiledMethodology,
  bytes: Uint8Array,
): Promise<ReadOutcome | { readonly unreadable: MonitoringIssue }> {
  const book = new ExcelJS.Workbook();
  try {
    if (bytes.byteLength > workbookBytesMax)
      throw new Error(`larger than ${workbookBytesMax} bytes`);
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    return {
      unreadable: {
        code: 'monitoring_file_unreadable',
        message: `the file is not a readable XLSX workbook (${error instanceof Error ? error.message.slice(0, 120) : 'unknown error'})`,
        where: 'the file',
      },
    };
  }
  const issues: MonitoringIssue[] = [];
  const absent = new Set<string>();
  const values: RawValue[] = [];
  const points: { id: string; where: string }[] = [];
  const periods: { id: string; start: string; end: string; where: string }[] = [];
  const groups = parameterGroups(methodology);

  const sheet = (name: string): ExcelJS.Worksheet | null => {
    const found = book.getWorksheet(name);
    if (found === undefined) {
      issues.push({
        code: 'monitoring_sheet_missing',
        message: `the workbook has no sheet named ${name}`,
        where: `sheet '${name}'`,
      });
      return null;
    }
    if (found.rowCount > sheetRowsMax) {
      issues.push({
        code: 'monitoring_too_large',
        message: `sheet ${name} has more than ${sheetRowsMax} rows`,
        where: `sheet '${name}'`,
      });
      return null;
    }
    return found;
  };
  const at = (name: string, column: number, row: number) =>
    `sheet '${name}' cell ${cellName(column, row)}`;

  const fixed = groups.fixedProject.length > 0 ? sheet(sheets.fixed) : null;
  if (fixed !== null) {
    const found = new Set<string>();
    for (let row = 2; row <= fixed.rowCount; row += 1) {
      const symbol = cellText(fixed.getCell(row, 1));
      if (symbol === '') continue;
      found.add(symbol);
      values.push({
        symbol,
        text: cellText(fixed.getCell(row, 4)),
        where: at(sheets.fixed, 4, row),
        unit: { text: cellText(fixed.getCell(row, 3)), where: at(sheets.fixed, 3, row) },
      });
    }
    for (const p of groups.fixedProject) {
      if (!found.has(p.def.symbol)) {
        issues.push({
          code: 'monitoring_column_missing',
          message: `no row for the fixed parameter ${p.def.symbol}`,
          where: `sheet '${sheets.fixed}'`,
        });
        absent.add(p.def.symbol);
      }
    }
  }

  const columns = (
    ws: ExcelJS.Worksheet,
    name: string,
    keys: number,
    expected: readonly CompiledParameter[],
  ) => {
    const map = new Map<number, CompiledParameter>();
    const known = new Map(expected.map((p) => [p.def.symbol, p]));
    for (let column = keys + 1; column <= ws.columnCount; column += 1) {
      const symbol = cellText(ws.getCell(symbolRow, column));
      if (symbol === '') continue;
      const parameter = known.get(symbol);
      if (parameter === undefined) {
        issues.push({
          code: 'monitoring_column_unknown',
          message: `${symbol} is not a parameter of this sheet`,
          where: at(name, column, symbolRow),
        });
        continue;
      }
      known.delete(symbol);
      const unit = cellText(ws.getCell(unitRow, column));
      if (unit !== parameter.def.unit) {
        issues.push({
          code: 'monitoring_unit_mismatch',
          message: `${symbol} is in ${parameter.def.unit}, not ${JSON.stringify(unit)}`,
          where: at(name, column, unitRow),
        });
      }
      map.set(column, parameter);
    }
    for (const symbol of known.keys()) {
      issues.push({
        code: 'monitoring_column_missing',
        message: `no column for ${symbol}`,
        where: `sheet '${name}' row ${symbolRow}`,
      });
      absent.add(symbol);
    }
    return map;
  };

  const pointsSheet = sheet(sheets.points);
  if (pointsSheet !== null) {
    const byColumn = columns(pointsSheet, sheets.points, keyColumns.points, groups.fixedPerPoint);
    eachDataRow(pointsSheet, (row) => {
      const id = cellText(pointsSheet.getCell(row, 1));
      points.push({ id, where: at(sheets.points, 1, row) });
      for (const [column, p] of byColumn) {
        values.push({
          symbol: p.def.symbol,
          point: id,
          text: cellText(pointsSheet.getCell(row, column)),
          where: at(sheets.points, column, row),
        });
      }
    });
  }

  const periodsSheet = sheet(sheets.periods);
  if (periodsSheet !== null) {
    const byColumn = columns(
      periodsSheet,
      sheets.periods,
      keyColumns.periods,
      groups.monitoredProject,
    );
    eachDataRow(periodsSheet, (row) => {
      const id = cellText(periodsSheet.getCell(row, 1));
      periods.push({
        id,
        start: cellText(periodsSheet.getCell(row, 2)),
        end: cellText(periodsSheet.getCell(row, 3)),
        where: `sheet '${sheets.periods}' row ${row} (cells A${row}:C${row})`,
      });
      for (const [column, p] of byColumn) {
        values.push({
          symbol: p.def.symbol,
          period: id,
          text: cellText(periodsSheet.getCell(row, column)),
          where: at(sheets.periods, column, row),
        });
      }
    });
  }

  const monitoring = groups.monitoredPerPoint.length > 0 ? sheet(sheets.monitoring) : null;
  if (monitoring !== null) {
    const byColumn = columns(
      monitoring,
      sheets.monitoring,
      keyColumns.monitoring,
      groups.monitoredPerPoint,
    );
    // Row-level mistakes are reported once per row, not once per value of the row.
    const knownPoints = new Set(points.map((p) => p.id));
    const knownPeriods = new Set(periods.map((p) => p.id));
    const rowOf = new Map<string, number>();
    eachDataRow(monitoring, (row) => {
      const period = cellText(monitoring.getCell(row, 1));
      const point = cellText(monitoring.getCell(row, 2));
      if (pointsSheet !== null && !knownPoints.has(point)) {
        issues.push({
          code: 'monitoring_point_unknown',
          message: `${JSON.stringify(point)} is not listed on sheet ${sheets.points}`,
          where: at(sheets.monitoring, 2, row),
        });
        return;
      }
      if (periodsSheet !== null && !knownPeriods.has(period)) {
        issues.push({
          code: 'monitoring_period_unknown',
          message: `${JSON.stringify(period)} is not listed on sheet ${sheets.periods}`,
          where: at(sheets.monitoring, 1, row),
        });
        return;
      }
      const key = `${period}\u0000${point}`;
      const earlier = rowOf.get(key);
      if (earlier !== undefined) {
        issues.push({
          code: 'monitoring_row_repeated',
          message: `period ${period}, point ${point} is already on row ${earlier}`,
          where: `sheet '${sheets.monitoring}' row ${row}`,
        });
        return;
      }
      rowOf.set(key, row);
      for (const [column, p] of byColumn) {
        values.push({
          symbol: p.def.symbol,
          period,
          point,
          text: cellText(monitoring.getCell(row, column)),
          where: at(sheets.monitoring, column, row),
        });
      }
    });
  }
  return { report: { points, periods, values }, issues, absent };
}

/** Calls `visit` for every data row that has anything in it. */
function eachDataRow(ws: ExcelJS.Worksheet, visit: (row: number) => void): void {
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
