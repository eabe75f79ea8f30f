// The registry ledger: hash-chained journal, registries, accounts, issuance decisions, blocks of
// serial numbers, and the database's own guards of SPEC section 6's invariants.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE EXTENSION IF NOT EXISTS btree_gist`,
  `CREATE EXTENSION IF NOT EXISTS pgcrypto`,
  `CREATE TABLE chains (
     id text PRIMARY KEY CHECK (id ~ '^(JC-)?[A-Z]{2}$'),
     head_seq int8 NOT NULL DEFAULT 0 CHECK (head_seq >= 0),
     head_hash text NOT NULL DEFAULT repeat('0', 64))`,
  `CREATE TABLE journal (
     chain text NOT NULL REFERENCES chains (id),
     seq int8 NOT NULL CHECK (seq >= 1),
     prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
     hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
     type text NOT NULL,
     actor text NOT NULL,
     recorded_at text NOT NULL,
     idempotency_key text,
     entry text NOT NULL,
     PRIMARY KEY (chain, seq))`,
  // Invariant 6 in the database: each new entry links to its predecessor and its hash is right.
  `CREATE FUNCTION journal_check_link() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE previous text;
   BEGIN
     IF NEW.seq = 1 THEN
       previous := repeat('0', 64);
     ELSE
       SELECT hash INTO previous FROM journal WHERE chain = NEW.chain AND seq = NEW.seq - 1;
       IF previous IS NULL THEN
         RAISE EXCEPTION 'invariant 6: journal % entry % has no predecessor', NEW.chain, NEW.seq USING ERRCODE = 'check_violation';
       END IF;
     END IF;
     IF NEW.prev_hash <> previous OR NEW.hash <> encode(digest(NEW.prev_hash || NEW.entry, 'sha256'), 'hex') THEN
       RAISE EXCEPTION 'invariant 6: journal % entry % does not chain', NEW.chain, NEW.seq USING ERRCODE = 'check_violation';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER journal_link BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION journal_check_link()`,
  `CREATE FUNCTION journal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'invariant 6: the journal is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE ON journal FOR EACH ROW EXECUTE FUNCTION journal_refuse_change()`,
  `CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal FOR EACH STATEMENT EXECUTE FUNCTION journal_refuse_change()`,
  `CREATE TABLE idempotency (
     chain text NOT NULL REFERENCES chains (id),
     key text NOT NULL,
     request_hash text NOT NULL,
     result text NOT NULL,
     seq int8 NOT NULL,
     PRIMARY KEY (chain, key),
     FOREIGN KEY (chain, seq) REFERENCES journal (chain, seq))`,
  `CREATE TABLE registries (
     id text PRIMARY KEY CHECK (id ~ '^[A-Z]{2}$'),
     name text NOT NULL,
     kind text NOT NULL CHECK (kind IN ('japan', 'partner') AND (kind = 'japan') = (id = 'JP')),
     account_sequence int4 NOT NULL CHECK (account_sequence >= 3),
     retirement_account text NOT NULL,
     cancellation_account text NOT NULL,
     reserve_account text NOT NULL)`,
  `CREATE TABLE accounts (
     id text PRIMARY KEY CHECK (id ~ '^[A-Z]{2}-[0-9]{6}$'),
     registry_id text NOT NULL REFERENCES registries (id),
     type text NOT NULL CHECK (type IN ('holding', 'government_holding', 'retirement', 'cancellation', 'reserve')),
     status text NOT NULL CHECK (status IN ('open', 'frozen', 'closed')),
     holder_id text NOT NULL,
     holder_name text NOT NULL,
     CHECK (left(id, 2) = registry_id),
     CHECK (status = 'open' OR type IN ('holding', 'government_holding')),
     UNIQUE (id, registry_id))`,
  `CREATE UNIQUE INDEX accounts_one_system_account_per_type ON accounts (registry_id, type)
     WHERE type IN ('retirement', 'cancellation', 'reserve')`,
  `CREATE INDEX accounts_holder ON accounts (holder_id)`,
  `CREATE TABLE decisions (
     id text PRIMARY KEY,
     project text NOT NULL CHECK (project ~ '^[A-Z]{2}[0-9]{3,6}$'),
     partner text NOT NULL REFERENCES registries (id) CHECK (partner = left(project, 2)),
     verification_reference text NOT NULL UNIQUE,
     serial_first int8 NOT NULL CHECK (serial_first >= 1),
     serial_last int8 NOT NULL CHECK (serial_last >= serial_first),
     chain text NOT NULL,
     seq int8 NOT NULL,
     FOREIGN KEY (chain, seq) REFERENCES journal (chain, seq),
     EXCLUDE USING gist (project WITH =, int8range(serial_first, serial_last, '[]') WITH &&))`,
  `CREATE TABLE verified_reductions (
     decision_id text NOT NULL REFERENCES decisions (id),
     vintage int4 NOT NULL CHECK (vintage BETWEEN 2013 AND 2100),
     quantity int8 NOT NULL CHECK (quantity >= 0),
     PRIMARY KEY (decision_id, vintage))`,
  `CREATE TABLE decision_lines (
     decision_id text NOT NULL REFERENCES decisions (id),
     line_no int4 NOT NULL CHECK (line_no >= 1),
     registry_id text NOT NULL REFERENCES registries (id),
     account_id text NOT NULL,
     vintage int4 NOT NULL,
     quantity int8 NOT NULL CHECK (quantity >= 1),
     serial_first int8 NOT NULL CHECK (serial_first >= 1),
     serial_last int8 NOT NULL,
     CHECK (serial_last - serial_first + 1 = quantity),
     PRIMARY KEY (decision_id, line_no),
     FOREIGN KEY (account_id, registry_id) REFERENCES accounts (id, registry_id),
     FOREIGN KEY (decision_id, vintage) REFERENCES verified_reductions (decision_id, vintage))`,
  // Issued exactly once per decision and allocation line.
  `CREATE TABLE issuances (
     decision_id text NOT NULL,
     line_no int4 NOT NULL,
     registry_id text NOT NULL REFERENCES registries (id),
     chain text NOT NULL,
     seq int8 NOT NULL,
     PRIMARY KEY (decision_id, line_no),
     FOREIGN KEY (decision_id, line_no) REFERENCES decision_lines (decision_id, line_no),
     FOREIGN KEY (chain, seq) REFERENCES journal (chain, seq))`,
  `CREATE TABLE blocks (
     project text NOT NULL,
     serial_first int8 NOT NULL CHECK (serial_first >= 1),
     serial_last int8 NOT NULL,
     vintage int4 NOT NULL,
     registry_id text NOT NULL,
     account_id text NOT NULL,
     entry_chain text NOT NULL,
     entry_seq int8 NOT NULL,
     serials int8range GENERATED ALWAYS AS (int8range(serial_first, serial_last, '[]')) STORED,
     CHECK (serial_last >= serial_first),
     PRIMARY KEY (project, serial_first),
     FOREIGN KEY (account_id, registry_id) REFERENCES accounts (id, registry_id),
     FOREIGN KEY (entry_chain, entry_seq) REFERENCES journal (chain, seq),
     -- Checked at commit: a batch shrinks a block in place and inserts its remainder in one
     -- statement, where the order of the two is not defined.
     CONSTRAINT blocks_serials_do_not_overlap EXCLUDE USING gist (project WITH =, serials WITH &&) DEFERRABLE INITIALLY DEFERRED)`,
  `CREATE INDEX blocks_by_account ON blocks (account_id, project, vintage, serial_first)`,
  // Invariants 3 and 4 in the database: retired and cancelled credits never move; frozen or closed
  // accounts neither send nor receive.
  `CREATE FUNCTION blocks_check_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE a record;
   BEGIN
     IF TG_OP IN ('UPDATE', 'DELETE') THEN
       SELECT type, status INTO a FROM accounts WHERE id = OLD.account_id;
       IF a.type IN ('retirement', 'cancellation') THEN
         RAISE EXCEPTION 'invariant 3: credits in % account % never move', a.type, OLD.account_id USING ERRCODE = 'check_violation';
       END IF;
       IF a.status <> 'open' THEN
         RAISE EXCEPTION 'invariant 4: % account % sends nothing', a.status, OLD.account_id USING ERRCODE = 'check_violation';
       END IF;
     END IF;
     IF TG_OP IN ('UPDATE', 'INSERT') THEN
       SELECT type, status INTO a FROM accounts WHERE id = NEW.account_id;
       IF a.status <> 'open' THEN
         RAISE EXCEPTION 'invariant 4: % account % receives nothing', a.status, NEW.account_id USING ERRCODE = 'check_violation';
       END IF;
       RETURN NEW;
     END IF;
     RETURN OLD;
   END $$`,
  `CREATE TRIGGER blocks_accounts BEFORE INSERT OR UPDATE OR DELETE ON blocks FOR EACH ROW EXECUTE FUNCTION blocks_check_accounts()`,
  `CREATE TABLE reversals (
     chain text NOT NULL,
     reversed_seq int8 NOT NULL,
     reversing_seq int8 NOT NULL,
     PRIMARY KEY (chain, reversed_seq),
     FOREIGN KEY (chain, reversed_seq) REFERENCES journal (chain, seq),
     FOREIGN KEY (chain, reversing_seq) REFERENCES journal (chain, seq))`,
  `CREATE TABLE audit_runs (
     id int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     ran_at text NOT NULL,
     passed boolean NOT NULL,
     report text NOT NULL)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
