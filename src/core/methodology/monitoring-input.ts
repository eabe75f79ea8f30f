// Monitoring data as a reader found it (every value still text, each with the place it came from) and
// its validation against a methodology: every problem is reported at once, located, and nothing is
// calculated unless there are none.
import type { ErrorCode } from '../shared/error-codes.ts';
import type { CompiledMethodology, CompiledParameter } from './compile.ts';
import { dayNumber, parseCivilDate, type CivilDate } from '../shared/civil-date.ts';
import { type Decimal, parseDecimal } from './decimal.ts';

/** Where a value came from: "sheet 'Monitoring' cell E7", "line 12", "periods[0].start". */
export type Where = string;

export interface RawValue {
  readonly symbol: string;
  readonly period?: string;
  readonly point?: string;
  readonly text: string;
  readonly where: Where;
  /** The unit written beside the value, when the format has one. */
  readonly unit?: { readonly text: string; readonly where: Where };
}

export interface RawReport {
  readonly points: readonly { readonly id: string; readonly where: Where }[];
  readonly periods: readonly {
    readonly id: string;
    readonly start: string;
    readonly end: string;
    readonly where: Where;
  }[];
  readonly values: readonly RawValue[];
}

export interface MonitoringIssue {
  readonly code: ErrorCode;
  readonly message: string;
  readonly where: Where;
}

export interface MonitoringPeriod {
  readonly id: string;
  readonly start: CivilDate;
  readonly end: CivilDate;
}

export interface MonitoringData {
  readonly points: readonly string[];
  readonly periods: readonly MonitoringPeriod[];
  /** Project-level fixed values (the default unless the report sets another). */
  readonly fixed: ReadonlyMap<string, Decimal>;
  /** Per-point fixed values: symbol -> point -> value. */
  readonly fixedPerPoint: ReadonlyMap<string, ReadonlyMap<string, Decimal>>;
  /** Monitored values: period -> symbol -> value (project level). */
  readonly monitored: ReadonlyMap<string, ReadonlyMap<string, Decimal>>;
  /** Monitored per-point values: period -> symbol -> point -> value. */
  readonly monitoredPerPoint: ReadonlyMap<
    string,
    ReadonlyMap<string, ReadonlyMap<string, Decimal>>
  >;
}

export const monitoringPointsMax = 10_000;
export const monitoringPeriodsMax = 120;
export const monitoringValuesMax = 2_000_000;
/** Issues reported for one report; beyond this the rest are summarised in one message. */
export const monitoringIssuesMax = 1_000;

export type Validated =
  | { readonly ok: true; readonly data: MonitoringData }
  | { readonly ok: false; readonly issues: readonly MonitoringIssue[] };

/**
 * Validates a raw report. `absent` names parameters whose whole column the reader already reported
 * missing, so that they are not reported again on every row.
 */
export function validateReport(
  methodology: CompiledMethodology,
  report: RawReport,
  absent: ReadonlySet<string> = new Set(),
): Validated {
  const issues: MonitoringIssue[] = [];
  const issue = (code: ErrorCode, message: string, where: Where) => {
    if (issues.length <= monitoringIssuesMax) issues.push({ code, message, where });
  };
  if (
    report.points.length > monitoringPointsMax ||
    report.periods.length > monitoringPeriodsMax ||
    report.values.length > monitoringValuesMax
  ) {
    return {
      ok: false,
      issues: [
        {
          code: 'monitoring_too_large',
          message: `a report has at most ${monitoringPointsMax} monitoring points, ${monitoringPeriodsMax} periods and ${monitoringValuesMax} values`,
          where: 'the report',
        },
      ],
    };
  }

  const points = new Set<string>();
  for (const point of report.points) {
    if (point.id.trim() === '')
      issue('monitoring_value_missing', 'the monitoring point has no id', point.where);
    else if (points.has(point.id))
      issue('monitoring_point_repeated', `${point.id} is listed twice`, point.where);
    else points.add(point.id);
  }
  if (report.points.length === 0)
    issue('monitoring_value_missing', 'no monitoring point is listed', 'the report');
  const periods = validatePeriods(report, issue);

  const fixed = new Map<string, Decimal>();
  const fixedPerPoint = new Map<string, Map<string, Decimal>>();
  const monitored = new Map<string, Map<string, Decimal>>();
  const monitoredPerPoint = new Map<string, Map<string, Map<string, Decimal>>>();
  const seen = new Set<string>();

  // Periods and points that are listed but malformed were reported once; their values are skipped.
  const listedPeriods = new Set(report.periods.map((p) => p.id));
  const listedPoints = new Set(report.points.map((p) => p.id));
  for (const raw of report.values) {
    if (raw.period !== undefined && listedPeriods.has(raw.period) && !periods.has(raw.period))
      continue;
    if (raw.point !== undefined && listedPoints.has(raw.point) && !points.has(raw.point)) continue;
    const parameter = methodology.parameters.get(raw.symbol);
    if (parameter === undefined) {
      issue(
        'monitoring_parameter_unknown',
        `${raw.symbol} is not a parameter of ${methodology.file.id}`,
        raw.where,
      );
      continue;
    }
    const def = parameter.def;
    const perPoint = def.per === 'monitoring_point';
    if (perPoint && (raw.point === undefined || !points.has(raw.point))) {
      issue(
        raw.point === undefined || raw.point.trim() === ''
          ? 'monitoring_value_missing'
          : 'monitoring_point_unknown',
        raw.point === undefined || raw.point.trim() === ''
          ? `${raw.symbol} needs a monitoring point`
          : `${raw.point} is not a listed monitoring point`,
        raw.where,
      );
      continue;
    }
    if (def.kind === 'monitored' && (raw.period === undefined || !periods.has(raw.period))) {
      issue(
        'monitoring_period_unknown',
        raw.period === undefined
          ? `${raw.symbol} needs a monitoring period`
          : `${raw.period} is not a listed monitoring period`,
        raw.where,
      );
      continue;
    }
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
    if (value === null) continue;
    if (def.kind === 'fixed') {
      if (perPoint) mapOf(fixedPerPoint, raw.symbol).set(raw.point as string, value);
      else fixed.set(raw.symbol, value);
    } else if (perPoint) {
      mapOf(mapOf(monitoredPerPoint, raw.period as string), raw.symbol).set(
        raw.point as string,
        value,
      );
    } else mapOf(monitored, raw.period as string).set(raw.symbol, value);
  }

  fillAndCheckComplete(
    methodology,
    [...points],
    [...periods.keys()],
    { fixed, fixedPerPoint, monitored, monitoredPerPoint },
    seen,
    absent,
    issue,
  );
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    data: {
      points: [...points],
      periods: [...periods.values()],
      fixed,
      fixedPerPoint,
      monitored,
      monitoredPerPoint,
    },
  };
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

type Sink = (code: ErrorCode, message: string, where: Where) => void;

function validatePeriods(report: RawReport, issue: Sink): Map<string, MonitoringPeriod> {
  const periods = new Map<string, MonitoringPeriod>();
  if (report.periods.length === 0)
    issue('monitoring_period_malformed', 'no monitoring period is listed', 'the report');
  for (const raw of report.periods) {
    const start = parseCivilDate(raw.start);
    const end = parseCivilDate(raw.end);
    if (
      raw.id.trim() === '' ||
      start === null ||
      end === null ||
      dayNumber(start) > dayNumber(end)
    ) {
      issue(
        'monitoring_period_malformed',
        raw.id.trim() === ''
          ? 'the period has no id'
          : start === null || end === null
            ? `period ${raw.id}: dates are written YYYY-MM-DD between 2013 and 2100 (got ${JSON.stringify(raw.start)} to ${JSON.stringify(raw.end)})`
            : `period ${raw.id} ends (${raw.end}) before it starts (${raw.start})`,
        raw.where,
      );
      continue;
    }
    const clash = [...periods.values()].find(
      (p) =>
        p.id === raw.id ||
        (dayNumber(p.start) <= dayNumber(end) && dayNumber(start) <= dayNumber(p.end)),
    );
    if (clash !== undefined) {
      issue(
        'monitoring_periods_overlap',
        `period ${raw.id} overlaps period ${clash.id} or repeats its id`,
        raw.where,
      );
      continue;
    }
    periods.set(raw.id, { id: raw.id, start, end });
  }
  return periods;
}

function checkValue(parameter: CompiledParameter, raw: RawValue, issue: Sink): Decimal | null {
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
function fillAndCheckComplete(
  methodology: CompiledMethodology,
  points: readonly string[],
  periods: readonly string[],
  maps: {
    fixed: Map<string, Decimal>;
    fixedPerPoint: Map<string, Map<string, Decimal>>;
    monitored: Map<string, Map<string, Decimal>>;
    monitoredPerPoint: Map<string, Map<string, Map<string, Decimal>>>;
  },
  seen: ReadonlySet<string>,
  absent: ReadonlySet<string>,
  issue: Sink,
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
