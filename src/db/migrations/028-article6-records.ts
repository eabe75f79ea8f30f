// Article 6.2 records between deployments (issue 16).
//
// - `article6_forwarded`: the authorisations and confirmations a Party's government recorded here for
//   a registry a peer hosts, each forwarded to that peer as an `authorisation_record` (the message's
//   number on the link beside it); the peer's journal holds the record itself, or the peer's
//   ledger refused its content and said so (`refused_*`).
// - `article6_records_refused`: the peers' records this deployment's ledger refused for their
//   content (a version not current, an authorisation it does not have), acknowledged and told back.
// - `peer_accounts`: the accounts opened in a registry a peer hosts (id, registry, type, holder), as
//   the peer's `account_record` stated them; none of them ever changes once opened, and the cycle
//   checks an allocation line in the peer's registry against them (who holds the credits).
// - `article6_first_transfers_received`: the first transfers of this deployment's Parties that a peer
//   recorded in a registry it hosts (an issuance into Japan's registry is India's first transfer), as
//   the peer's `first_transfer_record` stated them, one row per action of its journal.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE article6_forwarded (
     id int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     receiver text NOT NULL,
     sequence int8 NOT NULL,
     kind text NOT NULL CHECK (kind IN ('authorisation', 'confirmation')),
     registry_id text NOT NULL,
     authorisation text NOT NULL,
     record text NOT NULL,
     actor text NOT NULL,
     recorded_at text NOT NULL,
     refused_code text,
     refused_message text,
     refused_at text,
     UNIQUE (receiver, sequence))`,
  `CREATE TABLE article6_records_refused (
     sender text NOT NULL,
     sequence int8 NOT NULL,
     code text NOT NULL,
     message text NOT NULL,
     refused_at text NOT NULL,
     PRIMARY KEY (sender, sequence))`,
  `CREATE TABLE peer_accounts (
     id text PRIMARY KEY CHECK (id ~ '^[A-Z]{2}-[0-9]{6}$'),
     registry_id text NOT NULL,
     type text NOT NULL,
     holder_id text NOT NULL,
     sender text NOT NULL,
     received_at text NOT NULL,
     CHECK (left(id, 2) = registry_id))`,
  `CREATE TABLE article6_first_transfers_received (
     sender text NOT NULL,
     chain text NOT NULL,
     seq int8 NOT NULL,
     n int4 NOT NULL,
     party text NOT NULL,
     action_date text NOT NULL,
     approach text NOT NULL,
     authorisation text NOT NULL,
     registry_id text NOT NULL,
     project text NOT NULL,
     vintage int4 NOT NULL,
     serial_first int8 NOT NULL,
     serial_last int8 NOT NULL,
     quantity int8 NOT NULL CHECK (quantity = serial_last - serial_first + 1 AND quantity > 0),
     acquiring_party text,
     received_at text NOT NULL,
     PRIMARY KEY (sender, chain, seq, n))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
