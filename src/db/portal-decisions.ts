// The portal's Joint Committee decisions, a page at a time (issue 15): decisions by id, and the
// decisions about some items (a project's page). Each says what kind of item it is about and the
// project that item belongs to, found by walking up from the subjects of the rows read only, so a
// page costs the same whatever the number of items in the cycle; and whether it is synthetic demo
// data, the flag stored with it (migration 022).
import { sql, type Kysely, type Selectable } from 'kysely';
import { afterKey, pageLimit, pageOf, type Page, type PageRequest } from '../core/shared/page.ts';
import { ok, type Result } from '../core/shared/result.ts';
import type { Db } from './connect.ts';
import { keyAfter } from './page-keys.ts';
import type { Schema } from './schema.ts';

/**
 * Steps walked up from a decision's subject to its project, at most: an issuance request's
 * decision is three steps from its project (request, monitoring period, project); the bound only
 * stops a walk should the parents ever loop.
 */
const subjectDepthMax = 16;

export interface StoredDecision {
  readonly id: string;
  readonly partnership: string;
  readonly state: string;
  readonly data: unknown;
  readonly updated_at: string;
  /** Synthetic demo data: what it is about is (the flag the cycle stores, migration 022). */
  readonly synthetic: boolean;
  /** The kind of item the decision is about; null when it is not an item (a TPE) or none. */
  readonly subjectMachine: string | null;
  /** The project the subject belongs to; null for idea notes, methodologies and TPEs. */
  readonly subjectProject: string | null;
}

/** Where a page of decisions starts: after a cursor, or at a decision's id (a link to it). */
export type DecisionPageRequest = PageRequest & { readonly from?: string | undefined };

const columns = ['id', 'partnership', 'state', 'data', 'updated_at', 'synthetic'] as const;

/** Decisions by id, a page at a time, from the cursor or from the decision `from` (inclusive). */
export async function decisionsPage(
  db: Db,
  request: DecisionPageRequest,
): Promise<Result<Page<StoredDecision>>> {
  const after = afterKey(request, ['text']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  const from = after.value === null ? request.from : undefined;
  const rows = await db.read(async (k) => {
    let query = k
      .selectFrom('cycle_items')
      .select(columns)
      .where('machine', '=', 'decision')
      .where(keyAfter(['id'], after.value))
      .orderBy('id')
      .limit(limit + 1);
    if (from !== undefined) query = query.where('id', '>=', from);
    return withSubjects(k, await query.execute());
  });
  return ok(pageOf(rows, limit, (r) => [r.id]));
}

/** The decisions about any of these items, by id (the index on the subject of migration 023). */
export function decisionsAbout(db: Db, items: readonly string[]): Promise<StoredDecision[]> {
  if (items.length === 0) return Promise.resolve([]);
  return db.read(async (k) => {
    const rows = await k
      .selectFrom('cycle_items')
      .select(columns)
      .where('machine', '=', 'decision')
      .where(sql<string>`data -> 'subject' ->> 'item'`, 'in', [...items])
      .orderBy('id')
      .execute();
    return withSubjects(k, rows);
  });
}

type DecisionRow = Pick<Selectable<Schema['cycle_items']>, (typeof columns)[number]>;

/**
 * The rows with the kind of their subject and its project, walked up in SQL from these rows only.
 */
async function withSubjects(
  k: Kysely<Schema>,
  rows: readonly DecisionRow[],
): Promise<StoredDecision[]> {
  const about = rows.flatMap((r) => {
    const item = (r.data as { subject?: { item?: unknown } } | null)?.subject?.item;
    return typeof item === 'string' ? [{ decision: r.id, item }] : [];
  });
  const found = new Map<string, { machine: string | null; project: string | null }>();
  if (about.length > 0) {
    const result = await sql<{
      decision: string;
      subject_machine: string | null;
      subject_project: string | null;
    }>`
      WITH RECURSIVE up (decision, id, machine, parent_id, depth) AS (
        SELECT d.decision, i.id, i.machine, i.parent_id, 0
        FROM unnest(${about.map((a) => a.decision)}::text[], ${about.map((a) => a.item)}::text[])
          AS d (decision, item)
        JOIN cycle_items i ON i.id = d.item
        UNION ALL
        SELECT up.decision, i.id, i.machine, i.parent_id, up.depth + 1
        FROM up JOIN cycle_items i ON i.id = up.parent_id
        WHERE up.machine <> 'project' AND up.depth < ${subjectDepthMax})
      SELECT decision,
             max(CASE WHEN depth = 0 THEN machine END) AS subject_machine,
             max(CASE WHEN machine = 'project' THEN id END) AS subject_project
      FROM up GROUP BY decision`.execute(k);
    for (const r of result.rows)
      found.set(r.decision, { machine: r.subject_machine, project: r.subject_project });
  }
  return rows.map((r) => ({
    ...r,
    subjectMachine: found.get(r.id)?.machine ?? null,
    subjectProject: found.get(r.id)?.project ?? null,
  }));
}
