// Writes the monitoring spreadsheet of a methodology: input sheets (fixed values, monitoring points,
// periods, one row per monitoring point and period) and calculation sheets with live Excel formulas
// that follow the methodology's equations, unit conversions included, down to credits per vintage.
// The platform's exact decimal result is authoritative; Excel reproduces it in floating point.
import ExcelJS from 'exceljs';
import type { CompiledMethodology, Typed } from '../core/methodology/compile.ts';
import { daysPerYear, parseCivilDate } from '../core/shared/civil-date.ts';
import { decimalText } from '../core/methodology/decimal.ts';
import { assert, assertNever } from '../core/shared/assert.ts';
import {
  cellName,
  columnLetter,
  descriptionRow,
  describeParameter,
  firstDataRow,
  keyColumns,
  parameterGroups,
  sheets,
  symbolRow,
  unitRow,
} from './workbook-layout.ts';

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

/** Most rows of monitoring a template is generated for (points x periods). */
export const templateRowsMax = 200_000;

const inputFill: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFFFF4CC' },
};
const headerFont: Partial<ExcelJS.Font> = { bold: true };

export async function writeMonitoringWorkbook(
  methodology: CompiledMethodology,
  layout: WorkbookLayout,
  prefill: Prefill = () => undefined,
): Promise<Buffer> {
  assert(
    layout.points.length * layout.periods.length <= templateRowsMax,
    'template size checked by the caller',
  );
  const book = new ExcelJS.Workbook();
  book.creator = 'jcm';
  book.calcProperties.fullCalcOnLoad = true;
  const groups = parameterGroups(methodology);
  const file = methodology.file;

  const about = book.addWorksheet(sheets.about);
  about.columns = [{ width: 28 }, { width: 100 }];
  const aboutRows: [string, string][] = [
    ['Methodology', file.id],
    ['Version', file.version],
    ['Title', file.title],
    [
      'How to fill',
      'Enter values in the yellow cells of Fixed, Points, Periods and Monitoring, in the units of row 2.',
    ],
    ['', 'Do not reorder rows or columns: the calculation sheets refer to them by position.'],
    [
      '',
      'Import with `jcm methodology calculate <id> <file>` or the API; the platform computes in exact decimals.',
    ],
    [
      'Credits',
      'Emission reductions of a period are apportioned to calendar years by days, then rounded down once.',
    ],
  ];
  aboutRows.forEach(([k, v], i) => {
    about.getCell(i + 1, 1).value = k;
    about.getCell(i + 1, 1).font = headerFont;
    about.getCell(i + 1, 2).value = v;
  });

  // Fixed (project level): symbol, description, unit, value, source.
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

  const monitoring = inputSheet(
    book,
    sheets.monitoring,
    ['Period', 'Monitoring point'],
    groups.monitoredPerPoint,
  );
  const monitoringRow = (periodIndex: number, pointIndex: number) =>
    firstDataRow + periodIndex * layout.points.length + pointIndex;
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

  // Where each symbol lives, for the formulas.
  const col = (list: readonly { def: { symbol: string } }[], offset: number) =>
    new Map(list.map((p, j) => [p.def.symbol, offset + 1 + j]));
  const pointsCol = col(groups.fixedPerPoint, keyColumns.points);
  const periodsCol = col(groups.monitoredProject, keyColumns.periods);
  const monitoringCol = col(groups.monitoredPerPoint, keyColumns.monitoring);
  const perPointEquations = methodology.equations.filter((e) => e.perPoint);
  const projectEquations = methodology.equations.filter((e) => !e.perPoint);
  const pointCalcCol = new Map(
    perPointEquations.map((e, j) => [e.def.symbol, keyColumns.monitoring + 1 + j]),
  );
  const helpers = new Map<Typed, number>();
  let nextHelper = keyColumns.monitoring + 1 + perPointEquations.length;
  const collectSums = (t: Typed): void => {
    if (t.kind === 'sum') {
      if (!isMonitoredSymbol(t.operand)) helpers.set(t.operand, nextHelper++);
      collectSums(t.operand);
    } else if (t.kind === 'negate' || t.kind === 'scale') collectSums(t.operand);
    else if (t.kind === 'binary') {
      collectSums(t.left);
      collectSums(t.right);
    } else if (t.kind === 'min' || t.kind === 'max') t.args.forEach(collectSums);
  };
  const isMonitoredSymbol = (t: Typed) => t.kind === 'symbol' && monitoringCol.has(t.name);
  methodology.equations.forEach((e) => collectSums(e.typed));
  const calcCol = new Map(projectEquations.map((e, j) => [e.def.symbol, 4 + j]));

  const formula = (t: Typed, pi: number, qi: number | null): string => {
    const period = layout.periods[pi];
    assert(period !== undefined, 'period index in range');
    switch (t.kind) {
      case 'number':
        return decimalText(t.value);
      case 'symbol': {
        if (t.perPoint) {
          assert(qi !== null, `${t.name} is used per monitoring point`);
          const point = layout.points[qi] as string;
          const row = monitoringRow(pi, qi);
          if (pointsCol.has(t.name))
            return `${sheets.points}!$${columnLetter(pointsCol.get(t.name) as number)}$${pointRow.get(point) as number}`;
          if (monitoringCol.has(t.name))
            return `${sheets.monitoring}!${cellName(monitoringCol.get(t.name) as number, row)}`;
          return `${sheets.pointCalculation}!${cellName(pointCalcCol.get(t.name) as number, row)}`;
        }
        if (fixedRow.has(t.name)) return `${sheets.fixed}!$D$${fixedRow.get(t.name) as number}`;
        if (periodsCol.has(t.name))
          return `${sheets.periods}!${cellName(periodsCol.get(t.name) as number, periodRow.get(period.id) as number)}`;
        return `${sheets.calculation}!${cellName(calcCol.get(t.name) as number, firstDataRow + pi)}`;
      }
      case 'negate':
        return `-(${formula(t.operand, pi, qi)})`;
      case 'binary':
        return `(${formula(t.left, pi, qi)})${t.op}(${formula(t.right, pi, qi)})`;
      case 'scale':
        return `(${formula(t.operand, pi, qi)})*${t.factor.toSignificantDigits(17).toFixed()}`;
      case 'min':
      case 'max':
        return `${t.kind.toUpperCase()}(${t.args.map((a) => formula(a, pi, qi)).join(',')})`;
      case 'sum': {
        const first = monitoringRow(pi, 0);
        const last = monitoringRow(pi, layout.points.length - 1);
        const helper = helpers.get(t.operand);
        const sheet = helper === undefined ? sheets.monitoring : sheets.pointCalculation;
        const column = columnLetter(
          helper ?? (monitoringCol.get((t.operand as { name: string }).name) as number),
        );
        return `SUM(${sheet}!${column}${first}:${column}${last})`;
      }
      default:
        return assertNever(t, 'expression');
    }
  };

  const pointCalc = book.addWorksheet(sheets.pointCalculation);
  pointCalc.getCell(symbolRow, 1).value = 'Period';
  pointCalc.getCell(symbolRow, 2).value = 'Monitoring point';
  for (const e of perPointEquations)
    header(
      pointCalc,
      pointCalcCol.get(e.def.symbol) as number,
      e.def.symbol,
      e.def.unit,
      e.def.description,
    );
  for (const [operand, column] of helpers) {
    header(
      pointCalc,
      column,
      `sum term ${column - perPointEquations.length - keyColumns.monitoring}`,
      '',
      `term summed over monitoring points: ${describeTerm(operand)}`,
    );
  }
  layout.periods.forEach((period, pi) => {
    layout.points.forEach((point, qi) => {
      const row = monitoringRow(pi, qi);
      pointCalc.getCell(row, 1).value = period.id;
      pointCalc.getCell(row, 2).value = point;
      for (const e of perPointEquations)
        pointCalc.getCell(row, pointCalcCol.get(e.def.symbol) as number).value = {
          formula: formula(e.typed, pi, qi),
        };
      for (const [operand, column] of helpers)
        pointCalc.getCell(row, column).value = { formula: formula(operand, pi, qi) };
    });
  });

  const calc = book.addWorksheet(sheets.calculation);
  ['Period', 'Start', 'End'].forEach((h, i) => (calc.getCell(symbolRow, i + 1).value = h));
  for (const e of projectEquations)
    header(calc, calcCol.get(e.def.symbol) as number, e.def.symbol, e.def.unit, e.def.description);
  calc.getRow(symbolRow).font = headerFont;
  layout.periods.forEach((period, pi) => {
    const row = firstDataRow + pi;
    const pr = periodRow.get(period.id) as number;
    calc.getCell(row, 1).value = { formula: `${sheets.periods}!A${pr}` };
    calc.getCell(row, 2).value = { formula: `${sheets.periods}!B${pr}` };
    calc.getCell(row, 3).value = { formula: `${sheets.periods}!C${pr}` };
    calc.getCell(row, 2).numFmt = 'yyyy-mm-dd';
    calc.getCell(row, 3).numFmt = 'yyyy-mm-dd';
    for (const e of projectEquations)
      calc.getCell(row, calcCol.get(e.def.symbol) as number).value = {
        formula: formula(e.typed, pi, null),
      };
  });
  writeVintages(book, methodology, layout, periodRow, calcCol);
  return Buffer.from(await book.xlsx.writeBuffer());
}

function writeVintages(
  book: ExcelJS.Workbook,
  methodology: CompiledMethodology,
  layout: WorkbookLayout,
  periodRow: ReadonlyMap<string, number>,
  calcCol: ReadonlyMap<string, number>,
): void {
  const sheet = book.addWorksheet(sheets.vintages);
  const headings = [
    'Period',
    'Vintage',
    'Days in vintage',
    'Days in period',
    'Emission reductions (tCO2)',
    'Discount factor',
    'Creditable (tCO2)',
    'Credits',
    'Reserve share',
    'Reserve',
    'Issuable',
  ];
  headings.forEach((h, i) => (sheet.getCell(1, i + 1).value = h));
  sheet.getRow(1).font = headerFont;
  sheet.getCell(2, 1).value =
    'Rows follow the period dates of this template; regenerate it if the periods change years.';
  const erColumn = columnLetter(
    calcCol.get(methodology.file.outputs.emission_reductions) as number,
  );
  let row = firstDataRow;
  layout.periods.forEach((period, pi) => {
    const start = parseCivilDate(period.start);
    const end = parseCivilDate(period.end);
    if (start === null || end === null) return;
    const pr = periodRow.get(period.id) as number;
    const s = `${sheets.periods}!$B$${pr}`;
    const e = `${sheets.periods}!$C$${pr}`;
    for (const { year } of daysPerYear(start, end)) {
      sheet.getCell(row, 1).value = period.id;
      sheet.getCell(row, 2).value = year;
      sheet.getCell(row, 3).value = {
        formula: `MAX(0,MIN(${e},DATE(${year},12,31))-MAX(${s},DATE(${year},1,1))+1)`,
      };
      sheet.getCell(row, 4).value = { formula: `${e}-${s}+1` };
      sheet.getCell(row, 5).value = {
        formula: `${sheets.calculation}!${erColumn}${firstDataRow + pi}*C${row}/D${row}`,
      };
      sheet.getCell(row, 6).value = Number(decimalText(methodology.discountFactor));
      sheet.getCell(row, 7).value = { formula: `E${row}*F${row}` };
      sheet.getCell(row, 8).value = { formula: `ROUNDDOWN(MAX(0,G${row}),0)` };
      sheet.getCell(row, 9).value = Number(decimalText(methodology.reserveShare));
      sheet.getCell(row, 10).value = { formula: `ROUNDUP(H${row}*I${row},0)` };
      sheet.getCell(row, 11).value = { formula: `H${row}-J${row}` };
      row += 1;
    }
  });
}

function inputSheet(
  book: ExcelJS.Workbook,
  name: string,
  keys: readonly string[],
  parameters: ReturnType<typeof parameterGroups>['fixedProject'],
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

function header(
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

function setNumber(cell: ExcelJS.Cell, text: string): void {
  // Numbers go in as numbers so that Excel computes with them; the reader reads the shortest
  // decimal that identifies the stored value, which is the text written here for ordinary values.
  cell.value = text === '' ? null : Number(text);
  cell.fill = inputFill;
}

function setDate(cell: ExcelJS.Cell, text: string): void {
  const date = parseCivilDate(text);
  cell.value = date === null ? text : new Date(Date.UTC(date.year, date.month - 1, date.day));
  cell.numFmt = 'yyyy-mm-dd';
  cell.fill = inputFill;
}

function describeTerm(t: Typed): string {
  switch (t.kind) {
    case 'symbol':
      return t.name;
    case 'number':
      return decimalText(t.value);
    case 'negate':
      return `-${describeTerm(t.operand)}`;
    case 'binary':
      return `(${describeTerm(t.left)} ${t.op} ${describeTerm(t.right)})`;
    case 'scale':
      return `${describeTerm(t.operand)} x ${t.factor.toSignificantDigits(17).toFixed()}`;
    case 'sum':
      return `sum(${describeTerm(t.operand)})`;
    case 'min':
    case 'max':
      return `${t.kind}(${t.args.map(describeTerm).join(', ')})`;
    default:
      return assertNever(t, 'expression');
  }
}
