// Validation of monitoring data as a reader found it (raw-report.ts) against a methodology: every
// problem is reported at once, located, and nothing is calculated unless there are none.
import type { CompiledMethodology } from './compile.ts';
import { dayNumber, parseCivilDate, type CivilDate } from '../shared/civil-date.ts';
import type { Decimal } from './decimal.ts';
import { fillAndCheckComplete, placeValues } from './monitoring-values.ts';
import type { IssueSink, MonitoringIssue, RawReport } from './raw-report.ts';

// What readers produce has a file of its own; it is part of what this module answers with.
export type { MonitoringIssue, RawReport, RawValue, Where } from './raw-report.ts';

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
  const issue: IssueSink = (code, message, where) => {
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

  const points = validatePoints(report, issue);
  const periods = validatePeriods(report, issue);
  const { maps, seen } = placeValues(
    methodology,
    report,
    { points, periods: new Set(periods.keys()) },
    issue,
  );
  fillAndCheckComplete(methodology, [...points], [...periods.keys()], maps, seen, absent, issue);
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    data: {
      points: [...points],
      periods: [...periods.values()],
      fixed: maps.fixed,
      fixedPerPoint: maps.fixedPerPoint,
      monitored: maps.monitored,
      monitoredPerPoint: maps.monitoredPerPoint,
    },
  };
}

/** The listed monitoring points that have an id and are listed once. */
function validatePoints(report: RawReport, issue: IssueSink): Set<string> {
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
  return points;
}

function validatePeriods(report: RawReport, issue: IssueSink): Map<string, MonitoringPeriod> {
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
