// What a receiving deployment does with a signed message, decided without I/O: the adapter loads what
// the decision needs (the sender's registered keys, the link's next awaited sequence number, and the
// applied messages with the same sequence number or idempotency key), verifies nothing itself and
// passes the Ed25519 check in as a function (node:crypto in src/services), like the journal's hash.
//
// The order of the checks is the order of trust: who it is for, who sent it, with which key, whether
// the signature holds; only a message that is authentic is then placed on its link. A message at the
// awaited number is applied (through the write pipeline, acknowledged after commit); one already
// applied, identical, is acknowledged again (a resend after a lost acknowledgement); one further on is
// held until the gap is filled; anything else that reuses a number or a key is refused.
import { reject, ok, type Result } from '../shared/result.ts';
import { signingText, type DeploymentId, type SignedMessage } from './messages.ts';

export interface PeerKey {
  readonly keyId: string;
  /** The Ed25519 public key (SPKI DER, base64): what the peer published for this key id. */
  readonly publicKey: string;
  /** From when the key signs (ISO 8601); a rotated-out key carries the time it stops. */
  readonly validFrom: string;
  readonly validUntil?: string;
}

export interface Peer {
  readonly id: DeploymentId;
  readonly keys: readonly PeerKey[];
}

/** A message applied on a link, as the receiver recorded it. */
export interface AppliedMessage {
  readonly sequence: bigint;
  readonly idempotencyKey: string;
  /** SHA-256 of the body's canonical JSON (messages.ts `bodyText`). */
  readonly bodyHash: string;
}

export interface ReceiptInput {
  readonly message: SignedMessage;
  /** The receiving deployment. */
  readonly self: DeploymentId;
  /** The sender's registration, if the sender is a registered peer. */
  readonly peer: Peer | undefined;
  /** The next sequence number awaited on the link from the sender (1 before the first). */
  readonly next: bigint;
  /** The applied message with the message's sequence number, if any. */
  readonly atSequence: AppliedMessage | undefined;
  /** The applied message with the message's idempotency key, if any. */
  readonly withKey: AppliedMessage | undefined;
  readonly bodyHash: string;
  /** The time of receipt (ISO 8601): the key must be valid then. */
  readonly now: string;
  readonly verify: (publicKey: string, text: string, signature: string) => boolean;
}

/** apply: the awaited message; acknowledge: applied already, identical; hold: after a gap. */
export type Receipt =
  | { readonly kind: 'apply' }
  | { readonly kind: 'acknowledge' }
  | { readonly kind: 'hold'; readonly expected: bigint };

export function decideReceipt(input: ReceiptInput): Result<Receipt> {
  const authentic = authenticate(input);
  return authentic.ok ? place(input) : authentic;
}

/** What authenticity needs: no state of the link (the adapter checks it before taking the link's lock). */
export type AuthenticityInput = Pick<ReceiptInput, 'message' | 'self' | 'peer' | 'now' | 'verify'>;

/** Whether the message is for this deployment and signed by a valid key of its registered sender. */
export function authenticate(input: AuthenticityInput): Result<void> {
  const { envelope } = input.message;
  if (envelope.receiver !== input.self)
    return reject('message_wrong_receiver', `the message is for ${envelope.receiver}`);
  const peer = input.peer;
  if (peer === undefined || peer.id !== envelope.sender)
    return reject('message_sender_unknown', `${envelope.sender} is not a registered peer`);
  const key = peer.keys.find((k) => k.keyId === input.message.keyId);
  if (key === undefined)
    return reject('message_key_unknown', `${peer.id} has no registered key ${input.message.keyId}`);
  if (!validAt(key, input.now))
    return reject('message_key_expired', `key ${key.keyId} of ${peer.id} is not valid now`);
  if (!input.verify(key.publicKey, signingText(envelope), input.message.signature))
    return reject('message_signature_invalid', `the signature does not verify with ${key.keyId}`);
  return ok(undefined);
}

/** Where an authentic message stands on its link. */
function place(input: ReceiptInput): Result<Receipt> {
  const { envelope } = input.message;
  const same = (applied: AppliedMessage) =>
    applied.sequence === envelope.sequence &&
    applied.idempotencyKey === envelope.idempotencyKey &&
    applied.bodyHash === input.bodyHash;
  if (input.withKey !== undefined && !same(input.withKey))
    return reject(
      'message_idempotency_conflict',
      `idempotency key ${envelope.idempotencyKey} was applied as message ${input.withKey.sequence} with another body or number`,
    );
  if (input.atSequence !== undefined)
    return same(input.atSequence)
      ? ok({ kind: 'acknowledge' })
      : reject(
          'message_sequence_reused',
          `message ${envelope.sequence} of ${envelope.sender} was applied with another key or body`,
        );
  if (envelope.sequence < input.next)
    // Below the awaited number but not recorded: the receiver's record says it was applied.
    return reject(
      'message_sequence_reused',
      `message ${envelope.sequence} of ${envelope.sender} is before the awaited ${input.next}`,
    );
  if (envelope.sequence > input.next) return ok({ kind: 'hold', expected: input.next });
  return ok({ kind: 'apply' });
}

function validAt(key: PeerKey, now: string): boolean {
  const at = Date.parse(now);
  return (
    Date.parse(key.validFrom) <= at &&
    (key.validUntil === undefined || at < Date.parse(key.validUntil))
  );
}
