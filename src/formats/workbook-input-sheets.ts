// The input sheets of the monitoring workbook (Fixed, Points, Periods, Monitoring): their headers,
// key columns and the yellow cells a person fills in, prefilled where a value is known.
import type ExcelJS from 'exceljs';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import { header, headerFont, setDate, setNumber } from './workbook-cells.ts';
import {
  descriptionRow,
  describeParameter,
  firstDataRow,
  keyColumns,
  parameterGroups,
  sheets,
  symbolRow,
  unitRow,
  type ParameterGroups,
} from './workbook-layout.ts';

/** The monitoring points and periods a workbook has rows for. */
export interface WorkbookLayout {
  readonly points: readonly string[];
  readonly periods: readonly {
    readonly id: string;
    readonly start: string;
    readonly end: string;
  }[];
}

/** A value to write into an input cell: (symbol, period or null, point or null) -> decimal text. */
export type Prefill = (
  symbol: string,
  period: string | null,
  point: string | null,
) => string | undefined;

/** Where the input sheets put each value, for the formulas of the calculation sheets. */
export interface InputCells {
  /** Fixed project-level symbol -> its row on Fixed (the value is in column D). */
  readonly fixedRow: ReadonlyMap<string, number>;
  /** Monitoring point -> its row on Points. */
  readonly pointRow: ReadonlyMap<string, number>;
  /** Period id -> its row on Periods. */
  readonly periodRow: ReadonlyMap<string, number>;
  /** Symbol -> its column on Points, on Periods and on Monitoring. */
  readonly pointsCol: ReadonlyMap<string, number>;
  readonly periodsCol: ReadonlyMap<string, number>;
  readonly monitoringCol: ReadonlyMap<string, number>;
  /** The row of a period and a point on Monitoring, and on PointCalculation, which mirrors it. */
  readonly monitoringRow: (periodIndex: number, pointIndex: number) => number;
}

/** Adds the four input sheets, in this order, and tells where each value went. */
export function writeInputSheets(
  book: ExcelJS.Workbook,
  methodology: CompiledMethodology,
  layout: WorkbookLayout,
  prefill: Prefill,
): InputCells {
  const groups = parameterGroups(methodology);
  const fixedRow = writeFixedSheet(book, groups, prefill);
  const pointRow = writePointsSheet(book, groups, layout, prefill);
  const periodRow = writePeriodsSheet(book, groups, layout, prefill);
  const monitoringRow = (periodIndex: number, pointIndex: number) =>
    firstDataRow + periodIndex * layout.points.length + pointIndex;
  writeMonitoringSheet(book, groups, layout, prefill, monitoringRow);
  // Where each symbol lives, for the formulas.
  const col = (list: readonly { def: { symbol: string } }[], offset: number) =>
    new Map(list.map((p, j) => [p.def.symbol, offset + 1 + j]));
  return {
    fixedRow,
    pointRow,
    periodRow,
    pointsCol: col(groups.fixedPerPoint, keyColumns.points),
    periodsCol: col(groups.monitoredProject, keyColumns.periods),
    monitoringCol: col(groups.monitoredPerPoint, keyColumns.monitoring),
    monitoringRow,
  };
}

/** Fixed (project level): symbol, description, unit, value, source; one parameter a row. */
function writeFixedSheet(
  book: ExcelJS.Workbook,
  groups: ParameterGroups,
  prefill: Prefill,
): Map<string, number> {
  const fixed = book.addWorksheet(sheets.fixed);
  fixed.columns = [{ width: 14 }, { width: 70 }, { width: 14 }, { width: 16 }, { width: 60 }];
  ['Symbol', 'Description', 'Unit', 'Value', 'Source'].forEach((h, i) => {
    fixed.getCell(1, i + 1).value = h;
    fixed.getCell(1, i + 1).font = headerFont;
  });
  const fixedRow = new Map<string, number>();
  groups.fixedProject.forEach((p, i) => {
    const row = i + 2;
    fixedRow.set(p.def.symbol, row);
    fixed.getCell(row, 1).value = p.def.symbol;
    fixed.getCell(row, 2).value = p.def.description;
    fixed.getCell(row, 3).value = p.def.unit;
    setNumber(fixed.getCell(row, 4), prefill(p.def.symbol, null, null) ?? p.def.default ?? '');
    fixed.getCell(row, 5).value = p.def.source ?? '';
  });
  return fixedRow;
}

/** Points: one row per monitoring point, with its fixed per-point values. */
function writePointsSheet(
  book: ExcelJS.Workbook,
  groups: ParameterGroups,
  layout: WorkbookLayout,
  prefill: Prefill,
): Map<string, number> {
  const pointsSheet = inputSheet(book, sheets.points, ['Monitoring point'], groups.fixedPerPoint);
  const pointRow = new Map<string, number>();
  layout.points.forEach((point, i) => {
    const row = firstDataRow + i;
    pointRow.set(point, row);
    pointsSheet.getCell(row, 1).value = point;
    groups.fixedPerPoint.forEach((p, j) => {
      setNumber(
        pointsSheet.getCell(row, keyColumns.points + 1 + j),
        prefill(p.def.symbol, null, point) ?? p.def.default ?? '',
      );
    });
  });
  return pointRow;
}

/** Periods: one row per monitoring period, its dates and its monitored project-level values. */
function writePeriodsSheet(
  book: ExcelJS.Workbook,
  groups: ParameterGroups,
  layout: WorkbookLayout,
  prefill: Prefill,
): Map<string, number> {
  const periodsSheet = inputSheet(
    book,
    sheets.periods,
    ['Period', 'Start', 'End'],
    groups.monitoredProject,
  );
  periodsSheet.getCell(unitRow, 2).value = 'date';
  periodsSheet.getCell(unitRow, 3).value = 'date';
  const periodRow = new Map<string, number>();
  layout.periods.forEach((period, i) => {
    const row = firstDataRow + i;
    periodRow.set(period.id, row);
    periodsSheet.getCell(row, 1).value = period.id;
    setDate(periodsSheet.getCell(row, 2), period.start);
    setDate(periodsSheet.getCell(row, 3), period.end);
    groups.monitoredProject.forEach((p, j) => {
      setNumber(
        periodsSheet.getCell(row, keyColumns.periods + 1 + j),
        prefill(p.def.symbol, period.id, null) ?? '',
      );
    });
  });
  return periodRow;
}

/** Monitoring: one row per period and monitoring point, with the monitored per-point values. */
function writeMonitoringSheet(
  book: ExcelJS.Workbook,
  groups: ParameterGroups,
  layout: WorkbookLayout,
  prefill: Prefill,
  monitoringRow: (periodIndex: number, pointIndex: number) => number,
): void {
  const monitoring = inputSheet(
    book,
    sheets.monitoring,
    ['Period', 'Monitoring point'],
    groups.monitoredPerPoint,
  );
  layout.periods.forEach((period, pi) => {
    layout.points.forEach((point, qi) => {
      const row = monitoringRow(pi, qi);
      monitoring.getCell(row, 1).value = period.id;
      monitoring.getCell(row, 2).value = point;
      groups.monitoredPerPoint.forEach((p, j) => {
        setNumber(
          monitoring.getCell(row, keyColumns.monitoring + 1 + j),
          prefill(p.def.symbol, period.id, point) ?? '',
        );
      });
    });
  });
}

/** An input sheet, key columns frozen, with a header (symbol, unit, description) per parameter. */
function inputSheet(
  book: ExcelJS.Workbook,
  name: string,
  keys: readonly string[],
  parameters: ParameterGroups['fixedProject'],
): ExcelJS.Worksheet {
  const sheet = book.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: keys.length, ySplit: descriptionRow }],
  });
  keys.forEach((k, i) => {
    sheet.getCell(symbolRow, i + 1).value = k;
    sheet.getColumn(i + 1).width = 18;
  });
  sheet.getCell(unitRow, 1).value = 'unit';
  sheet.getCell(descriptionRow, 1).value = 'description';
  parameters.forEach((p, j) =>
    header(sheet, keys.length + 1 + j, p.def.symbol, p.def.unit, describeParameter(p)),
  );
  sheet.getRow(symbolRow).font = headerFont;
  return sheet;
}
