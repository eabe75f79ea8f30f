// The periods of a CCS or CCUS project (issue 13, item 7): the crediting period is the injection
// period, monitoring continues through the termination period, and no other project states them.
import { describe, expect, it } from 'vitest';
import { ccsPeriodsFit, monitoringEnd } from '../../../src/core/cycle/ccs-periods.ts';
import type { GuardInput } from '../../../src/core/cycle/guards.ts';
import { monitoringPeriodsFit } from '../../../src/core/cycle/monitoring-periods.ts';
import type { ProjectData } from '../../../src/core/cycle/project-data.ts';
import { parseCivilDate } from '../../../src/core/shared/civil-date.ts';

const storage = {
  injectionStart: '2028-01-01',
  injectionEnd: '2037-12-31',
  terminationEnd: '2047-12-31',
};
const project = (more: Partial<ProjectData>) =>
  ({
    methodology: { id: 'IN_AM006', version: '1.0' },
    creditingPeriod: { start: '2028-01-01', end: '2037-12-31' },
    ...more,
  }) as ProjectData;
const codeOf = (p: ProjectData, ccs: boolean) => {
  const result = ccsPeriodsFit(p, ccs);
  return result.ok ? 'ok' : result.error.code;
};

describe('the periods of a CCS or CCUS project', () => {
  it.each([
    [
      'a CCS project whose crediting period is its injection period',
      project({ storage }),
      true,
      'ok',
    ],
    [
      'a CCS project that states no injection period',
      project({}),
      true,
      'cycle_ccs_periods_invalid',
    ],
    [
      'a CCS project credited beyond the end of injection',
      project({ storage, creditingPeriod: { start: '2028-01-01', end: '2047-12-31' } }),
      true,
      'cycle_ccs_periods_invalid',
    ],
    [
      'a CCS project credited from before injection starts',
      project({ storage, creditingPeriod: { start: '2027-01-01', end: '2037-12-31' } }),
      true,
      'cycle_ccs_periods_invalid',
    ],
    ['another project with no storage periods', project({}), false, 'ok'],
    [
      'another project that states storage periods',
      project({ storage }),
      false,
      'cycle_ccs_periods_invalid',
    ],
  ])('%s: %s', (_, p, ccs, code) => {
    expect(codeOf(p, ccs)).toBe(code);
  });

  it('is monitored through the termination period; another project within its crediting period', () => {
    expect(monitoringEnd(project({ storage }))).toBe('2047-12-31');
    expect(monitoringEnd(project({}))).toBe('2037-12-31');
  });
});

describe("a CCS project's monitoring periods", () => {
  const input = (start: string, end: string) =>
    ({
      ctx: { today: parseCivilDate('2050-01-01'), otherMonitoring: [] },
      action: {
        type: 'submit_monitoring_report',
        calculation: { periods: [{ period: 'MP1', start, end }] },
      },
      project: project({ storage }),
    }) as unknown as GuardInput;
  const codeOf = (start: string, end: string) => {
    const outcome = monitoringPeriodsFit(input(start, end));
    return outcome === true ? 'ok' : (outcome.code ?? 'refused');
  };

  it.each([
    ['within injection', '2030-01-01', '2030-12-31', 'ok'],
    ['within the termination period, after injection', '2040-01-01', '2040-12-31', 'ok'],
    [
      'across the end of injection',
      '2037-07-01',
      '2038-06-30',
      'cycle_monitoring_period_outside_crediting_period',
    ],
    [
      'after the termination period',
      '2047-07-01',
      '2048-06-30',
      'cycle_monitoring_period_outside_crediting_period',
    ],
  ])('%s (%s..%s): %s', (_, start, end, code) => {
    expect(codeOf(start, end)).toBe(code);
  });
});
