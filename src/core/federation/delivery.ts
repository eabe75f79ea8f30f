// The sending side of a link, decided without I/O: the outbox holds the link's messages in sequence
// order; the delivery worker sends the first one not acknowledged, and after each reply this says
// what comes next. An acknowledgement of n acknowledges every message up to n (the receiver applies
// in order); a gap answer names the number the receiver awaits, from which the worker sends again
// (even when that is below what it acknowledged before: a receiver restored from a backup); a
// refusal stops the link (an operator must look: the message will not become acceptable by
// resending); no answer is retried with a growing delay.

export interface LinkDelivery {
  /** The highest sequence number the receiver acknowledged (0 before the first). */
  readonly acknowledged: bigint;
  /** The next message to send. */
  readonly next: bigint;
  /** Failed attempts since the last answer that moved the link on (for the delay). */
  readonly attempts: number;
  /** Set when the receiver refused a message: the link stops until an operator resumes it. */
  readonly stoppedBy?: { readonly sequence: bigint; readonly code: string };
}

export type DeliveryReply =
  | { readonly kind: 'acknowledged'; readonly sequence: bigint }
  | { readonly kind: 'gap'; readonly expected: bigint }
  | { readonly kind: 'refused'; readonly sequence: bigint; readonly code: string }
  | { readonly kind: 'unreachable' };

export const firstDelivery: LinkDelivery = { acknowledged: 0n, next: 1n, attempts: 0 };

export function afterReply(link: LinkDelivery, reply: DeliveryReply): LinkDelivery {
  switch (reply.kind) {
    case 'acknowledged': {
      const acknowledged = reply.sequence > link.acknowledged ? reply.sequence : link.acknowledged;
      const next = acknowledged + 1n > link.next ? acknowledged + 1n : link.next;
      return { acknowledged, next, attempts: 0 };
    }
    case 'gap':
      // The receiver awaits `expected`: everything before it is applied there, and nothing after it,
      // even below what it acknowledged once (restored from a backup, it lost those): sending again
      // from there is harmless (it acknowledges what it has), going on from the old number loses them.
      return {
        acknowledged: reply.expected - 1n,
        next: reply.expected,
        attempts: link.attempts + 1,
      };
    case 'refused':
      return { ...link, stoppedBy: { sequence: reply.sequence, code: reply.code } };
    case 'unreachable':
      // Send again from the first message not acknowledged.
      return { ...link, next: link.acknowledged + 1n, attempts: link.attempts + 1 };
  }
}

/** Delay before the next attempt: doubling from 1 s up to 5 minutes, with full jitter. */
export function retryDelayMs(attempts: number, random: () => number): number {
  if (attempts === 0) return 0;
  const ceiling = Math.min(300_000, 1000 * 2 ** Math.min(attempts - 1, 20));
  return Math.floor(random() * ceiling);
}
