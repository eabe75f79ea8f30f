// What the AEF of a Party for a reported year is made from (AefInput) and what it is (AefTables): the
// platform's records the services gather, and the rows keyed by the description's field keys.
import type { ProjectRef, RegistryId } from '../shared/ids.ts';
import type { AefTableKey } from './aef-description.ts';
import type { Action, Authorisation, CooperativeApproach, PartyCode, PurposeSet } from './types.ts';

/** ITMOs a registry holds at 31 December: one project's contiguous serials of one vintage. */
export interface Holding {
  readonly approach: string;
  readonly authorisation: string;
  readonly registry: RegistryId;
  readonly partyRegistryId: string;
  readonly firstParty: PartyCode;
  readonly project: ProjectRef;
  readonly vintage: number;
  readonly serialFirst: bigint;
  readonly serialLast: bigint;
  readonly quantity: bigint;
  /** The purposes the block is authorised for; the five-table AEF has no column for it. */
  readonly purpose: PurposeSet;
}

/** What the AEF says of a project's activity: the description's codes of these columns. */
export interface AefProject {
  readonly project: ProjectRef;
  /** Codes of "Sector(s)" (energy_generation, ...). */
  readonly sectors: readonly string[];
  /** Codes of "Activity type(s)" (solar, ...). */
  readonly activityTypes: readonly string[];
  readonly mitigationType: 'emission_reductions' | 'removals' | 'emission_reductions_and_removals';
}

/** An entity the Party authorised under an approach (Table 5), linked to the platform's organisation. */
export interface AefEntity {
  readonly approach: string;
  readonly authorisation: string;
  /** The date of the authorisation that names the entity, YYYY-MM-DD. */
  readonly date: string;
  readonly organisation: string;
  readonly name: string;
  /** Country of incorporation, ISO 3166 alpha-3 (the description's column asks for it). */
  readonly country: string;
  readonly identifier: string;
  readonly conditions: string | null;
  readonly changeConditions: string | null;
}

export interface AefInput {
  readonly party: PartyCode;
  readonly year: number;
  /** The version of this submission, X.Y (1.0 first). */
  readonly version: string;
  /** The date of submission, YYYY-MM-DD. */
  readonly submittedOn: string;
  readonly approaches: readonly CooperativeApproach[];
  /** Every version the Party made up to 31 December of the year; others are left out. */
  readonly authorisations: readonly Authorisation[];
  /**
   * The Party's actions dated in the year; others are left out. A first transfer with an acquiring
   * Party is a first transfer to another Party; one without takes its subtype from the OIMP
   * authorisation in force (authorization, issuance, use or cancellation). A use is for OIMP when
   * its subtype (the retirement purpose) is oimp, or, without a subtype, when it has no year of use.
   * A cancellation's subtype: omge, other, voluntary, or oimp (for OIMP).
   */
  readonly actions: readonly Action[];
  /** ITMOs held at 31 December of the year. */
  readonly holdings: readonly Holding[];
  readonly entities: readonly AefEntity[];
  /** Sectors, activity types and mitigation type of each project the rows name. */
  readonly projects: readonly AefProject[];
}

/** A row: each of the table's field keys with its cell as written (codes by their labels). */
export type AefRow = Readonly<Record<string, string | null>>;
export type AefTables = Readonly<Record<AefTableKey, readonly AefRow[]>>;
