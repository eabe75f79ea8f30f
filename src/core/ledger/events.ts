// What the journal records: one event per entry, the facts a replay needs to rebuild every table.
import type { AccountId, DecisionId, ProjectRef, RegistryId } from '../shared/ids.ts';
import type { SerialRange } from './serial-range.ts';
import type {
  Account,
  AccountStatus,
  EntryRef,
  IssuanceDecision,
  MovedPiece,
  MovementKind,
  RegistryKind,
  RetirementPurpose,
} from './types.ts';
import type {
  Authorisation,
  CancellationKind,
  CooperativeApproach,
  Finalisation,
  ItmoAttributes,
} from '../article6/types.ts';

export type LedgerEvent =
  | {
      readonly type: 'registry_opened';
      readonly registry: {
        readonly id: RegistryId;
        readonly name: string;
        readonly kind: RegistryKind;
      };
      readonly systemAccounts: readonly Account[];
    }
  | { readonly type: 'account_opened'; readonly account: Account }
  | {
      readonly type: 'account_status_changed';
      readonly account: AccountId;
      readonly from: AccountStatus;
      readonly to: AccountStatus;
      readonly reason: string;
    }
  | { readonly type: 'issuance_decision_recorded'; readonly decision: IssuanceDecision }
  | {
      readonly type: 'credits_issued';
      readonly decision: DecisionId;
      readonly lineNo: number;
      readonly registry: RegistryId;
      readonly account: AccountId;
      readonly project: ProjectRef;
      readonly vintage: number;
      readonly serials: SerialRange;
      /** The line's last `reserve` serials go into the registry's reserve account (CCS). */
      readonly reserve?: bigint;
      readonly reserveAccount?: AccountId;
      /** Article 6.2: the authorisation the credits fall under, fixed at issuance (decide-article6.ts). */
      readonly itmo?: ItmoAttributes;
    }
  | {
      readonly type: 'credits_moved';
      readonly movement: MovementKind;
      readonly from: AccountId;
      readonly to: AccountId;
      readonly pieces: readonly MovedPiece[];
      readonly quantity: bigint;
      readonly purpose?: RetirementPurpose;
      readonly beneficiary?: string;
      readonly note?: string;
      readonly reason?: string;
      readonly reverses?: EntryRef;
      /** Article 6.2: the calendar year of use towards an NDC (a retirement of ITMOs). */
      readonly yearOfUse?: number;
      /** Article 6.2: why ITMOs were cancelled (OMGE, voluntary, other). */
      readonly cancellationKind?: CancellationKind;
    }
  // Article 6.2 facts, journalled and replayed like every other (src/core/article6).
  | { readonly type: 'approach_recorded'; readonly approach: CooperativeApproach }
  | { readonly type: 'authorisation_recorded'; readonly authorisation: Authorisation }
  | {
      readonly type: 'authorisation_confirmed';
      readonly authorisation: string;
      readonly version: number;
      readonly party: string;
    }
  | {
      readonly type: 'units_authorised';
      readonly authorisation: string;
      readonly account: AccountId;
      readonly pieces: readonly MovedPiece[];
      readonly quantity: bigint;
      readonly itmo: ItmoAttributes;
    }
  | { readonly type: 'adjustments_finalised'; readonly finalisation: Finalisation };

export type LedgerEventType = LedgerEvent['type'];

const bigintFields = new Set([
  'first',
  'last',
  'quantity',
  'seq',
  'reserve',
  'quantityCap',
  'budget',
]);

/**
 * Reads an event back from its journal JSON, where bigints are decimal strings. Only the fields that
 * are bigint in `LedgerEvent` (first, last, quantity, seq, reserve, quantityCap, budget) are converted.
 */
export function reviveEvent(text: string): LedgerEvent {
  return JSON.parse(text, (key, value: unknown) =>
    bigintFields.has(key) && typeof value === 'string' && /^-?\d+$/.test(value)
      ? BigInt(value)
      : value,
  ) as LedgerEvent;
}
