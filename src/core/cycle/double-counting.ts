// The guard against double counting across mechanisms and within the JCM (SPEC section 7): no
// project twice in the JCM (a project asking for registration is flagged against every other project
// at the same site, of the same technology, with a participant in common, and cannot be registered
// until the secretariat concludes), and no issuance for days another mechanism credits (unless that
// registration is recorded as cancelled for them). Pure: the store loads the facts in the action's
// transaction.
import type { Actor } from '../ledger/actor.ts';
import { assert } from '../shared/assert.ts';
import type { ErrorCode } from '../shared/error-codes.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import type { CycleAction } from './actions.ts';
import type { CycleContext } from './context.ts';
import { mechanismName, type Period, type StoredRegistration } from './external-registrations.ts';
import type { GuardInput, Outcome } from './guards.ts';
import { participantsOf, type ProjectData } from './project-data.ts';

/** Two sites closer than this are the same site (metres, along the Earth's surface). */
export const duplicateDistanceMetresMax = 1000;
/** The Earth's mean radius (IUGG), for distances between coordinates (metres). */
export const earthRadiusMetres = 6_371_008.8;
/** States in which a project no longer counts as a project of the JCM. */
export const closedProjectStates: readonly string[] = ['withdrawn', 'rejected'];

const fail = (message: string, code?: ErrorCode): Outcome =>
  code === undefined ? { message } : { message, code };

/** The days two periods share, or null when they share none (both ends included). */
export function overlapOf(a: Period, b: Period): Period | null {
  assert(a.start <= a.end && b.start <= b.end, 'periods end on or after their start');
  const start = a.start > b.start ? a.start : b.start;
  const end = a.end < b.end ? a.end : b.end;
  return start <= end ? { start, end } : null;
}

/** Whether every day of `inner` lies in `outer`. */
export function covers(outer: Period, inner: Period): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Great-circle distance between two points (haversine on a sphere of the Earth's mean radius). */
export function distanceMetres(
  a: { readonly latitude: number; readonly longitude: number },
  b: { readonly latitude: number; readonly longitude: number },
): number {
  const radians = Math.PI / 180;
  const dLatitude = (b.latitude - a.latitude) * radians;
  const dLongitude = (b.longitude - a.longitude) * radians;
  const h =
    Math.sin(dLatitude / 2) ** 2 +
    Math.cos(a.latitude * radians) * Math.cos(b.latitude * radians) * Math.sin(dLongitude / 2) ** 2;
  const distance = 2 * earthRadiusMetres * Math.asin(Math.min(1, Math.sqrt(h)));
  assert(distance >= 0 && distance <= Math.PI * earthRadiusMetres + 1, 'a distance on the Earth');
  return distance;
}

/** A location as people write it: case and runs of spaces do not tell two places apart. */
const placeText = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/** Why two projects may be one: the same site, the same technology, participants in common. */
export interface DuplicateGrounds {
  /** Between the two sites' coordinates, rounded to whole metres. */
  readonly distanceMetres: number;
  readonly sameLocationText: boolean;
  /** The methodology both apply (its id, any version), or null. */
  readonly methodology: string | null;
  /** The eligible activity both declare, or null. */
  readonly activity: string | null;
  /** The participants both name, sorted. */
  readonly sharedParticipants: readonly string[];
}

/**
 * The grounds on which two projects may be one, or null when any one of them is missing: the same
 * site (within duplicateDistanceMetresMax, or the same location text), the same technology (the same
 * methodology, or the same activity of the partner's list) and at least one participant in common.
 */
export function duplicateGrounds(a: ProjectData, b: ProjectData): DuplicateGrounds | null {
  const distance = distanceMetres(a, b);
  const sameLocationText = placeText(a.location) === placeText(b.location);
  if (distance > duplicateDistanceMetresMax && !sameLocationText) return null;
  const methodology = a.methodology.id === b.methodology.id ? a.methodology.id : null;
  const activity = a.activity !== undefined && a.activity === b.activity ? a.activity : null;
  if (methodology === null && activity === null) return null;
  const theirs = new Set(participantsOf(b));
  const sharedParticipants = [...new Set(participantsOf(a))].filter((p) => theirs.has(p)).sort();
  if (sharedParticipants.length === 0) return null;
  return {
    distanceMetres: Math.round(distance),
    sameLocationText,
    methodology,
    activity,
    sharedParticipants,
  };
}

/** Another project of the JCM, as a registration request is checked against it. */
export interface CandidateProject {
  readonly id: string;
  readonly state: string;
  readonly project: ProjectData;
}

export type FlagState = 'open' | 'not_duplicate' | 'duplicate';

/** A possible duplicate of a project, as stored, and the secretariat's conclusion on it. */
export interface StoredFlag {
  readonly id: string;
  readonly project: string;
  readonly other: string;
  readonly partnership: string;
  readonly state: FlagState;
}

/** What the double-counting guards and flags are decided on, loaded in the action's transaction. */
export interface DoubleCountingFacts {
  /** The current version of each registration elsewhere of the action's project. */
  readonly registrations: readonly StoredRegistration[];
  /** The possible duplicates flagged on the action's project. */
  readonly flags: readonly StoredFlag[];
  /** Every other project of the JCM not withdrawn or rejected (loaded for registration requests). */
  readonly candidates: readonly CandidateProject[];
}

/** A possible duplicate a registration request raises. */
export interface RaisedFlag {
  readonly other: string;
  readonly grounds: DuplicateGrounds;
}

/** The actions that check a project against the other projects of the JCM. */
export const flaggingActions: readonly string[] = ['request_registration', 'resubmit_registration'];

/**
 * The possible duplicates a registration request raises for the secretariat: every other project not
 * withdrawn or rejected whose grounds hold and that is not flagged against this one already (a
 * conclusion stands when the request comes again).
 */
export function duplicatesRaised(ctx: CycleContext, action: CycleAction): readonly RaisedFlag[] {
  if (!flaggingActions.includes(action.type)) return [];
  const facts = ctx.doubleCounting;
  const project = ctx.project;
  assert(facts !== undefined, 'the double-counting facts of a registration request are loaded');
  assert(project?.data.project !== undefined, 'a registration request is about a stored project');
  const flagged = new Set(facts.flags.map((f) => f.other));
  return facts.candidates.flatMap((c) => {
    if (c.id === project.id || flagged.has(c.id) || closedProjectStates.includes(c.state))
      return [];
    const grounds = duplicateGrounds(project.data.project as ProjectData, c.project);
    return grounds === null ? [] : [{ other: c.id, grounds }];
  });
}

/** The `duplicates_concluded` guard: no flag of the project is open or concluded a duplicate. */
export function duplicatesConcluded({ ctx }: GuardInput): Outcome {
  const facts = ctx.doubleCounting;
  assert(facts !== undefined, 'the double-counting facts of a registration are loaded');
  const open = facts.flags.filter((f) => f.state === 'open');
  if (open.length > 0)
    return fail(
      `the secretariat has not concluded on ${open.map((f) => `flag ${f.id} (${f.other})`).join(', ')}`,
      'cycle_duplicate_flag_open',
    );
  const duplicate = facts.flags.find((f) => f.state === 'duplicate');
  return duplicate === undefined
    ? true
    : fail(
        `the secretariat concluded that it duplicates ${duplicate.other} (flag ${duplicate.id}); the Joint Committee rejects the request`,
        'cycle_project_is_duplicate',
      );
}

/** A monitoring period credited by another mechanism: the registration and the days in common. */
export interface CreditedElsewhere {
  readonly registration: StoredRegistration;
  readonly period: Period;
  readonly overlap: Period;
}

/**
 * The first day range of the monitoring periods that a registration elsewhere credits: its crediting
 * period overlaps them and it is not recorded as cancelled for every day of the overlap.
 */
export function creditedElsewhere(
  periods: readonly Period[],
  registrations: readonly StoredRegistration[],
): CreditedElsewhere | null {
  for (const period of periods)
    for (const registration of registrations) {
      const overlap = overlapOf(period, registration.creditingPeriod);
      if (overlap === null) continue;
      const cancelled = registration.cancellation?.period;
      if (
        registration.status === 'cancelled' &&
        cancelled !== undefined &&
        covers(cancelled, overlap)
      )
        continue;
      return { registration, period, overlap };
    }
  return null;
}

/**
 * The `not_registered_elsewhere` guard of an issuance: the monitoring period it is for overlaps no
 * crediting period of a registration elsewhere of the project, but for days recorded as cancelled.
 */
export function notRegisteredElsewhere({ ctx }: GuardInput): Outcome {
  const facts = ctx.doubleCounting;
  assert(facts !== undefined, 'the double-counting facts of an issuance are loaded');
  const periods = ctx.monitoring?.data.calculation?.periods ?? [];
  const found = creditedElsewhere(periods, facts.registrations);
  if (found === null) return true;
  const { registration: r, period, overlap } = found;
  return fail(
    `the monitoring period ${period.start}..${period.end} overlaps the crediting period ${r.creditingPeriod.start}..${r.creditingPeriod.end} of ${r.identifier} in ${mechanismName(r)} (${r.id}) on ${overlap.start}..${overlap.end}, for which it is not recorded as cancelled`,
  );
}

/** The secretariat's conclusion on a possible duplicate. */
export interface Conclusion {
  readonly conclusion: 'not_duplicate' | 'duplicate';
  /** Why (required to conclude that it is not a duplicate). */
  readonly reason: string | null;
}

/**
 * The secretariat of the flagged project's partnership concludes an open flag, once: the flag exists,
 * the actor sits in that secretariat, the flag is still open.
 */
export function decideConclusion(
  flag: StoredFlag | null,
  id: string,
  actor: Actor,
): Result<StoredFlag> {
  if (flag === null) return reject('duplicate_flag_not_found', `no duplicate flag ${id}`);
  const secretariat = actor.roles.some(
    (r) => r.kind === 'secretariat' && r.partnership === flag.partnership,
  );
  if (!secretariat)
    return reject(
      'cycle_role_not_allowed',
      `only the secretariat of ${flag.partnership} concludes on the possible duplicates of ${flag.project}`,
    );
  if (flag.state !== 'open')
    return reject(
      'duplicate_flag_already_concluded',
      `flag ${flag.id} is concluded already (${flag.state.replaceAll('_', ' ')})`,
    );
  return ok(flag);
}
