// Compiles one parameter of a methodology file: its unit, range and default, checked against what a
// fixed parameter (a default and its source) or a monitored one (a monitoring option) needs.
import { type Decimal, parseDecimal } from './decimal.ts';
import type { ParameterDef } from './format.ts';
import type { IssuePath, IssueSink } from './methodology-issue.ts';
import type { Unit } from './units.ts';

export interface CompiledParameter {
  readonly def: ParameterDef;
  readonly unit: Unit;
  readonly min: Decimal | null;
  readonly max: Decimal | null;
  readonly defaultValue: Decimal | null;
}

export function compileParameter(
  def: ParameterDef,
  unit: Unit,
  path: IssuePath,
  issue: IssueSink,
): CompiledParameter {
  const min = def.range?.min === undefined ? null : parseDecimal(def.range.min);
  const max = def.range?.max === undefined ? null : parseDecimal(def.range.max);
  const defaultValue = def.default === undefined ? null : parseDecimal(def.default);
  if (min !== null && max !== null && min.gt(max)) {
    issue('methodology_range_impossible', `min ${def.range?.min} is above max ${def.range?.max}`, [
      ...path,
      'range',
    ]);
  }
  if (def.kind === 'fixed') {
    if (defaultValue === null || def.source === undefined) {
      issue(
        'methodology_parameter_incomplete',
        `fixed parameter ${def.symbol} needs a default value and its source`,
        path,
      );
    }
    if (def.monitoring_option !== undefined) {
      issue(
        'methodology_parameter_incomplete',
        `fixed parameter ${def.symbol} is not monitored, so it has no monitoring option`,
        [...path, 'monitoring_option'],
      );
    }
    if (
      defaultValue !== null &&
      ((min !== null && defaultValue.lt(min)) || (max !== null && defaultValue.gt(max)))
    ) {
      issue('methodology_range_impossible', `the default ${def.default} lies outside the range`, [
        ...path,
        'default',
      ]);
    }
  } else {
    if (def.monitoring_option === undefined) {
      issue(
        'methodology_parameter_incomplete',
        `monitored parameter ${def.symbol} needs a monitoring option (A, B or C)`,
        path,
      );
    }
    if (def.default !== undefined) {
      issue(
        'methodology_parameter_incomplete',
        `monitored parameter ${def.symbol} is measured ex post and takes no default`,
        [...path, 'default'],
      );
    }
  }
  return { def, unit, min, max, defaultValue };
}
