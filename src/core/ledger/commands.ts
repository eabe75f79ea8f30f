// The registry's commands, as the core receives them: already parsed into branded, bigint values.
import type { AccountId, DecisionId, ProjectRef, RegistryId } from '../shared/ids.ts';
import type { SerialRange } from './serial-range.ts';
import type { OpenableAccountType, RetirementPurpose, VerifiedReduction } from './types.ts';

/** Which credits a movement takes: a quantity (lowest serials first) or explicit serial ranges. */
export type Selection =
  | {
      readonly kind: 'quantity';
      readonly quantity: bigint;
      readonly project?: ProjectRef;
      readonly vintage?: number;
    }
  | {
      readonly kind: 'ranges';
      readonly ranges: readonly { readonly project: ProjectRef; readonly serials: SerialRange }[];
    };

export interface AllocationLineInput {
  readonly registry: RegistryId;
  readonly account: AccountId;
  readonly vintage: number;
  readonly quantity: bigint;
}

export type LedgerCommand =
  | { readonly type: 'open_registry'; readonly registry: RegistryId; readonly name: string }
  | {
      readonly type: 'open_account';
      readonly registry: RegistryId;
      readonly accountType: OpenableAccountType;
      readonly holderId: string;
      readonly holderName: string;
    }
  | {
      readonly type: 'freeze_account' | 'unfreeze_account' | 'close_account';
      readonly account: AccountId;
      readonly reason: string;
    }
  | {
      readonly type: 'record_issuance_decision';
      readonly decision: DecisionId;
      readonly project: ProjectRef;
      readonly verificationReference: string;
      readonly verifiedReductions: readonly VerifiedReduction[];
      readonly lines: readonly AllocationLineInput[];
      /** When given, the decision is refused unless its range starts exactly here. */
      readonly serialFirst?: bigint;
      /**
       * The reserve share of the project's methodology (CCS), as a fraction: set by the service from
       * the catalogue, never from the request. Each vintage's reserve is the share of its credits,
       * rounded up, spread over its lines.
       */
      readonly reserveShare?: { readonly numerator: bigint; readonly denominator: bigint };
    }
  | {
      readonly type: 'issue';
      readonly registry: RegistryId;
      readonly decision: DecisionId;
      readonly lineNo: number;
    }
  | {
      readonly type: 'transfer';
      readonly from: AccountId;
      readonly to: AccountId;
      readonly selection: Selection;
      /**
       * For a transfer out of a government account: the actor who requested it. The command's own
       * actor is the second approver, who must be someone else (SPEC section 6).
       */
      readonly requestedBy?: string;
    }
  | {
      readonly type: 'retire';
      readonly from: AccountId;
      readonly selection: Selection;
      readonly purpose: RetirementPurpose;
      readonly beneficiary: string;
      readonly note: string;
    }
  | {
      readonly type: 'cancel';
      readonly from: AccountId;
      readonly selection: Selection;
      readonly reason: string;
    }
  | {
      readonly type: 'release';
      readonly to: AccountId;
      readonly selection: Selection;
      readonly reason: string;
    }
  | {
      readonly type: 'reverse';
      readonly registry: RegistryId;
      readonly seq: bigint;
      readonly reason: string;
    };

export type LedgerCommandType = LedgerCommand['type'];
