// Which items of the cycle are synthetic demo data, from the organisations flagged synthetic (a
// stored fact only the demo loader or an administrator sets): a project or idea note is synthetic
// when one of its participants is, a methodology proposal when one of its proposers is, a monitoring
// period or issuance request when its project is, a decision when what it is about is (an item, or
// the TPE it designates). A project's credits are synthetic with it, by its reference.
//
// One rule for one item (itemSynthetic), which the store applies when it writes an item (and keeps
// as a column, migration 022), and the same rule over a whole set of items (syntheticItems), which
// the migration's backfill and the tests use as the reference.
import type { ProjectData } from './project-data.ts';

/** A stored item as the derivation reads it. */
export interface ItemFacts {
  readonly id: string;
  readonly machine: string;
  readonly parent_id: string | null;
  readonly reference: string | null;
  readonly data: unknown;
}

export interface Synthetic {
  readonly items: ReadonlySet<string>;
  /** References of synthetic projects: the credits of blocks with these projects are synthetic. */
  readonly references: ReadonlySet<string>;
}

/**
 * The organisations an item names as its own: a project's (or idea note's) participants, else a
 * methodology proposal's proposers.
 */
export function namedOrganisations(data: unknown): readonly string[] {
  const d = (data ?? {}) as { project?: ProjectData; proposers?: readonly string[] };
  if (d.project === undefined) return d.proposers ?? [];
  return [...d.project.participantsJapan, ...d.project.participantsPartner];
}

/** What a decision is about: an item's id, or the organisation it designates; null otherwise. */
export function decisionSubject(item: Pick<ItemFacts, 'machine' | 'data'>): string | null {
  if (item.machine !== 'decision') return null;
  return (item.data as { subject?: { item?: string } } | null)?.subject?.item ?? null;
}

/** What the rule of one item looks at besides the item. */
export interface SyntheticNeighbours {
  /** Whether an organisation is flagged synthetic (asked of the item's own organisations only). */
  readonly flagged: (organisation: string) => boolean;
  /** The item's parent is synthetic (not asked of decisions). */
  readonly parentSynthetic: boolean;
  /** The item a decision is about is synthetic (or the organisation it designates is flagged). */
  readonly subjectSynthetic: boolean;
}

/** Whether one item is synthetic demo data. */
export function itemSynthetic(item: ItemFacts, around: SyntheticNeighbours): boolean {
  if (namedOrganisations(item.data).some(around.flagged)) return true;
  if (item.machine === 'decision') return decisionSubject(item) !== null && around.subjectSynthetic;
  return item.parent_id !== null && around.parentSynthetic;
}

/** The rule applied to a whole set of items, whatever order they come in. */
export function syntheticItems(
  items: readonly ItemFacts[],
  flagged: ReadonlySet<string>,
): Synthetic {
  const ids = new Set<string>();
  const isFlagged = (o: string) => flagged.has(o);
  const around = (r: ItemFacts): SyntheticNeighbours => {
    const subject = decisionSubject(r);
    return {
      flagged: isFlagged,
      parentSynthetic: r.parent_id !== null && ids.has(r.parent_id),
      subjectSynthetic: subject !== null && (ids.has(subject) || flagged.has(subject)),
    };
  };
  // Until nothing changes: children after their parents to any depth (an issuance request's parent
  // may come after it), decisions after what they are about. Each pass adds at least one item, so
  // there are at most as many passes as items.
  for (let added = true; added;) {
    added = false;
    for (const r of items)
      if (!ids.has(r.id) && itemSynthetic(r, around(r))) {
        ids.add(r.id);
        added = true;
      }
  }
  const references = new Set(
    items.flatMap((r) =>
      r.machine === 'project' && r.reference !== null && ids.has(r.id) ? [r.reference] : [],
    ),
  );
  return { items: ids, references };
}
