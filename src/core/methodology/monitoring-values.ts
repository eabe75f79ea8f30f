// The values of a monitoring report: each checked against its parameter and filed by period and
// point, then fixed defaults filled in and every monitored value that no row gives reported.
import type { CompiledMethodology, CompiledParameter } from './compile.ts';
import { type Decimal, parseDecimal } from './decimal.ts';
import type { IssueSink, RawReport, RawValue } from './raw-report.ts';

/** The values of a report as they are filed, before validation hands them out read-only. */
export interface MonitoringMaps {
  readonly fixed: Map<string, Decimal>;
  readonly fixedPerPoint: Map<string, Map<string, Decimal>>;
  readonly monitored: Map<string, Map<string, Decimal>>;
  readonly monitoredPerPoint: Map<string, Map<string, Map<string, Decimal>>>;
}

/** The monitoring points and periods (by id) that passed validation. */
export interface ValidSlots {
  readonly points: ReadonlySet<string>;
  readonly periods: ReadonlySet<string>;
}

/**
 * Checks and files every value of a report. `seen` holds the slot (symbol, period, point) of every
 * value that reached the value checks, passed or not, so that a wrong value is not also missing.
 */
export function placeValues(
  methodology: CompiledMethodology,
  report: RawReport,
  valid: ValidSlots,
  issue: IssueSink,
): { readonly maps: MonitoringMaps; readonly seen: ReadonlySet<string> } {
  const maps: MonitoringMaps = {
    fixed: new Map(),
    fixedPerPoint: new Map(),
    monitored: new Map(),
    monitoredPerPoint: new Map(),
  };
  const seen = new Set<string>();
  // Periods and points that are listed but malformed were reported once; their values are skipped.
  const listedPeriods = new Set(report.periods.map((p) => p.id));
  const listedPoints = new Set(report.points.map((p) => p.id));
  for (const raw of report.values) {
    if (raw.period !== undefined && listedPeriods.has(raw.period) && !valid.periods.has(raw.period))
      continue;
    if (raw.point !== undefined && listedPoints.has(raw.point) && !valid.points.has(raw.point))
      continue;
    const parameter = methodology.parameters.get(raw.symbol);
    if (parameter === undefined) {
      issue(
        'monitoring_parameter_unknown',
        `${raw.symbol} is not a parameter of ${methodology.file.id}`,
        raw.where,
      );
      continue;
    }
    if (!checkSlot(parameter, raw, valid, issue)) continue;
    const def = parameter.def;
    const perPoint = def.per === 'monitoring_point';
    const key = [
      raw.symbol,
      def.kind === 'monitored' ? raw.period : '',
      perPoint ? raw.point : '',
    ].join('\u0000');
    if (seen.has(key)) {
      issue(
        'monitoring_row_repeated',
        `${raw.symbol} is given twice for ${describeSlot(raw)}`,
        raw.where,
      );
      continue;
    }
    seen.add(key);
    const value = checkValue(parameter, raw, issue);
    if (value !== null) fileValue(maps, parameter, raw, value);
  }
  return { maps, seen };
}

/** A per-point value needs a listed point, a monitored value a listed period. */
function checkSlot(
  parameter: CompiledParameter,
  raw: RawValue,
  valid: ValidSlots,
  issue: IssueSink,
): boolean {
  const def = parameter.def;
  const perPoint = def.per === 'monitoring_point';
  if (perPoint && (raw.point === undefined || !valid.points.has(raw.point))) {
    issue(
      raw.point === undefined || raw.point.trim() === ''
        ? 'monitoring_value_missing'
        : 'monitoring_point_unknown',
      raw.point === undefined || raw.point.trim() === ''
        ? `${raw.symbol} needs a monitoring point`
        : `${raw.point} is not a listed monitoring point`,
      raw.where,
    );
    return false;
  }
  if (def.kind === 'monitored' && (raw.period === undefined || !valid.periods.has(raw.period))) {
    issue(
      'monitoring_period_unknown',
      raw.period === undefined
        ? `${raw.symbol} needs a monitoring period`
        : `${raw.period} is not a listed monitoring period`,
      raw.where,
    );
    return false;
  }
  return true;
}

/** Files a checked value by its kind (fixed or monitored) and level (project or point). */
function fileValue(
  maps: MonitoringMaps,
  parameter: CompiledParameter,
  raw: RawValue,
  value: Decimal,
): void {
  const def = parameter.def;
  const perPoint = def.per === 'monitoring_point';
  if (def.kind === 'fixed') {
    if (perPoint) mapOf(maps.fixedPerPoint, raw.symbol).set(raw.point as string, value);
    else maps.fixed.set(raw.symbol, value);
  } else if (perPoint) {
    mapOf(mapOf(maps.monitoredPerPoint, raw.period as string), raw.symbol).set(
      raw.point as string,
      value,
    );
  } else mapOf(maps.monitored, raw.period as string).set(raw.symbol, value);
}

function describeSlot(raw: RawValue): string {
  return (
    [
      raw.period === undefined ? '' : `period ${raw.period}`,
      raw.point === undefined ? '' : `point ${raw.point}`,
    ]
      .filter((s) => s !== '')
      .join(', ') || 'the project'
  );
}

function mapOf<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = outer.get(key);
  if (inner === undefined) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}

function checkValue(parameter: CompiledParameter, raw: RawValue, issue: IssueSink): Decimal | null {
  const def = parameter.def;
  if (raw.unit !== undefined && raw.unit.text.trim() !== def.unit) {
    issue(
      'monitoring_unit_mismatch',
      `${def.symbol} is in ${def.unit}, not ${JSON.stringify(raw.unit.text.trim())}`,
      raw.unit.where,
    );
    return null;
  }
  if (raw.text.trim() === '') {
    issue(
      'monitoring_value_missing',
      `${def.symbol} (${def.unit}) is empty for ${describeSlot(raw)}`,
      raw.where,
    );
    return null;
  }
  const value = parseDecimal(raw.text);
  if (value === null) {
    issue(
      'monitoring_value_not_a_number',
      `${def.symbol} must be a number, not ${JSON.stringify(raw.text.slice(0, 40))}`,
      raw.where,
    );
    return null;
  }
  const negativeAllowed = parameter.min !== null && parameter.min.isNegative();
  if (value.isNegative() && !negativeAllowed) {
    issue(
      'monitoring_value_negative',
      `${def.symbol} may not be negative (got ${raw.text.trim()})`,
      raw.where,
    );
    return null;
  }
  if (
    (parameter.min !== null && value.lt(parameter.min)) ||
    (parameter.max !== null && value.gt(parameter.max))
  ) {
    issue(
      'monitoring_value_out_of_range',
      `${def.symbol} = ${raw.text.trim()} lies outside [${def.range?.min ?? '-inf'}, ${def.range?.max ?? '+inf'}]`,
      raw.where,
    );
    return null;
  }
  return value;
}

/** Applies fixed defaults and reports every monitored value that no row gives. */
export function fillAndCheckComplete(
  methodology: CompiledMethodology,
  points: readonly string[],
  periods: readonly string[],
  maps: MonitoringMaps,
  seen: ReadonlySet<string>,
  absent: ReadonlySet<string>,
  issue: IssueSink,
): void {
  // Missing values are reported once per period and monitoring point, naming every symbol missing.
  const missing = new Map<string, string[]>();
  for (const [symbol, parameter] of methodology.parameters) {
    const def = parameter.def;
    if (absent.has(symbol)) continue;
    if (def.kind === 'fixed') {
      const fallback = parameter.defaultValue;
      if (fallback === null) continue;
      if (def.per === 'project') {
        if (!maps.fixed.has(symbol)) maps.fixed.set(symbol, fallback);
      } else {
        const perPoint = mapOf(maps.fixedPerPoint, symbol);
        for (const point of points) if (!perPoint.has(point)) perPoint.set(point, fallback);
      }
      continue;
    }
    for (const period of periods) {
      const slots = def.per === 'project' ? [''] : points;
      for (const point of slots) {
        if (!seen.has([symbol, period, point].join('\u0000'))) {
          const slot = point === '' ? `period ${period}` : `period ${period}, point ${point}`;
          missing.set(slot, [...(missing.get(slot) ?? []), symbol]);
        }
      }
    }
  }
  for (const [slot, symbols] of missing) {
    issue('monitoring_row_missing', `no value of ${symbols.join(', ')} for ${slot}`, slot);
  }
}
