// The registry's domain values: registries, accounts, blocks of serial-numbered credits, issuance
// decisions and their allocation lines.
import type { AccountId, ChainId, DecisionId, ProjectRef, RegistryId } from '../shared/ids.ts';
import type { SerialRange } from './serial-range.ts';
import type { ItmoAttributes } from '../article6/types.ts';

export const accountTypes = [
  'holding',
  'government_holding',
  'retirement',
  'cancellation',
  'reserve',
] as const;
export type AccountType = (typeof accountTypes)[number];
/** The account types a person can open; the others come with their registry, one of each. */
export const openableAccountTypes = ['holding', 'government_holding'] as const;
export type OpenableAccountType = (typeof openableAccountTypes)[number];
export type SystemAccountType = Exclude<AccountType, OpenableAccountType>;

export const accountStatuses = ['open', 'frozen', 'closed'] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export const retirementPurposes = [
  'ndc_use',
  'gx_ets_compliance',
  'shk_reporting',
  'voluntary_offsetting',
  'oimp',
] as const;
export type RetirementPurpose = (typeof retirementPurposes)[number];

export type RegistryKind = 'japan' | 'partner';

export interface Registry {
  readonly id: RegistryId;
  readonly name: string;
  readonly kind: RegistryKind;
  /** The last account sequence number handed out in this registry. */
  readonly accountSequence: number;
  readonly retirementAccount: AccountId;
  readonly cancellationAccount: AccountId;
  readonly reserveAccount: AccountId;
}

export interface Account {
  readonly id: AccountId;
  readonly registry: RegistryId;
  readonly type: AccountType;
  readonly status: AccountStatus;
  readonly holderId: string;
  readonly holderName: string;
}

/** A journal entry: the chain it belongs to and its position there. */
export interface EntryRef {
  readonly chain: ChainId;
  readonly seq: bigint;
}

/** Contiguous serials of one project and vintage held by one account. Blocks are never merged. */
export interface Block {
  readonly project: ProjectRef;
  readonly vintage: number;
  readonly serials: SerialRange;
  readonly registry: RegistryId;
  readonly account: AccountId;
  /** The entry that put these serials into this account (issuance or movement). */
  readonly entry: EntryRef;
  /** Article 6.2: absent for credits no authorisation covers; every split inherits it whole. */
  readonly itmo?: ItmoAttributes;
}

export interface VerifiedReduction {
  readonly vintage: number;
  readonly quantity: bigint;
}

export interface AllocationLine {
  readonly lineNo: number;
  readonly registry: RegistryId;
  readonly account: AccountId;
  readonly vintage: number;
  readonly quantity: bigint;
  readonly serials: SerialRange;
  /**
   * The part of the line (its last serials) that issuance puts into the registry's reserve account
   * (CCS: the methodology's reserve share, fixed with the decision); 0n for most projects.
   */
  readonly reserve: bigint;
}

export interface IssuanceDecision {
  readonly id: DecisionId;
  readonly project: ProjectRef;
  readonly verificationReference: string;
  readonly verifiedReductions: readonly VerifiedReduction[];
  readonly serials: SerialRange;
  readonly lines: readonly AllocationLine[];
}

export type MovementKind =
  'transfer' | 'retirement' | 'cancellation' | 'reservation' | 'release' | 'reversal';

/** A piece of one block that a movement carries. */
export interface MovedPiece {
  readonly project: ProjectRef;
  readonly vintage: number;
  readonly serials: SerialRange;
}

export function blockKey(project: ProjectRef, first: bigint): string {
  return `${project}:${first}`;
}

export function entryKey(entry: EntryRef): string {
  return `${entry.chain}#${entry.seq}`;
}

export function lineKey(decision: DecisionId, lineNo: number): string {
  return `${decision}#${lineNo}`;
}
