// The writer's common case in one round trip: a batch that only issued or moved credits writes its
// journal entries, idempotency keys, block changes, issuances, reversals and the new chain head through
// this function, whose statements PostgreSQL plans once per connection instead of once per batch.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE FUNCTION jcm_write_batch(batch jsonb) RETURNS void LANGUAGE plpgsql AS $$
   DECLARE rec record;
   BEGIN
     -- In sequence order: the journal trigger checks each entry against the one before it.
     INSERT INTO journal (chain, seq, prev_hash, hash, type, actor, recorded_at, idempotency_key, entry)
       SELECT x.chain, x.seq, x.prev_hash, x.hash, x.type, x.actor, x.recorded_at, x.idempotency_key, x.entry
       FROM jsonb_to_recordset(batch -> 'journal') AS x (chain text, seq int8, prev_hash text, hash text, type text,
         actor text, recorded_at text, idempotency_key text, entry text)
       ORDER BY x.seq;
     INSERT INTO idempotency (chain, key, request_hash, result, seq)
       SELECT x.chain, x.key, x.request_hash, x.result, x.seq
       FROM jsonb_to_recordset(batch -> 'idempotency') AS x (chain text, key text, request_hash text, result text, seq int8);
     -- Row by row through the primary key: a join against the batch would let the planner choose a
     -- sequential scan of all blocks, which grows with the registry.
     FOR rec IN SELECT * FROM jsonb_to_recordset(batch -> 'deletes') AS r (project text, serial_first int8) LOOP
       DELETE FROM blocks WHERE project = rec.project AND serial_first = rec.serial_first;
     END LOOP;
     FOR rec IN SELECT * FROM jsonb_to_recordset(batch -> 'updates') AS r (project text, serial_first int8, serial_last int8,
         vintage int4, registry_id text, account_id text, entry_chain text, entry_seq int8) LOOP
       UPDATE blocks
         SET serial_last = rec.serial_last, vintage = rec.vintage, registry_id = rec.registry_id, account_id = rec.account_id,
             entry_chain = rec.entry_chain, entry_seq = rec.entry_seq
         WHERE project = rec.project AND serial_first = rec.serial_first;
     END LOOP;
     INSERT INTO blocks (project, serial_first, serial_last, vintage, registry_id, account_id, entry_chain, entry_seq)
       SELECT x.project, x.serial_first, x.serial_last, x.vintage, x.registry_id, x.account_id, x.entry_chain, x.entry_seq
       FROM jsonb_to_recordset(batch -> 'inserts') AS x (project text, serial_first int8, serial_last int8, vintage int4,
         registry_id text, account_id text, entry_chain text, entry_seq int8);
     INSERT INTO issuances (decision_id, line_no, registry_id, chain, seq)
       SELECT x.decision_id, x.line_no, x.registry_id, x.chain, x.seq
       FROM jsonb_to_recordset(batch -> 'issuances') AS x (decision_id text, line_no int4, registry_id text, chain text, seq int8);
     INSERT INTO reversals (chain, reversed_seq, reversing_seq)
       SELECT x.chain, x.reversed_seq, x.reversing_seq
       FROM jsonb_to_recordset(batch -> 'reversals') AS x (chain text, reversed_seq int8, reversing_seq int8);
     UPDATE chains SET head_seq = (batch ->> 'head_seq')::int8, head_hash = batch ->> 'head_hash' WHERE id = batch ->> 'chain';
     IF NOT FOUND THEN
       RAISE EXCEPTION 'jcm_write_batch: no chain %', batch ->> 'chain';
     END IF;
   END $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
