// The wire form of a signed message between deployments (issue 16): JSON, with the sequence number
// as a decimal string; read strictly at the receiving edge, written by the delivery worker.
import { z } from 'zod';
import {
  bodyText,
  deploymentIdPattern,
  keyIdPattern,
  messageKinds,
  type MessageKind,
  type SignedMessage,
} from '../core/federation/messages.ts';
import type { Json } from '../core/shared/canonical-json.ts';
import { parseIdempotencyKey, parseRegistryId } from '../core/shared/ids.ts';
import { jsonDepthAtMost } from '../core/shared/json-depth.ts';
import { serialMax } from '../core/shared/limits.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import { parseInput } from './parse-input.ts';

/** The path at which a deployment receives messages. */
export const messagesPath = '/api/v1/federation/messages';

/** How deep a message's body may nest (its canonical JSON is computed recursively). */
export const messageBodyDepthMax = 32;

/** A deployment's id, in a message and in the federation file. */
export const deploymentIdSchema = z
  .string()
  .regex(deploymentIdPattern, 'lowercase letters, digits, -');

/** A signing key's id, in a message and in the federation file. */
export const keyIdSchema = z.string().regex(keyIdPattern, '1-64 of [A-Za-z0-9._:-]');

/** A registry's id, in the federation file and in a checkpoint. */
export const registryIdSchema = z
  .string()
  .refine((s) => parseRegistryId(s).ok, 'a registry id such as JP');

const int8Max = 9_223_372_036_854_775_807n;

/** A sequence number from 1 (of a link's messages, of a chain's journal) as a decimal string. */
export const sequenceSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/)
  .transform((s) => BigInt(s))
  .refine((n) => n <= int8Max, 'at most 2^63 - 1');

/**
 * A whole number from 0 to 2^63 - 1 (an int8 column: a quantity, a serial, a count) as a decimal
 * string, in a message body, a checkpoint and a public export.
 */
export const int8TextSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})$/)
  .transform((s) => BigInt(s))
  .refine((n) => n <= int8Max, 'at most 2^63 - 1');

/**
 * A serial number as a decimal string, within the ledger's own limit (core/shared/limits.ts): a peer's
 * serials reach the same tables, and a value the database cannot hold must be refused here.
 */
export const serialSchema = int8TextSchema.refine(
  (n) => n >= 1n && n <= serialMax,
  `from 1 to ${serialMax}`,
);

/** A range of serial numbers, `{ first, last }` (whether it runs forwards is the receiver's rule). */
export const serialsSchema = z.object({ first: serialSchema, last: serialSchema }).strict();

/** A journal entry's hash: SHA-256 as 64 lowercase hexadecimal digits. */
export const entryHashSchema = z.string().regex(/^[0-9a-f]{64}$/);

const wireSchema = z
  .object({
    envelope: z
      .object({
        version: z.literal(1),
        sender: deploymentIdSchema,
        receiver: deploymentIdSchema,
        sequence: sequenceSchema,
        idempotencyKey: z
          .string()
          .refine((s) => parseIdempotencyKey(s).ok, '1-128 of [A-Za-z0-9._:-]'),
        kind: z.enum(messageKinds as [MessageKind, ...MessageKind[]]),
        writtenAt: z.string().datetime({ offset: true }),
        body: z.unknown(),
      })
      .strict(),
    keyId: keyIdSchema,
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'an Ed25519 signature, base64'),
  })
  .strict();

/** The wire form of a signed message (JSON: the sequence number as a decimal string). */
export function parseSignedMessage(input: unknown): Result<SignedMessage> {
  const parsed = parseInput(wireSchema, input, 'message_malformed');
  if (!parsed.ok) return parsed;
  const body = parsed.value.envelope.body;
  if (body === undefined || !jsonDepthAtMost(body, messageBodyDepthMax))
    return reject(
      'message_malformed',
      `the body is missing or nests deeper than ${messageBodyDepthMax}`,
    );
  if (!hasCanonicalText(body as Json))
    return reject('message_malformed', 'the body holds a number JSON cannot carry (±∞)');
  return ok({
    envelope: { ...parsed.value.envelope, body: body as Json },
    keyId: parsed.value.keyId,
    signature: parsed.value.signature,
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
