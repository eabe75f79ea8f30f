// The Article 6.2 records the ledger decides on: the latest version of each cooperative approach,
// every version of every authorisation with its confirmations and the credits it covers so far, and
// the periods each Party has finalised. Only `apply` changes it.
import type { RegistryId } from '../shared/ids.ts';
import type { Authorisation, CooperativeApproach, Finalisation, PartyCode } from './types.ts';

export interface AuthorisationRecord {
  /** Every version, oldest first; the last is in force. */
  readonly versions: Authorisation[];
  /** The Parties that confirmed each version, by version number. */
  readonly confirmations: Map<number, Set<PartyCode>>;
  /** Credits stamped with this authorisation so far (issued under it or assigned to it). */
  covered: bigint;
}

export interface Article6State {
  /** Whether the adapter has loaded the records for this batch. */
  loaded: boolean;
  /** The latest version of each approach, by partnership (partner alpha-2). */
  readonly approaches: Map<RegistryId, CooperativeApproach>;
  readonly authorisations: Map<string, AuthorisationRecord>;
  readonly finalisations: Finalisation[];
  /** Authorisation ids whose covered quantity changed, for the adapter to write back. */
  readonly dirtyCovered: Set<string>;
}

export function emptyArticle6State(): Article6State {
  return {
    loaded: false,
    approaches: new Map(),
    authorisations: new Map(),
    finalisations: [],
    dirtyCovered: new Set(),
  };
}

/** The version of an authorisation in force, if it exists. */
export function currentAuthorisation(state: Article6State, id: string): Authorisation | undefined {
  return state.authorisations.get(id)?.versions.at(-1);
}

/** The approach (latest version) by its id. */
export function approachById(state: Article6State, id: string): CooperativeApproach | undefined {
  for (const approach of state.approaches.values()) if (approach.id === id) return approach;
  return undefined;
}

/** The Party a registry belongs to under an approach (JP -> JPN). */
export function registryParty(
  approach: CooperativeApproach,
  registry: RegistryId,
): { readonly party: PartyCode; readonly partyRegistryId: string } | undefined {
  const found = approach.registries.find((r) => r.registry === registry);
  return found === undefined
    ? undefined
    : { party: found.party, partyRegistryId: found.partyRegistryId };
}

/** Whether every Party the approach asks has confirmed the version in force. */
export function isEffective(
  state: Article6State,
  approach: CooperativeApproach,
  id: string,
): boolean {
  const record = state.authorisations.get(id);
  const current = record?.versions.at(-1);
  return record !== undefined && current !== undefined && confirmed(approach, record, current);
}

/**
 * The latest version of an authorisation that every Party the approach asks has confirmed: it governs
 * what is done with the credits stamped with it. A newer version awaiting prior confirmation changes
 * nothing for them until it is confirmed.
 */
export function effectiveAuthorisation(
  state: Article6State,
  approach: CooperativeApproach,
  id: string,
): Authorisation | undefined {
  const record = state.authorisations.get(id);
  return record?.versions.findLast((version) => confirmed(approach, record, version));
}

function confirmed(
  approach: CooperativeApproach,
  record: AuthorisationRecord,
  version: Authorisation,
): boolean {
  if (!approach.confirmationRequired) return true;
  const parties = record.confirmations.get(version.version) ?? new Set<PartyCode>();
  return approach.parties.every((party) => party === version.party || parties.has(party));
}

/** Whether the Party has finalised the year (paragraph 12): its additions and subtractions are fixed. */
export function isFinalised(state: Article6State, party: PartyCode, year: number): boolean {
  return finalisationCovering(state.finalisations, party, year) !== undefined;
}

/** The Party's finalised period that contains the year, if any. */
export function finalisationCovering(
  finalisations: readonly Finalisation[],
  party: PartyCode,
  year: number,
): Finalisation | undefined {
  return finalisations.find((f) => f.party === party && f.firstYear <= year && year <= f.lastYear);
}
