// The inbox of one organisation (issue 15 review, item 3): a page reads at most inboxBatchesMax
// batches of `limit + 1` due items, however many steps other organisations have waiting; a page may
// then be short, even empty, with a `next` that goes on where reading stopped, and walking the pages
// finds every step of the organisation once, in order.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CycleQueries, inboxBatchesMax } from '../../src/db/cycle-queries.ts';
import { freshDb, testDbKind, type TestDb } from '../support/db.ts';
import { recordingDb } from '../support/recording-db.ts';

let testDb: TestDb;
const others = 40;

beforeAll(async () => {
  testDb = await freshDb();
  // Steps waiting for project participants: forty of other organisations' projects first, then
  // two of `mine-jp`'s (one among the others, one last).
  const project = (japan: string) =>
    JSON.stringify({ project: { participantsJapan: [japan], participantsPartner: ['dev-in'] } });
  await testDb.db.transaction(async (trx) => {
    for (let i = 1; i <= others; i++) {
      const japan = i === 7 ? 'mine-jp' : 'other-jp';
      await sql`INSERT INTO cycle_items (id, machine, partnership, state, data, due_date, due_role,
          due_step, created_at, updated_at)
        VALUES (${`IN-P${String(i).padStart(3, '0')}`}, 'project', 'IN', 'registered',
          ${project(japan)}::jsonb, ${`2028-06-${String(1 + (i % 28)).padStart(2, '0')}`},
          'project_participant', 'revision', now(), now())`.execute(trx);
    }
    await sql`INSERT INTO cycle_items (id, machine, partnership, state, data, due_date, due_role,
        due_step, created_at, updated_at)
      VALUES ('IN-P999', 'project', 'IN', 'registered', ${project('mine-jp')}::jsonb, '2028-12-31',
        'project_participant', 'revision', now(), now())`.execute(trx);
  });
});
afterAll(async () => {
  await testDb.drop();
});

describe(`an organisation's inbox on ${testDbKind}`, () => {
  it('reads a bounded number of due items per page and still finds every step, in order', async () => {
    const { db, seen } = recordingDb(testDb.db);
    const queries = new CycleQueries(db, () => '2028-05-01T00:00:00.000Z');
    const limit = 2;
    const found: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      seen.rows = 0;
      const page = await queries.inbox('project_participant', undefined, 'mine-jp', {
        after,
        limit,
      });
      if (!page.ok) throw new Error(page.error.code);
      expect(page.value.items.length).toBeLessThanOrEqual(limit);
      expect(seen.rows).toBeLessThanOrEqual(inboxBatchesMax * (limit + 1));
      found.push(...page.value.items.map((e) => e.item));
      after = page.value.next ?? undefined;
      pages++;
    } while (after !== undefined && pages < 100);
    const all = await testDb.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select('id')
        .where(
          'data',
          '@>',
          sql<unknown>`${JSON.stringify({ project: { participantsJapan: ['mine-jp'] } })}::jsonb`,
        )
        .orderBy('due_date')
        .orderBy('id')
        .execute(),
    );
    expect(found).toEqual(all.map((r) => r.id));
    expect(found).toEqual(['IN-P007', 'IN-P999']);
    // 41 due items read 12 at a time at most: the walk took several pages, some of them empty.
    expect(pages).toBeGreaterThanOrEqual(Math.ceil((others + 1) / (inboxBatchesMax * (limit + 1))));
  });

  it('fills a page from one batch when nobody filters it (a role without an organisation)', async () => {
    const { db, seen } = recordingDb(testDb.db);
    const queries = new CycleQueries(db, () => '2028-05-01T00:00:00.000Z');
    const page = await queries.inbox('project_participant', undefined, undefined, { limit: 5 });
    if (!page.ok) throw new Error(page.error.code);
    expect(page.value.items).toHaveLength(5);
    expect(page.value.next).not.toBeNull();
    expect(seen.rows).toBe(6);
  });
});
