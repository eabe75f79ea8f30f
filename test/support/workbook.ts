// Helpers for spreadsheet tests: open and edit a workbook with ExcelJS, and compute its formulas
// with HyperFormula, an independent spreadsheet engine (GPL-3.0, used only by these tests), to check
// that the live formulas of a template give the platform's result.
import ExcelJS from 'exceljs';
import { HyperFormula } from 'hyperformula';

export async function openWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book;
}

export async function workbookBytes(book: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const excelEpochMs = Date.UTC(1899, 11, 30);
const dayMs = 86_400_000;

/** Every sheet's values computed by HyperFormula: sheet name -> rows of cell values. */
export function computeWorkbook(book: ExcelJS.Workbook): Record<string, unknown[][]> {
  const sheets: Record<string, unknown[][]> = {};
  book.eachSheet((ws) => {
    const rows: unknown[][] = [];
    for (let r = 1; r <= ws.rowCount; r += 1) {
      const out: unknown[] = [];
      for (let c = 1; c <= ws.columnCount; c += 1) {
        const v = ws.getCell(r, c).value;
        out.push(
          v === null || v === undefined
            ? null
            : v instanceof Date
              ? (v.getTime() - excelEpochMs) / dayMs
              : typeof v === 'object' && 'formula' in v
                ? `=${v.formula}`
                : typeof v === 'object'
                  ? null
                  : v,
        );
      }
      rows.push(out);
    }
    sheets[ws.name] = rows;
  });
  const engine = HyperFormula.buildFromSheets(sheets as never, { licenseKey: 'gpl-v3' });
  const values: Record<string, unknown[][]> = {};
  for (const name of Object.keys(sheets)) {
    values[name] = engine.getSheetValues(engine.getSheetId(name) as number) as unknown[][];
  }
  engine.destroy();
  return values;
}
