// Who asks: an actor with roles. Real login comes later; here the roles arrive with a development
// token, and every write records the actor's id.
import { parseRegistryId, type RegistryId } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';

export type Role =
  | { readonly kind: 'administrator' }
  | { readonly kind: 'registry_manager'; readonly registry: RegistryId }
  | { readonly kind: 'account_holder'; readonly holderId: string };

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

export function holds(actor: Actor, holderId: string): boolean {
  return actor.roles.some((role) => role.kind === 'account_holder' && role.holderId === holderId);
}

/** Parses roles written as `administrator`, `registry_manager:JP`, `account_holder:acme`, comma-separated. */
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
