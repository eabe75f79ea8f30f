// Issue 16's property: any interleaving of deliveries, duplicates, drops, reorderings and restarts
// on a link converges to what in-order delivery gives, every message applied exactly once and in
// order. The sender follows core/federation/delivery.ts (pipelined sends, acknowledgements up to n,
// gap answers, timeouts); the receiver core/federation/receive.ts, with what it applied kept across
// restarts and what it held (messages after a gap) lost by them. Signatures are not the subject
// here (receive.test.ts checks them with real keys): every message verifies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterReply,
  firstDelivery,
  type DeliveryReply,
  type LinkDelivery,
} from '../../../src/core/federation/delivery.ts';
import type { SignedMessage } from '../../../src/core/federation/messages.ts';
import {
  decideReceipt,
  type AppliedMessage,
  type Peer,
} from '../../../src/core/federation/receive.ts';

const peer: Peer = {
  id: 'jp',
  keys: [{ keyId: 'k', publicKey: 'p', validFrom: '2026-01-01T00:00:00Z' }],
};
const message = (sequence: bigint): SignedMessage => ({
  envelope: {
    version: 1,
    sender: 'jp',
    receiver: 'in',
    sequence,
    idempotencyKey: `m-${sequence}`,
    kind: 'issuance_notification',
    writtenAt: '2026-12-02T10:00:00Z',
    body: { n: String(sequence) },
  },
  keyId: 'k',
  signature: 'ok',
});

class Receiver {
  next = 1n;
  readonly applied = new Map<bigint, AppliedMessage>();
  readonly log: bigint[] = [];
  held = new Map<bigint, SignedMessage>();

  receive(m: SignedMessage): DeliveryReply {
    const e = m.envelope;
    const applied = this.applied.get(e.sequence);
    const decision = decideReceipt({
      message: m,
      self: 'in',
      peer,
      next: this.next,
      atSequence: applied,
      withKey: [...this.applied.values()].find((a) => a.idempotencyKey === e.idempotencyKey),
      bodyHash: JSON.stringify(e.body),
      now: '2026-12-02T10:00:00Z',
      verify: (_key, _text, signature) => signature === 'ok',
    });
    if (!decision.ok) return { kind: 'refused', sequence: e.sequence, code: decision.error.code };
    switch (decision.value.kind) {
      case 'acknowledge':
        return { kind: 'acknowledged', sequence: this.next - 1n };
      case 'hold':
        this.held.set(e.sequence, m);
        return { kind: 'gap', expected: decision.value.expected };
      case 'apply':
        this.apply(m);
        for (let h = this.held.get(this.next); h !== undefined; h = this.held.get(this.next)) {
          this.held.delete(this.next);
          this.apply(h);
        }
        return { kind: 'acknowledged', sequence: this.next - 1n };
    }
  }

  apply(m: SignedMessage): void {
    const e = m.envelope;
    this.applied.set(e.sequence, {
      sequence: e.sequence,
      idempotencyKey: e.idempotencyKey,
      bodyHash: JSON.stringify(e.body),
    });
    this.log.push(e.sequence);
    this.next = e.sequence + 1n;
  }
}

type Step =
  | { kind: 'send' }
  | { kind: 'deliver'; pick: number; duplicate: boolean; dropReply: boolean }
  | { kind: 'drop'; pick: number }
  | { kind: 'timeout' }
  | { kind: 'restart_receiver' }
  | { kind: 'restart_sender' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant({ kind: 'send' as const }),
  fc.record({
    kind: fc.constant('deliver' as const),
    pick: fc.nat(),
    duplicate: fc.boolean(),
    dropReply: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  fc.constant({ kind: 'timeout' as const }),
  fc.constant({ kind: 'restart_receiver' as const }),
  fc.constant({ kind: 'restart_sender' as const }),
);

function run(total: bigint, steps: readonly Step[]): Receiver {
  const receiver = new Receiver();
  let link: LinkDelivery = firstDelivery;
  const wire: SignedMessage[] = [];
  const act = (s: Step) => {
    switch (s.kind) {
      case 'send':
        if (link.next <= total) {
          wire.push(message(link.next));
          link = { ...link, next: link.next + 1n };
        }
        break;
      case 'deliver': {
        if (wire.length === 0) break;
        const at = s.pick % wire.length;
        const m = wire[at] as SignedMessage;
        if (!s.duplicate) wire.splice(at, 1);
        const reply = receiver.receive(m);
        if (!s.dropReply) link = afterReply(link, reply);
        break;
      }
      case 'drop':
        if (wire.length > 0) wire.splice(s.pick % wire.length, 1);
        break;
      case 'timeout':
        link = afterReply(link, { kind: 'unreachable' });
        break;
      case 'restart_receiver':
        receiver.held = new Map();
        break;
      case 'restart_sender':
        // The outbox keeps what was acknowledged; the worker starts again after it.
        link = { acknowledged: link.acknowledged, next: link.acknowledged + 1n, attempts: 0 };
        break;
    }
  };
  for (const s of steps) act(s);
  // Then the network heals: the worker times out, resends in order and every reply arrives.
  for (let round = 0; link.acknowledged < total && round < 10 * Number(total) + 10; round++) {
    expect(link.stoppedBy).toBeUndefined();
    act({ kind: 'timeout' });
    wire.length = 0;
    while (link.next <= total) act({ kind: 'send' });
    while (wire.length > 0) act({ kind: 'deliver', pick: 0, duplicate: false, dropReply: false });
  }
  expect(link.acknowledged).toBe(total);
  return receiver;
}

describe('a link between two deployments', () => {
  it('applies every message exactly once and in order, whatever the network did', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(step, { maxLength: 120 }),
        (n, steps) => {
          const total = BigInt(n);
          const receiver = run(total, steps);
          const inOrder = Array.from({ length: n }, (_, i) => BigInt(i + 1));
          expect(receiver.log).toEqual(inOrder);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is what in-order delivery gives when nothing goes wrong', () => {
    const steps: Step[] = [];
    for (let i = 0; i < 5; i++)
      steps.push(
        { kind: 'send' },
        { kind: 'deliver', pick: 0, duplicate: false, dropReply: false },
      );
    expect(run(5n, steps).log).toEqual([1n, 2n, 3n, 4n, 5n]);
  });
});
