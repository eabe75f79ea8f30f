// Who an actor is for an item: the cycle roles it holds there, computed from stored facts only (the
// participants and TPE of the item's project, the proposers of a methodology, the bodies of the
// item's partnership, the registries of its allocation), never from what the request says.
import type { Actor } from '../ledger/actor.ts';
import { assertNever } from '../shared/assert.ts';
import type { CycleRole, Machine } from './definition.ts';
import { participantsOf, type ProjectData } from './project-data.ts';

export interface RoleFacts {
  readonly machine: Machine;
  readonly partnership: string;
  /** The state of the item; null when the action creates it. */
  readonly state: string | null;
  /** The project the item belongs to (for a new PIN or PDD: the one submitted). */
  readonly project: ProjectData | null;
  /** Organisations that proposed a methodology (its participants). */
  readonly proposers: readonly string[];
  /** Registries named by the item's allocation lines. */
  readonly registries: readonly string[];
}

export function cycleRolesOf(actor: Actor, facts: RoleFacts): CycleRole[] {
  const roles = new Set<CycleRole>();
  for (const role of actor.roles) {
    switch (role.kind) {
      case 'project_participant':
        if (participates(role.organisation, facts)) roles.add('project_participant');
        break;
      case 'third_party_entity':
        if (facts.project?.tpe === role.organisation) roles.add('third_party_entity');
        break;
      case 'secretariat':
      case 'joint_committee':
      case 'government_partner':
        if (role.partnership === facts.partnership) roles.add(role.kind);
        break;
      case 'government_japan':
        roles.add('government_japan');
        break;
      case 'registry_manager':
        if (facts.registries.includes(role.registry)) roles.add('registry_manager');
        break;
      case 'administrator':
      case 'account_holder':
        break;
      default:
        assertNever(role, 'role');
    }
  }
  return [...roles];
}

/**
 * A participant acts on its own projects. A methodology has no project: any participant may propose
 * one or ask to revise an approved one; the rest of a proposal's steps belong to its proposers.
 */
function participates(organisation: string, facts: RoleFacts): boolean {
  if (facts.machine === 'methodology') {
    return (
      facts.state === null || facts.state === 'approved' || facts.proposers.includes(organisation)
    );
  }
  return facts.project !== null && participantsOf(facts.project).includes(organisation);
}
