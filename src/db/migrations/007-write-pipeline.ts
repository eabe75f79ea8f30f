// One write pipeline for every write family: idempotency keys of the families outside the ledger (the
// ledger keeps its per-chain table), the outbox where committed events leave the process, counters for
// every family, the states of each cycle machine, project data kept as versions, and designations
// that cannot be stored twice.
import { sql, type Kysely } from 'kysely';

/** The states of each machine as of 007 (superseded by 010's list, which a test keeps equal to the cycle). */
export const cycleStates: Readonly<Record<string, readonly string[]>> = {
  pin: ['submitted', 'no_objection', 'objection', 'withdrawn'],
  methodology: [
    'completeness_check',
    'public_input',
    'returned',
    'jc_consideration',
    'approved',
    'not_approved',
  ],
  project: [
    'public_input',
    'validation',
    'validated',
    'validation_negative',
    'registration_completeness',
    'registration_revision',
    'jc_registration',
    'registered',
    'change_review',
    'renewal_review',
    'withdrawn',
  ],
  monitoring: ['verification', 'verified', 'not_verified'],
  issuance: [
    'issuance_completeness',
    'issuance_revision',
    'jc_issuance',
    'governments_notified',
    'issued',
    'withdrawn',
  ],
  decision: ['proposed', 'adopted', 'withdrawn'],
};

const stateCheck = Object.entries(cycleStates)
  .map(
    ([machine, states]) =>
      `(machine = '${machine}' AND state IN (${states.map((s) => `'${s}'`).join(',')}))`,
  )
  .join(' OR ');

const statements = [
  `CREATE TABLE write_idempotency (
     family text NOT NULL CHECK (family ~ '^[a-z_]{1,40}$'),
     key text NOT NULL CHECK (key ~ '^[A-Za-z0-9._:-]{1,128}$'),
     request_hash text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
     result jsonb,
     at timestamptz NOT NULL,
     PRIMARY KEY (family, key))`,
  // The cycle's keys are not carried over: their request hashes were computed over another shape of
  // request, so a retry with an old key could only be refused as reused with different input.
  `DROP TABLE cycle_idempotency`,
  `CREATE TABLE outbox (
     id bigserial PRIMARY KEY,
     topic text NOT NULL CHECK (topic ~ '^[a-z_]+(\\.[a-z_]+)+$'),
     payload jsonb NOT NULL,
     created_at timestamptz NOT NULL,
     published_at timestamptz)`,
  `CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL`,
  `CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL`,
  `ALTER TABLE cycle_counters RENAME TO counters`,
  `ALTER TABLE counters DROP CONSTRAINT cycle_counters_value_check`,
  `ALTER TABLE counters ADD CONSTRAINT counters_value_check CHECK (value >= 0)`,
  `ALTER TABLE cycle_items ADD CONSTRAINT cycle_items_state_of_machine CHECK (${stateCheck})`,
  `CREATE TABLE project_versions (
     item_id text NOT NULL REFERENCES cycle_items(id),
     version int4 NOT NULL CHECK (version >= 1),
     data jsonb NOT NULL,
     action text NOT NULL,
     actor text NOT NULL,
     at timestamptz NOT NULL,
     PRIMARY KEY (item_id, version))`,
  `INSERT INTO project_versions (item_id, version, data, action, actor, at)
     SELECT id, 1, data -> 'project', 'submitted before versions', 'migration', created_at
     FROM cycle_items WHERE data ? 'project'`,
  `UPDATE cycle_items SET data = data || '{"projectVersion": 1}'::jsonb WHERE data ? 'project'`,
  `CREATE FUNCTION jcm_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`,
  `CREATE TRIGGER project_versions_no_update BEFORE UPDATE OR DELETE ON project_versions
     FOR EACH ROW EXECUTE FUNCTION jcm_append_only()`,
  `CREATE INDEX tpe_designations_of ON tpe_designations (organisation_id, partnership)`,
  `ALTER TABLE tpe_designations ADD CONSTRAINT tpe_designations_no_overlap
     EXCLUDE USING gist (organisation_id WITH =, partnership WITH =, sectoral_scope WITH =,
       function WITH =, daterange(valid_from, valid_until, '[]') WITH &&)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
