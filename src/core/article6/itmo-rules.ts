// When credits become ITMOs and what may be done with them (decision 2/CMA.3, annex, paragraphs 1-2
// and 7-8). Issuance into Japan's registry under an approach is the first transfer from the host
// Party: it must fall under the host Party's authorisation in force, confirmed, in its timeframe,
// within its cap and for the vintage. A use towards an NDC needs the NDC purpose and the using Party
// among the authorised Parties; an OIMP use needs the OIMP purpose and an authorised entity. A
// finalised year is never changed again.
import {
  japanRegistryId,
  projectCountry,
  type ProjectRef,
  type RegistryId,
} from '../shared/ids.ts';
import { assertNever } from '../shared/assert.ts';
import type { ErrorCode } from '../shared/error-codes.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import type { Account, MovedPiece, RetirementPurpose } from '../ledger/types.ts';
import { blockHolding, type LedgerState } from '../ledger/state.ts';
import {
  approachById,
  currentAuthorisation,
  effectiveAuthorisation,
  isFinalised,
  registryParty,
  type Article6State,
} from './state.ts';
import type {
  Authorisation,
  CancellationKind,
  CooperativeApproach,
  ItmoAttributes,
} from './types.ts';

/** An authorisation whose credits become ITMOs as they are issued (the rest are assigned later). */
export function coversAtIssuance(authorisation: Authorisation): boolean {
  return (
    authorisation.purposes.includes('ndc') || authorisation.firstTransferDefinition === 'issuance'
  );
}

/** Whether a date (YYYY-MM-DD) lies in the authorisation's timeframe. */
export function inTimeframe(authorisation: Authorisation, date: string): boolean {
  return (
    (authorisation.validFrom === null || authorisation.validFrom <= date) &&
    (authorisation.validUntil === null || date <= authorisation.validUntil)
  );
}

/** The host Party of an approach: the Party of the partner's registry. */
export function hostParty(approach: CooperativeApproach): string | undefined {
  return approach.registries.find((r) => r.registry === approach.partnership)?.party;
}

export interface IssuanceLine {
  readonly project: ProjectRef;
  readonly vintage: number;
  readonly registry: RegistryId;
  readonly quantity: bigint;
}

/**
 * The ITMO attributes of an issuance line, or none for credits no approach covers and for host-registry
 * credits no authorisation covers (they count towards the host's own NDC). The first authorisation (by
 * id) that passes every test is chosen; the refusal names the test the candidates failed last.
 */
export function itmoForIssuance(
  a6: Article6State,
  line: IssuanceLine,
  recordedAt: string,
): Result<ItmoAttributes | undefined> {
  const approach = a6.approaches.get(projectCountry(line.project));
  const host = approach === undefined ? undefined : hostParty(approach);
  if (approach === undefined || host === undefined) return ok(undefined);
  // The host's authorisations of this registry's credits that name the project (in their version in
  // force, or their latest while none is confirmed yet).
  const candidates = [...a6.authorisations.keys()]
    .sort()
    .map((id) => effectiveAuthorisation(a6, approach, id) ?? currentAuthorisation(a6, id))
    .filter(
      (a): a is Authorisation =>
        a !== undefined &&
        a.party === host &&
        a.registry === line.registry &&
        a.projects.includes(line.project) &&
        coversAtIssuance(a),
    );
  if (candidates.length === 0)
    return line.registry === japanRegistryId
      ? reject(
          'article6_issuance_not_authorised',
          `no authorisation of ${host} covers credits of ${line.project} issued into Japan's registry under ${approach.id}`,
        )
      : ok(undefined);
  const judged = judge(a6, approach, candidates, line, recordedAt.slice(0, 10));
  if (!judged.ok)
    // In the host's own registry credits no authorisation in force takes stay the host's own (MoC
    // paragraph 9); only Japan's registry needs one.
    return line.registry === japanRegistryId
      ? reject(
          judged.error.code,
          `no authorisation of ${host} for ${line.project} is ${judged.error.message}`,
        )
      : ok(undefined);
  const chosen = judged.value;
  if (isFinalised(a6, host, line.vintage))
    return line.registry === japanRegistryId
      ? reject(
          'article6_period_finalised',
          `${host} has finalised ${line.vintage}: no more first transfers of that vintage`,
        )
      : ok(undefined);
  return ok({
    approach: approach.id,
    authorisation: chosen.id,
    firstParty: host,
    firstTransferred: true,
  });
}

/**
 * Judges the candidates by their version in force (the latest every Party the approach asks has
 * confirmed: an unconfirmed new version neither widens nor blocks anything) on the line's vintage,
 * the date and the cap; the first that passes, or the test they all failed (its code, and what it
 * asked as the message).
 */
function judge(
  a6: Article6State,
  approach: CooperativeApproach,
  candidates: readonly Authorisation[],
  line: IssuanceLine,
  date: string,
): Result<Authorisation> {
  const covers = (a: Authorisation) =>
    a.vintageFirst <= line.vintage && line.vintage <= a.vintageLast;
  const inForce = candidates.filter((a) => effectiveAuthorisation(a6, approach, a.id) === a);
  const steps: [ErrorCode, string, (a: Authorisation) => boolean][] = [
    ['article6_vintage_not_authorised', `vintage ${line.vintage}`, covers],
    [
      'article6_project_not_authorised',
      `for project ${line.project}`,
      (a) => a.projects.includes(line.project),
    ],
    ['article6_authorisation_expired', `in force on ${date}`, (a) => inTimeframe(a, date)],
    [
      'article6_authorisation_cap_exceeded',
      `room for ${line.quantity} more credits`,
      (a) =>
        a.quantityCap === null ||
        (a6.authorisations.get(a.id)?.covered ?? 0n) + line.quantity <= a.quantityCap,
    ],
  ];
  let remaining = inForce;
  let refusal: [ErrorCode, string] | null =
    inForce.length === 0
      ? ['article6_authorisation_not_confirmed', 'confirmed by every Party']
      : null;
  for (const [code, what, test] of steps) {
    if (refusal !== null) break;
    remaining = remaining.filter(test);
    if (remaining.length === 0) refusal = [code, what];
  }
  // A newer version awaiting confirmation that would cover the line: say so rather than the old gap.
  const pending = candidates.some((a) => {
    const latest = currentAuthorisation(a6, a.id);
    return (
      latest !== undefined &&
      latest !== effectiveAuthorisation(a6, approach, a.id) &&
      covers(latest)
    );
  });
  if (refusal !== null && pending)
    refusal = ['article6_authorisation_not_confirmed', 'confirmed by every Party'];
  if (refusal !== null) return reject(refusal[0], refusal[1]);
  return ok(remaining[0] as Authorisation);
}

/**
 * What a retirement of ITMOs is under Article 6.2, by its purpose: a use towards the NDC (NDC use,
 * GX-ETS compliance, SHK reporting), a use for OIMP, or a voluntary cancellation (voluntary
 * offsetting). The one mapping: the checks here and the actions (derive-actions.ts) both read it.
 */
export function useOf(purpose: RetirementPurpose): 'ndc' | 'oimp' | 'voluntary' {
  switch (purpose) {
    case 'ndc_use':
    case 'gx_ets_compliance':
    case 'shk_reporting':
      return 'ndc';
    case 'oimp':
      return 'oimp';
    case 'voluntary_offsetting':
      return 'voluntary';
    default:
      return assertNever(purpose, 'retirement purpose');
  }
}

export interface MovementArticle6 {
  readonly kind: 'retirement' | 'cancellation' | 'other';
  readonly purpose?: RetirementPurpose;
  readonly yearOfUse?: number;
  readonly cancellationKind?: CancellationKind;
}

/** Checks a movement's ITMO pieces against their authorisations; non-ITMO pieces pass. */
export function checkItmoMovement(
  state: LedgerState,
  from: Account,
  pieces: readonly MovedPiece[],
  movement: MovementArticle6,
  recordedAt: string,
): Result<true> {
  if (movement.kind === 'other') return ok(true);
  const a6 = state.article6;
  for (const piece of pieces) {
    const itmo = blockHolding(state, from.id, piece)?.itmo;
    if (itmo === undefined) continue;
    const checked = checkPiece(a6, from, piece, itmo, movement, recordedAt);
    if (!checked.ok) return checked;
  }
  return ok(true);
}

function checkPiece(
  a6: Article6State,
  from: Account,
  piece: MovedPiece,
  itmo: ItmoAttributes,
  movement: MovementArticle6,
  recordedAt: string,
): Result<true> {
  const approach = approachById(a6, itmo.approach);
  const authorisation = approach && effectiveAuthorisation(a6, approach, itmo.authorisation);
  const party = approach === undefined ? undefined : registryParty(approach, from.registry)?.party;
  if (authorisation === undefined || approach === undefined || party === undefined)
    return reject('article6_authorisation_not_found', `no authorisation ${itmo.authorisation}`);
  // A cancellation (OMGE, voluntary) stays possible after the timeframe; a use does not.
  if (movement.kind !== 'cancellation' && !inTimeframe(authorisation, recordedAt.slice(0, 10)))
    return reject('article6_authorisation_expired', `${authorisation.id} is no longer in force`);
  if (!itmo.firstTransferred && isFinalised(a6, itmo.firstParty, piece.vintage))
    return reject('article6_period_finalised', `${itmo.firstParty} has finalised ${piece.vintage}`);
  const use = movement.purpose === undefined ? null : useOf(movement.purpose);
  if (movement.kind === 'cancellation' || use === 'voluntary' || use === null) return ok(true);
  if (use === 'oimp') {
    if (!authorisation.purposes.includes('oimp'))
      return reject(
        'article6_purpose_not_authorised',
        `${authorisation.id} does not authorise OIMP use`,
      );
    const entities = authorisation.authorisedEntities;
    if (entities.length > 0 && !entities.some((e) => e.organisation === from.holderId))
      return reject(
        'article6_entity_not_authorised',
        `${from.holderName} is not an entity ${authorisation.id} authorises`,
      );
    return ok(true);
  }
  return checkNdcUse(a6, approach, authorisation, party, piece, movement.yearOfUse);
}

function checkNdcUse(
  a6: Article6State,
  approach: CooperativeApproach,
  authorisation: Authorisation,
  party: string,
  piece: MovedPiece,
  yearOfUse: number | undefined,
): Result<true> {
  if (!authorisation.purposes.includes('ndc'))
    return reject(
      'article6_purpose_not_authorised',
      `${authorisation.id} does not authorise use towards an NDC`,
    );
  if (!authorisation.authorisedParties.includes(party))
    return reject(
      'article6_party_not_authorised',
      `${authorisation.id} does not authorise ${party} to use these ITMOs`,
    );
  if (yearOfUse === undefined)
    return reject(
      'article6_year_of_use_required',
      'a use of ITMOs towards an NDC states the calendar year of use',
    );
  if (yearOfUse < piece.vintage)
    return reject(
      'article6_year_of_use_before_vintage',
      `credits of vintage ${piece.vintage} cannot be used for ${yearOfUse}`,
    );
  const ndc = approach.ndcs.find((n) => n.party === party);
  if (ndc === undefined)
    return reject(
      'article6_ndc_information_missing',
      `${party} has recorded no NDC under ${approach.id}`,
    );
  if (yearOfUse < ndc.firstYear || yearOfUse > ndc.lastYear)
    return reject(
      'article6_year_outside_ndc_period',
      `${yearOfUse} is outside ${party}'s NDC period ${ndc.firstYear}-${ndc.lastYear}`,
    );
  if (isFinalised(a6, party, yearOfUse))
    return reject('article6_period_finalised', `${party} has finalised ${yearOfUse}`);
  return ok(true);
}
