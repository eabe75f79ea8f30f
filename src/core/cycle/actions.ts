// The actions of the project cycle as one discriminated union: each action with exactly the parts it
// carries (project data only where the participants submit or change it, an allocation only where it
// is requested or decided, a decision only where a Joint Committee decision is carried out). Whatever
// an action does not carry, the cycle takes from the stored item and its context.
import type { DocumentType } from './definition.ts';
import type {
  AllocationLineData,
  CalculationData,
  DecisionSubject,
  DesignationTerms,
} from './items.ts';
import type { CreditingPeriod, ProjectData } from './project-data.ts';

/** A document filed with an action: its description and hashes (the bytes stay in the adapter). */
export interface FiledDocument {
  readonly type: DocumentType;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sha256: string;
  /** The full version of a confidential document (seen by the TPE and the Joint Committee). */
  readonly fullSha256: string | null;
  readonly bytes: number;
}

/** Actions that carry out an adopted Joint Committee decision and name it. */
export const decisionActions = [
  'record_no_objection',
  'record_objection',
  'approve_methodology',
  'approve_methodology_with_revisions',
  'reject_methodology',
  'register_project',
  'reject_registration',
  'approve_change',
  'reject_change',
  'renew_crediting_period',
  'reject_renewal',
  'reject_issuance',
  'approve_reassessment',
  'reject_reassessment',
] as const;
export type DecisionAction = (typeof decisionActions)[number];

/** Actions on an existing item that carry nothing but their documents and a note. */
export const plainActions = [
  'withdraw_pin',
  'accept_complete',
  'return_incomplete',
  'resubmit_methodology',
  'close_public_input',
  'request_methodology_revision',
  'issue_positive_validation',
  'issue_negative_validation',
  'return_for_revision',
  'withdraw_registration_request',
  'withdraw_project',
  'issue_negative_verification',
  'confirm_issued',
  'close_issuance',
  'withdraw_issuance_request',
  'confirm_decision',
  'withdraw_decision',
] as const;
export type PlainAction = (typeof plainActions)[number];

/** Actions that may refer to the public comments on the item (the completeness, the TPE's report). */
export const commentingActions = [
  'accept_complete',
  'return_incomplete',
  'close_public_input',
  'issue_positive_validation',
  'issue_negative_validation',
] as const;

interface Common {
  readonly documents: readonly FiledDocument[];
  readonly note: string;
  /** The ids of the public comments on the item the action refers to (commentingActions only). */
  readonly comments?: readonly string[];
}

export type CycleAction = Common &
  (
    | {
        readonly type: 'submit_pin' | 'submit_pdd';
        readonly partnership: string;
        readonly project: ProjectData;
      }
    | {
        readonly type: 'resubmit_pin' | 'resubmit_pdd';
        readonly item: string;
        readonly project: ProjectData;
      }
    | { readonly type: 'propose_methodology'; readonly partnership: string }
    | {
        readonly type: 'submit_monitoring_report';
        readonly parent: string;
        readonly calculation: CalculationData;
      }
    | {
        readonly type: 'resubmit_monitoring_report';
        readonly item: string;
        readonly calculation: CalculationData;
      }
    | {
        readonly type: 'request_issuance';
        readonly parent: string;
        readonly allocation: readonly AllocationLineData[];
      }
    | {
        readonly type: 'propose_decision';
        readonly subject: DecisionSubject;
        /** For an issuance decision: the allocation it decides (else the request's stands). */
        readonly allocation: readonly AllocationLineData[] | null;
        /**
         * For a TPE designation (`designate_tpe`, whose subject is the TPE, not a cycle item): the
         * partnership whose Joint Committee decides, and the terms it decides.
         */
        readonly partnership?: string;
        readonly designation?: DesignationTerms;
      }
    | {
        readonly type: 'raise_finding';
        readonly item: string;
        readonly finding: { readonly kind: 'CAR' | 'CL' | 'FAR'; readonly text: string };
      }
    | {
        readonly type: 'answer_finding';
        readonly item: string;
        readonly finding: { readonly id: bigint; readonly answer: string };
      }
    | {
        readonly type: 'close_finding';
        readonly item: string;
        readonly finding: { readonly id: bigint };
      }
    | {
        readonly type: 'request_registration' | 'resubmit_registration';
        readonly item: string;
        readonly allocation: readonly AllocationLineData[];
      }
    | {
        readonly type: 'resubmit_issuance';
        readonly item: string;
        readonly allocation: readonly AllocationLineData[] | null;
      }
    | { readonly type: 'decide_issuance'; readonly item: string; readonly decision: string }
    | {
        readonly type: 'issue_verification';
        readonly item: string;
        readonly verified: Readonly<Record<string, bigint>>;
      }
    | {
        readonly type: 'adopt_decision';
        readonly item: string;
        readonly method: 'meeting' | 'electronic';
      }
    | {
        readonly type: 'request_post_registration_change' | 'request_reference_assessment';
        readonly item: string;
        readonly project: ProjectData;
      }
    | {
        readonly type: 'request_renewal';
        readonly item: string;
        readonly creditingPeriod: CreditingPeriod;
      }
    | { readonly type: DecisionAction; readonly item: string; readonly decision: string }
    | { readonly type: PlainAction; readonly item: string }
  );

export type CycleActionType = CycleAction['type'];

/** The existing item an action acts on; null for the actions that create one. */
export function itemOf(action: CycleAction): string | null {
  return 'item' in action ? action.item : null;
}

/** The item a creating action starts from (a project, a monitoring period, a decision's subject). */
export function parentOf(action: CycleAction): string | null {
  if ('parent' in action) return action.parent;
  if (action.type === 'propose_decision' && !designatesTpe(action)) return action.subject.item;
  return null;
}

/** The subject action of a decision to designate a TPE: its subject is an organisation. */
export const designateTpe = 'designate_tpe';

/** A proposed decision that designates a TPE (its subject is the TPE, not a cycle item). */
export function designatesTpe(action: CycleAction): boolean {
  return action.type === 'propose_decision' && action.subject.action === designateTpe;
}

/** The Joint Committee decision an action names. */
export function decisionOf(action: CycleAction): string | null {
  return 'decision' in action ? action.decision : null;
}

/** The project data an action submits (a new item's, a resubmission's or a proposed change). */
export function submittedProject(action: CycleAction): ProjectData | null {
  return 'project' in action ? action.project : null;
}
