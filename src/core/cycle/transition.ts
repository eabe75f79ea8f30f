// The one transition function of the project cycle: given an item's state, an action, the actor's
// roles, the documents on file and the guard outcomes (computed in core by guards.ts), it returns the
// next state and the deadline of the step it opens, or the first broken rule in precedence order:
//   1 cycle_action_unknown          the machine has no such action
//   2 cycle_action_not_allowed_in_state
//   3 cycle_role_not_allowed        the actor holds none of the acting roles
//   4 cycle_documents_missing       names every missing document (the rulebook may add some)
//   5 the first failed guard, in the order the table lists them (its own code, or the code of the
//     rule it names when it checks several: the allocation)
import { addDays, formatCivilDate, type CivilDate } from '../shared/civil-date.ts';
import type { ErrorCode } from '../shared/error-codes.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { assert } from '../shared/assert.ts';
import {
  cycleDefinition,
  documentTypes,
  guards as guardTexts,
  type CycleRole,
  type DocumentType,
  type Guard,
  type Machine,
  type TransitionRule,
} from './definition.ts';

export interface TransitionRequest {
  readonly machine: Machine;
  /** The item's current state; null when the action creates it. */
  readonly state: string | null;
  readonly action: string;
  readonly actorRoles: readonly CycleRole[];
  /** Types of the documents on file for this step. */
  readonly documents: ReadonlySet<DocumentType>;
  /** Documents the rulebook in force adds to this action. */
  readonly extraDocuments?: readonly DocumentType[];
  /** Outcome of each guard (guards.ts): true, or the reason it fails. */
  readonly guardOutcomes: Readonly<
    Partial<Record<Guard, true | { readonly message: string; readonly code?: ErrorCode }>>
  >;
  /** The day the action happens (from the clock port). */
  readonly today: CivilDate;
}

export interface Transition {
  readonly rule: TransitionRule;
  readonly from: string | null;
  readonly to: string;
  /** Set when the new state opens a step with a deadline. */
  readonly due: { readonly date: string; readonly role: CycleRole; readonly step: string } | null;
}

/** The rejection code of each guard. */
export const guardCodes: Readonly<Record<Guard, ErrorCode>> = {
  public_input_elapsed: 'cycle_public_input_still_open',
  no_open_findings: 'cycle_findings_open',
  tpe_designated: 'cycle_tpe_not_designated',
  activity_eligible: 'cycle_activity_not_eligible',
  ccs_periods_fit: 'cycle_ccs_periods_invalid',
  allocation_meets_rulebook: 'allocation_rule_violated',
  decision_adopted: 'cycle_decision_not_adopted',
  confirmations_complete: 'cycle_government_confirmation_missing',
  monitoring_verified: 'cycle_monitoring_not_verified',
  verified_within_calculated: 'cycle_verified_exceeds_calculated',
  all_lines_issued: 'cycle_lines_not_all_issued',
  project_registered: 'cycle_project_not_registered',
  registry_lines_issued: 'cycle_lines_not_all_issued',
  registries_confirmed: 'cycle_registry_confirmation_missing',
  participants_registered: 'cycle_participant_not_registered',
  subject_awaits_decision: 'cycle_decision_subject_invalid',
  monitoring_periods_fit: 'cycle_monitoring_period_invalid',
  reference_only: 'cycle_reassessment_changes_other_data',
  decided_allocation_meets_rulebook: 'allocation_rule_violated',
  duplicates_concluded: 'cycle_duplicate_flag_open',
  not_registered_elsewhere: 'cycle_monitoring_period_registered_elsewhere',
};

export function decideTransition(request: TransitionRequest): Result<Transition> {
  const forMachine = cycleDefinition.filter((r) => r.machine === request.machine);
  const forAction = forMachine.filter((r) => r.action === request.action);
  if (forAction.length === 0) {
    return reject('cycle_action_unknown', `a ${request.machine} has no action ${request.action}`);
  }
  const rule = forAction.find((r) => r.from === request.state);
  if (rule === undefined) {
    const allowed = forAction.map((r) => r.from ?? '(new)').join(', ');
    return reject(
      'cycle_action_not_allowed_in_state',
      `${request.action} is not allowed in state ${request.state ?? '(new)'}; it is allowed in ${allowed}`,
    );
  }
  if (!rule.roles.some((role) => request.actorRoles.includes(role))) {
    return reject(
      'cycle_role_not_allowed',
      `${request.action} is taken by ${rule.roles.join(' or ')}`,
    );
  }
  const needed = [...new Set([...rule.documents, ...(request.extraDocuments ?? [])])];
  const missing = needed.filter((d) => !request.documents.has(d));
  if (missing.length > 0) {
    return reject(
      'cycle_documents_missing',
      `${request.action} needs ${missing.map((d) => documentTypes[d]).join('; ')}`,
      { missing },
    );
  }
  for (const guard of rule.guards) {
    const outcome = request.guardOutcomes[guard];
    // A guard left unevaluated is a bug, never a pass.
    assert(outcome !== undefined, `guard ${guard} of ${request.action} was evaluated`);
    if (outcome !== true) {
      // A guard of several rules (the allocation's accounts, holders and shares) names the one broken.
      return reject(outcome.code ?? guardCodes[guard], `${guardTexts[guard]}: ${outcome.message}`);
    }
  }
  const due =
    rule.opens === undefined
      ? null
      : {
          date: formatCivilDate(addDays(request.today, rule.opens.days)),
          role: rule.opens.role,
          step: rule.opens.step,
        };
  return ok({ rule, from: request.state, to: rule.to, due });
}

/** The guards an action needs in a state, so that the services evaluate exactly those. */
export function guardsFor(
  machine: Machine,
  state: string | null,
  action: string,
): readonly Guard[] {
  return (
    cycleDefinition.find((r) => r.machine === machine && r.from === state && r.action === action)
      ?.guards ?? []
  );
}
