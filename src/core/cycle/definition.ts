// The JCM project cycle as data (SPEC section 4, forms of Appendix A): for each kind of item, which
// action an acting role may take in which state, the documents it needs, the guards that must hold,
// the state it leads to and the deadline of the step it opens. transition.ts is the one function
// that reads this table.

import { projectRules } from './project-rules.ts';
import { completeness, findingLoops, jc, pp, revision, rule, sec, tpe } from './rule-builders.ts';
import type { Machine, TransitionRule } from './vocabulary.ts';

export * from './vocabulary.ts';

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
    ['methodology_proposal', 'methodology_file'],
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
    ['methodology_proposal', 'methodology_file'],
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
    ['methodology_revision_request', 'methodology_proposal', 'methodology_file'],
    [],
    completeness(7),
  ),

  ...projectRules,

  // Monitoring period: the report is a calculation of the engine; verification with findings.
  rule(
    'monitoring',
    null,
    'submit_monitoring_report',
    'verification',
    pp,
    ['monitoring_report', 'monitoring_spreadsheet'],
    ['project_registered', 'monitoring_periods_fit'],
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
    ['project_registered', 'monitoring_periods_fit'],
  ),

  // Issuance request: completeness, revision, JC decision, notification, issuance by each registry.
  rule(
    'issuance',
    null,
    'request_issuance',
    'issuance_completeness',
    pp,
    ['issuance_request', 'credit_allocation', 'monitoring_report', 'verification_report'],
    [
      'project_registered',
      'monitoring_verified',
      'not_registered_elsewhere',
      'allocation_meets_rulebook',
    ],
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
    ['not_registered_elsewhere', 'allocation_meets_rulebook'],
    completeness(7),
  ),
  rule(
    'issuance',
    'jc_issuance',
    'decide_issuance',
    'governments_notified',
    jc,
    [],
    [
      'decision_adopted',
      'confirmations_complete',
      'not_registered_elsewhere',
      'allocation_meets_rulebook',
    ],
  ),
  // Or rejects it: the request ends, and its monitoring period may be requested again once the
  // participants have revised the documents (ADB, "Article 6 of the Paris Agreement: Drawing Lessons
  // from the Joint Crediting Mechanism", 2020, Figure 9: rejected, "project participants/TPE may
  // further revise the documents and resubmit a new request").
  rule(
    'issuance',
    'jc_issuance',
    'reject_issuance',
    'rejected',
    jc,
    [],
    ['decision_adopted', 'confirmations_complete'],
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
    ['subject_awaits_decision', 'decided_allocation_meets_rulebook'],
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
