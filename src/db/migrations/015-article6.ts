// Article 6.2 in the ledger's tables (issue 14): the ITMO attributes a block carries, the records the
// journal's Article 6.2 events project into (approaches, authorisation versions, confirmations, the
// credits each authorisation covers, finalised periods) and the actions derived from journal entries,
// with the database's own copies of the rules that must hold whatever the code does. The fast path
// `jcm_write_batch` (migration 003) is replaced by one that also writes these.
import { sql, type Kysely } from 'kysely';

/** The AEF's action types (src/core/article6/types.ts, `actionTypes`). */
const actionTypes = [
  'authorization',
  'first_transfer',
  'transfer',
  'acquisition',
  'use',
  'cancellation',
  'voluntary_cancellation',
];

const party = (column: string) => `${column} ~ '^[A-Z]{3}$'`;
const year = (column: string) => `${column} BETWEEN 2013 AND 2100`;

const tables = [
  // A block is an ITMO holding in full or not at all: the four attributes are set together.
  `ALTER TABLE blocks
     ADD COLUMN itmo_approach text CHECK (itmo_approach ~ '^CA[0-9]{4}$'),
     ADD COLUMN itmo_authorisation text CHECK (length(itmo_authorisation) BETWEEN 1 AND 64),
     ADD COLUMN itmo_first_party text CHECK (${party('itmo_first_party')}),
     ADD COLUMN itmo_first_transferred boolean,
     ADD CONSTRAINT blocks_itmo_all_or_none
       CHECK (num_nulls(itmo_approach, itmo_authorisation, itmo_first_party, itmo_first_transferred) IN (0, 4))`,
  // Every version of a cooperative approach, as its journal event recorded it (canonical JSON).
  // An approach id belongs to one partnership.
  `CREATE TABLE article6_approaches (
     partnership text NOT NULL CHECK (partnership ~ '^[A-Z]{2}$'),
     version int4 NOT NULL CHECK (version >= 1),
     id text NOT NULL CHECK (id ~ '^CA[0-9]{4}$'),
     record text NOT NULL,
     chain text NOT NULL,
     seq int8 NOT NULL,
     PRIMARY KEY (partnership, version),
     FOREIGN KEY (chain, seq) REFERENCES journal (chain, seq),
     CHECK (record::jsonb ->> 'id' = id AND record::jsonb ->> 'partnership' = partnership
            AND record::jsonb ->> 'version' = version::text),
     EXCLUDE USING gist (id WITH =, partnership WITH <>))`,
  // Every version of every authorisation; a change is a new version, the old ones stay.
  `CREATE TABLE article6_authorisations (
     id text NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
     version int4 NOT NULL CHECK (version >= 1),
     party text NOT NULL CHECK (${party('party')}),
     registry_id text NOT NULL REFERENCES registries (id),
     record text NOT NULL,
     chain text NOT NULL,
     seq int8 NOT NULL,
     PRIMARY KEY (id, version),
     FOREIGN KEY (chain, seq) REFERENCES journal (chain, seq),
     CHECK (record::jsonb ->> 'id' = id AND record::jsonb ->> 'version' = version::text
            AND record::jsonb ->> 'party' = party AND record::jsonb ->> 'registry' = registry_id))`,
  `CREATE TABLE article6_confirmations (
     id text NOT NULL,
     version int4 NOT NULL,
     party text NOT NULL CHECK (${party('party')}),
     chain text NOT NULL,
     seq int8 NOT NULL,
     PRIMARY KEY (id, version, party),
     FOREIGN KEY (id, version) REFERENCES article6_authorisations (id, version),
     FOREIGN KEY (chain, seq) REFERENCES journal (chain, seq))`,
  // The credits stamped with each authorisation so far: one row per authorisation, written when its
  // first version is recorded and updated as credits are issued under it or assigned to it. The
  // constant column lets a foreign key say that the authorisation exists (its version 1).
  `CREATE TABLE article6_authorisation_covered (
     id text PRIMARY KEY,
     first_version int4 NOT NULL DEFAULT 1 CHECK (first_version = 1),
     quantity int8 NOT NULL CHECK (quantity >= 0),
     FOREIGN KEY (id, first_version) REFERENCES article6_authorisations (id, version))`,
  // A block's authorisation exists. Deferred: a batch may write the block before the authorisation's
  // row in one statement order or the other.
  `ALTER TABLE blocks ADD CONSTRAINT blocks_itmo_authorisation_exists
     FOREIGN KEY (itmo_authorisation) REFERENCES article6_authorisation_covered (id)
     DEFERRABLE INITIALLY DEFERRED`,
  // A Party's finalised periods never overlap (decision 2/CMA.3, annex, paragraph 12).
  `CREATE TABLE article6_finalisations (
     party text NOT NULL CHECK (${party('party')}),
     first_year int4 NOT NULL CHECK (${year('first_year')}),
     last_year int4 NOT NULL CHECK (${year('last_year')} AND last_year >= first_year),
     finalised_on text NOT NULL CHECK (finalised_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
     chain text NOT NULL,
     seq int8 NOT NULL,
     PRIMARY KEY (party, first_year),
     FOREIGN KEY (chain, seq) REFERENCES journal (chain, seq),
     CONSTRAINT article6_finalisations_do_not_overlap
       EXCLUDE USING gist (party WITH =, int4range(first_year, last_year, '[]') WITH &&))`,
  // The actions of AEF table 3, each derived from one journal entry (n: its place among the entry's
  // actions), never entered by hand.
  `CREATE TABLE article6_actions (
     chain text NOT NULL,
     seq int8 NOT NULL,
     n int4 NOT NULL CHECK (n >= 1),
     party text NOT NULL CHECK (${party('party')}),
     type text NOT NULL CHECK (type IN (${actionTypes.map((t) => `'${t}'`).join(', ')})),
     subtype text,
     action_date text NOT NULL CHECK (action_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
     approach text NOT NULL CHECK (approach ~ '^CA[0-9]{4}$'),
     authorisation text NOT NULL,
     first_party text NOT NULL CHECK (${party('first_party')}),
     registry_id text NOT NULL REFERENCES registries (id),
     party_registry_id text NOT NULL CHECK (party_registry_id ~ '^[A-Z]{3}[0-9]{2}$'),
     project text NOT NULL CHECK (project ~ '^[A-Z]{2}[0-9]{3,6}$'),
     vintage int4 NOT NULL CHECK (${year('vintage')}),
     serial_first int8 NOT NULL CHECK (serial_first >= 1),
     serial_last int8 NOT NULL,
     quantity int8 NOT NULL,
     transferring_party text CHECK (${party('transferring_party')}),
     acquiring_party text CHECK (${party('acquiring_party')}),
     purpose text NOT NULL CHECK (purpose IN ('ndc', 'oimp', 'ndc_and_oimp')),
     using_or_cancelling text,
     year_of_use int4,
     -- Only a use has a year of use (an OIMP use may have none).
     CONSTRAINT article6_actions_year_of_use_of_a_use
       CHECK (year_of_use IS NULL OR (${year('year_of_use')} AND type = 'use')),
     CONSTRAINT article6_actions_quantity_of_range
       CHECK (quantity > 0 AND quantity = serial_last - serial_first + 1),
     PRIMARY KEY (chain, seq, n),
     FOREIGN KEY (chain, seq) REFERENCES journal (chain, seq),
     CONSTRAINT article6_actions_authorisation_exists FOREIGN KEY (authorisation)
       REFERENCES article6_authorisation_covered (id) DEFERRABLE INITIALLY DEFERRED)`,
  `CREATE INDEX article6_actions_by_party ON article6_actions (party, action_date)`,
  // A Party's actions of a reported year, a page at a time in entry order (article6-queries.ts).
  `CREATE INDEX article6_actions_by_party_year ON article6_actions (party, left(action_date, 4), chain, seq, n)`,
  `CREATE INDEX article6_actions_by_serial ON article6_actions (project, serial_first)`,
  // The ITMO holdings of a registry (article6-queries.ts) without a scan of every block.
  `CREATE INDEX blocks_itmo ON blocks (registry_id, itmo_approach, project, serial_first)
     WHERE itmo_approach IS NOT NULL`,
];

const guards = [
  // The records and actions are append-only, like the journal they come from (migration 001).
  `CREATE FUNCTION article6_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'article6: % is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
   END $$`,
  ...[
    'article6_approaches',
    'article6_authorisations',
    'article6_confirmations',
    'article6_finalisations',
    'article6_actions',
  ].flatMap((table) => [
    `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION article6_refuse_change()`,
    `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION article6_refuse_change()`,
  ]),
  // The database's copy of the core's rule (decide-article6.ts): once a Party has finalised a
  // period, no first transfer of a vintage in it and no use for a year in it is added.
  `CREATE FUNCTION article6_actions_check_finalised() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE period record;
   BEGIN
     IF NEW.type = 'first_transfer' THEN
       SELECT first_year, last_year INTO period FROM article6_finalisations
         WHERE party = NEW.first_party AND NEW.vintage BETWEEN first_year AND last_year;
       IF FOUND THEN
         RAISE EXCEPTION 'article6: % finalised %-%, no first transfer of vintage % is added (entry % %)',
           NEW.first_party, period.first_year, period.last_year, NEW.vintage, NEW.chain, NEW.seq USING ERRCODE = 'check_violation';
       END IF;
     ELSIF NEW.type = 'use' AND NEW.year_of_use IS NOT NULL THEN
       SELECT first_year, last_year INTO period FROM article6_finalisations
         WHERE party = NEW.party AND NEW.year_of_use BETWEEN first_year AND last_year;
       IF FOUND THEN
         RAISE EXCEPTION 'article6: % finalised %-%, no use for % is added (entry % %)',
           NEW.party, period.first_year, period.last_year, NEW.year_of_use, NEW.chain, NEW.seq USING ERRCODE = 'check_violation';
       END IF;
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER article6_actions_finalised BEFORE INSERT ON article6_actions FOR EACH ROW EXECUTE FUNCTION article6_actions_check_finalised()`,
];

/**
 * Migration 003's function with the ITMO columns of blocks, the covered quantities and the actions.
 * Everything else is as it was: journal entries in sequence order, idempotency keys, block changes
 * row by row through the primary key, issuances, reversals and the new chain head.
 */
const writeBatch = `CREATE OR REPLACE FUNCTION jcm_write_batch(batch jsonb) RETURNS void LANGUAGE plpgsql AS $$
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
         vintage int4, registry_id text, account_id text, entry_chain text, entry_seq int8, itmo_approach text,
         itmo_authorisation text, itmo_first_party text, itmo_first_transferred boolean) LOOP
       UPDATE blocks
         SET serial_last = rec.serial_last, vintage = rec.vintage, registry_id = rec.registry_id, account_id = rec.account_id,
             entry_chain = rec.entry_chain, entry_seq = rec.entry_seq, itmo_approach = rec.itmo_approach,
             itmo_authorisation = rec.itmo_authorisation, itmo_first_party = rec.itmo_first_party,
             itmo_first_transferred = rec.itmo_first_transferred
         WHERE project = rec.project AND serial_first = rec.serial_first;
     END LOOP;
     INSERT INTO blocks (project, serial_first, serial_last, vintage, registry_id, account_id, entry_chain, entry_seq,
         itmo_approach, itmo_authorisation, itmo_first_party, itmo_first_transferred)
       SELECT x.project, x.serial_first, x.serial_last, x.vintage, x.registry_id, x.account_id, x.entry_chain, x.entry_seq,
         x.itmo_approach, x.itmo_authorisation, x.itmo_first_party, x.itmo_first_transferred
       FROM jsonb_to_recordset(batch -> 'inserts') AS x (project text, serial_first int8, serial_last int8, vintage int4,
         registry_id text, account_id text, entry_chain text, entry_seq int8, itmo_approach text, itmo_authorisation text,
         itmo_first_party text, itmo_first_transferred boolean);
     INSERT INTO issuances (decision_id, line_no, registry_id, chain, seq)
       SELECT x.decision_id, x.line_no, x.registry_id, x.chain, x.seq
       FROM jsonb_to_recordset(batch -> 'issuances') AS x (decision_id text, line_no int4, registry_id text, chain text, seq int8);
     INSERT INTO reversals (chain, reversed_seq, reversing_seq)
       SELECT x.chain, x.reversed_seq, x.reversing_seq
       FROM jsonb_to_recordset(batch -> 'reversals') AS x (chain text, reversed_seq int8, reversing_seq int8);
     -- Absent from batches written before migration 015's writer: nothing to do then.
     FOR rec IN SELECT * FROM jsonb_to_recordset(coalesce(batch -> 'covered', '[]')) AS r (id text, quantity int8) LOOP
       UPDATE article6_authorisation_covered SET quantity = rec.quantity WHERE id = rec.id;
       IF NOT FOUND THEN
         RAISE EXCEPTION 'jcm_write_batch: no authorisation %', rec.id;
       END IF;
     END LOOP;
     INSERT INTO article6_actions (chain, seq, n, party, type, subtype, action_date, approach, authorisation, first_party,
         registry_id, party_registry_id, project, vintage, serial_first, serial_last, quantity, transferring_party,
         acquiring_party, purpose, using_or_cancelling, year_of_use)
       SELECT x.chain, x.seq, x.n, x.party, x.type, x.subtype, x.action_date, x.approach, x.authorisation, x.first_party,
         x.registry_id, x.party_registry_id, x.project, x.vintage, x.serial_first, x.serial_last, x.quantity,
         x.transferring_party, x.acquiring_party, x.purpose, x.using_or_cancelling, x.year_of_use
       FROM jsonb_to_recordset(coalesce(batch -> 'actions', '[]')) AS x (chain text, seq int8, n int4, party text, type text,
         subtype text, action_date text, approach text, authorisation text, first_party text, registry_id text,
         party_registry_id text, project text, vintage int4, serial_first int8, serial_last int8, quantity int8,
         transferring_party text, acquiring_party text, purpose text, using_or_cancelling text, year_of_use int4)
       ORDER BY x.seq, x.n;
     UPDATE chains SET head_seq = (batch ->> 'head_seq')::int8, head_hash = batch ->> 'head_hash' WHERE id = batch ->> 'chain';
     IF NOT FOUND THEN
       RAISE EXCEPTION 'jcm_write_batch: no chain %', batch ->> 'chain';
     END IF;
   END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...guards, writeBatch]) await sql.raw(statement).execute(db);
}
