// Golden tests: every catalogue methodology computes its worked example exactly as the arithmetic
// written out in test/support/worked-examples.ts, and the seed formulas are the catalogue's.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  defaultMethodologiesDir,
  MethodologyCatalogue,
} from '../../../src/services/methodology-catalogue.ts';
import {
  compareWithExpected,
  expectedExamples,
  expectedTotals,
} from '../../support/worked-examples.ts';

let catalogue: MethodologyCatalogue;
beforeAll(async () => {
  catalogue = await MethodologyCatalogue.load(defaultMethodologiesDir);
});

describe('the catalogue', () => {
  it('holds at least ten methodologies, each with an expected worked example', () => {
    const ids = catalogue.list().map((m) => m.id);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(ids.sort()).toEqual(Object.keys(expectedExamples).sort());
  });

  it('says the source of every default value', () => {
    for (const { id } of catalogue.list()) {
      const file = catalogue.get(id)?.file;
      for (const p of file?.parameters ?? []) {
        if (p.kind === 'fixed') expect(p.source, `${id} ${p.symbol}`).toMatch(/\S{3,}/);
      }
      for (const a of file?.estimate.assumptions ?? [])
        expect(a.source, `${id} ${a.symbol}`).toMatch(/\S{3,}/);
    }
  });

  it('reproduces the seed formulas exactly', () => {
    const expression = (id: string, symbol: string) =>
      catalogue.get(id)?.file.equations.find((e) => e.symbol === symbol)?.expression;
    // Solar (and solar with storage, waste heat recovery): RE = electricity generated x EF, PE = 0.
    expect(expression('IN_AM001', 'RE_p')).toBe('sum(EG_i) * EF_RE');
    expect(expression('CL_AM001', 'RE_p')).toBe('sum(EG_i) * EF_grid');
    expect(expression('PH_AM001', 'RE_p')).toBe('sum(EG_i) * EF_elec');
    for (const id of ['IN_AM001', 'CL_AM001', 'PH_AM001']) expect(expression(id, 'PE_p')).toBe('0');
    // Autoclave: (reference CNG - project CNG) x CNG emission factor.
    expect(expression('ID_AM001', 'ER_p')).toBe('(sum(FC_RE_i) - sum(FC_PJ_i)) * EF_CNG');
  });
});

describe.each(Object.keys(expectedExamples))('worked example of %s', (id) => {
  it('computes exactly the arithmetic written out', async () => {
    const methodology = catalogue.get(id);
    expect(methodology).toBeDefined();
    const calculated = await catalogue.calculate(methodology!, { kind: 'example' });
    if (!calculated.ok) throw new Error(JSON.stringify(calculated.issues));
    expect(compareWithExpected(expectedExamples[id]!, calculated.result)).toEqual([]);
    expect(calculated.result.credits).toBe(expectedTotals[id]);
    expect(calculated.result.methodology).toEqual({ id, version: '1.0' });
    expect(calculated.result.inputHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
