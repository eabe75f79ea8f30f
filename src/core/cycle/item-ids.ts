// Identifiers of cycle items and project references, numbered by counters the store keeps:
// `IN_PIN001`, `IN_PM001`, `IN-PRJ001`, `IN-PRJ001-MP1`, `IN-PRJ001-IR1`, `JC-IN-2026-001` and, on
// registration, `IN001`. The store reads each counter under lock; the decision names the next value.
import type { CivilDate } from '../shared/civil-date.ts';
import { cycleDefinition, type Machine } from './definition.ts';
import type { CycleAction } from './actions.ts';
import type { StoredItem } from './items.ts';

export interface Counter {
  readonly key: string;
  readonly format: (n: number) => string;
  /** The highest number already taken outside the counter (the catalogue's illustrative files). */
  readonly floor?: (ids: readonly string[]) => number;
}

const three = (n: number) => String(n).padStart(3, '0');

/** The counter that numbers a new item of a machine. */
export function itemCounter(
  machine: Machine,
  partnership: string,
  parentId: string | null,
  today: CivilDate,
): Counter {
  switch (machine) {
    case 'pin':
      return { key: `pin:${partnership}`, format: (n) => `${partnership}_PIN${three(n)}` };
    case 'methodology':
      return { key: `pm:${partnership}`, format: (n) => `${partnership}_PM${three(n)}` };
    case 'project':
      return { key: `project:${partnership}`, format: (n) => `${partnership}-PRJ${three(n)}` };
    case 'monitoring':
      return { key: `mp:${parentId ?? ''}`, format: (n) => `${parentId ?? partnership}-MP${n}` };
    case 'issuance':
      return { key: `ir:${parentId ?? ''}`, format: (n) => `${parentId ?? partnership}-IR${n}` };
    case 'decision':
      return {
        key: `jc:${partnership}:${today.year}`,
        format: (n) => `JC-${partnership}-${today.year}-${three(n)}`,
      };
  }
}

/** The counter of registered projects' references in a partnership (`IN001`). */
export function referenceCounter(partnership: string): Counter {
  return { key: `ref:${partnership}`, format: (n) => `${partnership}${three(n)}` };
}

/**
 * The counter of the catalogue entries a partnership's Joint Committee adopts (`IN_AM009`): it
 * starts after the highest number of the catalogue's illustrative files of that partnership.
 */
export function catalogueCounter(partnership: string): Counter {
  const own = new RegExp(`^${partnership}_AM(\\d+)$`);
  return {
    key: `am:${partnership}`,
    format: (n) => `${partnership}_AM${three(n)}`,
    floor: (ids) => Math.max(0, ...ids.map((id) => Number(own.exec(id)?.[1] ?? 0))),
  };
}

const approvals = new Set(['approve_methodology', 'approve_methodology_with_revisions']);

/** The machine of the item an action creates; undefined for actions on existing items. */
export function creatingMachine(type: CycleAction['type']): Machine | undefined {
  return cycleDefinition.find((r) => r.from === null && r.action === type)?.machine;
}

/**
 * Where a new item hangs: a monitoring period under its project, an issuance request under the
 * project of its monitoring period, a decision under the item it is about.
 */
export function newItemParent(
  machine: Machine,
  parent: StoredItem | null,
  project: StoredItem | null,
): string | null {
  if (machine === 'issuance') return project?.id ?? null;
  if (machine === 'monitoring' || machine === 'decision') return parent?.id ?? null;
  return null;
}

/** The partnership an action happens in: the item's, the parent's, or the one a submission names. */
export function partnershipOf(
  action: CycleAction,
  item: StoredItem | null,
  parent: StoredItem | null,
): string | null {
  return (
    item?.partnership ??
    parent?.partnership ??
    ('partnership' in action ? (action.partnership ?? null) : null)
  );
}

/** The counters an action reads: the new item's, and the reference counter on registration. */
export function countersFor(
  action: CycleAction,
  item: StoredItem | null,
  parent: StoredItem | null,
  project: StoredItem | null,
  today: CivilDate,
): Counter[] {
  const partnership = partnershipOf(action, item, parent);
  if (partnership === null) return [];
  const machine = item === null ? creatingMachine(action.type) : undefined;
  const counters: Counter[] = [];
  if (machine !== undefined)
    counters.push(
      itemCounter(machine, partnership, newItemParent(machine, parent, project), today),
    );
  if (action.type === 'register_project') counters.push(referenceCounter(partnership));
  // A first approval gives the proposal its catalogue id; an approved revision keeps it.
  if (approvals.has(action.type) && item?.data.catalogueId === undefined)
    counters.push(catalogueCounter(partnership));
  return counters;
}
