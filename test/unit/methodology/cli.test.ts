// `jcm methodology ...` in-process: every worked example goes through the command line (template
// written, then calculated) to the expected result; refusals print located messages and exit 1.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { compareWithExpected, expectedExamples } from '../../support/worked-examples.ts';

const dir = mkdtempSync(join(tmpdir(), 'jcm-methodology-cli-'));

describe.each(Object.keys(expectedExamples))('jcm methodology with %s', (id) => {
  it('writes the template, fills it with the example and calculates the expected result', async () => {
    const file = join(dir, `${id}.xlsx`);
    const written = await runCli(
      {},
      'methodology',
      'template',
      id,
      '--fill',
      'example',
      '-o',
      file,
    );
    expect(written.exitCode, written.err).toBe(0);
    const json = await runCli({}, '--json', 'methodology', 'calculate', id, file);
    expect(json.exitCode, json.err).toBe(0);
    expect(compareWithExpected(expectedExamples[id]!, JSON.parse(json.out) as never)).toEqual([]);
    // The text groups the exact total by thousands (en-US separators as the independent oracle);
    // --json keeps it ungrouped, compared exactly above.
    const text = await runCli({}, 'methodology', 'calculate', id, file);
    const total = BigInt(expectedExamples[id]!.total).toLocaleString('en-US');
    expect(text.out).toContain(`credits: ${total} (`);
  });
});

describe('jcm methodology', () => {
  it('lists, shows, finds and estimates', async () => {
    expect((await runCli({}, 'methodology', 'list')).out).toContain('IN_AM006');
    expect((await runCli({}, 'methodology', 'show', 'ID_AM001')).out).toContain(
      'ER_p = (Σᵢ (FC_RE_i) − Σᵢ (FC_PJ_i)) × EF_CNG',
    );
    const found = await runCli(
      {},
      'methodology',
      'find',
      '--country',
      'IN',
      '--words',
      'solar',
      '--size',
      'P_cap=5',
    );
    // Plain solar PV still estimates, but the finder says it is not eligible under India's Article
    // 6.2 list and offers the stored component (IN_AM009) first (issue 13, item 2).
    expect(found.out).toMatch(/IN_AM001.*6,299.*NOT ELIGIBLE/);
    expect(found.out).toMatch(/IN_AM009.*eligible \(entry 1\)/);
    expect(found.out.indexOf('IN_AM009')).toBeLessThan(found.out.indexOf('IN_AM001'));
    expect(found.out).toContain(
      "IN_AM001: Not eligible for Article 6.2 in IN: IN_AM001 serves none of the activities on the partner's list of eligible activities",
    );
    const estimate = await runCli({}, 'methodology', 'estimate', 'IN_AM006', 'M_year=100000');
    // PE = 100000 x (0.35 x 0.757 + 0.002 x 2.7 + 0.005) = 100000 x 0.27535 = 27535 tCO2;
    // RE = 100000 x 0.95 = 95000 (below business as usual); PE = (26495 + 540 + 500) x 1.1 =
    // 30288.5 (above the actual emissions); ER = 64711.5; credits = floor(64711.5 x 0.9) = 58240;
    // reserve = ceil(58240 x 0.03) = 1748.
    expect(estimate.out).toContain('58,240 credits (56,492 issuable after the reserve)');
    expect(estimate.out).toContain(
      'reference 95,000.0 t CO2, project 30,288.5 t CO2, reductions 64,711.5 t CO2',
    );
  });

  it('refuses an unknown methodology and a bad file with located messages', async () => {
    const unknown = await runCli({}, 'methodology', 'show', 'XX_AM001');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.err).toContain('methodology_not_found');
    const csv = join(dir, 'bad.csv');
    writeFileSync(
      csv,
      'period,start,end,monitoring_point,parameter,value,unit\nMP1,2026-01-01,2026-12-31,PV-1,EG_i,-3,MWh\nMP1,2026-01-01,2026-12-31,PV-2,EG_i,ten,MWh\n',
    );
    const bad = await runCli({}, 'methodology', 'calculate', 'IN_AM001', csv);
    expect(bad.exitCode).toBe(1);
    expect(bad.err).toContain('line 2, column value: monitoring_value_negative');
    expect(bad.err).toContain('line 3, column value: monitoring_value_not_a_number');
    const yaml = join(dir, 'broken.yaml');
    writeFileSync(yaml, 'id: IN_AM001\nversion: 1.0\n');
    const invalid = await runCli({}, 'methodology', 'validate', yaml);
    expect(invalid.exitCode).toBe(1);
    expect(invalid.err).toMatch(/broken\.yaml:\d+:\d+/);
  });
});
