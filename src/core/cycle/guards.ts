// The guards of the cycle, evaluated on stored facts: each is true or says why it fails. Only the
// guards of the transition's row are evaluated (transition.ts asserts that every one was).
import type { Actor } from '../ledger/actor.ts';
import {
  dayNumber,
  formatCivilDate,
  parseCivilDate,
  type CivilDate,
} from '../shared/civil-date.ts';
import { assertNever } from '../shared/assert.ts';
import { canonicalJson, type Json } from '../shared/canonical-json.ts';
import type { ErrorCode } from '../shared/error-codes.ts';
import { checkAllocationOnAccounts } from './allocation-holders.ts';
import { decisionOf, designatesTpe, submittedProject, type CycleAction } from './actions.ts';
import { ccsPeriodsFit } from './ccs-periods.ts';
import { duplicatesConcluded, notRegisteredElsewhere } from './double-counting.ts';
import { monitoringPeriodsFit } from './monitoring-periods.ts';
import type { CycleContext } from './context.ts';
import { cycleDefinition, type Guard, type Machine } from './definition.ts';
import type { AllocationLineData, StoredItem } from './items.ts';
import { participantsOf, type ProjectData } from './project-data.ts';
import {
  activityEligible,
  confirmationRequired,
  type ConfirmationSubject,
  type RulesInForce,
} from './rulebook.ts';

/** A guard holds, or says why not; a guard with several rules names the one broken by its code. */
export type Outcome = true | { readonly message: string; readonly code?: ErrorCode };
const fail = (message: string, code?: ErrorCode): Outcome =>
  code === undefined ? { message } : { message, code };

/** Which governments' confirmations a decision needs, by the action it authorises. */
export const confirmationSubjectsOf: Readonly<Record<string, readonly ConfirmationSubject[]>> = {
  register_project: ['registration'],
  reject_registration: ['registration'],
  renew_crediting_period: ['crediting_period'],
  decide_issuance: ['issuance', 'allocation'],
  reject_issuance: ['issuance'],
};

/** The facts a guard reads: the context, the action, the actor and what decide.ts derived. */
export interface GuardInput {
  readonly ctx: CycleContext;
  readonly action: CycleAction;
  readonly actor: Actor;
  readonly machine: Machine;
  readonly partnership: string;
  /** The project data the action concerns: the one submitted, or else the stored one. */
  readonly project: ProjectData | null;
  readonly rules: RulesInForce;
}

export function evaluateGuards(
  guards: readonly Guard[],
  input: GuardInput,
): Partial<Record<Guard, Outcome>> {
  const outcomes: Partial<Record<Guard, Outcome>> = {};
  for (const guard of guards) outcomes[guard] = evaluate(guard, input);
  return outcomes;
}

/**
 * The allocation an action is checked on: the one it carries, the one the decision it carries out
 * decided, or else the item's.
 */
export function allocationOf(
  action: CycleAction,
  item: StoredItem | null,
  decision: StoredItem | null = null,
): readonly AllocationLineData[] {
  const carried =
    action.type === 'propose_decision' ? null : 'allocation' in action ? action.allocation : null;
  return carried ?? decision?.data.subject?.allocation ?? item?.data.allocation ?? [];
}

/** The registries an action's allocation puts credits in, each once. */
export function allocationRegistries(action: CycleAction, item: StoredItem | null): string[] {
  return [...new Set(allocationOf(action, item).map((l) => l.registry))];
}

/** The actor manages this registry (administrators do not confirm issuances on its behalf). */
export function managesRegistryAsManager(actor: Actor, registry: string): boolean {
  return actor.roles.some((r) => r.kind === 'registry_manager' && r.registry === registry);
}

function evaluate(guard: Guard, input: GuardInput): Outcome {
  const { ctx, action } = input;
  switch (guard) {
    case 'public_input_elapsed':
      return publicInputElapsed(ctx.item, ctx.today);
    case 'no_open_findings': {
      const open = ctx.findings.filter((f) => f.kind !== 'FAR' && f.state !== 'closed');
      return open.length === 0
        ? true
        : fail(`${open.map((f) => `${f.kind} ${String(f.id)}`).join(', ')} still open`);
    }
    case 'tpe_designated':
      return tpeDesignated(input);
    case 'activity_eligible': {
      const named = input.project?.methodology ?? null;
      const result = activityEligible(
        input.rules,
        input.partnership,
        input.project?.activity ?? null,
        named === null
          ? null
          : {
              ...named,
              served: ctx.servedActivities?.get(`${named.id}@${named.version}`) ?? null,
            },
      );
      return result.ok ? true : fail(result.error.message, result.error.code);
    }
    case 'allocation_meets_rulebook': {
      const lines = allocationOf(action, ctx.item, ctx.decision);
      if (lines.length === 0) return fail('no credit allocation is given');
      return allocationOnAccounts(input, lines);
    }
    case 'decided_allocation_meets_rulebook':
      // Checked when the decision is proposed, before the governments confirm it, and again when
      // it is carried out (allocation_meets_rulebook of decide_issuance).
      return action.type === 'propose_decision' && action.allocation !== null
        ? allocationOnAccounts(input, action.allocation)
        : true;
    case 'decision_adopted':
      return decisionAdopted(input);
    case 'confirmations_complete':
      return confirmationsComplete(input);
    case 'monitoring_verified':
      return monitoringVerified(ctx.monitoring);
    case 'verified_within_calculated':
      return verifiedWithinCalculated(input);
    case 'registry_lines_issued':
    case 'all_lines_issued':
      return linesIssued(input, guard === 'all_lines_issued');
    case 'project_registered':
      return projectRegistered(
        action.type === 'submit_monitoring_report' ? ctx.parent : ctx.project,
      );
    case 'registries_confirmed': {
      const confirmed = ctx.item?.data.registryConfirmations ?? {};
      const missing = allocationRegistries(action, ctx.item).filter(
        (r) => confirmed[r] === undefined,
      );
      return missing.length === 0 ? true : fail(`${missing.join(', ')} has not confirmed`);
    }
    case 'participants_registered':
      return participantsRegistered(submittedProject(action), ctx.organisations);
    case 'subject_awaits_decision':
      return subjectAwaitsDecision(input);
    case 'ccs_periods_fit':
      return ccsPeriods(input);
    case 'monitoring_periods_fit':
      return monitoringPeriodsFit(input);
    case 'reference_only':
      return referenceOnly(ctx.project?.data.project ?? null, submittedProject(action));
    case 'duplicates_concluded':
      return duplicatesConcluded(input);
    case 'not_registered_elsewhere':
      return notRegisteredElsewhere(input);
    default:
      return assertNever(guard, 'guard');
  }
}

/** Holders derived from the accounts and the stored project's participants, never the labels. */
function allocationOnAccounts(
  { ctx, partnership, rules }: GuardInput,
  lines: readonly AllocationLineData[],
): Outcome {
  const result = checkAllocationOnAccounts(
    lines,
    ctx.allocationAccounts,
    partnership,
    ctx.project?.data.project ?? null,
    rules,
  );
  return result.ok ? true : fail(result.error.message, result.error.code);
}

/** A registered project stays registered while a change or a renewal is reviewed. */
const registeredStates = new Set([
  'registered',
  'change_review',
  'reassessment_review',
  'renewal_review',
]);

/** A monitoring report names its project as its parent; later steps find it above them. */
function projectRegistered(project: StoredItem | null): Outcome {
  if (project === null || project.machine !== 'project')
    return fail('the item belongs to no project');
  return registeredStates.has(project.state)
    ? true
    : fail(`project ${project.id} is ${project.state}`);
}

function publicInputElapsed(item: StoredItem | null, today: CivilDate): Outcome {
  const due = item?.dueDate == null ? null : parseCivilDate(item.dueDate);
  if (due === null) return fail('no public input period is running');
  return dayNumber(today) > dayNumber(due)
    ? true
    : fail(`public input runs until ${formatCivilDate(due)}`);
}

/** Validation acts need a designation for validation; everything after registration, for verification. */
function tpeDesignated({ ctx, action, project, partnership }: GuardInput): Outcome {
  if (project === null) return fail('the project names no TPE');
  const fn = [
    'submit_pdd',
    'resubmit_pdd',
    'issue_positive_validation',
    'issue_negative_validation',
  ].includes(action.type)
    ? 'validation'
    : 'verification';
  const today = formatCivilDate(ctx.today);
  const covered = new Set(
    ctx.designations
      .filter(
        (d) =>
          d.organisation === project.tpe &&
          d.partnership === partnership &&
          d.function === fn &&
          d.validFrom <= today &&
          d.validUntil >= today,
      )
      .map((d) => d.sectoralScope),
  );
  const missing = project.sectoralScopes.filter((s) => !covered.has(s));
  return missing.length === 0
    ? true
    : fail(
        `${project.tpe} is not designated for ${fn} in sectoral scope ${missing.join(', ')} on ${today}`,
      );
}

function decisionAdopted({ ctx, action }: GuardInput): Outcome {
  const named = decisionOf(action);
  const decision = ctx.decision;
  if (named === null || decision === null || decision.machine !== 'decision')
    return fail(`no decision ${named ?? ''}`.trim());
  if (decision.state !== 'adopted') return fail(`decision ${decision.id} is ${decision.state}`);
  const subject = decision.data.subject;
  if (subject?.item !== ctx.item?.id || subject?.action !== action.type) {
    return fail(
      `decision ${decision.id} authorises ${subject?.action ?? '?'} of ${subject?.item ?? '?'}`,
    );
  }
  if (subject.version !== ctx.item?.version)
    return fail(
      `decision ${decision.id} was proposed on version ${subject.version} of ${subject.item}, which has moved on since`,
    );
  if (decision.data.carriedOutBy !== undefined)
    return fail(`decision ${decision.id} was already carried out (${decision.data.carriedOutBy})`);
  return true;
}

/** On a decision: its own confirmations; on an action carrying out a decision: that decision's. */
function confirmationsComplete({ ctx, rules }: GuardInput): Outcome {
  const decision = ctx.item?.machine === 'decision' ? ctx.item : ctx.decision;
  if (decision === null) return fail('no decision is named');
  const subjects = (confirmationSubjectsOf[decision.data.subject?.action ?? ''] ?? []).filter((s) =>
    confirmationRequired(rules, s),
  );
  if (subjects.length === 0) return true;
  const subject = subjects.join(' and ');
  const confirmed = decision.data.confirmations ?? {};
  const missing = (['government_japan', 'government_partner'] as const).filter(
    (g) => confirmed[g] === undefined,
  );
  return missing.length === 0
    ? true
    : fail(`${subject} needs prior confirmation; missing: ${missing.join(', ')}`);
}

function monitoringVerified(monitoring: StoredItem | null): Outcome {
  if (monitoring === null || monitoring.machine !== 'monitoring')
    return fail('name the monitoring period in `parent`');
  if (monitoring.state !== 'verified')
    return fail(`monitoring period ${monitoring.id} is ${monitoring.state}`);
  const used = monitoring.data.usedBy;
  return used === undefined ? true : fail(`monitoring period ${monitoring.id} is used by ${used}`);
}

function verifiedWithinCalculated({ ctx, action }: GuardInput): Outcome {
  const calculated = new Map(
    (ctx.item?.data.calculation?.vintages ?? []).map((v) => [String(v.vintage), BigInt(v.credits)]),
  );
  const verified = Object.entries(action.type === 'issue_verification' ? action.verified : {});
  if (verified.length === 0) return fail('give the verified reductions per vintage in `verified`');
  for (const [vintage, quantity] of verified) {
    const limit = calculated.get(vintage) ?? 0n;
    if (quantity > limit)
      return fail(`vintage ${vintage}: ${quantity} verified, ${limit} calculated`);
  }
  return true;
}

/** Every line (closing), or the lines of the confirming manager's registries, are issued. */
function linesIssued({ ctx, actor }: GuardInput, all: boolean): Outcome {
  if (ctx.item?.data.ledgerDecision === undefined)
    return fail('the issuance has no ledger decision');
  if (ctx.ledgerLines.length === 0)
    return fail(`no ledger decision ${ctx.item.data.ledgerDecision}`);
  const waiting = ctx.ledgerLines.filter(
    (l) => !l.issued && (all || managesRegistryAsManager(actor, l.registry)),
  );
  return waiting.length === 0
    ? true
    : fail(`lines ${waiting.map((l) => l.lineNo).join(', ')} are not issued yet`);
}

function participantsRegistered(
  project: ProjectData | null,
  organisations: ReadonlyMap<string, string>,
): Outcome {
  if (project === null) return fail('the action carries no project data');
  const missing = [...new Set(participantsOf(project))].filter(
    (o) => organisations.get(o) !== 'project_participant',
  );
  return missing.length === 0
    ? true
    : fail(`${missing.join(', ')} is not a registered project participant`);
}

/**
 * A CCS or CCUS project's periods (whether its methodology is CCS is the catalogue's fact); a renewal
 * is checked on the crediting period it asks for (a CCS project's is its injection period, changed
 * only with its storage periods by a post-registration change).
 */
function ccsPeriods({ ctx, action, project }: GuardInput): Outcome {
  const named = project?.methodology;
  const ccs = named !== undefined && ctx.ccsMethodologies?.has(`${named.id}@${named.version}`);
  const asked =
    action.type === 'request_renewal' && project !== null
      ? { ...project, creditingPeriod: action.creditingPeriod }
      : project;
  const result = ccsPeriodsFit(asked, ccs === true);
  return result.ok ? true : fail(result.error.message);
}

/** What a re-assessment of reference emissions (form 3.3) may change in the project data. */
const reassessed = new Set<keyof ProjectData>(['methodology', 'expectedReductionsPerYear']);

function referenceOnly(stored: ProjectData | null, submitted: ProjectData | null): Outcome {
  if (stored === null || submitted === null) return fail('no project data to compare');
  const keys = new Set([...Object.keys(stored), ...Object.keys(submitted)]) as Set<
    keyof ProjectData
  >;
  const changed = [...keys].filter(
    (k) =>
      !reassessed.has(k) &&
      canonicalJson((stored[k] ?? null) as Json) !== canonicalJson((submitted[k] ?? null) as Json),
  );
  return changed.length === 0
    ? true
    : fail(`it changes ${changed.join(', ')}; ask for a post-registration change (form 3.12)`);
}

function subjectAwaitsDecision({ ctx, action }: GuardInput): Outcome {
  if (action.type !== 'propose_decision') return fail('only a proposed decision has a subject');
  // A TPE designation is about a registered third-party entity (the designation record follows).
  if (designatesTpe(action))
    return ctx.organisations.get(action.subject.item) === 'third_party_entity'
      ? true
      : fail(`${action.subject.item} is not a registered third-party entity`);
  const subject = ctx.parent;
  if (subject === null) return fail(`no cycle item ${action.subject.item}`);
  const takes = cycleDefinition.some(
    (r) =>
      r.machine === subject.machine &&
      r.action === action.subject.action &&
      r.guards.includes('decision_adopted'),
  );
  return takes
    ? true
    : fail(`a ${subject.machine} takes no Joint Committee decision to ${action.subject.action}`);
}
