// The words of the project cycle's table (definition.ts): the kinds of items (machines), the acting
// roles, the documents with their form numbers, the guards, and the shape of a transition rule.

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
  reference_emissions_assessment: 'Assessment of reference emissions request (form 3.3)',
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
  methodology_file:
    "The proposed methodology in the platform's format (YAML or JSON), which becomes the catalogue entry",
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
  ccs_periods_fit:
    "a CCS or CCUS project's crediting period is its injection period, with the end of its termination period stated; no other project states them",
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
  monitoring_periods_fit:
    "the monitoring periods have ended, lie within the project's crediting period (for a CCS or CCUS project, up to the end of its termination period) and overlap no other monitoring report of the project",
  subject_awaits_decision:
    'the decision authorises an action that the item it is about takes with a Joint Committee decision',
  decided_allocation_meets_rulebook:
    'the allocation an issuance decision is proposed with, if any, meets every allocation rule of the rulebook in force',
  reference_only:
    'a re-assessment of reference emissions changes only the methodology applied and the expected reductions',
  duplicates_concluded:
    'the secretariat has concluded that none of the possible duplicates of the project flagged at its registration request is one',
  not_registered_elsewhere:
    'the monitoring period overlaps no crediting period of a registration of the project in another mechanism, unless that registration is recorded as cancelled for the days in common',
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
