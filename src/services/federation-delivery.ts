// The delivery worker of messages to peer deployments (issue 16): per peer, it sends the link's
// messages from the first not acknowledged, in order, one at a time, each signed now with this
// deployment's key; it keeps what the peer answered (core/federation/delivery.ts decides what comes
// next) and waits with a growing, jittered delay after a failure. The outbox is in the database, so a
// restart of either side loses nothing: the worker starts again from the acknowledged number, and the
// receiver acknowledges again what it already applied. A refusal stops the link until an operator
// resumes it (`resumeLink`), since resending will not make the message acceptable.
import {
  afterReply,
  retryDelayMs,
  type DeliveryReply,
  type LinkDelivery,
} from '../core/federation/delivery.ts';
import type { MessageEnvelope } from '../core/federation/messages.ts';
import type { Json } from '../core/shared/canonical-json.ts';
import type { Db } from '../db/connect.ts';
import {
  outgoingFrom,
  outgoingLinks,
  saveDelivery,
  type StoredOutgoing,
} from '../db/federation-store.ts';
import type { FederationConfig, PeerDeployment } from './federation-config.ts';
import { signEnvelope } from './federation-signatures.ts';
import { messagesPath, wireOf } from './federation-wire.ts';

export interface DeliveryOptions {
  readonly clock: () => string;
  readonly fetch?: typeof fetch;
  /** How long one send may take before it counts as unanswered. */
  readonly timeoutMs?: number;
  /** How often an idle link looks for messages other processes wrote. */
  readonly pollMs?: number;
  readonly random?: () => number;
}

export function envelopeOf(self: string, stored: StoredOutgoing): MessageEnvelope {
  return {
    version: 1,
    sender: self,
    receiver: stored.receiver,
    sequence: stored.sequence,
    idempotencyKey: stored.idempotencyKey,
    kind: stored.kind,
    writtenAt: stored.writtenAt,
    body: JSON.parse(stored.body) as Json,
  };
}

/** How much of a peer's answer is read: an acknowledgement or a problem is a few hundred bytes. */
export const answerBytesMax = 64 * 1024;

/** A stable error code (docs/errors.md): what a refusal may name, kept and shown to operators. */
const stableCode = /^[a-z][a-z0-9_]{0,63}$/;

interface ReadReply {
  readonly reply: DeliveryReply;
  /** Why an answer counts as none (for the link's last error). */
  readonly reason?: string;
}

const unanswered = (reason: string): ReadReply => ({ reply: { kind: 'unreachable' }, reason });

/** What an HTTP answer of the receiver to message `sequence` means for the link. */
export async function replyOf(sequence: bigint, response: Response): Promise<DeliveryReply> {
  return (await readReply(sequence, response)).reply;
}

/**
 * The answer, read as what it can truthfully say about the message sent: an acknowledgement covers
 * that message (one below it is no answer) and at most that message (the peer may have applied later
 * ones it held, but a number past what was sent is not believed: the next messages are sent and
 * acknowledged again, while a lie or a man in the middle would have them skipped); a gap names a
 * number before it. Answers too long or without a stable code count as none.
 */
async function readReply(sequence: bigint, response: Response): Promise<ReadReply> {
  const text = await boundedText(response, answerBytesMax);
  if (text === null) return unanswered(`an answer longer than ${answerBytesMax} bytes`);
  let answer: Record<string, unknown>;
  try {
    answer = Object(JSON.parse(text)) as Record<string, unknown>;
  } catch {
    return unanswered('an answer that is not JSON');
  }
  const decimal = (value: unknown) =>
    typeof value === 'string' && /^[0-9]{1,19}$/.test(value) ? BigInt(value) : null;
  if (response.status === 200) {
    const acknowledged = decimal(answer['acknowledged']);
    if (acknowledged === null) return unanswered('an acknowledgement without a number');
    if (acknowledged < sequence)
      return unanswered(`an acknowledgement of ${acknowledged}, below message ${sequence}`);
    return { reply: { kind: 'acknowledged', sequence } };
  }
  const code = typeof answer['code'] === 'string' ? answer['code'] : null;
  if (code === 'message_sequence_gap') {
    const details = answer['details'] as Record<string, unknown> | undefined;
    const expected = decimal(details?.['expected']);
    if (expected === null || expected < 1n || expected >= sequence)
      return unanswered(`a gap answer awaiting ${String(expected)} for message ${sequence}`);
    return { reply: { kind: 'gap', expected } };
  }
  // A client error with a stable code is the receiver's refusal; anything else may pass.
  const transient = [408, 425, 429].includes(response.status) || response.status >= 500;
  return code !== null && stableCode.test(code) && response.status >= 400 && !transient
    ? { reply: { kind: 'refused', sequence, code } }
    : { reply: { kind: 'unreachable' } };
}

/** The answer's text, or null when it is longer than `max` bytes (the rest is not read). */
async function boundedText(response: Response, max: number): Promise<string | null> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class FederationDelivery {
  readonly #wakers = new Map<string, () => void>();
  readonly #loops: Promise<void>[] = [];
  #stopping = false;

  constructor(
    private readonly db: Db,
    private readonly config: FederationConfig,
    private readonly options: DeliveryOptions,
  ) {}

  /** Starts one loop per peer. */
  start(): void {
    for (const peer of this.config.peers) this.#loops.push(this.#loop(peer));
  }

  /** Wakes every link (after a commit that wrote messages). */
  poke(): void {
    for (const wake of this.#wakers.values()) wake();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.poke();
    await Promise.all(this.#loops);
  }

  async #loop(peer: PeerDeployment): Promise<void> {
    while (!this.#stopping) {
      let wait: number;
      try {
        wait = await this.deliver(peer);
      } catch {
        // The database is away: try again later (the link's state is in the database).
        wait = this.options.pollMs ?? 5000;
      }
      if (this.#stopping) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wakers.set(peer.id, done);
      });
      this.#wakers.delete(peer.id);
    }
  }

  /**
   * Sends the link's waiting messages until one is not acknowledged; returns how long to wait before
   * the next pass (the backoff after a failure, or the idle poll).
   */
  async deliver(peer: PeerDeployment): Promise<number> {
    const idle = this.options.pollMs ?? 5000;
    const [state] = await outgoingLinks(this.db, peer.id);
    if (state === undefined || state.stoppedBy !== undefined) return idle;
    let link: LinkDelivery = {
      acknowledged: state.acknowledged,
      next: state.acknowledged + 1n,
      attempts: state.attempts,
    };
    while (link.next <= state.lastSequence && !this.#stopping) {
      const batch = await outgoingFrom(this.db, peer.id, link.next, 50);
      if (batch.length === 0) return idle;
      for (const stored of batch) {
        const { reply, error } = await this.#send(peer, stored);
        link = afterReply(link, reply);
        await saveDelivery(this.db, peer.id, link, {
          at: this.options.clock(),
          error,
          rewind: reply.kind === 'gap',
        });
        if (link.stoppedBy !== undefined) return idle;
        if (reply.kind !== 'acknowledged')
          return retryDelayMs(link.attempts, this.options.random ?? Math.random);
        if (link.next !== stored.sequence + 1n) break; // the receiver acknowledged further on
      }
    }
    return idle;
  }

  async #send(
    peer: PeerDeployment,
    stored: StoredOutgoing,
  ): Promise<{ reply: DeliveryReply; error: string | null }> {
    const message = signEnvelope(
      envelopeOf(this.config.self, stored),
      this.config.keyId,
      this.config.privateKey,
    );
    try {
      const response = await (this.options.fetch ?? fetch)(`${peer.url}${messagesPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(wireOf(message)),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        redirect: 'error',
      });
      const { reply, reason } = await readReply(stored.sequence, response);
      return {
        reply,
        error:
          reply.kind === 'acknowledged'
            ? null
            : `HTTP ${response.status}: ${reason ?? describe(reply)}`,
      };
    } catch (error) {
      return { reply: { kind: 'unreachable' }, error: failureText(error) };
    }
  }
}

/** Why a send failed, with its cause: fetch says only "fetch failed", its cause what did (DNS, TLS, a redirect). */
function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

function describe(reply: DeliveryReply): string {
  switch (reply.kind) {
    case 'gap':
      return `the peer awaits ${reply.expected}`;
    case 'refused':
      return `refused ${reply.sequence}: ${reply.code}`;
    default:
      return reply.kind;
  }
}
