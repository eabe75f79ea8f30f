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
    };

export type LedgerEventType = LedgerEvent['type'];

const bigintFields = new Set(['first', 'last', 'quantity', 'seq', 'reserve']);

/**
 * Reads an event back from its journal JSON, where bigints are decimal strings. Only the fields that
 * are bigint in `LedgerEvent` (first, last, quantity, seq, reserve) are converted.
 */
export function reviveEvent(text: string): LedgerEvent {
  return JSON.parse(text, (key, value: unknown) =>
    bigintFields.has(key) && typeof value === 'string' && /^-?\d+$/.test(value)
      ? BigInt(value)
      : value,
  ) as LedgerEvent;
}
