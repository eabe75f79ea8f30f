// The JCM project cycle as data (SPEC section 4, forms of Appendix A): for each kind of item, which
// action an acting role may take in which state, the documents it needs, the guards that must hold,
// the state it leads to and the deadline of the step it opens. transition.ts is the one function
// that reads this table.

export const machines = [
  'pin',
  'methodology',
  'project',
  'monitoring',
  'issuance',
  'decision',
] as const;
export type Machine = (typeof machines)[number];

export const roles = [
  'project_participant',
  'third_party_entity',
  'secretariat',
  'joint_committee',
  'government_japan',
  'government_partner',
  'registry_manager',
] as const;
export type CycleRole = (typeof roles)[number];

/** Documents of the cycle; the form numbers are those of the newer JCM rule sets (Appendix A). */
export const documentTypes = {
  pin_form: 'Project Idea Note (form 3.1)',
  moc_statement: 'Modalities of Communication statement (form 3.2)',
  validation_report: 'Validation report (form 3.4)',
  credit_allocation: 'Credit allocation (form 3.5)',
  registration_request: 'Project registration request (form 3.6)',
  monitoring_report: 'Project implementation (monitoring) report (form 3.7)',
  verification_report: 'Verification report (form 3.8)',
  issuance_request: 'Credits issuance request (form 3.9)',
  renewal_request: 'Renewal of crediting period request (form 3.10)',
  methodology_revision_request: 'Approved methodology revision request (form 3.11)',
  post_registration_change_request: 'Post-registration changes request (form 3.12)',
  project_withdrawal_request: 'Project withdrawal request (form 3.13)',
  registration_withdrawal_request: 'Registration request withdrawal (form 3.14)',
  issuance_withdrawal_request: 'Issuance request withdrawal (form 3.15)',
  methodology_proposal: 'Proposed methodology with its spreadsheet',
  pdd: 'Project design document with its monitoring plan',
  monitoring_spreadsheet: 'Filled monitoring spreadsheet (calculated by the methodology engine)',
  sd_plan: 'Sustainable development implementation (contribution) plan',
  sd_report: 'Sustainable development report',
  project_information_sheet: 'Project Information Sheet shared with both governments',
  decision_text: 'Text of a Joint Committee decision',
} as const;
export type DocumentType = keyof typeof documentTypes;

/**
 * Conditions checked by the services on facts outside the item (findings, decisions, rulebooks, the
 * ledger), passed to the transition as a set of guard outcomes.
 */
export const guards = {
  public_input_elapsed: 'the public input period has ended',
  no_open_findings: 'every CAR and CL is closed (FARs may stay open)',
  tpe_designated:
    'the chosen TPE is designated by the Joint Committee for the scope and function, and its designation is valid',
  activity_eligible:
    "the project activity is on the partner's list of activities eligible for Article 6.2, where the rulebook has one",
  allocation_meets_rulebook:
    'the credit allocation meets every allocation rule of the rulebook in force',
  decision_adopted:
    'the Joint Committee decision this action carries out is adopted, is about this action of this item and has not been carried out yet',
  confirmations_complete:
    'each government whose prior confirmation the rulebook requires has confirmed',
  monitoring_verified: 'the monitoring period is verified and not yet used for issuance',
  verified_within_calculated:
    'the verified reductions per vintage do not exceed the calculation of the monitoring report',
  all_lines_issued: 'every allocation line of the issuance decision is issued in its registry',
  project_registered: 'the project the item belongs to is registered',
  registry_lines_issued: "every allocation line of the confirming manager's registry is issued",
  registries_confirmed: 'every registry with allocation lines has confirmed the issuance',
  participants_registered:
    'every participant the project data names is a registered project-participant organisation',
  subject_awaits_decision:
    'the decision authorises an action that the item it is about takes with a Joint Committee decision',
} as const;
export type Guard = keyof typeof guards;

export interface Deadline {
  /** Calendar days from the day the step opened. */
  readonly days: number;
  /** Who must act before it. */
  readonly role: CycleRole;
  readonly step: string;
}

export interface TransitionRule {
  readonly machine: Machine;
  /** null: the action creates the item. */
  readonly from: string | null;
  readonly action: string;
  readonly to: string;
  readonly roles: readonly CycleRole[];
  readonly documents: readonly DocumentType[];
  readonly guards: readonly Guard[];
  /** The deadline of the step the new state opens, if it has one. */
  readonly opens?: Deadline;
}

const pp: CycleRole[] = ['project_participant'];
const tpe: CycleRole[] = ['third_party_entity'];
const sec: CycleRole[] = ['secretariat'];
const jc: CycleRole[] = ['joint_committee'];
const rule = (
  machine: Machine,
  from: string | null,
  action: string,
  to: string,
  who: readonly CycleRole[],
  documents: readonly DocumentType[] = [],
  guardList: readonly Guard[] = [],
  opens?: Deadline,
): TransitionRule =>
  opens === undefined
    ? { machine, from, action, to, roles: who, documents, guards: guardList }
    : { machine, from, action, to, roles: who, documents, guards: guardList, opens };

const completeness = (days: number): Deadline => ({
  days,
  role: 'secretariat',
  step: 'completeness check',
});
const revision = (days: number): Deadline => ({
  days,
  role: 'project_participant',
  step: 'revision of editorial issues',
});

/** Findings (CAR, CL, FAR) are raised, answered and closed without leaving the state. */
const findingLoops = (machine: Machine, state: string): TransitionRule[] => [
  rule(machine, state, 'raise_finding', state, tpe),
  rule(machine, state, 'answer_finding', state, pp),
  rule(machine, state, 'close_finding', state, tpe),
];

export const cycleDefinition: readonly TransitionRule[] = [
  // Project Idea Note: no objection (or an objection) recorded by the Joint Committee.
  rule(
    'pin',
    null,
    'submit_pin',
    'submitted',
    pp,
    ['pin_form', 'credit_allocation'],
    ['participants_registered'],
  ),
  rule('pin', 'submitted', 'record_no_objection', 'no_objection', jc, [], ['decision_adopted']),
  rule('pin', 'submitted', 'record_objection', 'objection', jc, [], ['decision_adopted']),
  rule(
    'pin',
    'objection',
    'resubmit_pin',
    'submitted',
    pp,
    ['pin_form', 'credit_allocation'],
    ['participants_registered'],
  ),
  rule('pin', 'submitted', 'withdraw_pin', 'withdrawn', pp),

  // Methodology proposal: 7-day completeness check, 15 days of public input, JC decision in 60 days.
  rule(
    'methodology',
    null,
    'propose_methodology',
    'completeness_check',
    [...pp, 'government_japan', 'government_partner', 'joint_committee'],
    ['methodology_proposal'],
    [],
    completeness(7),
  ),
  rule('methodology', 'completeness_check', 'accept_complete', 'public_input', sec, [], [], {
    days: 15,
    role: 'secretariat',
    step: 'public input',
  }),
  rule('methodology', 'completeness_check', 'return_incomplete', 'returned', sec),
  rule(
    'methodology',
    'returned',
    'resubmit_methodology',
    'completeness_check',
    pp,
    ['methodology_proposal'],
    [],
    completeness(7),
  ),
  rule(
    'methodology',
    'public_input',
    'close_public_input',
    'jc_consideration',
    sec,
    [],
    ['public_input_elapsed'],
    { days: 60, role: 'joint_committee', step: 'Joint Committee decision' },
  ),
  rule(
    'methodology',
    'jc_consideration',
    'approve_methodology',
    'approved',
    jc,
    [],
    ['decision_adopted'],
  ),
  rule(
    'methodology',
    'jc_consideration',
    'approve_methodology_with_revisions',
    'approved',
    jc,
    [],
    ['decision_adopted'],
  ),
  rule(
    'methodology',
    'jc_consideration',
    'reject_methodology',
    'not_approved',
    jc,
    [],
    ['decision_adopted'],
  ),
  rule(
    'methodology',
    'approved',
    'request_methodology_revision',
    'completeness_check',
    [...pp, 'joint_committee'],
    ['methodology_revision_request', 'methodology_proposal'],
    [],
    completeness(7),
  ),

  // Project: PDD and MoC statement to the TPE and the secretariat, 30 days of public input,
  // validation with findings, registration request with completeness check and revision, JC decision.
  rule(
    'project',
    null,
    'submit_pdd',
    'public_input',
    pp,
    ['pdd', 'moc_statement'],
    ['participants_registered', 'tpe_designated', 'activity_eligible'],
    { days: 30, role: 'secretariat', step: 'public input' },
  ),
  rule(
    'project',
    'public_input',
    'close_public_input',
    'validation',
    sec,
    [],
    ['public_input_elapsed'],
  ),
  ...findingLoops('project', 'validation'),
  rule(
    'project',
    'validation',
    'issue_positive_validation',
    'validated',
    tpe,
    ['validation_report'],
    ['tpe_designated', 'no_open_findings'],
  ),
  rule(
    'project',
    'validation',
    'issue_negative_validation',
    'validation_negative',
    tpe,
    ['validation_report'],
    ['tpe_designated'],
  ),
  rule(
    'project',
    'validation_negative',
    'resubmit_pdd',
    'public_input',
    pp,
    ['pdd', 'moc_statement'],
    ['participants_registered', 'tpe_designated', 'activity_eligible'],
    { days: 30, role: 'secretariat', step: 'public input' },
  ),
  rule(
    'project',
    'validated',
    'request_registration',
    'registration_completeness',
    pp,
    ['registration_request', 'pdd', 'validation_report', 'moc_statement', 'credit_allocation'],
    ['allocation_meets_rulebook'],
    completeness(7),
  ),
  rule('project', 'registration_completeness', 'accept_complete', 'jc_registration', sec),
  rule(
    'project',
    'registration_completeness',
    'return_for_revision',
    'registration_revision',
    sec,
    [],
    [],
    revision(7),
  ),
  rule(
    'project',
    'registration_revision',
    'resubmit_registration',
    'registration_completeness',
    pp,
    ['registration_request'],
    ['allocation_meets_rulebook'],
    completeness(7),
  ),
  rule(
    'project',
    'jc_registration',
    'register_project',
    'registered',
    jc,
    [],
    ['decision_adopted', 'confirmations_complete'],
  ),
  rule(
    'project',
    'jc_registration',
    'reject_registration',
    'validated',
    jc,
    [],
    ['decision_adopted', 'confirmations_complete'],
  ),
  ...['registration_completeness', 'registration_revision', 'jc_registration'].map((from) =>
    rule('project', from, 'withdraw_registration_request', 'validated', pp, [
      'registration_withdrawal_request',
    ]),
  ),
  // After registration: changes, renewal, withdrawal.
  rule(
    'project',
    'registered',
    'request_post_registration_change',
    'change_review',
    pp,
    ['post_registration_change_request'],
    ['participants_registered', 'tpe_designated', 'activity_eligible'],
  ),
  rule('project', 'change_review', 'approve_change', 'registered', jc, [], ['decision_adopted']),
  rule('project', 'change_review', 'reject_change', 'registered', jc, [], ['decision_adopted']),
  rule('project', 'registered', 'request_renewal', 'renewal_review', pp, ['renewal_request']),
  rule(
    'project',
    'renewal_review',
    'renew_crediting_period',
    'registered',
    jc,
    [],
    ['decision_adopted', 'confirmations_complete'],
  ),
  rule('project', 'renewal_review', 'reject_renewal', 'registered', jc, [], ['decision_adopted']),
  rule('project', 'registered', 'withdraw_project', 'withdrawn', pp, [
    'project_withdrawal_request',
  ]),

  // Monitoring period: the report is a calculation of the engine; verification with findings.
  rule(
    'monitoring',
    null,
    'submit_monitoring_report',
    'verification',
    pp,
    ['monitoring_report', 'monitoring_spreadsheet'],
    ['project_registered'],
  ),
  ...findingLoops('monitoring', 'verification'),
  rule(
    'monitoring',
    'verification',
    'issue_verification',
    'verified',
    tpe,
    ['verification_report'],
    ['tpe_designated', 'no_open_findings', 'verified_within_calculated'],
  ),
  rule(
    'monitoring',
    'verification',
    'issue_negative_verification',
    'not_verified',
    tpe,
    ['verification_report'],
    ['tpe_designated'],
  ),
  rule(
    'monitoring',
    'not_verified',
    'resubmit_monitoring_report',
    'verification',
    pp,
    ['monitoring_report', 'monitoring_spreadsheet'],
    ['project_registered'],
  ),

  // Issuance request: completeness, revision, JC decision, notification, issuance by each registry.
  rule(
    'issuance',
    null,
    'request_issuance',
    'issuance_completeness',
    pp,
    ['issuance_request', 'credit_allocation', 'monitoring_report', 'verification_report'],
    ['project_registered', 'monitoring_verified', 'allocation_meets_rulebook'],
    completeness(7),
  ),
  rule('issuance', 'issuance_completeness', 'accept_complete', 'jc_issuance', sec),
  rule(
    'issuance',
    'issuance_completeness',
    'return_for_revision',
    'issuance_revision',
    sec,
    [],
    [],
    revision(7),
  ),
  rule(
    'issuance',
    'issuance_revision',
    'resubmit_issuance',
    'issuance_completeness',
    pp,
    ['issuance_request', 'credit_allocation'],
    ['allocation_meets_rulebook'],
    completeness(7),
  ),
  rule(
    'issuance',
    'jc_issuance',
    'decide_issuance',
    'governments_notified',
    jc,
    [],
    ['decision_adopted', 'confirmations_complete', 'allocation_meets_rulebook'],
  ),
  // Each registry manager confirms back once its lines are issued; the secretariat then closes the
  // request, which needs every line issued and every registry's confirmation.
  rule(
    'issuance',
    'governments_notified',
    'confirm_issued',
    'governments_notified',
    ['registry_manager'],
    [],
    ['registry_lines_issued'],
  ),
  rule(
    'issuance',
    'governments_notified',
    'close_issuance',
    'issued',
    sec,
    [],
    ['all_lines_issued', 'registries_confirmed'],
  ),
  ...['issuance_completeness', 'issuance_revision', 'jc_issuance'].map((from) =>
    rule('issuance', from, 'withdraw_issuance_request', 'withdrawn', pp, [
      'issuance_withdrawal_request',
    ]),
  ),

  // Joint Committee decisions: proposed, confirmed by governments where the rulebook demands it,
  // adopted by consensus at a meeting or electronically.
  rule(
    'decision',
    null,
    'propose_decision',
    'proposed',
    sec,
    ['decision_text'],
    ['subject_awaits_decision'],
  ),
  rule('decision', 'proposed', 'confirm_decision', 'proposed', [
    'government_japan',
    'government_partner',
  ]),
  rule('decision', 'proposed', 'adopt_decision', 'adopted', jc, [], ['confirmations_complete']),
  rule('decision', 'proposed', 'withdraw_decision', 'withdrawn', sec),
];

/** Every action name of a machine. */
export function actionsOf(machine: Machine): string[] {
  return [...new Set(cycleDefinition.filter((r) => r.machine === machine).map((r) => r.action))];
}

/** States of a machine in which nothing more can happen. */
export function terminalStates(machine: Machine): string[] {
  const states = new Set(cycleDefinition.filter((r) => r.machine === machine).map((r) => r.to));
  const from = new Set(cycleDefinition.filter((r) => r.machine === machine).map((r) => r.from));
  return [...states].filter((s) => !from.has(s));
}
