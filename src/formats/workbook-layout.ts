// The layout of a monitoring workbook, shared by the template writer and the reader: which sheet
// holds what, and on which rows. Input sheets have parameter symbols on row 1, units on row 2, a
// description on row 3 and data from row 4.
import type { CompiledMethodology, CompiledParameter } from '../core/methodology/compile.ts';

export const sheets = {
  about: 'About',
  fixed: 'Fixed',
  points: 'Points',
  periods: 'Periods',
  monitoring: 'Monitoring',
  pointCalculation: 'PointCalculation',
  calculation: 'Calculation',
  vintages: 'Vintages',
} as const;

export const symbolRow = 1;
export const unitRow = 2;
export const descriptionRow = 3;
export const firstDataRow = 4;

/** Columns before the parameters: Points has the point id; Periods id, start, end; Monitoring period, point. */
export const keyColumns = { points: 1, periods: 3, monitoring: 2 } as const;

export interface ParameterGroups {
  readonly fixedProject: readonly CompiledParameter[];
  readonly fixedPerPoint: readonly CompiledParameter[];
  readonly monitoredProject: readonly CompiledParameter[];
  readonly monitoredPerPoint: readonly CompiledParameter[];
}

export function parameterGroups(methodology: CompiledMethodology): ParameterGroups {
  const all = [...methodology.parameters.values()];
  const pick = (kind: 'fixed' | 'monitored', per: 'project' | 'monitoring_point') =>
    all.filter((p) => p.def.kind === kind && p.def.per === per);
  return {
    fixedProject: pick('fixed', 'project'),
    fixedPerPoint: pick('fixed', 'monitoring_point'),
    monitoredProject: pick('monitored', 'project'),
    monitoredPerPoint: pick('monitored', 'monitoring_point'),
  };
}

/** Excel column letters of a 1-based column number. */
export function columnLetter(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export function cellName(column: number, row: number): string {
  return `${columnLetter(column)}${row}`;
}

export function describeParameter(p: CompiledParameter): string {
  return p.def.kind === 'monitored'
    ? `${p.def.description} (monitoring option ${p.def.monitoring_option ?? ''})`
    : `${p.def.description} (fixed ex ante: ${p.def.source ?? ''})`;
}
