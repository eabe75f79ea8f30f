// The project cycle: organisations, TPE designations, cycle items (PINs, methodology proposals,
// projects, monitoring periods, issuance requests, Joint Committee decisions) with their append-only
// event log, findings, documents (content-addressed by SHA-256) and id counters.
import { sql, type Kysely } from 'kysely';

const machines = `'pin','methodology','project','monitoring','issuance','decision'`;

const statements = [
  `CREATE TABLE organisations (
     id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
     name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
     kind text NOT NULL CHECK (kind IN ('project_participant','third_party_entity','secretariat','joint_committee','government','registry')),
     country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
     created_at timestamptz NOT NULL)`,
  `CREATE TABLE tpe_designations (
     id bigserial PRIMARY KEY,
     organisation_id text NOT NULL REFERENCES organisations(id),
     partnership text NOT NULL CHECK (partnership ~ '^[A-Z]{2}$'),
     sectoral_scope int4 NOT NULL CHECK (sectoral_scope BETWEEN 1 AND 15),
     function text NOT NULL CHECK (function IN ('validation','verification')),
     accreditation text NOT NULL CHECK (accreditation IN ('iso_14065','cdm_operational_entity')),
     valid_from date NOT NULL,
     valid_until date NOT NULL CHECK (valid_until >= valid_from),
     decision_id text)`,
  `CREATE TABLE cycle_counters (key text PRIMARY KEY, value int4 NOT NULL CHECK (value > 0))`,
  `CREATE TABLE cycle_items (
     id text PRIMARY KEY CHECK (length(id) BETWEEN 3 AND 64),
     machine text NOT NULL CHECK (machine IN (${machines})),
     partnership text NOT NULL CHECK (partnership ~ '^[A-Z]{2}$'),
     parent_id text REFERENCES cycle_items(id),
     state text NOT NULL,
     reference text UNIQUE,
     data jsonb NOT NULL DEFAULT '{}'::jsonb,
     due_date text CHECK (due_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
     due_role text,
     due_step text,
     version int4 NOT NULL DEFAULT 0,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     CHECK ((due_date IS NULL) = (due_role IS NULL)))`,
  `CREATE INDEX cycle_items_due ON cycle_items (due_role, due_date) WHERE due_date IS NOT NULL`,
  `CREATE TABLE cycle_events (
     seq bigserial PRIMARY KEY,
     item_id text NOT NULL REFERENCES cycle_items(id),
     action text NOT NULL,
     from_state text,
     to_state text NOT NULL,
     actor text NOT NULL,
     at timestamptz NOT NULL,
     payload jsonb NOT NULL DEFAULT '{}'::jsonb)`,
  `CREATE INDEX cycle_events_item ON cycle_events (item_id, seq)`,
  `CREATE FUNCTION cycle_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN RAISE EXCEPTION 'cycle_events is append-only'; END $$`,
  `CREATE TRIGGER cycle_events_no_update BEFORE UPDATE OR DELETE ON cycle_events
     FOR EACH ROW EXECUTE FUNCTION cycle_events_append_only()`,
  `CREATE TABLE cycle_findings (
     id bigserial PRIMARY KEY,
     item_id text NOT NULL REFERENCES cycle_items(id),
     kind text NOT NULL CHECK (kind IN ('CAR','CL','FAR')),
     text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
     state text NOT NULL CHECK (state IN ('open','answered','closed')),
     answer text,
     raised_by text NOT NULL,
     raised_at timestamptz NOT NULL,
     closed_at timestamptz,
     CHECK ((state = 'closed') = (closed_at IS NOT NULL)))`,
  `CREATE TABLE cycle_documents (
     id bigserial PRIMARY KEY,
     item_id text NOT NULL REFERENCES cycle_items(id),
     type text NOT NULL,
     version int4 NOT NULL CHECK (version >= 1),
     file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
     media_type text NOT NULL,
     public_sha256 text NOT NULL CHECK (public_sha256 ~ '^[0-9a-f]{64}$'),
     full_sha256 text CHECK (full_sha256 ~ '^[0-9a-f]{64}$'),
     bytes int8 NOT NULL CHECK (bytes >= 0),
     uploaded_by text NOT NULL,
     uploaded_at timestamptz NOT NULL,
     UNIQUE (item_id, type, version))`,
  `CREATE TABLE cycle_idempotency (
     key text PRIMARY KEY,
     request_hash text NOT NULL,
     result jsonb NOT NULL,
     at timestamptz NOT NULL)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
