// Methodology files with mistakes: each mistake is reported with its stable code and the line of the
// file where it is; the parser never throws, whatever it is fed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMethodologyText } from '../../../src/formats/methodology-file.ts';

const valid = `id: IN_AM099
version: "1.0"
title: Test methodology
status: draft
summary: A small methodology for tests.
partner_countries: [IN]
sectoral_scopes: [1]
greenhouse_gases: [CO2]
keywords: [test]
eligibility:
  - id: C1
    text: Always.
    condition: P_cap > 0
parameters:
  - symbol: EG_i
    description: Electricity
    unit: MWh
    kind: monitored
    per: monitoring_point
    monitoring_option: C
    range: { min: "0" }
  - symbol: EF
    description: Emission factor
    unit: tCO2/MWh
    kind: fixed
    per: project
    default: "0.5"
    source: illustrative, to be set by the Joint Committee
    range: { min: "0", max: "1.5" }
equations:
  - symbol: RE_p
    expression: sum(EG_i) * EF
    unit: tCO2
    description: Reference emissions
  - symbol: PE_p
    expression: "0"
    unit: tCO2
    description: Project emissions
  - symbol: ER_p
    expression: RE_p - PE_p
    unit: tCO2
    description: Emission reductions
outputs:
  reference_emissions: RE_p
  project_emissions: PE_p
  emission_reductions: ER_p
estimate:
  inputs:
    - { symbol: P_cap, description: Capacity, unit: MW }
  assumptions:
    - { symbol: H, description: Hours, value: "1000", unit: h, source: illustrative }
  monitored:
    EG_i: P_cap * H
example:
  description: One point.
  monitoring_points: [P1]
  periods:
    - { id: MP1, start: "2026-01-01", end: "2026-12-31" }
  monitored:
    MP1:
      P1: { EG_i: "10" }
`;

function lineOf(text: string, fragment: string): number {
  const index = text.indexOf(fragment);
  if (index < 0) throw new Error(`the fixture has no ${fragment}`);
  return text.slice(0, index).split('\n').length;
}

// One row per mistake, in the order the compiler checks them: [name, from, to, code, line marker].
const mistakes: [string, string, string, string, string][] = [
  ['YAML syntax', 'status: draft', 'status: [draft', 'methodology_file_malformed', ''],
  ['missing field', 'title: Test methodology\n', '', 'methodology_schema_invalid', ''],
  [
    'misspelt field',
    '    unit: MWh\n    kind: monitored',
    '    unit: MWh\n    knd: monitored',
    'methodology_schema_invalid',
    'knd: monitored',
  ],
  [
    'duplicate symbol',
    '  - symbol: EF\n',
    '  - symbol: EG_i\n',
    'methodology_symbol_duplicate',
    'symbol: EG_i\n    description: Emission',
  ],
  [
    'unknown symbol',
    'sum(EG_i) * EF',
    'sum(EG_i) * EF_x',
    'methodology_symbol_unknown',
    'sum(EG_i) * EF_x',
  ],
  [
    'malformed expression',
    'sum(EG_i) * EF',
    'sum(EG_i) * * EF',
    'methodology_expression_malformed',
    'sum(EG_i) * * EF',
  ],
  [
    'unknown function',
    'sum(EG_i) * EF',
    'log(EG_i) * EF',
    'methodology_function_unknown',
    'log(EG_i) * EF',
  ],
  [
    'circular equations',
    'expression: "0"',
    'expression: ER_p',
    'methodology_equations_circular',
    '',
  ],
  ['unknown unit', 'unit: tCO2/MWh', 'unit: tCO2/MWhr', 'methodology_unit_unknown', 'tCO2/MWhr'],
  [
    'unit mismatch',
    'expression: RE_p - PE_p',
    'expression: RE_p - EF',
    'methodology_unit_mismatch',
    'RE_p - EF',
  ],
  [
    'sum without monitoring points',
    'sum(EG_i) * EF',
    'sum(EF) * EG_i',
    'methodology_sum_needs_monitoring_point',
    'sum(EF) * EG_i',
  ],
  [
    'missing output',
    'emission_reductions: ER_p',
    'emission_reductions: ER_x',
    'methodology_output_missing',
    'emission_reductions: ER_x',
  ],
  [
    'impossible range',
    'range: { min: "0", max: "1.5" }',
    'range: { min: "2", max: "1.5" }',
    'methodology_range_impossible',
    'range: { min: "2"',
  ],
  ['fixed without default', '    default: "0.5"\n', '', 'methodology_parameter_incomplete', ''],
  [
    'estimate without a monitored parameter',
    '    EG_i: P_cap * H\n',
    '    EG_x: P_cap * H\n',
    'methodology_estimate_incomplete',
    'EG_x: P_cap',
  ],
];

describe('a valid methodology file', () => {
  it('compiles', () => {
    const read = readMethodologyText(valid, 'test.yaml');
    expect(read.ok ? [] : read.issues).toEqual([]);
  });
});

describe.each(mistakes)('a methodology file with %s', (_name, from, to, code, marker) => {
  it(`is refused with ${code} and the place of the mistake`, () => {
    expect(valid).toContain(from);
    const text = valid.replace(from, to);
    const read = readMethodologyText(text, 'test.yaml');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.issues.map((i) => i.code)).toContain(code);
    const located = read.issues.filter((i) => i.code === code);
    for (const issue of located) expect(issue.where).toMatch(/^test\.yaml:\d+:\d+/);
    if (marker !== '') {
      const line = `test.yaml:${lineOf(text, marker)}:`;
      expect(
        located.map((i) => i.where).some((w) => w.startsWith(line)),
        JSON.stringify(located),
      ).toBe(true);
    }
  });
});

describe('expression errors', () => {
  it('give the column inside the expression', () => {
    const read = readMethodologyText(valid.replace('sum(EG_i) * EF', 'sum(EG_i) * * EF'), 'm.yaml');
    expect(read.ok ? '' : read.issues[0]?.where).toMatch(/column \d+ of the expression/);
  });
});

describe('the methodology parser fed anything', () => {
  it('never throws and answers with located issues', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const read = readMethodologyText(text, 'random.yaml');
        if (!read.ok) {
          expect(read.issues.length).toBeGreaterThan(0);
          for (const issue of read.issues) expect(issue.where).toMatch(/^random\.yaml/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a valid file with random damage', () => {
    fc.assert(
      fc.property(
        fc.nat(valid.length - 1),
        fc.nat(40),
        fc.string({ maxLength: 20 }),
        (at, cut, insert) => {
          const text = valid.slice(0, at) + insert + valid.slice(at + cut);
          const read = readMethodologyText(text, 'damaged.yaml');
          if (!read.ok)
            for (const issue of read.issues) expect(issue.code).toMatch(/^methodology_/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
