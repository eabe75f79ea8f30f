// The registry's commands, as the core receives them: already parsed into branded, bigint values.
import type { AccountId, DecisionId, ProjectRef, RegistryId } from '../shared/ids.ts';
import type { SerialRange } from './serial-range.ts';
import type { OpenableAccountType, RetirementPurpose, VerifiedReduction } from './types.ts';
import type { Authorisation, CancellationKind, CooperativeApproach } from '../article6/types.ts';

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
      /**
       * Registries a peer deployment hosts (issue 16): set by the service from JCM_FEDERATION, never
       * from the request. Their lines' accounts are the peer's, checked there when it applies the
       * decision; here only that each names an account of its registry.
       */
      readonly hostedElsewhere?: readonly RegistryId[];
      /**
       * The reserve of each line (in input order) as the notifying deployment decided it (issue 16):
       * set by the service from a verified issuance notification, in place of a reserve share.
       */
      readonly lineReserves?: readonly bigint[];
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
      /** The calendar year of use towards an NDC; required when the credits are ITMOs. */
      readonly yearOfUse?: number;
    }
  | {
      readonly type: 'cancel';
      readonly from: AccountId;
      readonly selection: Selection;
      readonly reason: string;
      /** Why ITMOs are cancelled; 'other' when not given. */
      readonly cancellationKind?: CancellationKind;
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
    }
  // Article 6.2 (src/core/article6/decide-article6.ts).
  | {
      readonly type: 'record_approach';
      /** Built by the service from the stored partnership record, never from the request. */
      readonly approach: Omit<CooperativeApproach, 'version'>;
    }
  | {
      readonly type: 'record_authorisation';
      /** The entities are resolved from stored organisations by the service. */
      readonly authorisation: Omit<Authorisation, 'version'>;
    }
  | {
      readonly type: 'confirm_authorisation';
      readonly registry: RegistryId;
      readonly authorisation: string;
      readonly version: number;
    }
  | {
      readonly type: 'authorise_units';
      readonly authorisation: string;
      readonly from: AccountId;
      readonly selection: Selection;
    }
  | {
      readonly type: 'finalise_adjustments';
      readonly party: string;
      readonly registry: RegistryId;
      readonly firstYear: number;
      readonly lastYear: number;
    };

export type LedgerCommandType = LedgerCommand['type'];
