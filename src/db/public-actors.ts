// The public names of actors (core/ledger/public-actor.ts) for the read queries: what the users
// table knows of the actors a page names (their roles and organisation), loaded in one query, and
// the acting context of a journal entry or a cycle event.
import type { Kysely } from 'kysely';
import type { Role } from '../core/ledger/actor.ts';
import { cycleDefinition } from '../core/cycle/definition.ts';
import type { JournalEnvelope } from '../core/ledger/journal.ts';
import {
  publicActorName,
  type ActingContext,
  type ActorFacts,
} from '../core/ledger/public-actor.ts';
import type { Schema } from './schema.ts';

/** Names actors for the public, knowing the users among them. */
export type PublicNamer = (id: string, context: ActingContext) => string;

export async function publicNamer(k: Kysely<Schema>, ids: Iterable<string>): Promise<PublicNamer> {
  const wanted = [...new Set(ids)].filter((id) => id.includes('@'));
  const facts = new Map<string, { roles: string[]; organisation: string | null }>();
  if (wanted.length > 0) {
    const rows = await k
      .selectFrom('users')
      .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
      .leftJoin('user_roles', 'user_roles.user_id', 'users.id')
      .select(['users.email', 'organisations.name as organisation', 'user_roles.role'])
      .where('users.email', 'in', wanted)
      .execute();
    for (const row of rows) {
      const known = facts.get(row.email) ?? { roles: [], organisation: row.organisation };
      if (row.role !== null) known.roles.push(row.role);
      facts.set(row.email, known);
    }
  }
  return namerFrom(facts);
}

/** Names actors from what is known of the users among them (publicNamer's query, or the reader's). */
export function namerFrom(facts: ReadonlyMap<string, ActorFacts>): PublicNamer {
  return (id, context) => publicActorName(id, facts.get(id), context);
}

/** Who may write an entry of a chain: a Joint Committee (JC-XX) or a registry's people. */
export function journalContext(chain: string, type: string): ActingContext {
  if (chain.startsWith('JC-')) return { roles: ['joint_committee'], scope: chain.slice(3) };
  const moves = type === 'credits_moved';
  return {
    roles: moves ? ['account_holder', 'registry_manager'] : ['registry_manager'],
    scope: chain,
  };
}

/** A journal entry as the public sees it: the same entry with its actor's public name. */
export function publicEnvelope(envelope: JournalEnvelope, name: PublicNamer): JournalEnvelope {
  return {
    ...envelope,
    actor: name(envelope.actor, journalContext(envelope.chain, envelope.event.type)),
  };
}

/** The roles that may take an action of the project cycle (its definition's rule). */
export function cycleContext(machine: string, action: string, partnership: string): ActingContext {
  const rule = cycleDefinition.find((r) => r.machine === machine && r.action === action);
  return {
    roles: (rule?.roles ?? []) as readonly Role['kind'][],
    scope: partnership,
    scopeIsPartnership: true,
  };
}
