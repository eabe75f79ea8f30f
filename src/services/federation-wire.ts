// The wire form of a signed message between deployments (issue 16): JSON, with the sequence number
// as a decimal string; read strictly at the receiving edge, written by the delivery worker.
import { z } from 'zod';
import {
  bodyText,
  messageKinds,
  type MessageKind,
  type SignedMessage,
} from '../core/federation/messages.ts';
import type { Json } from '../core/shared/canonical-json.ts';
import { jsonDepthAtMost } from '../core/shared/json-depth.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';

/** The path at which a deployment receives messages. */
export const messagesPath = '/api/v1/federation/messages';

/** How deep a message's body may nest (its canonical JSON is computed recursively). */
export const messageBodyDepthMax = 32;

const wireSchema = z
  .object({
    envelope: z
      .object({
        version: z.literal(1),
        sender: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
        receiver: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
        sequence: z
          .string()
          .regex(/^[1-9][0-9]{0,18}$/)
          .transform((s) => BigInt(s))
          .refine((n) => n <= 9_223_372_036_854_775_807n, 'at most 2^63 - 1'),
        idempotencyKey: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/),
        kind: z.enum(messageKinds as [MessageKind, ...MessageKind[]]),
        writtenAt: z.string().datetime({ offset: true }),
        body: z.unknown(),
      })
      .strict(),
    keyId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'an Ed25519 signature, base64'),
  })
  .strict();

/** The wire form of a signed message (JSON: the sequence number as a decimal string). */
export function parseSignedMessage(input: unknown): Result<SignedMessage> {
  const parsed = wireSchema.safeParse(input);
  if (!parsed.success)
    return reject(
      'message_malformed',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const body = parsed.data.envelope.body;
  if (body === undefined || !jsonDepthAtMost(body, messageBodyDepthMax))
    return reject(
      'message_malformed',
      `the body is missing or nests deeper than ${messageBodyDepthMax}`,
    );
  if (!hasCanonicalText(body as Json))
    return reject('message_malformed', 'the body holds a number JSON cannot carry (±∞)');
  return ok({
    envelope: { ...parsed.data.envelope, body: body as Json },
    keyId: parsed.data.keyId,
    signature: parsed.data.signature,
  });
}

/** Whether canonical JSON can write the body: JSON.parse reads 1e400 as Infinity, which it cannot. */
function hasCanonicalText(body: Json): boolean {
  try {
    bodyText(body);
    return true;
  } catch {
    return false;
  }
}

/** The wire form of a message (what `parseSignedMessage` reads back). */
export function wireOf(message: SignedMessage): unknown {
  return {
    ...message,
    envelope: { ...message.envelope, sequence: message.envelope.sequence.toString() },
  };
}
