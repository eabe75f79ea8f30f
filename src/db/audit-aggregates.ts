// The audit's check of migration 018's tables (issue 15): account_holdings and registry_totals are
// recounted from blocks, movement_totals (and migration 022's synthetic share of it) from
// ledger_movements, in the database (a count and at most a hundred examples come back);
// ledger_movements is compared, a page of journal entries at a time, with the movements
// src/core/ledger/movements.ts derives again from the journal. Memory stays bounded by the page,
// whatever the journal holds.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { readEnvelope } from '../core/ledger/journal.ts';
import { deriveMovements } from '../core/ledger/movements.ts';
import type { Violation } from '../core/ledger/invariants.ts';
import type { ChainId } from '../core/shared/ids.ts';
import { movementRow } from './aggregate-rows.ts';
import { examplesPerKindMax, type ViolationLog } from './audit-violations.ts';
import type { Db } from './connect.ts';
import type { Schema } from './schema.ts';

const pageSize = 5000;
/** The journal entries that have movements (deriveMovements). */
const movingTypes = ['credits_issued', 'credits_moved', 'units_authorised'];

/** Recounts the aggregates and compares the movements with the journal; adds what differs to `log`. */
/** `db` reads: the audit passes its own transaction's snapshot. */
export async function auditAggregates(db: Pick<Db, 'read'>, log: ViolationLog): Promise<void> {
  for (const check of recounts) {
    const { count, rows } = await db.read((k) => bounded(k, check.query));
    log.addCounted(
      check.kind,
      check.invariant,
      count,
      rows.map((r) => ({
        invariant: check.invariant,
        message: `recount of ${check.table} differs at ${r.what}`,
      })),
    );
  }
  const chains = await db.read((k) => k.selectFrom('chains').select('id').orderBy('id').execute());
  for (const { id } of chains) await compareMovements(db, id as ChainId, log);
}

const recounts: {
  kind: string;
  table: string;
  invariant: Violation['invariant'];
  query: RawBuilder<{ what: string }>;
}[] = [
  {
    kind: 'aggregate_account_holdings',
    table: 'account_holdings',
    invariant: 2,
    query: sql<{ what: string }>`
      WITH counted AS (SELECT account_id, project, vintage, sum(serial_last - serial_first + 1) AS q, count(*) AS b
                       FROM blocks GROUP BY 1, 2, 3)
      SELECT coalesce(c.account_id, h.account_id) || ' ' || coalesce(c.project, h.project) || ' ' || coalesce(c.vintage, h.vintage) AS what
      FROM counted c FULL JOIN account_holdings h
        ON h.account_id = c.account_id AND h.project = c.project AND h.vintage = c.vintage
      WHERE c.q IS DISTINCT FROM h.quantity OR c.b IS DISTINCT FROM h.blocks`,
  },
  {
    kind: 'aggregate_registry_totals',
    table: 'registry_totals',
    invariant: 2,
    query: sql<{ what: string }>`
      WITH counted AS (SELECT b.registry_id, a.type, b.project, b.vintage, sum(b.serial_last - b.serial_first + 1) AS q, count(*) AS n
                       FROM blocks b JOIN accounts a ON a.id = b.account_id GROUP BY 1, 2, 3, 4)
      SELECT coalesce(c.registry_id, t.registry_id) || ' ' || coalesce(c.type, t.account_type) || ' ' || coalesce(c.project, t.project) || ' ' || coalesce(c.vintage, t.vintage) AS what
      FROM counted c FULL JOIN registry_totals t
        ON t.registry_id = c.registry_id AND t.account_type = c.type AND t.project = c.project AND t.vintage = c.vintage
      WHERE c.q IS DISTINCT FROM t.quantity OR c.n IS DISTINCT FROM t.blocks`,
  },
  {
    kind: 'aggregate_movement_totals',
    table: 'movement_totals',
    invariant: 6,
    query: sql<{ what: string }>`
      WITH counted AS (SELECT registry_id, left(recorded_at, 4)::int4 AS year, kind, count(DISTINCT (chain, seq)) AS e, sum(quantity) AS q
                       FROM ledger_movements GROUP BY 1, 2, 3)
      SELECT coalesce(c.registry_id, t.registry_id) || ' ' || coalesce(c.year, t.year) || ' ' || coalesce(c.kind, t.kind) AS what
      FROM counted c FULL JOIN movement_totals t ON t.registry_id = c.registry_id AND t.year = c.year AND t.kind = c.kind
      WHERE c.e IS DISTINCT FROM t.entries OR c.q IS DISTINCT FROM t.quantity`,
  },
  {
    // Migration 022: the demo's credits, and the entries that moved nothing else, per group.
    kind: 'aggregate_movement_totals_synthetic',
    table: 'movement_totals_synthetic',
    invariant: 6,
    query: sql<{ what: string }>`
      WITH refs AS (SELECT reference FROM cycle_items WHERE synthetic AND machine = 'project' AND reference IS NOT NULL),
      entries AS (SELECT m.chain, m.seq, m.registry_id, left(m.recorded_at, 4)::int4 AS year, m.kind,
                    coalesce(sum(m.quantity) FILTER (WHERE r.reference IS NOT NULL), 0) AS s,
                    coalesce(sum(m.quantity) FILTER (WHERE r.reference IS NULL), 0) AS n
                  FROM ledger_movements m LEFT JOIN refs r ON r.reference = m.project GROUP BY 1, 2, 3, 4, 5),
      counted AS (SELECT registry_id, year, kind, count(*) FILTER (WHERE n = 0) AS e, sum(s) AS q
                  FROM entries WHERE s > 0 GROUP BY 1, 2, 3)
      SELECT coalesce(c.registry_id, t.registry_id) || ' ' || coalesce(c.year, t.year) || ' ' || coalesce(c.kind, t.kind) AS what
      FROM counted c FULL JOIN movement_totals_synthetic t ON t.registry_id = c.registry_id AND t.year = c.year AND t.kind = c.kind
      WHERE c.e IS DISTINCT FROM t.entries OR c.q IS DISTINCT FROM t.quantity`,
  },
];

async function bounded(
  k: Kysely<Schema>,
  query: RawBuilder<{ what: string }>,
): Promise<{ count: number; rows: { what: string }[] }> {
  const result = await sql<{ what: string; total: bigint }>`
    SELECT v.what, count(*) OVER ()::int8 AS total FROM (${query}) v
    ORDER BY v.what LIMIT ${examplesPerKindMax}`.execute(k);
  return { count: Number(result.rows[0]?.total ?? 0n), rows: result.rows };
}

/**
 * One chain's movements, a page of moving entries at a time: the stored rows of the entries after the
 * previous page up to the page's last (on the last page, every later one too) against those derived.
 */
async function compareMovements(
  db: Pick<Db, 'read'>,
  chain: ChainId,
  log: ViolationLog,
): Promise<void> {
  let after = 0n;
  for (;;) {
    const entries = await db.read((k) =>
      k
        .selectFrom('journal')
        .select(['seq', 'entry'])
        .where('chain', '=', chain)
        .where('seq', '>', after)
        .where('type', 'in', movingTypes)
        .orderBy('seq')
        .limit(pageSize)
        .execute(),
    );
    const last = entries.length < pageSize ? undefined : entries.at(-1)?.seq;
    const expected = new Map<string, Schema['ledger_movements']>();
    for (const { seq, entry } of entries) {
      let envelope;
      try {
        envelope = readEnvelope(entry);
        for (const m of deriveMovements(envelope.event, { chain, seq }, envelope.recordedAt))
          expected.set(`${seq}#${m.n}`, movementRow(m));
      } catch {
        // An unreadable entry is the journal check's finding (audit.ts); nothing to derive here.
      }
    }
    const stored = await db.read((k) => {
      let q = k
        .selectFrom('ledger_movements')
        .selectAll()
        .where('chain', '=', chain)
        .where('seq', '>', after);
      if (last !== undefined) q = q.where('seq', '<=', last);
      return q.orderBy('seq').orderBy('n').execute();
    });
    compareRows(chain, stored, expected, log);
    if (last === undefined) break;
    after = last;
  }
}

function compareRows(
  chain: string,
  stored: readonly Schema['ledger_movements'][],
  expected: Map<string, Schema['ledger_movements']>,
  log: ViolationLog,
): void {
  for (const row of stored) {
    const key = `${row.seq}#${row.n}`;
    const want = expected.get(key);
    expected.delete(key);
    const at = `chain ${chain} entry ${row.seq} movement ${row.n}`;
    if (want === undefined) {
      log.add('ledger_movements', {
        invariant: 6,
        message: `${at}: table ledger_movements holds a movement the journal does not give`,
      });
      continue;
    }
    const differing = (Object.keys(want) as (keyof Schema['ledger_movements'])[]).filter(
      (column) => String(row[column]) !== String(want[column]),
    );
    if (differing.length > 0)
      log.add('ledger_movements', {
        invariant: 6,
        message: `${at}: columns ${differing.join(', ')} of ledger_movements differ from the journal`,
      });
  }
  for (const key of expected.keys()) {
    const [seq, n] = key.split('#');
    log.add('ledger_movements', {
      invariant: 6,
      message: `chain ${chain} entry ${seq} movement ${n}: the journal gives a movement table ledger_movements lacks`,
    });
  }
}
