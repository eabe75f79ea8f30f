// Public comments of the public input periods: the item a comment is about (read FOR SHARE while a
// comment is added, so that it cannot leave public input meanwhile), a comment locked for its
// moderation, and the reads, each a page at a time: the published comments of an item, the comments
// awaiting moderation (both by comment number) and the items in public input (by id).
import type { CommentedItem, CommentState, StoredComment } from '../core/cycle/comments.ts';
import { afterKey, pageLimit, pageOf, type Page, type PageRequest } from '../core/shared/page.ts';
import { ok, type Result } from '../core/shared/result.ts';
import { civilDateOf, isoInstant } from './columns.ts';
import type { Db, Tx } from './connect.ts';
import { keyAfter } from './page-keys.ts';

export interface NewComment {
  readonly item: string;
  readonly name: string;
  readonly affiliation: string;
  readonly text: string;
}

export interface CommentRow {
  readonly id: string;
  readonly item: string;
  readonly name: string;
  readonly affiliation: string;
  readonly text: string;
  readonly state: CommentState;
  readonly submittedAt: string;
}

export async function commentedItem(tx: Tx, id: string): Promise<CommentedItem | null> {
  const row = await tx
    .selectFrom('cycle_items')
    .select(['id', 'machine', 'partnership', 'state', 'due_date'])
    .where('id', '=', id)
    .forShare()
    .executeTakeFirst();
  return row === undefined
    ? null
    : {
        id: row.id,
        machine: row.machine,
        partnership: row.partnership,
        state: row.state,
        dueDate: row.due_date === null ? null : civilDateOf(row.due_date),
      };
}

export async function insertComment(tx: Tx, comment: NewComment, now: string): Promise<string> {
  const row = await tx
    .insertInto('public_comments')
    .values({
      item_id: comment.item,
      name: comment.name,
      affiliation: comment.affiliation,
      text: comment.text,
      state: 'submitted',
      submitted_at: now,
      moderated_by: null,
      moderated_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

export async function lockComment(tx: Tx, id: bigint): Promise<StoredComment | null> {
  const row = await tx
    .selectFrom('public_comments')
    .innerJoin('cycle_items', 'cycle_items.id', 'public_comments.item_id')
    .select(['public_comments.id', 'public_comments.item_id', 'public_comments.state'])
    .select('cycle_items.partnership')
    .where('public_comments.id', '=', id)
    .forUpdate('public_comments')
    .executeTakeFirst();
  return row === undefined
    ? null
    : {
        id: BigInt(row.id),
        item: row.item_id,
        partnership: row.partnership,
        state: row.state as CommentState,
      };
}

export async function moderateComment(
  tx: Tx,
  id: bigint,
  state: 'published' | 'rejected',
  actor: string,
  now: string,
): Promise<void> {
  await tx
    .updateTable('public_comments')
    .set({ state, moderated_by: actor, moderated_at: now })
    .where('id', '=', id)
    .execute();
}

/** The ids of an item's comments (an action's reference to comments must name some of them). */
export async function commentIdsOf(tx: Tx, item: string): Promise<Set<string>> {
  const rows = await tx
    .selectFrom('public_comments')
    .select('id')
    .where('item_id', '=', item)
    .execute();
  return new Set(rows.map((r) => String(r.id)));
}

function commentRow(r: {
  id: unknown;
  item_id: string;
  name: string;
  affiliation: string;
  text: string;
  state: string;
  submitted_at: unknown;
}): CommentRow {
  return {
    id: String(r.id),
    item: r.item_id,
    name: r.name,
    affiliation: r.affiliation,
    text: r.text,
    state: r.state as CommentState,
    submittedAt: isoInstant(r.submitted_at),
  };
}

const columns = ['id', 'item_id', 'name', 'affiliation', 'text', 'state', 'submitted_at'] as const;

/** The published comments of an item, oldest first, a page at a time. */
export async function publishedComments(
  db: Db,
  item: string,
  request: PageRequest,
): Promise<Result<Page<CommentRow>>> {
  const after = afterKey(request, ['int']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  const rows = await db.read((k) =>
    k
      .selectFrom('public_comments')
      .select(columns)
      .where('item_id', '=', item)
      .where('state', '=', 'published')
      .where(keyAfter(['id'], after.value))
      .orderBy('id')
      .limit(limit + 1)
      .execute(),
  );
  return ok(pageOf(rows.map(commentRow), limit, (c) => [BigInt(c.id)]));
}

/** Comments awaiting moderation in some partnerships, oldest first, a page at a time. */
export async function submittedComments(
  db: Db,
  partnerships: readonly string[],
  request: PageRequest,
): Promise<Result<Page<CommentRow>>> {
  const after = afterKey(request, ['int']);
  if (!after.ok) return after;
  if (partnerships.length === 0) return ok({ items: [], next: null });
  const limit = pageLimit(request);
  const rows = await db.read((k) =>
    k
      .selectFrom('public_comments')
      .innerJoin('cycle_items', 'cycle_items.id', 'public_comments.item_id')
      .select(columns.map((c) => `public_comments.${c}` as const))
      .where('public_comments.state', '=', 'submitted')
      .where('cycle_items.partnership', 'in', [...partnerships])
      .where(keyAfter(['public_comments.id'], after.value))
      .orderBy('public_comments.id')
      .limit(limit + 1)
      .execute(),
  );
  return ok(pageOf(rows.map(commentRow), limit, (c) => [BigInt(c.id)]));
}

/** Items in public input now (methodology proposals and PDDs), with their last day, by id. */
export async function itemsInPublicInput(db: Db, request: PageRequest) {
  const after = afterKey(request, ['text']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  const rows = await db.read((k) =>
    k
      .selectFrom('cycle_items')
      .select(['id', 'machine', 'partnership', 'due_date', 'data'])
      .where('state', '=', 'public_input')
      .where(keyAfter(['id'], after.value))
      .orderBy('id')
      .limit(limit + 1)
      .execute(),
  );
  const items = rows.map((r) => ({
    id: r.id,
    machine: r.machine,
    partnership: r.partnership,
    dueDate: r.due_date === null ? null : civilDateOf(r.due_date),
    data: r.data,
  }));
  return ok(pageOf(items, limit, (i) => [i.id]));
}
