// The project cycle and the registries in people's words: what an action did ("PDD submitted"), the
// state an item is in, the kinds of items, roles, account types and allocation holders. Shared by the
// portal and the command line; a code this table does not know yet reads as its words, never as an
// identifier with underscores.
import type { CycleActionType } from './actions.ts';

/** A code with its underscores as spaces: the fallback for a code the tables below lack. */
export function plain(code: string): string {
  return code.replaceAll('_', ' ');
}

const wordsOf = (table: Readonly<Record<string, string>>) => (code: string) =>
  Object.hasOwn(table, code) ? (table[code] ?? plain(code)) : plain(code);

/** What each action did, as a step on a timeline. */
const actionWords: { readonly [T in CycleActionType]: string } = {
  submit_pin: 'Project Idea Note submitted',
  record_no_objection: 'no objection recorded by the Joint Committee',
  record_objection: 'objection recorded by the Joint Committee',
  resubmit_pin: 'Project Idea Note resubmitted',
  withdraw_pin: 'Project Idea Note withdrawn',
  propose_methodology: 'methodology proposed',
  accept_complete: 'completeness accepted',
  return_incomplete: 'returned as incomplete',
  resubmit_methodology: 'methodology proposal resubmitted',
  close_public_input: 'public input closed',
  approve_methodology: 'methodology approved by the Joint Committee',
  approve_methodology_with_revisions: 'methodology approved with revisions by the Joint Committee',
  reject_methodology: 'methodology not approved by the Joint Committee',
  request_methodology_revision: 'revision of the methodology requested',
  submit_pdd: 'PDD submitted',
  raise_finding: 'finding raised by the third-party entity',
  answer_finding: 'finding answered',
  close_finding: 'finding closed by the third-party entity',
  issue_positive_validation: 'validated by the third-party entity',
  issue_negative_validation: 'negative validation by the third-party entity',
  resubmit_pdd: 'PDD resubmitted',
  request_registration: 'registration requested',
  return_for_revision: 'returned for revision',
  resubmit_registration: 'registration request resubmitted',
  register_project: 'registered by the Joint Committee',
  reject_registration: 'registration rejected by the Joint Committee',
  withdraw_registration_request: 'registration request withdrawn',
  request_post_registration_change: 'post-registration change requested',
  approve_change: 'post-registration change approved by the Joint Committee',
  reject_change: 'post-registration change rejected by the Joint Committee',
  request_renewal: 'renewal of the crediting period requested',
  renew_crediting_period: 'crediting period renewed by the Joint Committee',
  reject_renewal: 'renewal of the crediting period rejected by the Joint Committee',
  request_reference_assessment: 'assessment of reference emissions submitted (form 3.3)',
  approve_reassessment: 'assessment of reference emissions approved by the Joint Committee',
  reject_reassessment: 'assessment of reference emissions rejected by the Joint Committee',
  withdraw_project: 'project withdrawn',
  submit_monitoring_report: 'monitoring report submitted',
  issue_verification: 'verified by the third-party entity',
  issue_negative_verification: 'negative verification by the third-party entity',
  resubmit_monitoring_report: 'monitoring report resubmitted',
  request_issuance: 'issuance requested',
  resubmit_issuance: 'issuance request resubmitted',
  decide_issuance: 'issuance decided by the Joint Committee',
  reject_issuance: 'issuance rejected by the Joint Committee',
  confirm_issued: 'issuance confirmed by a registry',
  close_issuance: 'credits issued',
  withdraw_issuance_request: 'issuance request withdrawn',
  propose_decision: 'decision proposed',
  confirm_decision: 'decision confirmed by a government',
  adopt_decision: 'decision adopted by the Joint Committee',
  withdraw_decision: 'decision withdrawn',
};

/** The state an item is in. */
const stateWords: Readonly<Record<string, string>> = {
  submitted: 'submitted',
  no_objection: 'no objection',
  objection: 'objection',
  withdrawn: 'withdrawn',
  completeness_check: 'completeness check by the secretariat',
  public_input: 'open for public input',
  returned: 'returned as incomplete',
  jc_consideration: 'under consideration by the Joint Committee',
  approved: 'approved',
  not_approved: 'not approved',
  validation: 'in validation',
  validated: 'validated',
  validation_negative: 'negative validation',
  registration_completeness: 'registration request: completeness check',
  jc_registration: 'registration before the Joint Committee',
  registration_revision: 'registration request returned for revision',
  registered: 'registered',
  change_review: 'post-registration change under review',
  renewal_review: 'renewal under review',
  reassessment_review: 'assessment of reference emissions under review',
  verification: 'in verification',
  verified: 'verified',
  not_verified: 'not verified',
  issuance_completeness: 'issuance request: completeness check',
  jc_issuance: 'issuance before the Joint Committee',
  issuance_revision: 'issuance request returned for revision',
  governments_notified: 'governments notified, registries issuing',
  issued: 'issued',
  rejected: 'rejected by the Joint Committee',
  proposed: 'proposed',
  adopted: 'adopted',
};

const machineWords: Readonly<Record<string, string>> = {
  pin: 'Project Idea Note',
  methodology: 'methodology proposal',
  project: 'project',
  monitoring: 'monitoring period',
  issuance: 'issuance request',
  decision: 'Joint Committee decision',
};

const accountTypeWords: Readonly<Record<string, string>> = {
  holding: 'holding account',
  government_holding: 'government holding account',
  retirement: 'retirement account',
  cancellation: 'cancellation account',
  reserve: 'reserve account',
};

const holderWords: Readonly<Record<string, string>> = {
  government_japan: 'Government of Japan',
  government_partner: 'government of the partner country',
  participant_japan: 'Japanese project participant',
  participant_partner: 'partner-country project participant',
  other: 'other holder',
};

const roleWords: Readonly<Record<string, string>> = {
  project_participant: 'project participant',
  third_party_entity: 'third-party entity',
  secretariat: 'secretariat',
  joint_committee: 'Joint Committee',
  government_japan: 'Government of Japan',
  government_partner: 'government of the partner country',
  registry_manager: 'registry manager',
  administrator: 'administrator',
};

/** What a Joint Committee decision may decide besides a cycle action: a TPE's designation. */
const decisionOnlyWords: Readonly<Record<string, string>> = {
  designate_tpe: 'third-party entity designated by the Joint Committee',
};

export const actionWord = wordsOf({ ...decisionOnlyWords, ...actionWords });
export const stateWord = wordsOf(stateWords);
export const machineWord = wordsOf(machineWords);
export const accountTypeWord = wordsOf(accountTypeWords);
export const holderWord = wordsOf(holderWords);
export const roleWord = wordsOf(roleWords);
