// Reads a filled monitoring workbook back into a raw report: every value as text with the sheet and
// cell it came from. Problems of structure (a missing sheet, an unknown or missing column, a wrong
// unit in a header) are reported here, once per column; problems of values by the core's validation.
import type ExcelJS from 'exceljs';
import type { CompiledMethodology, CompiledParameter } from '../core/methodology/compile.ts';
import type { MonitoringIssue, RawReport, RawValue } from '../core/methodology/monitoring-input.ts';
import { cellText, eachDataRow } from './workbook-cell-text.ts';
import {
  cellName,
  keyColumns,
  parameterGroups,
  sheets,
  symbolRow,
  unitRow,
  type ParameterGroups,
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

/** What reading collects, sheet after sheet: the parts of the raw report and the issues found. */
interface Reading {
  readonly book: ExcelJS.Workbook;
  readonly issues: MonitoringIssue[];
  readonly absent: Set<string>;
  readonly values: RawValue[];
  readonly points: { id: string; where: string }[];
  readonly periods: { id: string; start: string; end: string; where: string }[];
}

export async function readMonitoringWorkbook(
  methodology: CompiledMethodology,
  bytes: Uint8Array,
): Promise<ReadOutcome | { readonly unreadable: MonitoringIssue }> {
  const book = await loadWorkbook(bytes);
  if (!(book instanceof (await import('exceljs')).default.Workbook)) return { unreadable: book };
  const reading: Reading = {
    book,
    issues: [],
    absent: new Set(),
    values: [],
    points: [],
    periods: [],
  };
  const groups = parameterGroups(methodology);
  // The sheets are read in this order: Monitoring rows are checked against the listed points and
  // periods, when their sheets could be read.
  readFixedSheet(reading, groups);
  const pointsListed = readPointsSheet(reading, groups);
  const periodsListed = readPeriodsSheet(reading, groups);
  readMonitoringSheet(reading, groups, pointsListed, periodsListed);
  const { points, periods, values, issues, absent } = reading;
  return { report: { points, periods, values }, issues, absent };
}

async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook | MonitoringIssue> {
  // Loaded on first use: a start or a command without spreadsheets does not pay for it.
  const book = new (await import('exceljs')).default.Workbook();
  try {
    if (bytes.byteLength > workbookBytesMax)
      throw new Error(`larger than ${workbookBytesMax} bytes`);
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    return {
      code: 'monitoring_file_unreadable',
      message: `the file is not a readable XLSX workbook (${error instanceof Error ? error.message.slice(0, 120) : 'unknown error'})`,
      where: 'the file',
    };
  }
  return book;
}

function at(name: string, column: number, row: number): string {
  return `sheet '${name}' cell ${cellName(column, row)}`;
}

/** A sheet of the workbook; a missing or oversized one is reported and read as absent. */
function sheetOf(reading: Reading, name: string): ExcelJS.Worksheet | null {
  const found = reading.book.getWorksheet(name);
  if (found === undefined) {
    reading.issues.push({
      code: 'monitoring_sheet_missing',
      message: `the workbook has no sheet named ${name}`,
      where: `sheet '${name}'`,
    });
    return null;
  }
  if (found.rowCount > sheetRowsMax) {
    reading.issues.push({
      code: 'monitoring_too_large',
      message: `sheet ${name} has more than ${sheetRowsMax} rows`,
      where: `sheet '${name}'`,
    });
    return null;
  }
  return found;
}

/**
 * The parameter of each column after the key columns, from the symbol in its header. Unknown
 * symbols and wrong units are reported at the header, as are expected parameters without a column.
 */
function parameterColumns(
  reading: Reading,
  ws: ExcelJS.Worksheet,
  name: string,
  keys: number,
  expected: readonly CompiledParameter[],
): Map<number, CompiledParameter> {
  const map = new Map<number, CompiledParameter>();
  const known = new Map(expected.map((p) => [p.def.symbol, p]));
  for (let column = keys + 1; column <= ws.columnCount; column += 1) {
    const symbol = cellText(ws.getCell(symbolRow, column));
    if (symbol === '') continue;
    const parameter = known.get(symbol);
    if (parameter === undefined) {
      reading.issues.push({
        code: 'monitoring_column_unknown',
        message: `${symbol} is not a parameter of this sheet`,
        where: at(name, column, symbolRow),
      });
      continue;
    }
    known.delete(symbol);
    const unit = cellText(ws.getCell(unitRow, column));
    if (unit !== parameter.def.unit) {
      reading.issues.push({
        code: 'monitoring_unit_mismatch',
        message: `${symbol} is in ${parameter.def.unit}, not ${JSON.stringify(unit)}`,
        where: at(name, column, unitRow),
      });
    }
    map.set(column, parameter);
  }
  for (const symbol of known.keys()) {
    reading.issues.push({
      code: 'monitoring_column_missing',
      message: `no column for ${symbol}`,
      where: `sheet '${name}' row ${symbolRow}`,
    });
    reading.absent.add(symbol);
  }
  return map;
}

/** Fixed: one row per project-level fixed parameter, its unit in column C and value in column D. */
function readFixedSheet(reading: Reading, groups: ParameterGroups): void {
  const fixed = groups.fixedProject.length > 0 ? sheetOf(reading, sheets.fixed) : null;
  if (fixed === null) return;
  const found = new Set<string>();
  for (let row = 2; row <= fixed.rowCount; row += 1) {
    const symbol = cellText(fixed.getCell(row, 1));
    if (symbol === '') continue;
    found.add(symbol);
    reading.values.push({
      symbol,
      text: cellText(fixed.getCell(row, 4)),
      where: at(sheets.fixed, 4, row),
      unit: { text: cellText(fixed.getCell(row, 3)), where: at(sheets.fixed, 3, row) },
    });
  }
  for (const p of groups.fixedProject) {
    if (!found.has(p.def.symbol)) {
      reading.issues.push({
        code: 'monitoring_column_missing',
        message: `no row for the fixed parameter ${p.def.symbol}`,
        where: `sheet '${sheets.fixed}'`,
      });
      reading.absent.add(p.def.symbol);
    }
  }
}

/** Points: the monitoring points and their fixed per-point values. False if the sheet is absent. */
function readPointsSheet(reading: Reading, groups: ParameterGroups): boolean {
  const pointsSheet = sheetOf(reading, sheets.points);
  if (pointsSheet === null) return false;
  const byColumn = parameterColumns(
    reading,
    pointsSheet,
    sheets.points,
    keyColumns.points,
    groups.fixedPerPoint,
  );
  eachDataRow(pointsSheet, (row) => {
    const id = cellText(pointsSheet.getCell(row, 1));
    reading.points.push({ id, where: at(sheets.points, 1, row) });
    for (const [column, p] of byColumn) {
      reading.values.push({
        symbol: p.def.symbol,
        point: id,
        text: cellText(pointsSheet.getCell(row, column)),
        where: at(sheets.points, column, row),
      });
    }
  });
  return true;
}

/** Periods: the periods, their dates and monitored project-level values. False if it is absent. */
function readPeriodsSheet(reading: Reading, groups: ParameterGroups): boolean {
  const periodsSheet = sheetOf(reading, sheets.periods);
  if (periodsSheet === null) return false;
  const byColumn = parameterColumns(
    reading,
    periodsSheet,
    sheets.periods,
    keyColumns.periods,
    groups.monitoredProject,
  );
  eachDataRow(periodsSheet, (row) => {
    const id = cellText(periodsSheet.getCell(row, 1));
    reading.periods.push({
      id,
      start: cellText(periodsSheet.getCell(row, 2)),
      end: cellText(periodsSheet.getCell(row, 3)),
      where: `sheet '${sheets.periods}' row ${row} (cells A${row}:C${row})`,
    });
    for (const [column, p] of byColumn) {
      reading.values.push({
        symbol: p.def.symbol,
        period: id,
        text: cellText(periodsSheet.getCell(row, column)),
        where: at(sheets.periods, column, row),
      });
    }
  });
  return true;
}

/**
 * Monitoring: the monitored per-point values, one row per period and point. A row's period and
 * point are checked against the lists read before, when those sheets could be read.
 */
function readMonitoringSheet(
  reading: Reading,
  groups: ParameterGroups,
  pointsListed: boolean,
  periodsListed: boolean,
): void {
  const monitoring =
    groups.monitoredPerPoint.length > 0 ? sheetOf(reading, sheets.monitoring) : null;
  if (monitoring === null) return;
  const byColumn = parameterColumns(
    reading,
    monitoring,
    sheets.monitoring,
    keyColumns.monitoring,
    groups.monitoredPerPoint,
  );
  // Row-level mistakes are reported once per row, not once per value of the row.
  const knownPoints = new Set(reading.points.map((p) => p.id));
  const knownPeriods = new Set(reading.periods.map((p) => p.id));
  const rowOf = new Map<string, number>();
  eachDataRow(monitoring, (row) => {
    const period = cellText(monitoring.getCell(row, 1));
    const point = cellText(monitoring.getCell(row, 2));
    if (pointsListed && !knownPoints.has(point)) {
      reading.issues.push({
        code: 'monitoring_point_unknown',
        message: `${JSON.stringify(point)} is not listed on sheet ${sheets.points}`,
        where: at(sheets.monitoring, 2, row),
      });
      return;
    }
    if (periodsListed && !knownPeriods.has(period)) {
      reading.issues.push({
        code: 'monitoring_period_unknown',
        message: `${JSON.stringify(period)} is not listed on sheet ${sheets.periods}`,
        where: at(sheets.monitoring, 1, row),
      });
      return;
    }
    const key = `${period}\u0000${point}`;
    const earlier = rowOf.get(key);
    if (earlier !== undefined) {
      reading.issues.push({
        code: 'monitoring_row_repeated',
        message: `period ${period}, point ${point} is already on row ${earlier}`,
        where: `sheet '${sheets.monitoring}' row ${row}`,
      });
      return;
    }
    rowOf.set(key, row);
    for (const [column, p] of byColumn) {
      reading.values.push({
        symbol: p.def.symbol,
        period,
        point,
        text: cellText(monitoring.getCell(row, column)),
        where: at(sheets.monitoring, column, row),
      });
    }
  });
}
