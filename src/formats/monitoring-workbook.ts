// Writes the monitoring spreadsheet of a methodology: input sheets (fixed values, monitoring points,
// periods, one row per monitoring point and period) and calculation sheets with live Excel formulas
// that follow the methodology's equations, unit conversions included, down to credits per vintage.
// The platform's exact decimal result is authoritative; Excel reproduces it in floating point.
import type ExcelJS from 'exceljs';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import { assert } from '../core/shared/assert.ts';
import { headerFont } from './workbook-cells.ts';
import {
  writeCalculationSheet,
  writePointCalculationSheet,
  writeVintagesSheet,
} from './workbook-calculation-sheets.ts';
import { calculationColumns, formulaWriter } from './workbook-formulas.ts';
import { writeInputSheets, type Prefill, type WorkbookLayout } from './workbook-input-sheets.ts';
import { sheets } from './workbook-layout.ts';

// The layout and the prefill are described with the input sheets; callers name them from here.
export type { Prefill, WorkbookLayout } from './workbook-input-sheets.ts';

/** Most rows of monitoring a template is generated for (points x periods). */
export const templateRowsMax = 200_000;

export async function writeMonitoringWorkbook(
  methodology: CompiledMethodology,
  layout: WorkbookLayout,
  prefill: Prefill = () => undefined,
): Promise<Buffer> {
  assert(
    layout.points.length * layout.periods.length <= templateRowsMax,
    'template size checked by the caller',
  );
  // Loaded on first use: a start or a command without spreadsheets does not pay for it.
  const book = new (await import('exceljs')).default.Workbook();
  book.creator = 'jcm';
  book.calcProperties.fullCalcOnLoad = true;
  // The sheets are added in the order a person reads them: About, inputs, then calculations.
  writeAboutSheet(book, methodology);
  const inputs = writeInputSheets(book, methodology, layout, prefill);
  const columns = calculationColumns(methodology, inputs.monitoringCol);
  const formula = formulaWriter(layout, inputs, columns);
  writePointCalculationSheet(book, layout, inputs, columns, formula);
  writeCalculationSheet(book, layout, inputs, columns, formula);
  writeVintagesSheet(book, methodology, layout, inputs.periodRow, columns.calcCol);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** About: which methodology this is, and how to fill in and import the workbook. */
function writeAboutSheet(book: ExcelJS.Workbook, methodology: CompiledMethodology): void {
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
}
