// The stored synthetic flag of cycle items (migration 022), kept in the transaction of every cycle
// write by the rule of src/core/cycle/synthetic.ts: the item written and the items the action
// changes get their flag from their own organisations, their parent and what a decision is about;
// when an existing item's flag changes, so may its children's and the decisions about it, followed
// until nothing changes. Organisations are flagged when registered and never change afterwards, and
// an item names only registered organisations (the cycle's guards), so registering one changes no
// item's flag.
import { sql } from 'kysely';
import {
  decisionSubject,
  itemSynthetic,
  namedOrganisations,
  type ItemFacts,
} from '../core/cycle/synthetic.ts';
import { assert } from '../core/shared/assert.ts';
import type { Tx } from './connect.ts';

/**
 * Rounds of dependents followed after a flag changed: a project, its monitoring periods, their
 * issuance requests, the decisions about any of them, and a decision about a decision, with room.
 */
const cascadeRoundsMax = 8;

export interface WrittenItem {
  readonly item: ItemFacts;
  /** The item was created by this write: nothing follows its flag yet. */
  readonly created: boolean;
  /** The other items the write changed the data of. */
  readonly related: readonly string[];
}

/** Sets the flags of a write's items, and of the items that follow them when one changed. */
export async function storeSyntheticFlags(tx: Tx, written: WrittenItem): Promise<void> {
  let items: readonly ItemFacts[] = [written.item, ...(await itemsOf(tx, written.related))];
  for (let round = 0; items.length > 0; round += 1) {
    assert(round < cascadeRoundsMax, `synthetic flags follow ${written.item.id} too far`);
    const changed = await refresh(
      tx,
      items,
      round === 0 && written.created ? written.item.id : null,
    );
    if (changed.length === 0) return;
    // The demo's share of the annual summary is counted by project reference.
    if (changed.some((c) => c.machine === 'project' && c.reference !== null))
      await sql`SELECT jcm_recount_synthetic_movements()`.execute(tx);
    items = await dependents(
      tx,
      changed.map((c) => c.id),
    );
  }
}

/** Computes and stores the flags of `items`; answers those whose stored flag changed. */
async function refresh(
  tx: Tx,
  items: readonly ItemFacts[],
  created: string | null,
): Promise<ItemFacts[]> {
  const organisations = new Set(items.flatMap((i) => namedOrganisations(i.data)));
  const neighbours = new Set<string>();
  for (const i of items) {
    const subject = decisionSubject(i);
    if (subject !== null) {
      organisations.add(subject);
      neighbours.add(subject);
    } else if (i.machine !== 'decision' && i.parent_id !== null) neighbours.add(i.parent_id);
  }
  const flagged =
    organisations.size === 0
      ? []
      : await tx
          .selectFrom('organisations')
          .select('id')
          .where('id', 'in', [...organisations])
          .where('synthetic', '=', true)
          .execute();
  const synthetic =
    neighbours.size === 0
      ? []
      : await tx
          .selectFrom('cycle_items')
          .select('id')
          .where('id', 'in', [...neighbours])
          .where('synthetic', '=', true)
          .execute();
  const flaggedIds = new Set(flagged.map((o) => o.id));
  const syntheticIds = new Set(synthetic.map((i) => i.id));
  const changed: ItemFacts[] = [];
  for (const item of items) {
    const subject = decisionSubject(item);
    const value = itemSynthetic(item, {
      flagged: (o) => flaggedIds.has(o),
      parentSynthetic: item.parent_id !== null && syntheticIds.has(item.parent_id),
      subjectSynthetic: subject !== null && (syntheticIds.has(subject) || flaggedIds.has(subject)),
    });
    // A new row holds the column's default, false: only a synthetic one is written again.
    if (item.id === created && !value) continue;
    const updated = await tx
      .updateTable('cycle_items')
      .set({ synthetic: value })
      .where('id', '=', item.id)
      .where('synthetic', '=', !value)
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n && item.id !== created) changed.push(item);
  }
  return changed;
}

function itemsOf(tx: Tx, ids: readonly string[]): Promise<ItemFacts[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('cycle_items')
    .select(['id', 'machine', 'parent_id', 'reference', 'data'])
    .where('id', 'in', [...ids])
    .execute();
}

/** The items whose flag follows those of `ids`: their children, and the decisions about them. */
function dependents(tx: Tx, ids: readonly string[]): Promise<ItemFacts[]> {
  return tx
    .selectFrom('cycle_items')
    .select(['id', 'machine', 'parent_id', 'reference', 'data'])
    .where((e) =>
      e.or([
        e.and([e('parent_id', 'in', [...ids]), e('machine', '<>', 'decision')]),
        e.and([
          e('machine', '=', 'decision'),
          e(sql<string>`data -> 'subject' ->> 'item'`, 'in', [...ids]),
        ]),
      ]),
    )
    .execute();
}
