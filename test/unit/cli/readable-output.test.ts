// The catalogue commands print for people (dates in words, tonnes rounded to a tenth with their
// unit, credits grouped by thousands, shares as percentages) while --json prints the calculation's
// exact value byte for byte: exact decimals, ungrouped credits, ISO dates.
import { describe, expect, it } from 'vitest';
import { table } from '../../../src/cli/output.ts';
import { jsonText } from '../../../src/core/shared/json-text.ts';
import {
  defaultMethodologiesDir,
  MethodologyCatalogue,
} from '../../../src/services/methodology-catalogue.ts';
import { runCli } from '../../support/cli.ts';

async function example(id: string) {
  const catalogue = await MethodologyCatalogue.load(defaultMethodologiesDir);
  const found = catalogue.get(id);
  if (found === undefined) throw new Error(`no ${id} in the catalogue`);
  const calculated = await catalogue.calculate(found, { kind: 'example' });
  if (!calculated.ok) throw new Error(`${id}'s example does not calculate`);
  return calculated.result;
}

describe('jcm methodology example, as text and as JSON', () => {
  it('CL_AM001: dates in words, tonnes to a tenth, credits grouped; the trace to 7 digits', async () => {
    const text = (await runCli({}, 'methodology', 'example', 'CL_AM001', '--trace')).out;
    expect(text).toMatch(/MP1\s+1 Jul 2026\s+30 Jun 2027\s+17,199\.0\s+0\.0\s+17,199\.0/);
    expect(text).toMatch(/MP1\s+2026\s+184\s+8,670\.2\s+8,670\s+0\s+8,670/);
    expect(text).toMatch(/MP1\s+2027\s+181\s+8,528\.8\s+8,528\s+0\s+8,528/);
    expect(text).toContain('credits: 17,198 (2026: 8,670, 2027: 8,528)');
    expect(text).toContain('discount factor 1, reserve share 0%');
    expect(text).toMatch(/EF_grid\s+t CO2\/MWh\s+0\.4\s/);
    expect(text).toContain('FARM-RM-1=16,000.4 FARM-RM-2=14,500.25 FARM-OH-1=12,800.5');
    // No exact 58-digit decimal and no ISO date in the text.
    expect(text).not.toContain('8670.2009863013698630');
    expect(text).not.toContain('2026-07-01');
  });

  it('CL_AM001 --json: the exact value, unrounded and ungrouped', async () => {
    const json = (await runCli({}, '--json', 'methodology', 'example', 'CL_AM001', '--trace')).out;
    expect(json).toBe(`${jsonText(await example('CL_AM001'))}\n`);
    const parsed = JSON.parse(json) as {
      credits: string;
      periods: {
        start: string;
        end: string;
        vintages: { emissionReductions: string; credits: string }[];
      }[];
    };
    expect(parsed.credits).toBe('17198');
    expect(parsed.periods[0]).toMatchObject({ start: '2026-07-01', end: '2027-06-30' });
    expect(parsed.periods[0]?.vintages[0]).toMatchObject({
      emissionReductions: '8670.2009863013698630136986301369863013698630136986301369863',
      credits: '8670',
    });
  });

  it('IN_AM006: the reserve share as a percentage, the reserve in credits', async () => {
    const text = (await runCli({}, 'methodology', 'example', 'IN_AM006')).out;
    expect(text).toContain('discount factor 0.9, reserve share 3%');
    expect(text).toMatch(/MP1\s+2027\s+365\s+64,866\.1\s+58,379\s+1,752\s+56,627/);
    const json = (await runCli({}, '--json', 'methodology', 'example', 'IN_AM006')).out;
    expect(json).toBe(`${jsonText(await example('IN_AM006'))}\n`);
    expect(JSON.parse(json)).toMatchObject({ reserveShare: '0.03', discountFactor: '0.9' });
    const shown = (await runCli({}, 'methodology', 'show', 'IN_AM006')).out;
    expect(shown).toMatch(/reserve share 3% \(/);
  });
});

describe('the text table', () => {
  it('aligns figures to the right and other columns to the left', () => {
    expect(
      table(
        [
          { account: 'JP-000004', balance: '2,134' },
          { account: 'JP-000001', balance: '0' },
        ],
        ['account', 'balance'],
        ['balance'],
      ),
    ).toBe(
      ['account    balance', '---------  -------', 'JP-000004    2,134', 'JP-000001        0'].join(
        '\n',
      ),
    );
  });

  it('shows a timestamp the driver gives as a Date in words, not as quoted JSON', () => {
    expect(table([{ at: new Date('2025-10-01T09:00:19.000Z') }], ['at'])).toBe(
      ['at', '--------------------', '1 Oct 2025 09:00 UTC'].join('\n'),
    );
  });
});
