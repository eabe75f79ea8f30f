// Synthetic demo data as stored flags (issue 15 review): which cycle items are synthetic is kept on
// the item when the cycle writes it (src/db/synthetic-flags.ts, by the rule of
// src/core/cycle/synthetic.ts), and the synthetic demo's share of the annual transaction summary is
// kept in movement_totals_synthetic as movements are recorded. The portal, the histories and the
// reports then read the synthetic items through a small partial index and the demo's share of a
// year from one row, instead of every cycle item with its data or every movement of the demo.
//
// - cycle_items.synthetic: backfilled here by syntheticItems(), the rule over every item.
// - movement_totals_synthetic: per registry, year and kind (as movement_totals), the credits of
//   synthetic projects moved, and the entries whose movements of that registry, year and kind are
//   all of synthetic projects. An entry that mixes the demo's credits with real ones counts once, in
//   the real part (movement_totals minus this table), while its credits are split by project.
//   Written by a statement trigger on ledger_movements, so that every path that records movements
//   (the writer's batch function, its slow path, a backfill) keeps it, in the same transaction; the
//   trigger assumes, as the writers do, that one statement inserts all the movements of an entry.
//   Recounted from ledger_movements when a registered project's flag changes (rare: its
//   participants changed between demo and real organisations), and by the audit.
import { sql, type Kysely } from 'kysely';
import { movementKinds } from '../../core/ledger/movements.ts';
import { syntheticItems, type ItemFacts } from '../../core/cycle/synthetic.ts';

const kinds = movementKinds.map((k) => `'${k}'`).join(', ');

const tables = [
  `ALTER TABLE cycle_items ADD COLUMN synthetic boolean NOT NULL DEFAULT false`,
  // The synthetic items (few: the demo's), read whole by the portal; the synthetic projects'
  // references, read by the movements' trigger.
  `CREATE INDEX cycle_items_synthetic ON cycle_items (machine, reference, id) WHERE synthetic`,
  // The items whose flag follows another's: its children, and the decisions about it.
  `CREATE INDEX cycle_items_parent ON cycle_items (parent_id) WHERE parent_id IS NOT NULL`,
  `CREATE INDEX cycle_items_decision_subject ON cycle_items ((data -> 'subject' ->> 'item'))
     WHERE machine = 'decision'`,
  `CREATE TABLE movement_totals_synthetic (
     registry_id text NOT NULL,
     year int4 NOT NULL,
     kind text NOT NULL CHECK (kind IN (${kinds})),
     entries int8 NOT NULL CHECK (entries >= 0),
     quantity int8 NOT NULL CHECK (quantity > 0),
     PRIMARY KEY (registry_id, year, kind))`,
];

/**
 * The demo's share of some movements (a relation `m` with ledger_movements' columns), per registry,
 * year and kind: per entry first, so that an entry counts as the demo's only when every one of its
 * movements in the group is of a synthetic project (`refs`, an array of references).
 */
const shareOf = (movements: string, refs: string) => `
  SELECT e.registry_id, e.year, e.kind, count(*) FILTER (WHERE e.real = 0) AS entries,
    sum(e.synthetic) AS quantity
  FROM (
    SELECT m.chain, m.seq, m.registry_id, left(m.recorded_at, 4)::int4 AS year, m.kind,
      coalesce(sum(m.quantity) FILTER (WHERE m.project = ANY (${refs})), 0) AS synthetic,
      coalesce(sum(m.quantity) FILTER (WHERE NOT m.project = ANY (${refs})), 0) AS real
    FROM ${movements} m GROUP BY 1, 2, 3, 4, 5) e
  WHERE e.synthetic > 0
  GROUP BY 1, 2, 3`;

const syntheticRefs = `(SELECT coalesce(array_agg(reference), '{}') FROM cycle_items
  WHERE synthetic AND machine = 'project' AND reference IS NOT NULL)`;

const functions = [
  // Per statement that records movements: nothing to do (one index probe) while no synthetic
  // project is registered, which is every real deployment.
  `CREATE FUNCTION jcm_add_synthetic_movements() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE refs text[];
   BEGIN
     SELECT ${syntheticRefs} INTO refs;
     IF cardinality(refs) = 0 THEN
       RETURN NULL;
     END IF;
     INSERT INTO movement_totals_synthetic AS t (registry_id, year, kind, entries, quantity)
       ${shareOf('new_movements', 'refs')}
       ORDER BY 1, 2, 3
       ON CONFLICT (registry_id, year, kind)
       DO UPDATE SET entries = t.entries + excluded.entries, quantity = t.quantity + excluded.quantity;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER ledger_movements_synthetic_totals AFTER INSERT ON ledger_movements
     REFERENCING NEW TABLE AS new_movements
     FOR EACH STATEMENT EXECUTE FUNCTION jcm_add_synthetic_movements()`,
  // The whole table again from ledger_movements: the backfill, and after a registered project's
  // flag changed.
  `CREATE FUNCTION jcm_recount_synthetic_movements() RETURNS void LANGUAGE plpgsql AS $$
   DECLARE refs text[];
   BEGIN
     SELECT ${syntheticRefs} INTO refs;
     DELETE FROM movement_totals_synthetic;
     IF cardinality(refs) = 0 THEN
       RETURN;
     END IF;
     INSERT INTO movement_totals_synthetic (registry_id, year, kind, entries, quantity)
       ${shareOf(
         `(SELECT * FROM ledger_movements WHERE (chain, seq) IN (
         SELECT chain, seq FROM ledger_movements WHERE project = ANY (refs)))`,
         'refs',
       )};
   END $$`,
];

/** Sets the flag of every item by the rule over all items (once, here). */
async function backfillFlags(db: Kysely<unknown>): Promise<void> {
  const items = await sql<ItemFacts>`
    SELECT id, machine, parent_id, reference, data FROM cycle_items`.execute(db);
  const flagged = await sql<{ id: string }>`
    SELECT id FROM organisations WHERE synthetic`.execute(db);
  const found = syntheticItems(items.rows, new Set(flagged.rows.map((o) => o.id)));
  if (found.items.size === 0) return;
  await sql`UPDATE cycle_items SET synthetic = true WHERE id IN (
    SELECT jsonb_array_elements_text(${JSON.stringify([...found.items])}::jsonb))`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...functions]) await sql.raw(statement).execute(db);
  await backfillFlags(db);
  await sql`SELECT jcm_recount_synthetic_movements()`.execute(db);
}
