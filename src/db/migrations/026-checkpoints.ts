// Signed checkpoints (issue 16, point 3): each registry's journal head and totals, signed with its
// deployment's Ed25519 key and published. A checkpoint is never changed or removed: a later one must
// extend it, and anyone holding it can tell whether the registry rewrote its history.
//
// `body` is the text the signature covers (core/federation/checkpoints.ts `checkpointText`), kept as
// signed so that a reader verifies exactly what was signed; the other columns repeat what a query
// needs from it.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE checkpoints (
     id bigserial PRIMARY KEY,
     registry_id text NOT NULL REFERENCES registries (id),
     deployment text NOT NULL,
     at text NOT NULL,
     head_seq int8 NOT NULL CHECK (head_seq >= 1),
     head_hash text NOT NULL CHECK (head_hash ~ '^[0-9a-f]{64}$'),
     body text NOT NULL,
     key_id text NOT NULL,
     public_key text NOT NULL,
     signature text NOT NULL,
     UNIQUE (registry_id, at))`,
  `CREATE INDEX checkpoints_by_registry ON checkpoints (registry_id, id)`,
  `CREATE FUNCTION checkpoints_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'checkpoints are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints FOR EACH ROW EXECUTE FUNCTION checkpoints_refuse_change()`,
  `CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints FOR EACH STATEMENT EXECUTE FUNCTION checkpoints_refuse_change()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
