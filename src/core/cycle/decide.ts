// The project cycle as a pure decider: the stored item and its context, a typed action and the actor
// in; the transition with everything it changes, or the first broken rule, out. Precedence: the item
// (and the item a creating action starts from) must exist; then transition.ts (action, state, role,
// documents, guards in table order); then the action's own checks (an open finding to answer, a
// calculation made with the project's current methodology).
import type { Actor } from '../ledger/actor.ts';
import { assert } from '../shared/assert.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import {
  itemOf,
  parentOf,
  submittedProject,
  type CycleAction,
  type FiledDocument,
} from './actions.ts';
import type { CycleContext } from './context.ts';
import type { DocumentType, Machine } from './definition.ts';
import { applyChange, effectsOf, type CycleEffects } from './effects.ts';
import type { ItemData } from './items.ts';
import { allocationOf, evaluateGuards } from './guards.ts';
import { countersFor, creatingMachine, newItemParent, partnershipOf } from './item-ids.ts';
import { extraDocuments, rulesInForce } from './rulebook.ts';
import { cycleRolesOf } from './roles.ts';
import { decideTransition, guardsFor, type Transition } from './transition.ts';

export interface CycleDecision {
  /** The item acted on: the existing one, or the id of the one the action creates. */
  readonly id: string;
  readonly machine: Machine;
  readonly partnership: string;
  readonly parentId: string | null;
  readonly created: boolean;
  readonly transition: Transition;
  readonly effects: CycleEffects;
  /** The project reference after the action (given on registration). */
  readonly reference: string | null;
  /** The item's version after the action: how many actions it has seen. */
  readonly version: number;
  /** The item's data after the action. */
  readonly data: ItemData;
  /** The other items the action changes, with their data after it (a decision, a monitoring period). */
  readonly related: readonly { readonly id: string; readonly data: ItemData }[];
  /** Counters to move forward, with their new values. */
  readonly counters: ReadonlyMap<string, number>;
  readonly documents: readonly FiledDocument[];
}

export function decideCycleAction(
  ctx: CycleContext,
  action: CycleAction,
  actor: Actor,
): Result<CycleDecision> {
  const named = itemOf(action);
  if (named !== null && ctx.item === null)
    return reject('cycle_item_not_found', `no cycle item ${named}`);
  const startsFrom = named === null ? parentOf(action) : null;
  if (startsFrom !== null && ctx.parent === null)
    return reject('cycle_item_not_found', `no cycle item ${startsFrom}`);
  const machine = ctx.item?.machine ?? creatingMachine(action.type);
  assert(machine !== undefined, `${action.type} creates an item or names one`);
  const partnership = partnershipOf(action, ctx.item, ctx.parent);
  assert(partnership !== null, `${action.type} has a partnership`);
  const state = ctx.item?.state ?? null;
  const stored = ctx.project?.data.project ?? null;
  // Who may act comes from the stored project; only a new PIN or PDD is judged on what it submits.
  const roleProject = ctx.item === null && stored === null ? submittedProject(action) : stored;
  const guardProject = submittedProject(action) ?? stored;
  const rules = rulesInForce(
    ctx.rulebooks,
    partnership,
    guardProject?.programme ?? null,
    ctx.today,
  );
  const documents = new Set<DocumentType>([
    ...ctx.documentsOnFile,
    ...action.documents.map((d) => d.type),
  ]);
  const transition = decideTransition({
    machine,
    state,
    action: action.type,
    actorRoles: cycleRolesOf(actor, {
      machine,
      partnership,
      state,
      project: roleProject,
      proposers: ctx.item?.data.proposers ?? [],
      registries: allocationOf(action, ctx.item).map((l) => l.registry),
    }),
    documents,
    extraDocuments: extraDocuments(rules, action.type),
    guardOutcomes: evaluateGuards(guardsFor(machine, state, action.type), {
      ctx,
      action,
      actor,
      machine,
      partnership,
      project: guardProject,
      rules,
    }),
    today: ctx.today,
  });
  if (!transition.ok) return transition;
  const unknown = (action.comments ?? []).filter((c) => !ctx.commentIds.has(c));
  if (unknown.length > 0)
    return reject(
      'comment_not_found',
      `no public comment ${unknown.join(', ')} on ${ctx.item?.id ?? 'this item'}`,
    );
  const current = calculationIsCurrent(ctx, action);
  if (!current.ok) return current;
  return decided(ctx, action, actor, machine, partnership, transition.value);
}

function decided(
  ctx: CycleContext,
  action: CycleAction,
  actor: Actor,
  machine: Machine,
  partnership: string,
  transition: Transition,
): Result<CycleDecision> {
  const counters = new Map<string, number>();
  const next = countersFor(action, ctx.item, ctx.parent, ctx.project, ctx.today).map((counter) => {
    const value =
      Math.max(ctx.counters.get(counter.key) ?? 0, counter.floor?.(ctx.catalogueIds) ?? 0) + 1;
    counters.set(counter.key, value);
    return counter.format(value);
  });
  const id = ctx.item?.id ?? next[0];
  assert(id !== undefined, 'a new item has a counter');
  const effects = effectsOf({ ctx, action, actor, id, numbered: next });
  if (!effects.ok) return effects;
  const reference = effects.value.assignReference ? next.at(-1) : ctx.item?.reference;
  const related = effects.value.related.map(({ id: other, change }) => {
    const stored = [ctx.decision, ctx.monitoring].find((i) => i?.id === other);
    assert(
      stored !== undefined && stored !== null,
      `${other}, which the action changes, is loaded`,
    );
    return { id: other, data: applyChange(stored.data, change) };
  });
  return ok({
    id,
    machine,
    partnership,
    parentId: ctx.item?.parentId ?? newItemParent(machine, ctx.parent, ctx.project),
    created: ctx.item === null,
    transition,
    effects: effects.value,
    reference: reference ?? null,
    version: (ctx.item?.version ?? 0) + 1,
    data: applyChange(ctx.item?.data ?? {}, effects.value.data),
    related,
    counters,
    documents: action.documents,
  });
}

/**
 * A monitoring report is calculated before its transaction, with the methodology the project named
 * then; if the project's methodology changed meanwhile, the calculation is not the project's.
 */
function calculationIsCurrent(ctx: CycleContext, action: CycleAction): Result<true> {
  if (action.type !== 'submit_monitoring_report' && action.type !== 'resubmit_monitoring_report')
    return ok(true);
  const used = action.calculation.methodology;
  const named = ctx.project?.data.project?.methodology;
  return used !== undefined &&
    named !== undefined &&
    used.id === named.id &&
    used.version === named.version
    ? ok(true)
    : reject(
        'cycle_item_changed',
        "the project's methodology changed while the report was calculated; file it again",
      );
}
