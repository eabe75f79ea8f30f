// Receiving a signed message from a peer deployment (issue 16), as one write of the pipeline: parse
// the wire form; in one transaction check its signature against the sender's keys (from this
// deployment's configuration, never from the message), then lock the link from the sender and load
// the applied messages the message could repeat; decide (core/federation/receive.ts); persist: apply the message through its kind's
// applier, record it, and apply the messages held after it whose turn has come; answer after the
// commit. A message after a gap is kept and answered with the number awaited. Nothing in the
// message decides who may send it: its signature does, against the key the configuration registers.
import {
  authenticate,
  decideReceipt,
  type ReceiptInput,
  type Receipt,
} from '../core/federation/receive.ts';
import { bodyText, type MessageKind, type SignedMessage } from '../core/federation/messages.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Tx } from '../db/connect.ts';
import {
  appliedMatching,
  heldAt,
  holdMessage,
  inSavepoint,
  lockIncomingLink,
  recordApplied,
  type ReceivedMessage,
} from '../db/federation-store.ts';
import { sha256Hex } from '../db/sha256.ts';
import type { FederationConfig } from './federation-config.ts';
import { verifyEd25519 } from './federation-signatures.ts';
import { parseSignedMessage, wireOf } from './federation-wire.ts';
import type { WriteContext, WriteFamily, WritePipeline } from './write-pipeline.ts';

/** Applies one kind of message in the receipt's transaction; a rejection applies nothing. */
export type MessageApplier = (
  tx: Tx,
  message: SignedMessage,
  ctx: WriteContext,
) => Promise<Result<void>>;

export type MessageAppliers = Partial<Record<MessageKind, MessageApplier>>;

/** How far past the awaited number a message is held; one further on is answered alike, not kept. */
export const heldWindow = 1000n;

/** What the receiver answers: the highest number applied on the link, or the number awaited. */
export type ReceiptAnswer =
  | { readonly outcome: 'applied' | 'acknowledged'; readonly acknowledged: bigint }
  | {
      readonly outcome: 'held';
      readonly expected: bigint;
      /** Whether the message was kept (within `heldWindow` of the awaited number). */
      readonly kept: boolean;
    };

/** What the decision reads besides the message, the time and the signature check. */
type ReceiptState = Omit<ReceiptInput, 'message' | 'now' | 'verify'>;

const receivedOf = (message: SignedMessage, bodyHash: string): ReceivedMessage => ({
  sender: message.envelope.sender,
  sequence: message.envelope.sequence,
  idempotencyKey: message.envelope.idempotencyKey,
  kind: message.envelope.kind,
  bodyHash,
  message: JSON.stringify(wireOf(message)),
});

export class FederationReceiver {
  readonly #family: WriteFamily<SignedMessage, ReceiptState, Receipt, ReceiptAnswer>;

  constructor(
    private readonly pipeline: WritePipeline,
    private readonly config: FederationConfig,
    private readonly appliers: MessageAppliers,
  ) {
    this.#family = {
      name: 'federation_message',
      keyRequired: false,
      parse: async (input) => parseSignedMessage(input),
      load: (tx, message, _actor, ctx) => this.#load(tx, message, ctx.now),
      decide: (state, message, _actor, ctx) =>
        decideReceipt({ ...state, message, now: ctx.now, verify: verifyEd25519 }),
      persist: (tx, receipt, message, _actor, ctx) => this.#persist(tx, receipt, message, ctx),
    };
  }

  /** Receives one message (the wire form, as parsed JSON). */
  async receive(input: unknown): Promise<Result<ReceiptAnswer>> {
    const actor: Actor = { id: 'federation', roles: [] };
    return this.pipeline.run(this.#family, { actor, input });
  }

  async #load(tx: Tx, message: SignedMessage, now: string): Promise<ReceiptState> {
    const { envelope } = message;
    const peer = this.config.peers.find((p) => p.id === envelope.sender);
    const checks = { message, self: this.config.self, peer, now, verify: verifyEd25519 };
    // Only an authentic message takes the link's lock and reads it: a forged one (anyone may post)
    // neither waits behind the link's receipts nor holds them up. (decide checks it again, with the
    // link: one more Ed25519 verification, about 50 µs.)
    const authentic = authenticate(checks).ok;
    const next = authentic ? await lockIncomingLink(tx, envelope.sender) : 1n;
    const applied = authentic
      ? await appliedMatching(tx, envelope.sender, envelope.sequence, envelope.idempotencyKey)
      : { atSequence: undefined, withKey: undefined };
    return {
      self: this.config.self,
      peer,
      next,
      ...applied,
      bodyHash: sha256Hex(bodyText(envelope.body)),
    };
  }

  async #persist(
    tx: Tx,
    receipt: Receipt,
    message: SignedMessage,
    ctx: WriteContext,
  ): Promise<Result<{ answer: ReceiptAnswer; outbox: [] }>> {
    const received = receivedOf(message, sha256Hex(bodyText(message.envelope.body)));
    const sequence = message.envelope.sequence;
    if (receipt.kind === 'hold') {
      // Held within a window of the awaited number: a peer cannot fill the table with far numbers.
      const kept = sequence - receipt.expected < heldWindow;
      if (kept) await holdMessage(tx, received, ctx.now);
      return ok({ answer: { outcome: 'held', expected: receipt.expected, kept }, outbox: [] });
    }
    if (receipt.kind === 'acknowledge') {
      const next = await lockIncomingLink(tx, message.envelope.sender);
      return ok({ answer: { outcome: 'acknowledged', acknowledged: next - 1n }, outbox: [] });
    }
    const applied = await this.#apply(tx, message, received, ctx);
    if (!applied.ok) return applied;
    const last = await this.#applyHeld(tx, message.envelope.sender, sequence + 1n, ctx);
    return ok({ answer: { outcome: 'applied', acknowledged: last }, outbox: [] });
  }

  async #apply(
    tx: Tx,
    message: SignedMessage,
    received: ReceivedMessage,
    ctx: WriteContext,
  ): Promise<Result<void>> {
    const applier = this.appliers[message.envelope.kind];
    if (applier === undefined)
      return reject(
        'message_kind_unsupported',
        `this deployment does not apply ${message.envelope.kind} messages yet`,
      );
    const applied = await applier(tx, message, ctx);
    if (!applied.ok) return applied;
    await recordApplied(tx, received, ctx.now);
    return ok(undefined);
  }

  /**
   * Applies the held messages from `from` on while they follow each other; returns the last number
   * applied. A held message is authentic (its signature was checked when it came); one that its
   * applier refuses stays held, and the sender hears the refusal when it sends that number again.
   */
  async #applyHeld(tx: Tx, sender: string, from: bigint, ctx: WriteContext): Promise<bigint> {
    let sequence = from;
    for (;;) {
      const held = await heldAt(tx, sender, sequence);
      if (held === undefined) return sequence - 1n;
      const message = parseSignedMessage(JSON.parse(held.message));
      if (!message.ok) return sequence - 1n;
      const conflict = await appliedMatching(tx, sender, sequence, held.idempotencyKey);
      if (conflict.withKey !== undefined) return sequence - 1n;
      // Each held message in a savepoint: a refused one leaves what came before it applied.
      const applied = await inSavepoint(tx, () => this.#apply(tx, message.value, held, ctx));
      if (!applied.ok) return sequence - 1n;
      sequence += 1n;
    }
  }
}
