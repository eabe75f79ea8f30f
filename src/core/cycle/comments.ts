// Public comments on a methodology proposal or a PDD during its public input period (15 and 30 days,
// definition.ts): anyone may comment while the period runs; the secretariat of the item's partnership
// publishes or rejects each comment once. Both decisions are taken on the stored item and comment.
import type { Actor } from '../ledger/actor.ts';
import {
  dayNumber,
  formatCivilDate,
  parseCivilDate,
  type CivilDate,
} from '../shared/civil-date.ts';
import { ok, reject, type Result } from '../shared/result.ts';

/** Bounds of a comment's parts (characters). */
export const commentLimits = { name: 200, affiliation: 200, text: 4000 } as const;

export interface CommentedItem {
  readonly id: string;
  readonly machine: string;
  readonly partnership: string;
  readonly state: string;
  /** The last day of the public input period (the item's due date while in public input). */
  readonly dueDate: string | null;
}

export type CommentState = 'submitted' | 'published' | 'rejected';

export interface StoredComment {
  readonly id: bigint;
  readonly item: string;
  readonly partnership: string;
  readonly state: CommentState;
}

/** A comment is taken while the item's public input period runs, on its last day included. */
export function decideComment(
  item: CommentedItem | null,
  id: string,
  today: CivilDate,
): Result<true> {
  if (item === null) return reject('cycle_item_not_found', `no cycle item ${id}`);
  const open =
    (item.machine === 'methodology' || item.machine === 'project') && item.state === 'public_input';
  const last = item.dueDate === null ? null : parseCivilDate(item.dueDate);
  if (!open || last === null)
    return reject(
      'comment_outside_public_input',
      `${item.id} is not open for public input (it is ${item.state.replaceAll('_', ' ')})`,
    );
  if (dayNumber(today) > dayNumber(last))
    return reject(
      'comment_outside_public_input',
      `the public input period of ${item.id} ended on ${formatCivilDate(last)}`,
    );
  return ok(true);
}

/** The secretariat of the comment's partnership publishes or rejects a comment not yet moderated. */
export function decideModeration(
  comment: StoredComment | null,
  id: bigint,
  actor: Actor,
): Result<StoredComment> {
  if (comment === null) return reject('comment_not_found', `no comment ${id}`);
  const secretariat = actor.roles.some(
    (r) => r.kind === 'secretariat' && r.partnership === comment.partnership,
  );
  if (!secretariat)
    return reject(
      'cycle_role_not_allowed',
      `only the secretariat of ${comment.partnership} moderates the comments on ${comment.item}`,
    );
  if (comment.state !== 'submitted')
    return reject('comment_already_moderated', `comment ${id} is already ${comment.state}`);
  return ok(comment);
}
