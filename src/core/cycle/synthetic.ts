// Which items of the cycle are synthetic demo data, from the organisations flagged synthetic (a
// stored fact only the demo loader or an administrator sets): a project or idea note is synthetic
// when one of its participants is, a methodology proposal when one of its proposers is, a monitoring
// period or issuance request when its project is, a decision when what it is about is (an item, or
// the TPE it designates). A project's credits are synthetic with it, by its reference.
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

export function syntheticItems(
  items: readonly ItemFacts[],
  flagged: ReadonlySet<string>,
): Synthetic {
  const ids = new Set<string>();
  const references = new Set<string>();
  const named = (orgs: readonly string[] | undefined) => (orgs ?? []).some((o) => flagged.has(o));
  for (const r of items) {
    const d = r.data as { project?: ProjectData; proposers?: readonly string[] };
    const own =
      d.project === undefined
        ? named(d.proposers)
        : named(d.project.participantsJapan) || named(d.project.participantsPartner);
    if (!own) continue;
    ids.add(r.id);
    if (r.machine === 'project' && r.reference !== null) references.add(r.reference);
  }
  // Children after their parents, to any depth (an issuance request's parent is a monitoring
  // period, whose parent is the project), whatever order the items come in; then decisions after
  // what they are about.
  for (let added = true; added;) {
    added = false;
    for (const r of items)
      if (
        r.parent_id !== null &&
        ids.has(r.parent_id) &&
        r.machine !== 'decision' &&
        !ids.has(r.id)
      ) {
        ids.add(r.id);
        added = true;
      }
  }
  for (const r of items) {
    const subject = (r.data as { subject?: { item?: string } }).subject?.item;
    if (
      r.machine === 'decision' &&
      subject !== undefined &&
      (ids.has(subject) || flagged.has(subject))
    )
      ids.add(r.id);
  }
  return { items: ids, references };
}
