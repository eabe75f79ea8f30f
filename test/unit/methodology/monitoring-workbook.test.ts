// The monitoring spreadsheet: a template filled with the worked example gives the expected result
// when imported, its live formulas give the same numbers in a spreadsheet engine, and a spreadsheet
// with mistakes yields one located message per mistake and no result.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  defaultMethodologiesDir,
  MethodologyCatalogue,
} from '../../../src/services/methodology-catalogue.ts';
import { compareWithExpected, expectedExamples } from '../../support/worked-examples.ts';
import { computeWorkbook, openWorkbook, workbookBytes } from '../../support/workbook.ts';

let catalogue: MethodologyCatalogue;
beforeAll(async () => {
  catalogue = await MethodologyCatalogue.load(defaultMethodologiesDir);
});
const methodology = (id: string) => {
  const found = catalogue.get(id);
  if (found === undefined) throw new Error(`no ${id}`);
  return found;
};

describe.each(Object.keys(expectedExamples))('the template of %s', (id) => {
  it('filled with the worked example, imports to the expected result', async () => {
    const bytes = await catalogue.template(methodology(id), { fill: 'example' });
    const calculated = await catalogue.calculate(methodology(id), { kind: 'xlsx', bytes });
    if (!calculated.ok) throw new Error(JSON.stringify(calculated.issues));
    expect(compareWithExpected(expectedExamples[id]!, calculated.result)).toEqual([]);
    const direct = await catalogue.calculate(methodology(id), { kind: 'example' });
    expect(direct.ok && direct.result.inputHash).toBe(calculated.result.inputHash);
  });

  it('has live formulas that give the same result in a spreadsheet engine', async () => {
    const bytes = await catalogue.template(methodology(id), { fill: 'example' });
    const values = computeWorkbook(await openWorkbook(bytes));
    const expected = expectedExamples[id]!;
    const m = methodology(id);
    const header = (values.Calculation?.[0] ?? []) as unknown[];
    const column = (symbol: string) => header.indexOf(symbol);
    expected.periods.forEach((p, i) => {
      const row = values.Calculation?.[3 + i] ?? [];
      const close = (symbol: string, want: number) => {
        const got = row[column(symbol)] as number;
        expect(
          Math.abs(got - want),
          `${id} ${p.period} ${symbol}: ${got} vs ${want}`,
        ).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
      };
      close(m.file.outputs.reference_emissions, p.re.toNumber());
      close(m.file.outputs.project_emissions, p.pe.toNumber());
      close(m.file.outputs.emission_reductions, p.er.toNumber());
    });
    const credits = (values.Vintages ?? []).slice(3).filter((r) => typeof r[1] === 'number');
    const sheetCredits = credits.map((r) => `${String(r[0])}/${String(r[1])}=${String(r[7])}`);
    const wanted = expected.periods.flatMap((p) =>
      Object.entries(p.credits).map(([y, c]) => `${p.period}/${y}=${c}`),
    );
    expect(sheetCredits).toEqual(wanted);
  });
});

describe('a spreadsheet with ten mistakes', () => {
  it('yields ten located messages and no result', async () => {
    const m = methodology('CL_AM001');
    const layout = {
      points: ['FARM-RM-1', 'FARM-RM-2', 'FARM-OH-1'],
      periods: [
        { id: 'MP1', start: '2026-01-01', end: '2026-06-30' },
        { id: 'MP2', start: '2026-07-01', end: '2026-12-31' },
        { id: 'MP3', start: '2027-01-01', end: '2027-06-30' },
        { id: 'MP4', start: '2027-07-01', end: '2027-12-31' },
      ],
    };
    const prefill = (symbol: string, period: string | null) =>
      period === null ? undefined : symbol === 'EG_exp_i' ? '1000' : '10';
    const book = await openWorkbook(await catalogue.template(m, { layout, prefill }));
    const monitoring = book.getWorksheet('Monitoring')!;
    const periods = book.getWorksheet('Periods')!;
    const fixed = book.getWorksheet('Fixed')!;
    // Monitoring rows 4-6 are MP1, 7-9 MP2, 10-12 MP3, 13-15 MP4, points in the order above;
    // column C is EG_exp_i, D EG_imp_i.
    monitoring.getCell('C4').value = null; // 1 a missing value
    monitoring.getCell('D5').value = 'n/a'; // 2 text in a number cell
    monitoring.getCell('C6').value = -5; // 3 a negative value
    fixed.getCell('D2').value = 2; // 4 EF_grid above its maximum of 1.5
    monitoring.getCell('D2').value = 'kWh'; // 5 a wrong unit
    monitoring.getRow(16).values = ['MP3', 'FARM-XX', 1000, 10]; // 6 an unknown monitoring point
    monitoring.getCell('E1').value = 'EG_aux_i'; // 7 an unknown parameter
    monitoring.getCell('E2').value = 'MWh';
    monitoring.getRow(17).values = ['MP3', 'FARM-RM-1', 1000, 10]; // 8 a repeated row
    for (const cell of ['A9', 'B9', 'C9', 'D9']) monitoring.getCell(cell).value = null; // 9 a missing row
    periods.getCell('C7').value = '2027-13-01'; // 10 an impossible date
    const bytes = await workbookBytes(book);
    const calculated = await catalogue.calculate(m, { kind: 'xlsx', bytes });
    expect(calculated.ok).toBe(false);
    if (calculated.ok) return;
    const got = calculated.issues.map((i) => `${i.code} @ ${i.where}`);
    expect(got, got.join('\n')).toHaveLength(10);
    expect(got.sort()).toEqual(
      [
        "monitoring_value_missing @ sheet 'Monitoring' cell C4",
        "monitoring_value_not_a_number @ sheet 'Monitoring' cell D5",
        "monitoring_value_negative @ sheet 'Monitoring' cell C6",
        "monitoring_value_out_of_range @ sheet 'Fixed' cell D2",
        "monitoring_unit_mismatch @ sheet 'Monitoring' cell D2",
        "monitoring_column_unknown @ sheet 'Monitoring' cell E1",
        "monitoring_point_unknown @ sheet 'Monitoring' cell B16",
        "monitoring_row_repeated @ sheet 'Monitoring' row 17",
        'monitoring_row_missing @ period MP2, point FARM-OH-1',
        "monitoring_period_malformed @ sheet 'Periods' row 7 (cells A7:C7)",
      ].sort(),
    );
  });
});
