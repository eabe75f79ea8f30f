// Article 6.2 accounting as the core sees it (decision 2/CMA.3, annex; decision 6/CMA.4, annex I):
// the cooperative approach with each participating Party's NDC, the Parties' authorisations and their
// versions, the ITMO attributes a block of credits carries, the actions derived from the journal and
// the periods a Party has finalised. docs/article6.md names the paragraph behind each rule.
import type { ProjectRef, RegistryId } from '../shared/ids.ts';

/** A Party to the Paris Agreement, ISO 3166 alpha-3 (JPN, IND). */
export type PartyCode = string;

export const partyPattern = /^[A-Z]{3}$/;
export const approachIdPattern = /^CA\d{4}$/;
/** The earliest and latest years the platform accepts for vintages, NDC periods and years of use. */
export const yearMin = 2013;
export const yearMax = 2100;

/** Single-year NDC: paragraph 7(a); multi-year NDC: paragraph 7(b). */
export const ndcKinds = ['single_year', 'multi_year'] as const;
export type NdcKind = (typeof ndcKinds)[number];

/**
 * The corresponding-adjustment method (decision 2/CMA.3, annex, paragraph 7): a single-year NDC
 * applies an indicative multi-year trajectory or budget (7(a)(i)) or averaging (7(a)(ii)); a
 * multi-year NDC applies a multi-year trajectory or budget (7(b)).
 */
export const adjustmentMethods = ['trajectory', 'budget', 'averaging'] as const;
export type AdjustmentMethod = (typeof adjustmentMethods)[number];

/** The only metric the platform accounts in; a non-GHG metric (paragraph 9) is refused. */
export const metrics = ['t_co2e'] as const;
export type Metric = (typeof metrics)[number];

export interface YearQuantity {
  readonly year: number;
  /** Tonnes of CO2 equivalent, exact. */
  readonly quantity: bigint;
}

export interface Ndc {
  readonly party: PartyCode;
  readonly kind: NdcKind;
  /** The NDC implementation period, calendar years, inclusive. */
  readonly firstYear: number;
  readonly lastYear: number;
  /** The NDC year or target year (single-year NDC): the year averaging applies to. */
  readonly targetYear: number;
  readonly metric: Metric;
  readonly method: AdjustmentMethod;
  /** The trajectory (one figure per year) or budget (the period's total) where the method uses it. */
  readonly trajectory: readonly YearQuantity[];
  readonly budget: bigint | null;
  /** The Party's reported emissions per year (its inventory); a balance needs the year's figure. */
  readonly emissions: readonly YearQuantity[];
}

export interface CooperativeApproach {
  readonly id: string;
  /** The partnership (partner alpha-2) whose Joint Committee runs the approach. */
  readonly partnership: RegistryId;
  readonly version: number;
  readonly parties: readonly PartyCode[];
  /** The Party registry id of each registry the approach uses (AEF "Party registry ID", JPN01). */
  readonly registries: readonly {
    readonly registry: RegistryId;
    readonly partyRegistryId: string;
    readonly party: PartyCode;
  }[];
  readonly ndcs: readonly Ndc[];
  /**
   * An authorisation takes effect only once every other participating Party has confirmed it (the
   * partnership's rulebook asks for both governments' prior confirmation, as India's does).
   */
  readonly confirmationRequired: boolean;
  /** Initial report information (paragraph 18): the approach, environmental integrity, sustainable development and safeguards. */
  readonly description: string;
  readonly environmentalIntegrity: string;
  readonly sustainableDevelopment: string;
}

/** Purposes are a set: NDC, OIMP, or both ("NDC and OIMP" in the AEF). */
export const purposes = ['ndc', 'oimp'] as const;
export type Purpose = (typeof purposes)[number];

/** What counts as the first transfer of an ITMO authorised for OIMP (paragraph 2(b)). */
export const firstTransferDefinitions = [
  'authorization',
  'issuance',
  'use_or_cancellation',
] as const;
export type FirstTransferDefinition = (typeof firstTransferDefinitions)[number];

export interface AuthorisedEntity {
  /** The platform organisation's id: the link that makes the entity a record, not a name. */
  readonly organisation: string;
  readonly name: string;
  /** Country of incorporation, ISO 3166 alpha-2. */
  readonly country: string;
  /** Its identification number (company registration or tax number). */
  readonly identifier: string;
}

export interface Authorisation {
  readonly id: string;
  readonly version: number;
  /** The authorising Party (the host Party for a first transfer, or the acquiring Party). */
  readonly party: PartyCode;
  readonly approach: string;
  /** The date of the authorisation, YYYY-MM-DD. */
  readonly date: string;
  /** The registry whose units it covers (JP for use towards Japan's NDC). */
  readonly registry: RegistryId;
  readonly projects: readonly ProjectRef[];
  readonly vintageFirst: number;
  readonly vintageLast: number;
  /** The most credits it covers; null for no cap. */
  readonly quantityCap: bigint | null;
  /** The dates between which it may be acted on (YYYY-MM-DD, inclusive); null ends are open. */
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly purposes: readonly Purpose[];
  /** The other international mitigation purpose named (CORSIA), when OIMP is a purpose. */
  readonly oimp: string | null;
  /** The first-transfer definition the Party chose for this authorisation (OIMP only). */
  readonly firstTransferDefinition: FirstTransferDefinition | null;
  readonly authorisedParties: readonly PartyCode[];
  readonly authorisedEntities: readonly AuthorisedEntity[];
  readonly terms: string;
}

/**
 * What a block of credits carries under Article 6.2, inherited whole by every piece split from it.
 * Use and cancellation are read from the account the block sits in and the entry that put it there.
 */
export interface ItmoAttributes {
  readonly approach: string;
  readonly authorisation: string;
  readonly firstParty: PartyCode;
  readonly firstTransferred: boolean;
}

/** Why credits were cancelled, as the AEF distinguishes them. */
export const cancellationKinds = ['omge', 'voluntary', 'other'] as const;
export type CancellationKind = (typeof cancellationKinds)[number];

/** The AEF's action types (decision 6/CMA.4, annex I, table 3). */
export const actionTypes = [
  'authorization',
  'first_transfer',
  'transfer',
  'acquisition',
  'use',
  'cancellation',
  'voluntary_cancellation',
] as const;
export type ActionType = (typeof actionTypes)[number];

/** The AEF's purpose column: NDC, OIMP or "NDC and OIMP". */
export type PurposeSet = 'ndc' | 'oimp' | 'ndc_and_oimp';

export function purposeSet(values: readonly Purpose[]): PurposeSet {
  const ndc = values.includes('ndc');
  const oimp = values.includes('oimp');
  return ndc && oimp ? 'ndc_and_oimp' : ndc ? 'ndc' : 'oimp';
}

/** A journal entry an action comes from. */
export interface ActionEntry {
  readonly chain: string;
  readonly seq: bigint;
}

/**
 * One row of a Party's actions (AEF table 3), derived from one journal entry, never entered by hand.
 * A range of credits is one project's contiguous serials of one vintage.
 */
export interface Action {
  /** The Party that reports the action. */
  readonly party: PartyCode;
  readonly type: ActionType;
  /** The retirement purpose or cancellation kind behind a use or cancellation; null otherwise. */
  readonly subtype: string | null;
  /** The date of the journal entry, YYYY-MM-DD. */
  readonly date: string;
  readonly approach: string;
  readonly authorisation: string;
  readonly firstParty: PartyCode;
  /** The registry that holds the credits, and the Party registry id the AEF knows it by. */
  readonly registry: RegistryId;
  readonly partyRegistryId: string;
  readonly project: ProjectRef;
  readonly vintage: number;
  readonly serialFirst: bigint;
  readonly serialLast: bigint;
  readonly quantity: bigint;
  readonly transferringParty: PartyCode | null;
  readonly acquiringParty: PartyCode | null;
  readonly purpose: PurposeSet;
  /** The using or cancelling Party or entity. */
  readonly usingOrCancelling: string | null;
  /** The calendar year of use towards the NDC (uses only). */
  readonly yearOfUse: number | null;
  readonly entry: ActionEntry;
}

/** A Party's finalised additions and subtractions for the years of a period (paragraph 12). */
export interface Finalisation {
  readonly party: PartyCode;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly date: string;
}
