// A receiving deployment's decision on a signed message (core/federation/receive.ts) with real Ed25519
// keys: every refusal the issue names (wrong receiver, unknown sender or key, an expired or rotated
// key, a bad signature, a reused number, a body that does not match its idempotency key), a gap held,
// a resend acknowledged again, and a key rotation with its overlap.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyText, type MessageEnvelope } from '../../../src/core/federation/messages.ts';
import {
  decideReceipt,
  type AppliedMessage,
  type Peer,
  type ReceiptInput,
} from '../../../src/core/federation/receive.ts';
import type { Json } from '../../../src/core/shared/canonical-json.ts';
import {
  newDeploymentKeyPair,
  signEnvelope,
  verifyEd25519,
} from '../../../src/services/federation-signatures.ts';

const oldKey = newDeploymentKeyPair();
const newKey = newDeploymentKeyPair();
const stranger = newDeploymentKeyPair();
const jc: Peer = {
  id: 'jp',
  keys: [
    {
      keyId: 'jp-2026',
      publicKey: oldKey.publicKey,
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: '2027-01-01T00:00:00Z',
    },
    { keyId: 'jp-2027', publicKey: newKey.publicKey, validFrom: '2026-12-01T00:00:00Z' },
  ],
};
const body: Json = { decision: 'JC-IN-2026-001', line: 2, first: '101', last: '150' };
const envelope = (sequence: bigint, over: Partial<MessageEnvelope> = {}): MessageEnvelope => ({
  version: 1,
  sender: 'jp',
  receiver: 'in',
  sequence,
  idempotencyKey: `issuance:JC-IN-2026-001:${sequence}`,
  kind: 'issuance_notification',
  writtenAt: '2026-12-02T10:00:00Z',
  body,
  ...over,
});
const hashOf = (b: Json) => createHash('sha256').update(bodyText(b)).digest('hex');

function input(over: Partial<ReceiptInput> = {}): ReceiptInput {
  const message = signEnvelope(envelope(1n), 'jp-2026', oldKey.privateKey);
  return {
    message,
    self: 'in',
    peer: jc,
    next: 1n,
    atSequence: undefined,
    withKey: undefined,
    bodyHash: hashOf(message.envelope.body),
    now: '2026-12-02T10:00:01Z',
    verify: verifyEd25519,
    ...over,
  };
}
const codeOf = (i: ReceiptInput) => {
  const r = decideReceipt(i);
  return r.ok ? r.value.kind : r.error.code;
};

describe('a deployment receiving a signed message', () => {
  it('applies the awaited message of a registered peer signed with a valid key', () => {
    expect(decideReceipt(input())).toEqual({ ok: true, value: { kind: 'apply' } });
  });

  it('refuses a message for another deployment, from an unknown sender or with an unknown key id', () => {
    const other = signEnvelope(envelope(1n, { receiver: 'th' }), 'jp-2026', oldKey.privateKey);
    expect(codeOf(input({ message: other }))).toBe('message_wrong_receiver');
    const fromKh = signEnvelope(envelope(1n, { sender: 'kh' }), 'jp-2026', oldKey.privateKey);
    expect(codeOf(input({ message: fromKh }))).toBe('message_sender_unknown');
    expect(codeOf(input({ peer: undefined }))).toBe('message_sender_unknown');
    const unknownKey = signEnvelope(envelope(1n), 'jp-1999', oldKey.privateKey);
    expect(codeOf(input({ message: unknownKey }))).toBe('message_key_unknown');
  });

  it('refuses a tampered body, a signature by another key under a registered id, and garbage', () => {
    const signed = signEnvelope(envelope(1n), 'jp-2026', oldKey.privateKey);
    const tampered = {
      ...signed,
      envelope: { ...signed.envelope, body: { ...(body as object), last: '151' } },
    };
    expect(codeOf(input({ message: tampered }))).toBe('message_signature_invalid');
    const forged = signEnvelope(envelope(1n), 'jp-2026', stranger.privateKey);
    expect(codeOf(input({ message: forged }))).toBe('message_signature_invalid');
    for (const signature of ['', 'AAAA', 'x'.repeat(200), signed.signature.slice(0, -4)])
      expect(codeOf(input({ message: { ...signed, signature } }))).toBe(
        'message_signature_invalid',
      );
    expect(verifyEd25519('not a key', 'text', signed.signature)).toBe(false);
  });

  it('takes both keys while a rotation overlaps, and the old one no longer after its end', () => {
    const byNew = signEnvelope(envelope(1n), 'jp-2027', newKey.privateKey);
    expect(codeOf(input({ message: byNew }))).toBe('apply');
    expect(codeOf(input())).toBe('apply');
    expect(codeOf(input({ now: '2027-01-01T00:00:00Z' }))).toBe('message_key_expired');
    expect(codeOf(input({ message: byNew, now: '2027-06-01T00:00:00Z' }))).toBe('apply');
    expect(codeOf(input({ message: byNew, now: '2026-11-30T23:59:59Z' }))).toBe(
      'message_key_expired',
    );
  });

  it('holds a message after a gap, naming the number it awaits', () => {
    const third = signEnvelope(envelope(3n), 'jp-2026', oldKey.privateKey);
    expect(decideReceipt(input({ message: third, next: 2n }))).toEqual({
      ok: true,
      value: { kind: 'hold', expected: 2n },
    });
  });

  it('acknowledges a resend again, and refuses a replay or a reuse of a number or key', () => {
    const message = signEnvelope(envelope(1n), 'jp-2026', oldKey.privateKey);
    const applied: AppliedMessage = {
      sequence: 1n,
      idempotencyKey: message.envelope.idempotencyKey,
      bodyHash: hashOf(body),
    };
    expect(codeOf(input({ next: 2n, atSequence: applied, withKey: applied }))).toBe('acknowledge');
    // Number 1 applied with another key: a replay of an old message, or a forged one.
    const otherKey = { ...applied, idempotencyKey: 'issuance:other' };
    expect(codeOf(input({ next: 2n, atSequence: otherKey }))).toBe('message_sequence_reused');
    // The key applied with another body: refused, whatever the number.
    const otherBody = { ...applied, bodyHash: hashOf({ decision: 'JC-IN-2026-001' }) };
    expect(codeOf(input({ next: 2n, atSequence: otherBody, withKey: otherBody }))).toBe(
      'message_idempotency_conflict',
    );
    const later = signEnvelope(
      envelope(5n, { idempotencyKey: applied.idempotencyKey }),
      'jp-2026',
      oldKey.privateKey,
    );
    expect(codeOf(input({ message: later, next: 5n, withKey: applied }))).toBe(
      'message_idempotency_conflict',
    );
    // Below the awaited number with no record of it.
    expect(codeOf(input({ next: 2n }))).toBe('message_sequence_reused');
  });
});
