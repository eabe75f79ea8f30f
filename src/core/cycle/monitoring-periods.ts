// The monitoring-periods guard: a report's periods have ended, lie within the project's crediting
// period (a CCS or CCUS project's monitoring after injection, wholly within its termination period)
// and overlap no other monitoring report of the project.
import { formatCivilDate } from '../shared/civil-date.ts';
import type { ErrorCode } from '../shared/error-codes.ts';
import { monitoringEnd } from './ccs-periods.ts';
import type { GuardInput, Outcome } from './guards.ts';

const fail = (message: string, code?: ErrorCode): Outcome =>
  code === undefined ? { message } : { message, code };

/**
 * A monitoring report covers periods that have ended, within the crediting period of the project,
 * and that no other monitoring report of the project covers: the same reductions are never
 * verified, and so never issued, twice.
 */
export function monitoringPeriodsFit({ ctx, action, project }: GuardInput): Outcome {
  const periods =
    action.type === 'submit_monitoring_report' || action.type === 'resubmit_monitoring_report'
      ? (action.calculation.periods ?? [])
      : [];
  const today = formatCivilDate(ctx.today);
  const crediting = project?.creditingPeriod;
  for (const p of periods) {
    if (p.end > today) return fail(`period ${p.period} ends on ${p.end}, after today (${today})`);
    if (crediting === undefined) return fail('the project has no crediting period');
    // A CCS project's monitoring after injection lies wholly in its termination period.
    const straddles = p.start <= crediting.end && p.end > crediting.end;
    if (
      p.start < crediting.start ||
      (project !== null && p.end > monitoringEnd(project)) ||
      (project?.storage !== undefined && straddles)
    )
      return fail(
        `period ${p.period} (${p.start}..${p.end}) lies outside the crediting period ${crediting.start}..${crediting.end}${project?.storage === undefined ? '' : ` and the termination period until ${project.storage.terminationEnd}`}`,
        'cycle_monitoring_period_outside_crediting_period',
      );
    // Every other report counts, whatever its state: a period not verified is reported again by
    // resubmitting its own report, never by a second one.
    for (const other of ctx.otherMonitoring)
      for (const q of other.data.calculation?.periods ?? [])
        if (p.start <= q.end && q.start <= p.end)
          return fail(
            `period ${p.period} (${p.start}..${p.end}) overlaps ${other.id} (${q.start}..${q.end})`,
            'cycle_monitoring_period_overlaps',
          );
  }
  return true;
}
