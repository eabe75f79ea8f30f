// Registering organisations and recording the Joint Committee's designations of third-party entities:
// who may do it, and what is refused (an organisation registered twice, a designation of something
// that is not a registered TPE, a designation that overlaps one already in force for the same scope
// and function). Pure: the store loads what exists, under lock.
import type { Actor } from '../ledger/actor.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import type { Designation } from './items.ts';

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
}

export interface DesignationState {
  /** The kind of the organisation to designate; null when it is not registered. */
  readonly organisationKind: string | null;
  /** Its designations in the partnership. */
  readonly existing: readonly Designation[];
}

/** One designation per sectoral scope and function; none may overlap one that exists. */
export function decideDesignation(
  state: DesignationState,
  input: DesignationRequest,
  actor: Actor,
): Result<readonly Designation[]> {
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
  return ok(designations);
}
