// Messages between deployments (issue 16, SPEC section 8): each link (this deployment to a peer, or
// a peer to this one) keeps its place in the link's sequence, so that a message is sent, applied and
// acknowledged once and in order across restarts of either side.
//
// - federation_links_out: per receiving peer, the last sequence number given to a message and the
//   highest the peer acknowledged; a refusal stops the link (stopped_*) until an operator resumes it.
// - federation_outbox: the messages to a peer, written in the transaction of the event that causes
//   them, numbered without gaps; unique by idempotency key, so an event written twice sends once.
// - federation_links_in: per sending peer, the next sequence number awaited.
// - federation_received: the messages received from a peer: applied (applied_at set), or held after
//   a gap until the messages before it arrive. The signed message is kept as received.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE federation_links_out (
     receiver text PRIMARY KEY,
     last_sequence int8 NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
     acknowledged int8 NOT NULL DEFAULT 0 CHECK (acknowledged >= 0 AND acknowledged <= last_sequence),
     attempts int4 NOT NULL DEFAULT 0 CHECK (attempts >= 0),
     last_attempt_at text,
     last_error text,
     stopped_sequence int8,
     stopped_code text,
     CHECK ((stopped_sequence IS NULL) = (stopped_code IS NULL)))`,
  `CREATE TABLE federation_outbox (
     receiver text NOT NULL REFERENCES federation_links_out (receiver),
     sequence int8 NOT NULL CHECK (sequence > 0),
     kind text NOT NULL,
     idempotency_key text NOT NULL,
     body text NOT NULL,
     written_at text NOT NULL,
     PRIMARY KEY (receiver, sequence),
     UNIQUE (receiver, idempotency_key))`,
  `CREATE TABLE federation_links_in (
     sender text PRIMARY KEY,
     next_sequence int8 NOT NULL DEFAULT 1 CHECK (next_sequence >= 1))`,
  `CREATE TABLE federation_received (
     sender text NOT NULL REFERENCES federation_links_in (sender),
     sequence int8 NOT NULL CHECK (sequence > 0),
     idempotency_key text NOT NULL,
     kind text NOT NULL,
     body_hash text NOT NULL,
     message text NOT NULL,
     received_at text NOT NULL,
     applied_at text,
     PRIMARY KEY (sender, sequence))`,
  // A key names one applied message of its link; held messages are not yet bound to it.
  `CREATE UNIQUE INDEX federation_received_key ON federation_received (sender, idempotency_key)
     WHERE applied_at IS NOT NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
