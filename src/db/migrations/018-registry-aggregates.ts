// The registry at real size (issue 15): the history index and the aggregates that statistics, the
// overview and holdings read instead of scanning every block. All four tables are written in the same
// transaction as the ledger writes (the writer's slow path and jcm_write_batch both call
// jcm_apply_aggregates), backfilled here from the blocks and the journal, and recounted by the audit
// (audit-aggregates.ts).
//
// - ledger_movements: one row per serial range an entry creates, moves or marks (src/core/ledger/
//   movements.ts: kinds issue, transfer, retire, cancel, reserve, release, reverse, authorise).
// - account_holdings: per account, project and vintage, the credits and blocks held (no zero rows).
// - registry_totals: the same per registry and account type (no zero rows).
// - movement_totals: per registry, year of recorded_at and kind, the entries and credits moved.
import { sql, type Kysely } from 'kysely';
import { movementKinds } from '../../core/ledger/movements.ts';

const kinds = movementKinds.map((k) => `'${k}'`).join(', ');

const tables = [
  `CREATE TABLE ledger_movements (
     chain text NOT NULL,
     seq int8 NOT NULL,
     n int4 NOT NULL CHECK (n >= 0),
     registry_id text NOT NULL,
     kind text NOT NULL CHECK (kind IN (${kinds})),
     project text NOT NULL,
     vintage int4 NOT NULL,
     serial_first int8 NOT NULL CHECK (serial_first >= 1),
     serial_last int8 NOT NULL,
     quantity int8 NOT NULL,
     from_account text,
     to_account text,
     recorded_at text NOT NULL,
     purpose text,
     beneficiary text,
     note text,
     year_of_use int4,
     reason text,
     cancellation_kind text,
     authorisation text,
     CONSTRAINT ledger_movements_quantity_of_range
       CHECK (quantity > 0 AND quantity = serial_last - serial_first + 1),
     PRIMARY KEY (chain, seq, n),
     FOREIGN KEY (chain, seq) REFERENCES journal (chain, seq))`,
  `CREATE INDEX ledger_movements_from ON ledger_movements (from_account, seq, n)`,
  `CREATE INDEX ledger_movements_to ON ledger_movements (to_account, seq, n)`,
  `CREATE INDEX ledger_movements_project ON ledger_movements (project, recorded_at, chain, seq, n)`,
  `CREATE INDEX ledger_movements_serials ON ledger_movements
     USING gist (project, int8range(serial_first, serial_last, '[]'))`,
  `CREATE TABLE account_holdings (
     account_id text NOT NULL,
     project text NOT NULL,
     vintage int4 NOT NULL,
     quantity int8 NOT NULL CHECK (quantity > 0),
     blocks int8 NOT NULL CHECK (blocks > 0),
     PRIMARY KEY (account_id, project, vintage))`,
  `CREATE TABLE registry_totals (
     registry_id text NOT NULL,
     account_type text NOT NULL,
     project text NOT NULL,
     vintage int4 NOT NULL,
     quantity int8 NOT NULL CHECK (quantity > 0),
     blocks int8 NOT NULL CHECK (blocks > 0),
     PRIMARY KEY (registry_id, account_type, project, vintage))`,
  // A project's credits per vintage, registry and account type (the portal's project page).
  `CREATE INDEX registry_totals_project ON registry_totals (project, vintage)`,
  `CREATE TABLE movement_totals (
     registry_id text NOT NULL,
     year int4 NOT NULL,
     kind text NOT NULL CHECK (kind IN (${kinds})),
     entries int8 NOT NULL CHECK (entries > 0),
     quantity int8 NOT NULL CHECK (quantity > 0),
     PRIMARY KEY (registry_id, year, kind))`,
];

const movementColumns = `chain, seq, n, registry_id, kind, project, vintage, serial_first, serial_last, quantity,
  from_account, to_account, recorded_at, purpose, beneficiary, note, year_of_use, reason, cancellation_kind, authorisation`;

const movementKind = (movement: string) => `CASE ${movement} WHEN 'transfer' THEN 'transfer'
  WHEN 'retirement' THEN 'retire' WHEN 'cancellation' THEN 'cancel' WHEN 'reservation' THEN 'reserve'
  WHEN 'release' THEN 'release' WHEN 'reversal' THEN 'reverse' END`;

/** The movements of the journal so far, as src/core/ledger/movements.ts derives them. */
const backfillMovements = [
  `INSERT INTO ledger_movements (${movementColumns})
   SELECT j.chain, j.seq, (p.ord - 1)::int4, left(x.e ->> 'from', 2), ${movementKind(`x.e ->> 'movement'`)},
     p.v ->> 'project', (p.v ->> 'vintage')::int4, (p.v -> 'serials' ->> 'first')::int8, (p.v -> 'serials' ->> 'last')::int8,
     (p.v -> 'serials' ->> 'last')::int8 - (p.v -> 'serials' ->> 'first')::int8 + 1,
     x.e ->> 'from', x.e ->> 'to', j.recorded_at, x.e ->> 'purpose', x.e ->> 'beneficiary', x.e ->> 'note',
     (x.e ->> 'yearOfUse')::int4, x.e ->> 'reason', x.e ->> 'cancellationKind', NULL
   FROM journal j CROSS JOIN LATERAL (SELECT j.entry::jsonb -> 'event' AS e) x
   CROSS JOIN LATERAL jsonb_array_elements(x.e -> 'pieces') WITH ORDINALITY AS p (v, ord)
   WHERE j.type = 'credits_moved'`,
  `INSERT INTO ledger_movements (${movementColumns})
   SELECT j.chain, j.seq, (p.ord - 1)::int4, left(x.e ->> 'account', 2), 'authorise',
     p.v ->> 'project', (p.v ->> 'vintage')::int4, (p.v -> 'serials' ->> 'first')::int8, (p.v -> 'serials' ->> 'last')::int8,
     (p.v -> 'serials' ->> 'last')::int8 - (p.v -> 'serials' ->> 'first')::int8 + 1,
     x.e ->> 'account', x.e ->> 'account', j.recorded_at, NULL, NULL, NULL, NULL, NULL, NULL, x.e ->> 'authorisation'
   FROM journal j CROSS JOIN LATERAL (SELECT j.entry::jsonb -> 'event' AS e) x
   CROSS JOIN LATERAL jsonb_array_elements(x.e -> 'pieces') WITH ORDINALITY AS p (v, ord)
   WHERE j.type = 'units_authorised'`,
  // An issuance: the holder's part (its first serials), then the reserve part into the reserve account.
  `INSERT INTO ledger_movements (${movementColumns})
   SELECT s.chain, s.seq, (row_number() OVER (PARTITION BY s.chain, s.seq ORDER BY s.part) - 1)::int4,
     s.e ->> 'registry', 'issue', s.e ->> 'project', (s.e ->> 'vintage')::int4, s.f, s.l, s.l - s.f + 1,
     NULL, s.to_account, s.recorded_at, NULL, NULL, NULL, NULL, NULL, NULL, s.e -> 'itmo' ->> 'authorisation'
   FROM (
     SELECT j.chain, j.seq, j.recorded_at, x.e, 0 AS part, (x.e -> 'serials' ->> 'first')::int8 AS f,
       (x.e -> 'serials' ->> 'last')::int8 - coalesce((x.e ->> 'reserve')::int8, 0) AS l, x.e ->> 'account' AS to_account
     FROM journal j CROSS JOIN LATERAL (SELECT j.entry::jsonb -> 'event' AS e) x WHERE j.type = 'credits_issued'
     UNION ALL
     SELECT j.chain, j.seq, j.recorded_at, x.e, 1, (x.e -> 'serials' ->> 'last')::int8 - (x.e ->> 'reserve')::int8 + 1,
       (x.e -> 'serials' ->> 'last')::int8, x.e ->> 'reserveAccount'
     FROM journal j CROSS JOIN LATERAL (SELECT j.entry::jsonb -> 'event' AS e) x
     WHERE j.type = 'credits_issued' AND coalesce((x.e ->> 'reserve')::int8, 0) > 0 AND x.e ->> 'reserveAccount' IS NOT NULL
   ) s WHERE s.l >= s.f`,
];

const backfillTotals = [
  `INSERT INTO account_holdings (account_id, project, vintage, quantity, blocks)
   SELECT account_id, project, vintage, sum(serial_last - serial_first + 1), count(*) FROM blocks GROUP BY 1, 2, 3`,
  `INSERT INTO registry_totals (registry_id, account_type, project, vintage, quantity, blocks)
   SELECT b.registry_id, a.type, b.project, b.vintage, sum(b.serial_last - b.serial_first + 1), count(*)
   FROM blocks b JOIN accounts a ON a.id = b.account_id GROUP BY 1, 2, 3, 4`,
  `INSERT INTO movement_totals (registry_id, year, kind, entries, quantity)
   SELECT registry_id, left(recorded_at, 4)::int4, kind, count(DISTINCT (chain, seq)), sum(quantity)
   FROM ledger_movements GROUP BY 1, 2, 3`,
];

/** The backfill, in order (also run by test/integration/aggregates.test.ts against the writer's rows). */
export const backfill = [...backfillMovements, ...backfillTotals];

const guards = [
  // Derived from the journal like article6_actions: append-only.
  `CREATE TRIGGER ledger_movements_append_only BEFORE UPDATE OR DELETE ON ledger_movements
     FOR EACH ROW EXECUTE FUNCTION article6_refuse_change()`,
  `CREATE TRIGGER ledger_movements_no_truncate BEFORE TRUNCATE ON ledger_movements
     FOR EACH STATEMENT EXECUTE FUNCTION article6_refuse_change()`,
];

/**
 * The aggregates' share of a batch: its movements (rows of ledger_movements, which also add to
 * movement_totals) and the net change of its blocks per account, project and vintage (which adds to
 * account_holdings and, by the account's registry and type, registry_totals). A row whose quantity
 * reaches zero is deleted. One function for both write paths.
 */
const applyAggregates = `CREATE FUNCTION jcm_apply_aggregates(holdings jsonb, movements jsonb) RETURNS void LANGUAGE plpgsql AS $$
   BEGIN
     IF jsonb_array_length(movements) > 0 THEN
       INSERT INTO ledger_movements (${movementColumns})
         SELECT ${movementColumns} FROM jsonb_to_recordset(movements) AS x (chain text, seq int8, n int4, registry_id text,
           kind text, project text, vintage int4, serial_first int8, serial_last int8, quantity int8, from_account text,
           to_account text, recorded_at text, purpose text, beneficiary text, note text, year_of_use int4, reason text,
           cancellation_kind text, authorisation text)
         ORDER BY x.seq, x.n;
       INSERT INTO movement_totals AS t (registry_id, year, kind, entries, quantity)
         SELECT x.registry_id, left(x.recorded_at, 4)::int4, x.kind, count(DISTINCT (x.chain, x.seq)), sum(x.quantity)
         FROM jsonb_to_recordset(movements) AS x (chain text, seq int8, registry_id text, kind text, recorded_at text, quantity int8)
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
         ON CONFLICT (registry_id, year, kind)
         DO UPDATE SET entries = t.entries + excluded.entries, quantity = t.quantity + excluded.quantity;
     END IF;
     IF jsonb_array_length(holdings) = 0 THEN
       RETURN;
     END IF;
     WITH d AS (
       SELECT x.account_id, x.project, x.vintage, sum(x.quantity)::int8 AS quantity, sum(x.blocks)::int8 AS blocks
       FROM jsonb_to_recordset(holdings) AS x (account_id text, project text, vintage int4, quantity int8, blocks int8)
       GROUP BY 1, 2, 3 HAVING sum(x.quantity) <> 0 OR sum(x.blocks) <> 0),
     gone AS (
       DELETE FROM account_holdings h USING d
       WHERE h.account_id = d.account_id AND h.project = d.project AND h.vintage = d.vintage
         AND h.quantity + d.quantity = 0 AND h.blocks + d.blocks = 0
       RETURNING h.account_id, h.project, h.vintage),
     changed AS (
       UPDATE account_holdings h SET quantity = h.quantity + d.quantity, blocks = h.blocks + d.blocks FROM d
       WHERE h.account_id = d.account_id AND h.project = d.project AND h.vintage = d.vintage
         AND NOT (h.quantity + d.quantity = 0 AND h.blocks + d.blocks = 0)
       RETURNING h.account_id, h.project, h.vintage)
     INSERT INTO account_holdings (account_id, project, vintage, quantity, blocks)
       SELECT d.* FROM d WHERE NOT EXISTS (
         SELECT 1 FROM gone g WHERE g.account_id = d.account_id AND g.project = d.project AND g.vintage = d.vintage
         UNION ALL
         SELECT 1 FROM changed c WHERE c.account_id = d.account_id AND c.project = d.project AND c.vintage = d.vintage);
     WITH d AS (
       SELECT a.registry_id, a.type AS account_type, x.project, x.vintage, sum(x.quantity)::int8 AS quantity,
         sum(x.blocks)::int8 AS blocks
       FROM jsonb_to_recordset(holdings) AS x (account_id text, project text, vintage int4, quantity int8, blocks int8)
       JOIN accounts a ON a.id = x.account_id
       GROUP BY 1, 2, 3, 4 HAVING sum(x.quantity) <> 0 OR sum(x.blocks) <> 0),
     gone AS (
       DELETE FROM registry_totals t USING d
       WHERE t.registry_id = d.registry_id AND t.account_type = d.account_type AND t.project = d.project
         AND t.vintage = d.vintage AND t.quantity + d.quantity = 0 AND t.blocks + d.blocks = 0
       RETURNING t.registry_id, t.account_type, t.project, t.vintage),
     changed AS (
       UPDATE registry_totals t SET quantity = t.quantity + d.quantity, blocks = t.blocks + d.blocks FROM d
       WHERE t.registry_id = d.registry_id AND t.account_type = d.account_type AND t.project = d.project
         AND t.vintage = d.vintage AND NOT (t.quantity + d.quantity = 0 AND t.blocks + d.blocks = 0)
       RETURNING t.registry_id, t.account_type, t.project, t.vintage)
     INSERT INTO registry_totals (registry_id, account_type, project, vintage, quantity, blocks)
       SELECT d.* FROM d WHERE NOT EXISTS (
         SELECT 1 FROM gone g WHERE g.registry_id = d.registry_id AND g.account_type = d.account_type
           AND g.project = d.project AND g.vintage = d.vintage
         UNION ALL
         SELECT 1 FROM changed c WHERE c.registry_id = d.registry_id AND c.account_type = d.account_type
           AND c.project = d.project AND c.vintage = d.vintage);
   END $$`;

/** Migration 015's function, which also hands the batch's aggregates to jcm_apply_aggregates. */
export const writeBatch = `CREATE OR REPLACE FUNCTION jcm_write_batch(batch jsonb) RETURNS void LANGUAGE plpgsql AS $$
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
     PERFORM jcm_apply_aggregates(coalesce(batch -> 'holdings', '[]'), coalesce(batch -> 'movements', '[]'));
     UPDATE chains SET head_seq = (batch ->> 'head_seq')::int8, head_hash = batch ->> 'head_hash' WHERE id = batch ->> 'chain';
     IF NOT FOUND THEN
       RAISE EXCEPTION 'jcm_write_batch: no chain %', batch ->> 'chain';
     END IF;
   END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...backfill, ...guards, applyAggregates, writeBatch])
    await sql.raw(statement).execute(db);
}
