// Messages between deployments (issue 16, SPEC section 8): India's registry and Japan's may run on
// their own infrastructure, and the Joint Committee's decisions, the issuances they cause and the
// Article 6.2 records reach the other side as signed messages. A message travels on a link (one
// sender, one receiver) with a sequence number that link gives it, starting at 1, and an idempotency
// key; its envelope is signed with the sender's Ed25519 key over the envelope's canonical JSON. The
// receiver applies each message once, in the link's order (receive.ts).
import { canonicalJson, type Json } from '../shared/canonical-json.ts';

/** What a message reports; its body's shape is the kind's (checked at the edge that receives it). */
export type MessageKind =
  | 'issuance_notification'
  | 'issuance_confirmation'
  | 'authorisation_record'
  | 'first_transfer_record'
  | 'account_record';

export const messageKinds: readonly MessageKind[] = [
  'issuance_notification',
  'issuance_confirmation',
  'authorisation_record',
  'first_transfer_record',
  'account_record',
];

/** A deployment's name among its peers, e.g. `jp` or `in` (lowercase letters, digits, hyphens). */
export type DeploymentId = string;

/** What a deployment id may be: a lowercase letter, then up to 31 lowercase letters, digits or `-`. */
export const deploymentIdPattern = /^[a-z][a-z0-9-]{0,31}$/;

/** What a signing key's id may be (it names the key among a deployment's keys, rotated in turn). */
export const keyIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;

export interface MessageEnvelope {
  readonly version: 1;
  readonly sender: DeploymentId;
  readonly receiver: DeploymentId;
  /** The place of the message on its link (sender to receiver), from 1, without gaps. */
  readonly sequence: bigint;
  /** Names what the message reports (e.g. the decision and line), so that a resend is recognised. */
  readonly idempotencyKey: string;
  readonly kind: MessageKind;
  /** When the sender wrote the message to its outbox (ISO 8601, UTC). */
  readonly writtenAt: string;
  readonly body: Json;
}

export interface SignedMessage {
  readonly envelope: MessageEnvelope;
  /** Which of the sender's keys signed it (keys rotate: several may be valid for a while). */
  readonly keyId: string;
  /** Ed25519 signature of `signingText(envelope)`, base64. */
  readonly signature: string;
}

/** The text a signature covers: the envelope's canonical JSON (sorted keys, bigints as strings). */
export function signingText(envelope: MessageEnvelope): string {
  return canonicalJson(envelope as unknown as Json);
}

/** The canonical JSON of a body, whose hash binds a message's idempotency key to what it says. */
export function bodyText(body: Json): string {
  return canonicalJson(body);
}
