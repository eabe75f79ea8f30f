// Who asks: an actor with roles. Real login comes later; here the roles arrive with a development
// token, and every write records the actor's id.
import { parseRegistryId, type RegistryId } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { assert, assertNever } from '../shared/assert.ts';

export type Role =
  | { readonly kind: 'administrator' }
  | { readonly kind: 'registry_manager'; readonly registry: RegistryId }
  | { readonly kind: 'account_holder'; readonly holderId: string }
  // Roles of the project cycle: an organisation's staff, or a body of a partnership.
  | { readonly kind: 'project_participant'; readonly organisation: string }
  | { readonly kind: 'third_party_entity'; readonly organisation: string }
  | { readonly kind: 'secretariat'; readonly partnership: string }
  | { readonly kind: 'joint_committee'; readonly partnership: string }
  | { readonly kind: 'government_partner'; readonly partnership: string }
  | { readonly kind: 'government_japan' };

export interface Actor {
  readonly id: string;
  readonly roles: readonly Role[];
}

export function isAdministrator(actor: Actor): boolean {
  return actor.roles.some((role) => role.kind === 'administrator');
}

export function managesRegistry(actor: Actor, registry: RegistryId): boolean {
  return (
    isAdministrator(actor) ||
    actor.roles.some((role) => role.kind === 'registry_manager' && role.registry === registry)
  );
}

/** A member of the Joint Committee of a partnership (it decides issuances for the partner's projects). */
export function sitsOnJointCommittee(actor: Actor, partnership: string): boolean {
  return actor.roles.some(
    (role) => role.kind === 'joint_committee' && role.partnership === partnership,
  );
}

export function holds(actor: Actor, holderId: string): boolean {
  return actor.roles.some((role) => role.kind === 'account_holder' && role.holderId === holderId);
}

const organisationRoles = new Set(['project_participant', 'third_party_entity']);
const partnershipRoles = new Set(['secretariat', 'joint_committee', 'government_partner']);

/**
 * Parses roles written as `administrator`, `registry_manager:JP`, `account_holder:acme`,
 * `project_participant:<organisation>`, `third_party_entity:<organisation>`, `secretariat:IN`,
 * `joint_committee:IN`, `government_partner:IN`, `government_japan`, comma-separated.
 */
export function parseRoles(id: string, text: string): Result<Actor> {
  const roles: Role[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const [kind, arg] = part.split(':', 2);
    if (kind === 'administrator' && arg === undefined) {
      roles.push({ kind: 'administrator' });
    } else if (kind === 'registry_manager' && arg !== undefined) {
      const registry = parseRegistryId(arg);
      if (!registry.ok) return registry;
      roles.push({ kind: 'registry_manager', registry: registry.value });
    } else if (kind === 'government_japan' && arg === undefined) {
      roles.push({ kind: 'government_japan' });
    } else if (
      kind !== undefined &&
      organisationRoles.has(kind) &&
      arg !== undefined &&
      /^[a-z0-9][a-z0-9-]{1,62}$/.test(arg)
    ) {
      roles.push({ kind: kind as 'project_participant' | 'third_party_entity', organisation: arg });
    } else if (
      kind !== undefined &&
      partnershipRoles.has(kind) &&
      arg !== undefined &&
      /^[A-Z]{2}$/.test(arg)
    ) {
      roles.push({
        kind: kind as 'secretariat' | 'joint_committee' | 'government_partner',
        partnership: arg,
      });
    } else if (
      kind === 'account_holder' &&
      arg !== undefined &&
      arg.length > 0 &&
      arg.length <= 64
    ) {
      roles.push({ kind: 'account_holder', holderId: arg });
    } else {
      return reject('invalid_request', `unknown role "${part.slice(0, 80)}"`);
    }
  }
  return ok({ id, roles });
}

/** A role as text, the inverse of parseRoles (how users' roles and tokens' scopes are stored). */
export function roleText(role: Role): string {
  switch (role.kind) {
    case 'administrator':
    case 'government_japan':
      return role.kind;
    case 'registry_manager':
      return `${role.kind}:${role.registry}`;
    case 'account_holder':
      return `${role.kind}:${role.holderId}`;
    case 'project_participant':
    case 'third_party_entity':
      return `${role.kind}:${role.organisation}`;
    case 'secretariat':
    case 'joint_committee':
    case 'government_partner':
      return `${role.kind}:${role.partnership}`;
    default:
      return assertNever(role, 'role');
  }
}

/** An actor from role text known to be valid (the demo's and the tests' fixed actors). */
export function actorWithRoles(id: string, roles: string): Actor {
  const parsed = parseRoles(id, roles);
  assert(parsed.ok, `roles ${roles} are valid`);
  return parsed.value;
}
