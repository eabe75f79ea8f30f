// Issue 14, double counting across mechanisms: a project's registrations in other mechanisms (India's
// CCTS offsets, the CDM, Verra's VCS, the Gold Standard, others), each change a new version kept for
// good; and the possible duplicates found when a project asks for registration, with the
// secretariat's conclusion on each.
import { sql, type Kysely } from 'kysely';

const civilDate = (column: string) => `${column} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;

const statements = [
  `CREATE TABLE external_registrations (
     id bigserial PRIMARY KEY,
     project_id text NOT NULL REFERENCES cycle_items(id),
     version int4 NOT NULL CHECK (version BETWEEN 1 AND 100),
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL)`,
  `CREATE INDEX external_registrations_project ON external_registrations (project_id, id)`,
  `CREATE TABLE external_registration_versions (
     registration_id int8 NOT NULL REFERENCES external_registrations(id),
     version int4 NOT NULL CHECK (version BETWEEN 1 AND 100),
     mechanism text NOT NULL
       CHECK (mechanism IN ('ccts_offset','cdm','verra_vcs','gold_standard','other')),
     mechanism_name text CHECK (length(mechanism_name) BETWEEN 1 AND 100),
     identifier text NOT NULL CHECK (identifier ~ '^[A-Za-z0-9][A-Za-z0-9 ._/:#()-]{0,63}$'),
     activity text NOT NULL CHECK (length(activity) BETWEEN 1 AND 300),
     crediting_start text NOT NULL CHECK (${civilDate('crediting_start')}),
     crediting_end text NOT NULL CHECK (${civilDate('crediting_end')}),
     status text NOT NULL CHECK (status IN ('active','cancelled')),
     cancelled_start text CHECK (${civilDate('cancelled_start')}),
     cancelled_end text CHECK (${civilDate('cancelled_end')}),
     cancellation_reference text CHECK (length(cancellation_reference) BETWEEN 1 AND 100),
     evidence text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 4000),
     evidence_document text CHECK (length(evidence_document) BETWEEN 1 AND 300),
     recorded_by text NOT NULL,
     recorded_role text NOT NULL CHECK (recorded_role IN ('project_participant','secretariat')),
     recorded_organisation text,
     recorded_at timestamptz NOT NULL,
     PRIMARY KEY (registration_id, version),
     CHECK ((mechanism = 'other') = (mechanism_name IS NOT NULL)),
     CHECK (crediting_end >= crediting_start),
     CHECK ((status = 'cancelled') = (cancelled_start IS NOT NULL)),
     CHECK ((cancelled_start IS NULL) = (cancelled_end IS NULL)),
     CHECK ((cancelled_start IS NULL) = (cancellation_reference IS NULL)),
     CHECK (cancelled_end >= cancelled_start),
     CHECK ((recorded_role = 'project_participant') = (recorded_organisation IS NOT NULL)))`,
  `CREATE FUNCTION external_registration_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN RAISE EXCEPTION 'external_registration_versions is append-only'; END $$`,
  `CREATE TRIGGER external_registration_versions_no_update
     BEFORE UPDATE OR DELETE ON external_registration_versions
     FOR EACH ROW EXECUTE FUNCTION external_registration_versions_append_only()`,
  `CREATE TABLE duplicate_flags (
     id bigserial PRIMARY KEY,
     project_id text NOT NULL REFERENCES cycle_items(id),
     other_project_id text NOT NULL REFERENCES cycle_items(id),
     grounds jsonb NOT NULL,
     raised_at timestamptz NOT NULL,
     state text NOT NULL CHECK (state IN ('open','not_duplicate','duplicate')),
     reason text CHECK (length(reason) BETWEEN 1 AND 2000),
     concluded_by text,
     concluded_at timestamptz,
     UNIQUE (project_id, other_project_id),
     CHECK (project_id <> other_project_id),
     CHECK ((state = 'open') = (concluded_at IS NULL)),
     CHECK ((concluded_at IS NULL) = (concluded_by IS NULL)),
     CHECK (state <> 'not_duplicate' OR reason IS NOT NULL))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
