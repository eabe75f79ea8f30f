// A peer's Article 6.2 record that this deployment's ledger refuses for its content (issue 16): the
// sender could not check it (the authorisation's current version, its cap and what it covers are
// kept here), so the message is applied as a refusal: kept in `article6_records_refused`,
// acknowledged, and told back to the sender as an `authorisation_record` of kind `refusal`, written
// to the outbox in the same transaction. The sender marks its forwarded record refused. The link
// goes on; a refusal of who may record it, or of the message itself, still stops it.
import { z } from 'zod';
import { isContentRefusal } from '../core/federation/article6-records.ts';
import { bodyText, type SignedMessage } from '../core/federation/messages.ts';
import type { Rejection, Result } from '../core/shared/result.ts';
import { ok, reject } from '../core/shared/result.ts';
import type { Tx } from '../db/connect.ts';
import { markForwardedRefused, recordRefusal } from '../db/article6-records-store.ts';
import { enqueueMessage } from '../db/federation-store.ts';
import { sequenceSchema } from './federation-wire.ts';
import { parseInput } from './parse-input.ts';

const refusalSchema = z
  .object({
    kind: z.literal('refusal'),
    /** The refused record's number on the link from the deployment told to this one. */
    sequence: sequenceSchema,
    // Only a refusal of content is told back (isContentRefusal): a peer cannot mark a record here
    // refused with a code its ledger never answers a peer's record with.
    code: z
      .string()
      .regex(/^[a-z0-9_]{1,64}$/)
      .refine(isContentRefusal, 'a refusal of the content of a record (article6_...)'),
    message: z.string().max(1000),
  })
  .strict();

/** Whether a body is a refusal (the other kinds of `authorisation_record` are records). */
export function isRefusal(body: unknown): boolean {
  return (
    typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'refusal'
  );
}

/** Keeps the refusal of `message` and tells its sender, in the transaction that applies it. */
export async function refuseRecord(
  tx: Tx,
  message: SignedMessage,
  refusal: Rejection,
  now: string,
): Promise<void> {
  const { sender, sequence } = message.envelope;
  const text = refusal.message.slice(0, 1000);
  await recordRefusal(tx, { peer: sender, sequence, code: refusal.code, message: text }, now);
  await enqueueMessage(
    tx,
    {
      receiver: sender,
      kind: 'authorisation_record',
      idempotencyKey: `a6-refusal:${sequence}`,
      body: bodyText({
        kind: 'refusal',
        sequence: sequence.toString(),
        code: refusal.code,
        message: text,
      }),
    },
    now,
  );
}

/** A peer's refusal of a record forwarded to it: the record is marked refused here. */
export async function applyRefusal(
  tx: Tx,
  message: SignedMessage,
  now: string,
): Promise<Result<void>> {
  const body = parseInput(refusalSchema, message.envelope.body, 'message_body_invalid');
  if (!body.ok) return body;
  const { sequence, code, message: text } = body.value;
  const peer = message.envelope.sender;
  return (await markForwardedRefused(tx, { peer, sequence, code, message: text }, now))
    ? ok(undefined)
    : reject(
        'record_refusal_unknown',
        `${peer} refused record ${sequence}, which this deployment did not forward to it (or was told of already)`,
      );
}
