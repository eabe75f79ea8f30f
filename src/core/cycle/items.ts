// A cycle item as it is stored (PIN, methodology proposal, project, monitoring period, issuance
// request or Joint Committee decision) and the facts around it that the cycle decides on. The store
// loads all of them inside the action's transaction; nothing here comes from the request.
import type { HolderKind } from './rulebook.ts';
import type { Machine } from './definition.ts';
import type { CreditingPeriod, ProjectData } from './project-data.ts';

export interface AllocationLineData {
  readonly holder: HolderKind;
  readonly registry: string;
  readonly account: string;
  readonly vintage: number;
  /** Whole tCO2e as a decimal string. */
  readonly quantity: string;
}

/** What a decision is about: the item and the action of that item it authorises. */
export interface DecisionSubject {
  readonly item: string;
  readonly action: string;
  readonly text: string;
}

/**
 * A decision as proposed and then confirmed and adopted: its subject, the subject item's version it
 * was proposed on (it authorises that round only, not a later request of the same kind) and, for an
 * issuance, the allocation it decides (the governments confirm that allocation, not another).
 */
export interface StoredDecisionSubject extends DecisionSubject {
  /** The subject item's version (0 for a TPE designation, whose subject is an organisation). */
  readonly version: number;
  readonly allocation?: readonly AllocationLineData[];
  /** A TPE designation: the scopes, functions and dates decided. */
  readonly designation?: DesignationTerms;
}

/** What a Joint Committee decides when it designates a TPE (scopes and functions sorted). */
export interface DesignationTerms {
  readonly sectoralScopes: readonly number[];
  readonly functions: readonly ('validation' | 'verification')[];
  readonly validFrom: string;
  readonly validUntil: string;
}

export type Government = 'government_japan' | 'government_partner';

/** The calculation of a monitoring report as the methodology engine returned it (JSON). */
export interface CalculationData {
  readonly methodology?: { readonly id: string; readonly version: string };
  readonly periods?: readonly {
    readonly period: string;
    readonly start: string;
    readonly end: string;
  }[];
  readonly credits?: string;
  readonly vintages?: readonly { readonly vintage: number; readonly credits: string }[];
  readonly [key: string]: unknown;
}

/** The item's data, by kind of item; every field is written only by the actions that own it. */
export interface ItemData {
  /** PIN, project: the current version of the project data (`projectVersion` counts them). */
  readonly project?: ProjectData;
  readonly projectVersion?: number;
  /** Project in change or re-assessment review: the project data the participants ask for. */
  readonly proposedChange?: ProjectData;
  /** Project in renewal review: the crediting period asked for. */
  readonly proposedCreditingPeriod?: CreditingPeriod;
  /** Decision: what it is about, who confirmed it, when and how it was adopted, what carried it out. */
  readonly subject?: StoredDecisionSubject;
  readonly confirmations?: Partial<Record<Government, string>>;
  readonly adoptedAt?: string;
  readonly method?: 'meeting' | 'electronic';
  readonly carriedOutBy?: string;
  /** Project (registration) and issuance request: the allocation lines. */
  readonly allocation?: readonly AllocationLineData[];
  /** Monitoring period: the engine's calculation and the verified reductions per vintage. */
  readonly calculation?: CalculationData;
  readonly verified?: Readonly<Record<string, string>>;
  /** Monitoring period: the issuance request that uses it. */
  readonly usedBy?: string;
  /** Issuance request: its monitoring period, its ledger decision and the registries' confirmations. */
  readonly monitoring?: string;
  readonly ledgerDecision?: string;
  readonly registryConfirmations?: Readonly<Record<string, string>>;
  /** Methodology proposal: the participants that proposed it or asked for its revision. */
  readonly proposers?: readonly string[];
  /** Methodology proposal: the approved version, and the catalogue id it was adopted under. */
  readonly version?: string;
  readonly catalogueId?: string;
  readonly approvedWithRevisions?: boolean;
}

export interface StoredItem {
  readonly id: string;
  readonly machine: Machine;
  readonly partnership: string;
  readonly parentId: string | null;
  readonly state: string;
  readonly reference: string | null;
  /** Counts the actions taken on the item (1 after the one that created it). */
  readonly version: number;
  readonly data: ItemData;
  readonly dueDate: string | null;
}

export interface StoredFinding {
  readonly id: bigint;
  readonly kind: 'CAR' | 'CL' | 'FAR';
  readonly state: 'open' | 'answered' | 'closed';
}

export interface Designation {
  readonly organisation: string;
  readonly partnership: string;
  readonly sectoralScope: number;
  readonly function: 'validation' | 'verification';
  readonly validFrom: string;
  readonly validUntil: string;
}

export interface LedgerLine {
  readonly lineNo: number;
  readonly registry: string;
  readonly issued: boolean;
}
