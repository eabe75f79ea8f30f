// Who speaks for a Party under an approach, and where a Party's own entries are journalled.
import { japanRegistryId, type RegistryId } from '../shared/ids.ts';
import type { Actor, Role } from '../ledger/actor.ts';
import type { Article6State } from './state.ts';
import type { CooperativeApproach, PartyCode } from './types.ts';

/**
 * The government role of the Party whose own registry `registry` is: Japan's for JP, the partner's
 * (named by its partnership, which is its registry's id) for any other.
 */
export function governmentRole(registry: string): Role {
  return registry === japanRegistryId
    ? { kind: 'government_japan' }
    : { kind: 'government_partner', partnership: registry };
}

/** The registry of the Party a government role speaks for; null for a role that is no government. */
export function governedRegistry(role: Role): string | null {
  if (role.kind === 'government_japan') return japanRegistryId;
  if (role.kind === 'government_partner') return role.partnership;
  return null;
}

/** The government that speaks for a Party under an approach: Japan's, or the partner's. */
export function actsForParty(
  actor: Actor,
  approach: CooperativeApproach,
  party: PartyCode,
): boolean {
  const registry = approach.registries.find((r) => r.party === party)?.registry;
  if (registry === undefined) return false;
  return actor.roles.some((role) => governedRegistry(role) === registry);
}

/** The registry a Party's own entries go to (JPN -> JP), under any approach it takes part in. */
export function partyRegistry(a6: Article6State, party: PartyCode): RegistryId | undefined {
  for (const approach of a6.approaches.values()) {
    const found = approach.registries.find((r) => r.party === party);
    if (found !== undefined) return found.registry;
  }
  return undefined;
}
