// How the public sees who acted: the role and the organisation (or registry, or partnership), never
// a person's email address or user id. The back office, behind a login, may show people; every
// public read (the API's GET routes, the portal) shows these names instead.
import { parseRoles, type Role } from './actor.ts';

/** What is known of an actor who is a user: their roles (as text) and their organisation's name. */
export interface ActorFacts {
  readonly roles: readonly string[];
  readonly organisation: string | null;
}

/** What the place of an act says: the role kinds that may take it and the registry or partnership. */
export interface ActingContext {
  readonly roles: readonly Role['kind'][];
  /** A registry (`JP`) or, for the project cycle and Joint Committee chains, a partnership (`IN`). */
  readonly scope: string;
  /** The scope is a partnership: a registry role acting in it is not named after it. */
  readonly scopeIsPartnership?: boolean;
}

const kindNames: Record<Role['kind'], string> = {
  administrator: 'platform administrator',
  registry_manager: 'registry manager',
  account_holder: 'account holder',
  project_participant: 'project participant',
  third_party_entity: 'third-party entity',
  secretariat: 'JCM secretariat',
  joint_committee: 'Joint Committee',
  government_partner: 'partner country government',
  government_japan: 'Government of Japan',
};

/** One role in words, with whom it acts for: "registry manager, registry JP". */
export function describeRole(role: Role, organisation: string | null): string {
  switch (role.kind) {
    case 'administrator':
    case 'government_japan':
      return kindNames[role.kind];
    case 'registry_manager':
      return `${kindNames[role.kind]}, registry ${role.registry}`;
    case 'account_holder':
      return `${kindNames[role.kind]}, ${organisation ?? role.holderId}`;
    case 'project_participant':
    case 'third_party_entity':
      return `${kindNames[role.kind]}, ${organisation ?? role.organisation}`;
    case 'secretariat':
    case 'joint_committee':
      return `${kindNames[role.kind]}, Japan-${role.partnership}`;
    case 'government_partner':
      return `Government of ${role.partnership}`;
  }
}

/** The roles of a context in words, for an actor who is not a user (the demo, a development token). */
function describeContext(context: ActingContext): string {
  const kinds = context.roles.length === 0 ? ['registry_manager' as const] : context.roles;
  const words = kinds.map((k) => kindNames[k]).join(' or ');
  if (kinds.every((k) => k === 'government_japan' || k === 'administrator')) return words;
  const inRegistry = kinds.some((k) => k === 'registry_manager' || k === 'account_holder');
  // In the project cycle a registry manager confirms for Japan's registry or the partner's: which
  // one the context does not say, so neither is named (the partnership is not a registry).
  if (inRegistry && context.scopeIsPartnership === true) return words;
  return `${words}, ${inRegistry ? 'registry' : 'Japan-'}${inRegistry ? ' ' : ''}${context.scope}`;
}

/**
 * The public name of an actor in a context: the user's role that fits the context (its kind, then
 * its registry or partnership), described with the user's organisation; else what the context says.
 */
export function publicActorName(
  id: string,
  facts: ActorFacts | undefined,
  context: ActingContext,
): string {
  if (id.startsWith('cli:')) return 'platform operator';
  const parsed = facts === undefined ? null : parseRoles(id, facts.roles.join(','));
  const roles = parsed?.ok === true ? parsed.value.roles : [];
  const scopeOf = (r: Role) =>
    r.kind === 'registry_manager' ? r.registry : 'partnership' in r ? r.partnership : null;
  const fitting =
    roles.find((r) => context.roles.includes(r.kind) && scopeOf(r) === context.scope) ??
    roles.find((r) => context.roles.includes(r.kind)) ??
    roles.find((r) => r.kind === 'administrator');
  if (fitting !== undefined) return describeRole(fitting, facts?.organisation ?? null);
  if (facts?.organisation) return facts.organisation;
  return describeContext(context);
}
