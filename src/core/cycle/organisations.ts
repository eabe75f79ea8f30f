// Registering organisations and recording the Joint Committee's designations of third-party entities:
// who may do it, and what is refused (an organisation registered twice, a designation of something
// that is not a registered TPE, one that no adopted Joint Committee decision decided, a designation
// that overlaps one already in force for the same scope and function). Pure: the store loads what
// exists, under lock.
import type { Actor } from '../ledger/actor.ts';
import { assert } from '../shared/assert.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { designateTpe } from './actions.ts';
import type { Designation, DesignationTerms, ItemData, StoredItem } from './items.ts';

/** What an organisation is to the cycle and the registries. */
export const organisationKinds = [
  'project_participant',
  'third_party_entity',
  'secretariat',
  'joint_committee',
  'government',
  'registry',
] as const;

export interface NewOrganisation {
  readonly id: string;
  readonly name: string;
  readonly kind: (typeof organisationKinds)[number];
  readonly country: string;
  /** Synthetic demo data (an example, not a real organisation); set only by an administrator. */
  readonly synthetic: boolean;
}

export function decideOrganisation(
  existing: boolean,
  input: NewOrganisation,
  actor: Actor,
): Result<NewOrganisation> {
  if (!actor.roles.some((r) => r.kind === 'administrator' || r.kind === 'secretariat'))
    return reject('actor_not_authorised', 'administrators and secretariats register organisations');
  // The flag keeps demo figures out of the portal's headlines: a secretariat registering real
  // organisations has no reason to set it, and nobody else may.
  if (input.synthetic && !actor.roles.some((r) => r.kind === 'administrator'))
    return reject(
      'actor_not_authorised',
      'only an administrator marks an organisation as synthetic demo data',
    );
  if (existing) return reject('organisation_already_exists', `organisation ${input.id} exists`);
  return ok(input);
}

export interface DesignationRequest {
  readonly organisation: string;
  readonly partnership: string;
  readonly sectoralScopes: readonly number[];
  readonly functions: readonly ('validation' | 'verification')[];
  readonly validFrom: string;
  readonly validUntil: string;
  /** The adopted Joint Committee decision it carries out. */
  readonly decision: string;
}

export interface DesignationState {
  /** The kind of the organisation to designate; null when it is not registered. */
  readonly organisationKind: string | null;
  /** Its designations in the partnership. */
  readonly existing: readonly Designation[];
  /** The decision the request names (locked: it is marked as carried out); null if none. */
  readonly decision: StoredItem | null;
}

/** The designations recorded, and the decision marked as carried out by them. */
export interface DesignationDecided {
  readonly designations: readonly Designation[];
  readonly decision: { readonly id: string; readonly data: ItemData };
}

/** One designation per sectoral scope and function; none may overlap one that exists. */
export function decideDesignation(
  state: DesignationState,
  input: DesignationRequest,
  terms: DesignationTerms,
  actor: Actor,
): Result<DesignationDecided> {
  if (!actor.roles.some((r) => r.kind === 'joint_committee' && r.partnership === input.partnership))
    return reject(
      'actor_not_authorised',
      `the Joint Committee of ${input.partnership} designates TPEs`,
    );
  if (state.organisationKind !== 'third_party_entity')
    return reject(
      'organisation_not_found',
      `${input.organisation} is not a registered third-party entity`,
    );
  const decided = designationDecided(state.decision, input, terms);
  if (decided !== null)
    return reject('tpe_designation_decision_missing', `decision ${input.decision}: ${decided}`);
  const designations = input.sectoralScopes.flatMap((sectoralScope) =>
    input.functions.map((fn) => ({
      organisation: input.organisation,
      partnership: input.partnership,
      sectoralScope,
      function: fn,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
    })),
  );
  const overlapping = designations.find((d) =>
    state.existing.some(
      (e) =>
        e.sectoralScope === d.sectoralScope &&
        e.function === d.function &&
        e.validFrom <= d.validUntil &&
        d.validFrom <= e.validUntil,
    ),
  );
  if (overlapping !== undefined)
    return reject(
      'tpe_designation_overlaps',
      `${input.organisation} is already designated for ${overlapping.function} in sectoral scope ${overlapping.sectoralScope} of ${input.partnership} within ${input.validFrom}..${input.validUntil}`,
    );
  const decision = state.decision;
  assert(decision !== null, 'designationDecided found the decision');
  return ok({
    designations,
    decision: {
      id: decision.id,
      data: { ...decision.data, carriedOutBy: `${input.organisation}:${designateTpe}` },
    },
  });
}

/** Terms as words, for comparing (scopes and functions are sorted) and for the message. */
function termsText(t: DesignationTerms): string {
  return `scopes ${t.sectoralScopes.join(',')}, ${t.functions.join(' and ')}, ${t.validFrom}..${t.validUntil}`;
}

/**
 * Why the named decision does not authorise this designation, or null when it does: an adopted
 * decision of the partnership's Joint Committee to designate this TPE on exactly these terms, not
 * carried out yet.
 */
function designationDecided(
  decision: StoredItem | null,
  input: DesignationRequest,
  terms: DesignationTerms,
): string | null {
  if (decision === null || decision.machine !== 'decision') return 'no such decision';
  if (decision.partnership !== input.partnership)
    return `it is a decision of the Joint Committee of ${decision.partnership}`;
  if (decision.state !== 'adopted') return `it is ${decision.state}`;
  const subject = decision.data.subject;
  if (subject?.action !== designateTpe || subject.item !== input.organisation)
    return `it authorises ${subject?.action ?? '?'} of ${subject?.item ?? '?'}`;
  const decided = subject.designation;
  if (decided === undefined || termsText(decided) !== termsText(terms))
    return `it decided ${decided === undefined ? 'no terms' : termsText(decided)}, not ${termsText(terms)}`;
  if (decision.data.carriedOutBy !== undefined)
    return `it was already carried out (${decision.data.carriedOutBy})`;
  return null;
}
