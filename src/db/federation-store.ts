// The links between deployments in the database (migration 024, issue 16): the sending side's outbox
// and link state, the receiving side's awaited number and received messages. The functions a write
// calls take its transaction and lock the link's row first, so that two writes on one link (two
// messages written, or the same message received twice at once) take turns; the delivery worker's
// and the operators' (the links, a delivery's outcome, a resume) take the database and run alone.
import { sql } from 'kysely';
import type { MessageKind } from '../core/federation/messages.ts';
import type { AppliedMessage } from '../core/federation/receive.ts';
import type { LinkDelivery } from '../core/federation/delivery.ts';
import type { Result } from '../core/shared/result.ts';
import type { Db, Tx } from './connect.ts';

export interface OutgoingMessage {
  readonly receiver: string;
  readonly kind: MessageKind;
  readonly idempotencyKey: string;
  /** The body's canonical JSON. */
  readonly body: string;
}

export interface StoredOutgoing extends OutgoingMessage {
  readonly sequence: bigint;
  readonly writtenAt: string;
}

/**
 * Puts a message into the outbox of its link, numbered after the link's last message. A message
 * whose idempotency key the link has already numbered is not written again: its number is answered
 * when the body is the same, and null when it differs (the caller refuses the write).
 */
export async function enqueueMessage(
  tx: Tx,
  message: OutgoingMessage,
  now: string,
): Promise<bigint | null> {
  await sql`INSERT INTO federation_links_out (receiver) VALUES (${message.receiver})
    ON CONFLICT (receiver) DO NOTHING`.execute(tx);
  const link = await sql<{ last_sequence: bigint }>`
    SELECT last_sequence FROM federation_links_out WHERE receiver = ${message.receiver}
    FOR UPDATE`.execute(tx);
  const earlier = await sql<{ sequence: bigint; body: string }>`
    SELECT sequence, body FROM federation_outbox
    WHERE receiver = ${message.receiver} AND idempotency_key = ${message.idempotencyKey}`.execute(
    tx,
  );
  const found = earlier.rows[0];
  if (found !== undefined) return found.body === message.body ? BigInt(found.sequence) : null;
  const sequence = BigInt(link.rows[0]?.last_sequence ?? 0n) + 1n;
  await sql`UPDATE federation_links_out SET last_sequence = ${sequence}
    WHERE receiver = ${message.receiver}`.execute(tx);
  await sql`INSERT INTO federation_outbox (receiver, sequence, kind, idempotency_key, body, written_at)
    VALUES (${message.receiver}, ${sequence}, ${message.kind}, ${message.idempotencyKey},
      ${message.body}, ${now})`.execute(tx);
  return sequence;
}

export interface OutgoingLink {
  readonly receiver: string;
  readonly lastSequence: bigint;
  readonly acknowledged: bigint;
  readonly attempts: number;
  readonly stoppedBy: { readonly sequence: bigint; readonly code: string } | undefined;
  readonly lastError: string | null;
  readonly lastAttemptAt: string | null;
  /** When the oldest message not acknowledged was written (null: none waits). */
  readonly oldestWaiting: string | null;
}

type LinkRow = {
  receiver: string;
  last_sequence: bigint;
  acknowledged: bigint;
  attempts: number;
  stopped_sequence: bigint | null;
  stopped_code: string | null;
  last_error: string | null;
  last_attempt_at: string | null;
  oldest_waiting: string | null;
};

const linkOf = (r: LinkRow): OutgoingLink => ({
  receiver: r.receiver,
  lastSequence: BigInt(r.last_sequence),
  acknowledged: BigInt(r.acknowledged),
  attempts: r.attempts,
  stoppedBy:
    r.stopped_sequence === null || r.stopped_code === null
      ? undefined
      : { sequence: BigInt(r.stopped_sequence), code: r.stopped_code },
  lastError: r.last_error,
  lastAttemptAt: r.last_attempt_at,
  oldestWaiting: r.oldest_waiting,
});

/**
 * Every outgoing link (or the one to `receiver`), with the time of its oldest message not
 * acknowledged (for /metrics).
 */
export async function outgoingLinks(
  db: Pick<Db, 'read'>,
  receiver?: string,
): Promise<OutgoingLink[]> {
  const only = receiver === undefined ? sql`` : sql`WHERE l.receiver = ${receiver}`;
  const rows = await db.read((k) =>
    sql<LinkRow>`
      SELECT l.*, (SELECT o.written_at FROM federation_outbox o
        WHERE o.receiver = l.receiver AND o.sequence = l.acknowledged + 1) AS oldest_waiting
      FROM federation_links_out l ${only} ORDER BY l.receiver`.execute(k),
  );
  return rows.rows.map(linkOf);
}

/** The messages of a link from `from` on, in order, at most `limit`. */
export async function outgoingFrom(
  db: Pick<Db, 'read'>,
  receiver: string,
  from: bigint,
  limit: number,
): Promise<StoredOutgoing[]> {
  const rows = await db.read((k) =>
    sql<{
      sequence: bigint;
      kind: string;
      idempotency_key: string;
      body: string;
      written_at: string;
    }>`
      SELECT sequence, kind, idempotency_key, body, written_at FROM federation_outbox
      WHERE receiver = ${receiver} AND sequence >= ${from}
      ORDER BY sequence LIMIT ${limit}`.execute(k),
  );
  return rows.rows.map((r) => ({
    receiver,
    sequence: BigInt(r.sequence),
    kind: r.kind as MessageKind, // written from a MessageKind by enqueueMessage
    idempotencyKey: r.idempotency_key,
    body: r.body,
    writtenAt: r.written_at,
  }));
}

/**
 * Keeps what the delivery worker learnt of a link. An acknowledgement only moves the acknowledged
 * number on (a late answer to an earlier attempt cannot move it back); a gap answer (`rewind`) sets
 * it to what the receiver has, which may be less (the receiver was restored from a backup). It never
 * passes the last message written. A refusal stops the link; only `resumeLink` clears the stop (a
 * worker whose pass began before another stopped the link leaves the stop in place).
 */
export async function saveDelivery(
  db: Db,
  receiver: string,
  link: LinkDelivery,
  attempt: { readonly at: string; readonly error: string | null; readonly rewind?: boolean },
): Promise<void> {
  const acknowledged =
    attempt.rewind === true
      ? sql`${link.acknowledged}`
      : sql`greatest(acknowledged, ${link.acknowledged})`;
  await db.transaction((tx) =>
    sql`UPDATE federation_links_out SET
        acknowledged = least(last_sequence, ${acknowledged}),
        attempts = ${link.attempts},
        last_attempt_at = ${attempt.at},
        last_error = ${attempt.error},
        stopped_sequence = coalesce(${link.stoppedBy?.sequence ?? null}, stopped_sequence),
        stopped_code = coalesce(${link.stoppedBy?.code ?? null}, stopped_code)
      WHERE receiver = ${receiver}`.execute(tx),
  );
}

/** Clears a link's stop (an operator looked at the refusal); returns whether the link exists. */
export async function resumeLink(db: Db, receiver: string): Promise<boolean> {
  const result = await db.transaction((tx) =>
    sql`UPDATE federation_links_out SET stopped_sequence = NULL, stopped_code = NULL, attempts = 0
      WHERE receiver = ${receiver}`.execute(tx),
  );
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** The receiving side of a link, under lock: the next awaited number. */
export async function lockIncomingLink(tx: Tx, sender: string): Promise<bigint> {
  await sql`INSERT INTO federation_links_in (sender) VALUES (${sender})
    ON CONFLICT (sender) DO NOTHING`.execute(tx);
  const row = await sql<{ next_sequence: bigint }>`
    SELECT next_sequence FROM federation_links_in WHERE sender = ${sender} FOR UPDATE`.execute(tx);
  return BigInt(row.rows[0]?.next_sequence ?? 1n);
}

type ReceivedRow = {
  sequence: bigint;
  idempotency_key: string;
  body_hash: string;
  message: string;
  applied_at: string | null;
};

const appliedOf = (r: ReceivedRow): AppliedMessage => ({
  sequence: BigInt(r.sequence),
  idempotencyKey: r.idempotency_key,
  bodyHash: r.body_hash,
});

/** The applied messages of a link with this sequence number and with this key, if any. */
export async function appliedMatching(
  tx: Tx,
  sender: string,
  sequence: bigint,
  key: string,
): Promise<{ atSequence: AppliedMessage | undefined; withKey: AppliedMessage | undefined }> {
  const rows = await sql<ReceivedRow>`
    SELECT sequence, idempotency_key, body_hash, message, applied_at FROM federation_received
    WHERE sender = ${sender} AND applied_at IS NOT NULL
      AND (sequence = ${sequence} OR idempotency_key = ${key})`.execute(tx);
  const atSequence = rows.rows.find((r) => BigInt(r.sequence) === sequence);
  const withKey = rows.rows.find((r) => r.idempotency_key === key);
  return {
    atSequence: atSequence === undefined ? undefined : appliedOf(atSequence),
    withKey: withKey === undefined ? undefined : appliedOf(withKey),
  };
}

export interface ReceivedMessage {
  readonly sender: string;
  readonly sequence: bigint;
  readonly idempotencyKey: string;
  readonly kind: MessageKind;
  readonly bodyHash: string;
  /** The signed message as received (JSON). */
  readonly message: string;
}

/** Keeps a message held after a gap (a later copy of the same number replaces it). */
export async function holdMessage(tx: Tx, received: ReceivedMessage, now: string): Promise<void> {
  await sql`INSERT INTO federation_received
      (sender, sequence, idempotency_key, kind, body_hash, message, received_at)
    VALUES (${received.sender}, ${received.sequence}, ${received.idempotencyKey}, ${received.kind},
      ${received.bodyHash}, ${received.message}, ${now})
    ON CONFLICT (sender, sequence) DO UPDATE SET idempotency_key = excluded.idempotency_key,
      kind = excluded.kind, body_hash = excluded.body_hash, message = excluded.message,
      received_at = excluded.received_at
    WHERE federation_received.applied_at IS NULL`.execute(tx);
}

/** Records a message as applied and moves the link's awaited number past it. */
export async function recordApplied(tx: Tx, received: ReceivedMessage, now: string): Promise<void> {
  await sql`INSERT INTO federation_received
      (sender, sequence, idempotency_key, kind, body_hash, message, received_at, applied_at)
    VALUES (${received.sender}, ${received.sequence}, ${received.idempotencyKey}, ${received.kind},
      ${received.bodyHash}, ${received.message}, ${now}, ${now})
    ON CONFLICT (sender, sequence) DO UPDATE SET idempotency_key = excluded.idempotency_key,
      kind = excluded.kind, body_hash = excluded.body_hash, message = excluded.message,
      applied_at = excluded.applied_at`.execute(tx);
  await sql`UPDATE federation_links_in SET next_sequence = ${received.sequence + 1n}
    WHERE sender = ${received.sender}`.execute(tx);
}

/** The held message at a link's number, if one waits there. */
export async function heldAt(
  tx: Tx,
  sender: string,
  sequence: bigint,
): Promise<ReceivedMessage | undefined> {
  const rows = await sql<ReceivedRow & { kind: string }>`
    SELECT sequence, idempotency_key, kind, body_hash, message, applied_at FROM federation_received
    WHERE sender = ${sender} AND sequence = ${sequence} AND applied_at IS NULL`.execute(tx);
  const row = rows.rows[0];
  return row === undefined
    ? undefined
    : {
        sender,
        sequence: BigInt(row.sequence),
        idempotencyKey: row.idempotency_key,
        kind: row.kind as MessageKind, // written from a parsed message by holdMessage
        bodyHash: row.body_hash,
        message: row.message,
      };
}

export interface IncomingLink {
  readonly sender: string;
  readonly next: bigint;
  readonly held: number;
}

/** Every incoming link, with how many messages it holds after a gap. */
export async function incomingLinks(db: Pick<Db, 'read'>): Promise<IncomingLink[]> {
  const rows = await db.read((k) =>
    sql<{ sender: string; next_sequence: bigint; held: bigint }>`
      SELECT l.sender, l.next_sequence, (SELECT count(*) FROM federation_received r
        WHERE r.sender = l.sender AND r.applied_at IS NULL)::int8 AS held
      FROM federation_links_in l ORDER BY l.sender`.execute(k),
  );
  return rows.rows.map((r) => ({
    sender: r.sender,
    next: BigInt(r.next_sequence),
    held: Number(r.held),
  }));
}

/** Runs `fn` in a savepoint of `tx`, rolled back to when `fn` refuses (errors end the transaction). */
export async function inSavepoint<T>(tx: Tx, fn: () => Promise<Result<T>>): Promise<Result<T>> {
  await sql`SAVEPOINT federation_step`.execute(tx);
  const result = await fn();
  await sql
    .raw(result.ok ? 'RELEASE SAVEPOINT federation_step' : 'ROLLBACK TO SAVEPOINT federation_step')
    .execute(tx);
  return result;
}
