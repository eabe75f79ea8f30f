// The periods of a CCS or CCUS project (the JCM Rules and Guidelines for CCS and CCUS projects,
// December 2024, as summarised in "Basic Scheme & Recent Development of the Joint Crediting
// Mechanism (JCM)", Ministry of Economy, Trade and Industry of Japan, 27 February 2025, slide
// "Adoption of CCS/CCUS Guidelines in Indonesia", items 6 and 8): the crediting period runs from
// the start to the end of injection, and monitoring continues through the termination period. A
// methodology is CCS when its sectoral scopes include the CCS and CCUS scope (16), a fact of the
// catalogue, never of the request.
import { reject, ok, type Result } from '../shared/result.ts';
import type { ProjectData } from './project-data.ts';

/** The JCM's sectoral scope for CCS and CCUS (data/sectoral_scopes.csv). */
export const ccsSectoralScope = 16;

/**
 * A project applying a CCS methodology states its injection and termination periods, and its
 * crediting period is the injection period; a project of another methodology states none.
 */
export function ccsPeriodsFit(project: ProjectData | null, ccs: boolean): Result<true> {
  if (project === null) return ok(true);
  const { storage, creditingPeriod: crediting } = project;
  if (!ccs)
    return storage === undefined
      ? ok(true)
      : reject(
          'cycle_ccs_periods_invalid',
          `${project.methodology.id} is not a CCS or CCUS methodology: the project has no injection or termination period`,
        );
  if (storage === undefined)
    return reject(
      'cycle_ccs_periods_invalid',
      `${project.methodology.id} is a CCS or CCUS methodology: the project data states its injection and termination periods (storage)`,
    );
  if (crediting.start !== storage.injectionStart || crediting.end !== storage.injectionEnd)
    return reject(
      'cycle_ccs_periods_invalid',
      `the crediting period (${crediting.start}..${crediting.end}) of a CCS or CCUS project is its injection period (${storage.injectionStart}..${storage.injectionEnd})`,
    );
  return ok(true);
}

/**
 * The last day a monitoring period of the project may reach: the end of the termination period for
 * a CCS or CCUS project (monitoring continues after injection), else the end of the crediting period.
 */
export function monitoringEnd(project: ProjectData): string {
  return project.storage?.terminationEnd ?? project.creditingPeriod.end;
}
