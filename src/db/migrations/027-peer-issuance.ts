// Issuance between deployments (issue 16): a Joint Committee decision names accounts of two
// registries, and when the other registry runs on a peer deployment its accounts are there, not here.
//
// - `federation_hosted_elsewhere`: the registries a peer hosts, written at start from JCM_FEDERATION.
// - `decision_lines`' foreign key to `accounts` becomes a constraint trigger that asks for the
//   account only when the line's registry is not hosted elsewhere (the peer checks its own).
// - `peer_decisions`: the decisions recorded here because a peer notified them, with the sender, so
//   that the issuance of their lines is confirmed back to it.
// - `issuance_confirmations`: what a peer confirmed it issued against a decision recorded here.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE federation_hosted_elsewhere (
     registry_id text PRIMARY KEY CHECK (registry_id ~ '^[A-Z]{2}$'),
     deployment text NOT NULL)`,
  `ALTER TABLE decision_lines DROP CONSTRAINT decision_lines_account_id_registry_id_fkey`,
  `CREATE FUNCTION decision_lines_check_account() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF NOT EXISTS (SELECT 1 FROM accounts WHERE id = NEW.account_id AND registry_id = NEW.registry_id)
        AND NOT EXISTS (SELECT 1 FROM federation_hosted_elsewhere WHERE registry_id = NEW.registry_id) THEN
       RAISE EXCEPTION 'decision line %/% names account % that registry % does not have', NEW.decision_id, NEW.line_no, NEW.account_id, NEW.registry_id
         USING ERRCODE = 'foreign_key_violation';
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE CONSTRAINT TRIGGER decision_lines_account AFTER INSERT OR UPDATE ON decision_lines
     FOR EACH ROW EXECUTE FUNCTION decision_lines_check_account()`,
  `CREATE TABLE peer_decisions (
     decision_id text PRIMARY KEY REFERENCES decisions (id),
     sender text NOT NULL,
     received_at text NOT NULL)`,
  `CREATE TABLE issuance_confirmations (
     decision_id text NOT NULL,
     line_no int4 NOT NULL,
     registry_id text NOT NULL,
     sender text NOT NULL,
     serial_first int8 NOT NULL,
     serial_last int8 NOT NULL,
     entry_chain text NOT NULL,
     entry_seq int8 NOT NULL,
     entry_hash text NOT NULL CHECK (entry_hash ~ '^[0-9a-f]{64}$'),
     received_at text NOT NULL,
     PRIMARY KEY (decision_id, line_no),
     FOREIGN KEY (decision_id, line_no) REFERENCES decision_lines (decision_id, line_no))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
