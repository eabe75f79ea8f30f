// Keyset pages of the lists paged after lane H1 (issue 15, point 3): the portal's projects and
// Joint Committee decisions, the items in public input, the comments awaiting moderation and a
// Party's Article 6.2 authorisations. Each list is read in the order of a unique key; these indexes
// serve that order under the list's filter, so that a page costs the same at the millionth row as
// at the first. Indexes only; no table changes.
import { sql, type Kysely } from 'kysely';

const statements = [
  // Projects and decisions by id (the portal's lists), and the cycle's items of one kind.
  `CREATE INDEX cycle_items_by_machine ON cycle_items (machine, id)`,
  // A partnership's projects by id (its portal page, the project list filtered by country).
  `CREATE INDEX cycle_items_by_partnership ON cycle_items (machine, partnership, id)`,
  // The items in a state by id (those in public input).
  `CREATE INDEX cycle_items_by_state ON cycle_items (state, id)`,
  // The decisions about an item (a project's page), by the subject their data names. Migration
  // 022 made the index on the subject alone; with the id it also gives each item's decisions in order.
  `DROP INDEX cycle_items_decision_subject`,
  `CREATE INDEX cycle_items_decision_subject ON cycle_items ((data -> 'subject' ->> 'item'), id)
     WHERE machine = 'decision'`,
  // The comments awaiting moderation, oldest first.
  `CREATE INDEX public_comments_by_state ON public_comments (state, id)`,
  // A Party's authorisations by id (the versions of one id follow each other).
  `CREATE INDEX article6_authorisations_by_party ON article6_authorisations (party, id, version)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
