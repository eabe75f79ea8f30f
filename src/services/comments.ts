// Public comments on the one pipeline: anyone (no account) comments on a methodology proposal or a PDD
// while its public input period runs, a few times a minute per address; the secretariat of the item's
// partnership publishes or rejects each comment. The item and the comment are read under lock in the
// write's transaction; the period and the secretariat's role are decided on them, never on the request.
import { z } from 'zod';
import {
  commentLimits,
  decideComment,
  decideModeration,
  type CommentedItem,
  type StoredComment,
} from '../core/cycle/comments.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { dateOfClock, instantMillis } from '../core/shared/civil-date.ts';
import { hasControlCharacter } from '../core/shared/control-characters.ts';
import type { Page, PageRequest } from '../core/shared/page.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import {
  commentedItem,
  insertComment,
  itemsInPublicInput,
  lockComment,
  moderateComment,
  publishedComments,
  submittedComments,
  type CommentRow,
} from '../db/comment-store.ts';
import type { Db } from '../db/connect.ts';
import { parseInput } from './parse-input.ts';
import type { Outcome, WriteEnvelope, WriteFamily, WritePipeline } from './write-pipeline.ts';

const itemId = z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, 'a cycle item id');
/** Text of a person: trimmed, bounded; line breaks only where a comment's text has paragraphs. */
const line = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((t) => !/[\r\n\t]/.test(t), 'one line');

export const commentSchema = z
  .object({
    item: itemId,
    name: line(1, commentLimits.name),
    affiliation: line(0, commentLimits.affiliation).default(''),
    text: z.string().trim().min(1).max(commentLimits.text),
  })
  .strict();
export type CommentInput = z.output<typeof commentSchema>;

export const moderationSchema = z
  .object({
    comment: z.string().regex(/^[1-9][0-9]{0,17}$/, 'a comment id'),
    verdict: z.enum(['publish', 'reject']),
  })
  .strict();
export type ModerationInput = z.output<typeof moderationSchema>;

/** Comments one address may send in a minute, and addresses remembered at once. */
export const commentsPerMinuteMax = 5;
const addressesTrackedMax = 10_000;

function parseComment(raw: unknown): Result<CommentInput> {
  const parsed = parseInput(commentSchema, raw);
  if (!parsed.ok) return parsed;
  const { name, affiliation, text } = parsed.value;
  // The edge refuses control characters already; the service holds the same rule for every caller.
  if ([name, affiliation, text].some(hasControlCharacter))
    return reject('control_character_refused', 'a comment holds a control character');
  return parsed;
}

const submission: WriteFamily<CommentInput, CommentedItem | null, CommentInput, { id: string }> = {
  name: 'comment',
  keyRequired: false,
  parse: async (input) => parseComment(input),
  load: (tx, parsed) => commentedItem(tx, parsed.item),
  decide: (item, parsed, _actor, ctx) => {
    const decided = decideComment(item, parsed.item, dateOfClock(ctx.now));
    return decided.ok ? ok(parsed) : decided;
  },
  persist: async (tx, comment, _parsed, _actor, ctx) => {
    const id = await insertComment(tx, comment, ctx.now);
    return ok({
      answer: { id },
      outbox: [{ topic: 'comment.submitted', payload: { id, item: comment.item } }],
    });
  },
};

const moderation: WriteFamily<
  ModerationInput,
  StoredComment | null,
  { readonly comment: StoredComment; readonly verdict: ModerationInput['verdict'] },
  { id: string; item: string; state: string }
> = {
  name: 'comment_moderation',
  keyRequired: true,
  parse: async (input) => parseInput(moderationSchema, input),
  load: (tx, parsed) => lockComment(tx, BigInt(parsed.comment)),
  decide: (comment, parsed, actor) => {
    const decided = decideModeration(comment, BigInt(parsed.comment), actor);
    return decided.ok ? ok({ comment: decided.value, verdict: parsed.verdict }) : decided;
  },
  persist: async (tx, { comment, verdict }, _parsed, actor, ctx) => {
    const state = verdict === 'publish' ? 'published' : 'rejected';
    await moderateComment(tx, comment.id, state, actor.id, ctx.now);
    const answer = { id: comment.id.toString(), item: comment.item, state };
    return ok({ answer, outbox: [{ topic: 'comment.moderated', payload: answer }] });
  },
};

const anonymous: Actor = { id: 'anonymous', roles: [] };

export class Comments {
  private readonly sent = new Map<string, { minute: number; count: number }>();

  constructor(
    private readonly pipeline: WritePipeline,
    private readonly db: Db,
    private readonly clock: () => string,
  ) {}

  /** A comment from anyone, from an address (the rate limit's key); `input: {item, name, affiliation, text}`. */
  async submit(
    input: unknown,
    address: string,
    idempotencyKey?: string,
  ): Promise<Outcome<{ id: string }>> {
    if (!this.withinRateLimit(address))
      return reject(
        'comment_rate_limited',
        `at most ${commentsPerMinuteMax} comments a minute from one address; wait a minute`,
      );
    return this.pipeline.run(submission, { actor: anonymous, idempotencyKey, input });
  }

  /** The secretariat publishes or rejects a comment (`input: {comment, verdict}`). */
  moderate(envelope: WriteEnvelope): Promise<Outcome<{ id: string; item: string; state: string }>> {
    return this.pipeline.run(moderation, envelope);
  }

  /**
   * Methodology proposals and PDDs in public input now, with the last day of their period, by id.
   */
  openItems(request: PageRequest = {}) {
    return itemsInPublicInput(this.db, request);
  }

  /** An item's published comments, oldest first, a page at a time. */
  published(item: string, request: PageRequest = {}): Promise<Result<Page<CommentRow>>> {
    return publishedComments(this.db, item, request);
  }

  /**
   * The comments awaiting the moderation of the secretariats the actor sits in, a page at a time.
   */
  awaiting(actor: Actor, request: PageRequest = {}): Promise<Result<Page<CommentRow>>> {
    const partnerships = actor.roles.flatMap((r) =>
      r.kind === 'secretariat' ? [r.partnership] : [],
    );
    return submittedComments(this.db, partnerships, request);
  }

  private withinRateLimit(address: string): boolean {
    const minute = Math.floor((instantMillis(this.clock()) ?? 0) / 60_000);
    const seen = this.sent.get(address);
    const count = seen?.minute === minute ? seen.count + 1 : 1;
    this.sent.set(address, { minute, count });
    if (this.sent.size > addressesTrackedMax) {
      for (const [key, value] of this.sent) if (value.minute !== minute) this.sent.delete(key);
      if (this.sent.size > addressesTrackedMax) this.sent.clear();
    }
    return count <= commentsPerMinuteMax;
  }
}
