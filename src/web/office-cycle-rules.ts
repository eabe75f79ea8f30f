// The project-cycle actions the back office offers a user: those of an item's state whose acting
// roles the user holds, the submissions that start from an item or on their own, and their labels.
import { cycleDefinition, type TransitionRule } from '../core/cycle/definition.ts';
import type { Actor } from '../core/ledger/actor.ts';

/** An action's or a state's name as the pages show it. */
export const label = (text: string) => text.replaceAll('_', ' ');

/** Submissions that start from another item, and the state that item must be in. */
const startsFrom: Record<string, { machine: string; state: string }> = {
  submit_monitoring_report: { machine: 'project', state: 'registered' },
  request_issuance: { machine: 'monitoring', state: 'verified' },
};
/** Submissions that start a new item on their own (/office/new). */
export const standalone = ['submit_pin', 'propose_methodology', 'submit_pdd'];

function holds(actor: Actor, rule: TransitionRule): boolean {
  const kinds = new Set<string>(actor.roles.map((r) => r.kind));
  return rule.roles.some((role) => kinds.has(role));
}

/** The actions of an item's state whose acting roles the user holds (the domain checks the rest). */
function actionsFor(machine: string, state: string, actor: Actor): TransitionRule[] {
  return cycleDefinition.filter(
    (r) => r.machine === machine && r.from === state && holds(actor, r),
  );
}

export function ruleOf(action: string): TransitionRule | undefined {
  return cycleDefinition.find((r) => r.action === action);
}

/** The actions of a state that wait for an adopted Joint Committee decision authorising them. */
export function decidedActions(machine: string, state: string): TransitionRule[] {
  return cycleDefinition.filter(
    (r) => r.machine === machine && r.from === state && r.guards.includes('decision_adopted'),
  );
}

/**
 * The forms an item's page offers the user: the actions of its state, the submissions that start
 * from it, and a decision proposal where an action of its state waits for a decision.
 */
export function offeredRules(
  item: { machine: string; state: string },
  actor: Actor,
): TransitionRule[] {
  const waitsForDecision = decidedActions(item.machine, item.state).length > 0;
  return [
    ...actionsFor(item.machine, item.state, actor),
    ...Object.entries(startsFrom)
      .filter(([, from]) => from.machine === item.machine && from.state === item.state)
      .map(([action]) => ruleOf(action))
      .filter((r): r is TransitionRule => r !== undefined && holds(actor, r)),
    ...cycleDefinition.filter(
      (r) => r.action === 'propose_decision' && holds(actor, r) && waitsForDecision,
    ),
  ];
}

/** The submissions of /office/new that the user's roles may start. */
export function standaloneRules(actor: Actor): TransitionRule[] {
  return cycleDefinition.filter(
    (r) => r.from === null && standalone.includes(r.action) && holds(actor, r),
  );
}
