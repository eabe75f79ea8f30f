// A registry report as an XLSX workbook (exceljs, as the AEF export): one sheet per table, a header
// row in bold, credits and blocks as numbers while they are exact in a spreadsheet (below 2^53) and
// as text beyond, and an `about` sheet that names the source and the demo's label.

/** A value of a report cell: text, a year or a count. */
export type ReportCell = string | number | bigint | null;

/** One table of a report, as the portal, the CSV, the XLSX and the PDF show it. */
export interface ReportTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly ReportCell[])[];
}

const exactMax = BigInt(Number.MAX_SAFE_INTEGER);

function cell(value: ReportCell): string | number | null {
  if (typeof value !== 'bigint') return value;
  return value <= exactMax && value >= -exactMax ? Number(value) : value.toString();
}

/** Sheet names are at most 31 characters, without []:*?/\ and unique in the book. */
function sheetName(title: string, used: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28);
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base.slice(0, 26)} ${i}`;
  used.add(name);
  return name;
}

export async function reportXlsx(tables: readonly ReportTable[]): Promise<Uint8Array> {
  const book = new (await import('exceljs')).default.Workbook();
  const used = new Set<string>();
  for (const t of tables) {
    const sheet = book.addWorksheet(sheetName(t.title, used));
    sheet.addRow([...t.columns]).font = { bold: true };
    for (const r of t.rows) sheet.addRow(r.map(cell));
  }
  const about = book.addWorksheet(sheetName('about', used));
  about.addRow(['Source', 'JCM platform: the registries, from aggregates kept with the journal']);
  about.addRow([
    'Synthetic demo data',
    'Sheets and rows so labelled are examples, not real credits, and are not counted in the figures of the registry.',
  ]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}
