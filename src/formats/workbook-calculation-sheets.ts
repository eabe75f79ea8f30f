// The calculation sheets of the monitoring workbook, live formulas over the input sheets:
// PointCalculation (per-point equations), Calculation (per period), Vintages (per calendar year).
import type ExcelJS from 'exceljs';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import { decimalText } from '../core/methodology/decimal.ts';
import { daysPerYear, parseCivilDate } from '../core/shared/civil-date.ts';
import { header, headerFont } from './workbook-cells.ts';
import { describeTerm, type CalculationColumns, type FormulaOf } from './workbook-formulas.ts';
import type { InputCells, WorkbookLayout } from './workbook-input-sheets.ts';
import { columnLetter, firstDataRow, keyColumns, sheets, symbolRow } from './workbook-layout.ts';

/** PointCalculation: rows as on Monitoring; a column per per-point equation, then per sum term. */
export function writePointCalculationSheet(
  book: ExcelJS.Workbook,
  layout: WorkbookLayout,
  inputs: InputCells,
  columns: CalculationColumns,
  formula: FormulaOf,
): void {
  const { perPointEquations, pointCalcCol, helpers } = columns;
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
      const row = inputs.monitoringRow(pi, qi);
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
}

/** Calculation: one row per period (its id and dates from Periods), a column per equation. */
export function writeCalculationSheet(
  book: ExcelJS.Workbook,
  layout: WorkbookLayout,
  inputs: InputCells,
  columns: CalculationColumns,
  formula: FormulaOf,
): void {
  const { projectEquations, calcCol } = columns;
  const calc = book.addWorksheet(sheets.calculation);
  ['Period', 'Start', 'End'].forEach((h, i) => (calc.getCell(symbolRow, i + 1).value = h));
  for (const e of projectEquations)
    header(calc, calcCol.get(e.def.symbol) as number, e.def.symbol, e.def.unit, e.def.description);
  calc.getRow(symbolRow).font = headerFont;
  layout.periods.forEach((period, pi) => {
    const row = firstDataRow + pi;
    const pr = inputs.periodRow.get(period.id) as number;
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
}

/** Vintages: the emission reductions of each period apportioned to calendar years, then credits. */
export function writeVintagesSheet(
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
