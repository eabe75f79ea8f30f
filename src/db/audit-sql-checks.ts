// The audit's checks in SQL, run after the replay: the hash chains once more (the database's own
// digest()), invariants 1-5 over the tables, and the bounded count-and-examples answer every check
// gives however many rows fail.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Violation } from '../core/ledger/invariants.ts';
import { examplesPerKindMax, type ViolationLog } from './audit-violations.ts';
import type { Schema } from './schema.ts';

/**
 * The rows a check query finds (a column `what` naming each), counted in the database and at most
 * `examplesPerKindMax` of them sent back, in order: the answer is small however many rows fail.
 */
export async function boundedRows<Row extends { what: string }>(
  k: Kysely<Schema>,
  query: RawBuilder<Row>,
): Promise<{ count: number; rows: Row[] }> {
  const result = await sql<Row & { total: bigint }>`
    SELECT v.*, count(*) OVER ()::int8 AS total FROM (${query}) v
    ORDER BY v.what LIMIT ${examplesPerKindMax}`.execute(k);
  return { count: Number(result.rows[0]?.total ?? 0n), rows: result.rows };
}

/**
 * As `boundedRows`, but a row the check cannot read (a journal entry that is not JSON: PostgreSQL's
 * data exceptions, SQLSTATE class 22) is a finding of the audit, not a reason to stop it.
 */
async function boundedRowsOrDataError<Row extends { what: string }>(
  k: Kysely<Schema>,
  query: RawBuilder<Row>,
): Promise<{ count: number; rows: Row[] } | { unreadable: string }> {
  // In the audit's transaction, a failed statement would abort it: the check runs in a savepoint.
  const savepoint = k.isTransaction;
  if (savepoint) await sql`SAVEPOINT audit_check`.execute(k);
  try {
    const found = await boundedRows(k, query);
    if (savepoint) await sql`RELEASE SAVEPOINT audit_check`.execute(k);
    return found;
  } catch (error) {
    if (savepoint) await sql`ROLLBACK TO SAVEPOINT audit_check`.execute(k);
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('22')) throw error;
    return { unreadable: `${code}: ${error instanceof Error ? error.message.slice(0, 200) : ''}` };
  }
}

export async function chainViolationsInSql(k: Kysely<Schema>, log: ViolationLog): Promise<void> {
  const { count, rows } = await boundedRows(
    k,
    sql<{ what: string; chain: string; seq: bigint; problem: string }>`
    SELECT chain || ' ' || lpad(seq::text, 19, '0') AS what, chain, seq, CASE WHEN hash <> encode(digest(prev_hash || entry, 'sha256'), 'hex') THEN 'hash' ELSE 'link' END AS problem
    FROM (SELECT *, lag(hash) OVER (PARTITION BY chain ORDER BY seq) AS before, lag(seq) OVER (PARTITION BY chain ORDER BY seq) AS before_seq FROM journal) j
    WHERE hash <> encode(digest(prev_hash || entry, 'sha256'), 'hex')
       OR prev_hash <> coalesce(before, repeat('0', 64))
       OR seq <> coalesce(before_seq, 0) + 1`,
  );
  log.addCounted(
    'sql_journal',
    6,
    count,
    rows.map((r) => ({
      invariant: 6,
      message: `SQL check: chain ${r.chain} entry ${r.seq} fails its ${r.problem === 'hash' ? 'hash' : 'link to the previous entry'}`,
    })),
  );
}

/**
 * Invariant 1, every block lies within an issued line, in one ordered pass over the issued lines and
 * the blocks of each project (lines first at equal serials): a block is covered when the furthest
 * serial reached by the lines starting at or before it reaches its last serial. That line contains
 * the block, and a line containing it is among those, so this names the blocks no single issued
 * line contains, overlapping lines or not. The NOT EXISTS it replaces was planned as a merge on the
 * project alone: every block against every line.
 */
const blocksOutsideIssuedLines = sql`
  SELECT project || ':' || first FROM (
    SELECT project, first, last, kind,
      max(CASE WHEN kind = 0 THEN last END)
        OVER (PARTITION BY project ORDER BY first, kind ROWS UNBOUNDED PRECEDING) AS covered_to
    FROM (
      SELECT d.project, l.serial_first AS first, l.serial_last AS last, 0 AS kind
      FROM decision_lines l JOIN issuances i USING (decision_id, line_no) JOIN decisions d ON d.id = l.decision_id
      UNION ALL
      SELECT project, serial_first, serial_last, 1 FROM blocks) spans) w
  WHERE kind = 1 AND (covered_to IS NULL OR covered_to < last)`;

export async function invariantViolationsInSql(
  k: Kysely<Schema>,
  log: ViolationLog,
): Promise<void> {
  const checks: {
    invariant: Violation['invariant'];
    query: ReturnType<typeof sql<{ what: string }>>;
  }[] = [
    {
      invariant: 1,
      query: sql<{ what: string }>`
        SELECT d.id AS what FROM decisions d
        WHERE (SELECT coalesce(sum(b.serial_last - b.serial_first + 1), 0) FROM blocks b WHERE b.project = d.project AND b.serials && int8range(d.serial_first, d.serial_last, '[]'))
           <> (SELECT coalesce(sum(l.quantity), 0) FROM decision_lines l JOIN issuances i USING (decision_id, line_no) WHERE l.decision_id = d.id)
        UNION ALL
        ${blocksOutsideIssuedLines}`,
    },
    {
      invariant: 2,
      query: sql<{ what: string }>`
        WITH held AS (SELECT registry_id, project, vintage, sum(serial_last - serial_first + 1) AS q FROM blocks GROUP BY 1, 2, 3),
             issued AS (SELECT l.registry_id, d.project, l.vintage, sum(l.quantity) AS q FROM decision_lines l JOIN issuances i USING (decision_id, line_no) JOIN decisions d ON d.id = l.decision_id GROUP BY 1, 2, 3)
        SELECT coalesce(h.registry_id, i.registry_id) || ' ' || coalesce(h.project, i.project) || ' ' || coalesce(h.vintage, i.vintage) AS what
        FROM held h FULL JOIN issued i ON h.registry_id = i.registry_id AND h.project = i.project AND h.vintage = i.vintage
        WHERE h.q IS DISTINCT FROM i.q`,
    },
    {
      invariant: 3,
      query: sql<{ what: string }>`
        SELECT j.chain || ' entry ' || j.seq AS what FROM journal j JOIN accounts a ON a.id = (j.entry::jsonb -> 'event' ->> 'from')
        WHERE j.type = 'credits_moved' AND a.type IN ('retirement', 'cancellation')
        UNION ALL
        SELECT b.project || ':' || b.serial_first FROM blocks b JOIN accounts a ON a.id = b.account_id JOIN journal j ON j.chain = b.entry_chain AND j.seq = b.entry_seq
        WHERE a.type IN ('retirement', 'cancellation') AND (j.type <> 'credits_moved' OR j.entry::jsonb -> 'event' ->> 'to' <> b.account_id)`,
    },
    {
      invariant: 4,
      query: sql<{ what: string }>`
        SELECT b.project || ':' || b.serial_first AS what FROM blocks b JOIN accounts a ON a.id = b.account_id
        WHERE b.serial_last < b.serial_first OR b.serial_first < 1 OR a.status = 'closed'`,
    },
    {
      invariant: 5,
      query: sql<{ what: string }>`
        WITH issued AS (SELECT d.project, l.vintage, sum(l.quantity) AS q FROM decision_lines l JOIN issuances i USING (decision_id, line_no) JOIN decisions d ON d.id = l.decision_id GROUP BY 1, 2),
             verified AS (SELECT d.project, v.vintage, sum(v.quantity) AS q FROM verified_reductions v JOIN decisions d ON d.id = v.decision_id GROUP BY 1, 2)
        SELECT i.project || ' ' || i.vintage AS what FROM issued i LEFT JOIN verified v USING (project, vintage) WHERE i.q > coalesce(v.q, 0)`,
    },
  ];
  for (const check of checks) {
    const found = await boundedRowsOrDataError(k, check.query);
    if ('unreadable' in found) {
      log.add(`sql_invariant_${check.invariant}`, {
        invariant: check.invariant,
        message: `SQL check of invariant ${check.invariant} could not read the data (${found.unreadable}); an altered row?`,
      });
      continue;
    }
    const { count, rows } = found;
    log.addCounted(
      `sql_invariant_${check.invariant}`,
      check.invariant,
      count,
      rows.map((row) => ({
        invariant: check.invariant,
        message: `SQL check of invariant ${check.invariant} fails at ${row.what}`,
      })),
    );
  }
}
