// `jcm audit`: re-verifies everything the registry promises. Each journal chain is verified in code
// and again in SQL, every journal is replayed through the core into a fresh state whose invariants are
// checked, that state is loaded into temporary tables and compared with the live ones, and invariants
// 1-5 are checked once more in SQL. Every violation names its invariant.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { apply } from '../core/ledger/apply.ts';
import { checkInvariants, type Violation } from '../core/ledger/invariants.ts';
import {
  entryHash,
  genesisHash,
  readEnvelope,
  type JournalEnvelope,
} from '../core/ledger/journal.ts';
import { emptyState, type LedgerState } from '../core/ledger/state.ts';
import { InvariantViolation } from '../core/shared/assert.ts';
import type { ChainId } from '../core/shared/ids.ts';
import type { Db } from './connect.ts';
import { sha256Hex } from './sha256.ts';
import type { Schema } from './schema.ts';
import { compareWithReplay } from './audit-replay-compare.ts';
import { ActionPage, orphanActionsQuery, RecordRows } from './audit-article6.ts';
import { auditAggregates } from './audit-aggregates.ts';
import {
  examplesPerKindMax,
  ViolationLog,
  type KindedViolation,
  type ViolationKindCount,
} from './audit-violations.ts';

export interface AuditReport {
  readonly passed: boolean;
  /** At most `examplesPerKindMax` violations of each kind, kind after kind. */
  readonly violations: readonly KindedViolation[];
  /** Every kind of violation found, with how many there are in all. */
  readonly kinds: readonly ViolationKindCount[];
  /** The number of violations found, of every kind (more than `violations` lists, perhaps). */
  readonly violationCount: number;
  readonly chains: readonly { chain: string; entries: bigint; headHash: string }[];
  readonly checkedAt: string;
}

const journalPageSize = 5000;

/** The last audits, newest first (the back office's audit page). */
export function recentAuditRuns(db: Db, limit: number) {
  return db.read((k) =>
    k
      .selectFrom('audit_runs')
      .select(['ran_at', 'passed'])
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
  );
}

export async function runAudit(db: Db, now: string): Promise<AuditReport> {
  const log = new ViolationLog();
  const state = emptyState();
  const chains = await db.read((k) => k.selectFrom('chains').selectAll().execute());
  // Decisions (Joint Committee chains) first: registries' issuances refer to them.
  chains.sort(
    (a, b) =>
      Number(b.id.startsWith('JC-')) - Number(a.id.startsWith('JC-')) || a.id.localeCompare(b.id),
  );
  const summary: { chain: string; entries: bigint; headHash: string }[] = [];
  const records = new RecordRows();
  for (const chain of chains) {
    const verified = await verifyAndReplayChain(db, chain, { state, records }, log);
    summary.push({ chain: chain.id, entries: verified, headHash: chain.head_hash });
  }
  await db.read((k) => chainViolationsInSql(k, log));
  for (const v of checkInvariants(state)) log.add(`replayed_state_invariant_${v.invariant}`, v);
  for (const v of await db.transaction((trx) => compareWithReplay(trx, state, records)))
    log.add(v.kind, v);
  await db.read((k) => invariantViolationsInSql(k, log));
  await auditAggregates(db, log); // issue 15, lane S1: migration 018's aggregates and movements
  const orphans = await db.read((k) => boundedRows(k, orphanActionsQuery()));
  log.addCounted(
    'article6_actions',
    6,
    orphans.count,
    orphans.rows.map((r) => ({
      invariant: 6,
      message: `SQL check: article6_actions row ${r.what} names no journal entry`,
    })),
  );
  const { violations, kinds } = log.summary();
  const report: AuditReport = {
    passed: kinds.length === 0,
    violations,
    kinds,
    violationCount: log.count,
    chains: summary,
    checkedAt: now,
  };
  await db.transaction((trx) =>
    trx
      .insertInto('audit_runs')
      .values({
        ran_at: now,
        passed: report.passed,
        report: JSON.stringify({
          violations,
          kinds,
          chains: summary.map((c) => ({ ...c, entries: String(c.entries) })),
        }),
      })
      .execute(),
  );
  return report;
}

/**
 * Verifies one chain and replays it into the state, entry by entry: each entry's Article 6.2 actions
 * are derived from the state before its event (audit-article6.ts) and compared, a page at a time,
 * with article6_actions; its Article 6.2 records are kept to compare with their tables.
 */
async function verifyAndReplayChain(
  db: Db,
  chain: Schema['chains'],
  replay: { readonly state: LedgerState; readonly records: RecordRows },
  log: ViolationLog,
): Promise<bigint> {
  const { state, records } = replay;
  let expectedSeq = 1n;
  let previous = genesisHash;
  let replayBroken = false;
  for (;;) {
    const rows = await db.read((k) =>
      k
        .selectFrom('journal')
        .selectAll()
        .where('chain', '=', chain.id)
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(journalPageSize)
        .execute(),
    );
    const actions = new ActionPage();
    for (const row of rows) {
      const envelope = checkJournalRow(row, expectedSeq, previous, log);
      if (envelope !== null && !replayBroken) {
        const entry = { chain: chain.id as ChainId, seq: row.seq };
        records.add(envelope.event, entry);
        try {
          actions.derive(state, envelope.event, entry, envelope.recordedAt);
          apply(state, envelope.event, entry);
        } catch (error) {
          if (!(error instanceof InvariantViolation)) throw error;
          replayBroken = true;
          log.add('replay', {
            invariant: invariantOf(error.message),
            message: `replaying chain ${chain.id} entry ${row.seq}: ${error.message}`,
          });
        }
      }
      previous = row.hash;
      expectedSeq = row.seq + 1n;
    }
    const first = rows[0]?.seq;
    // Once the replay broke, what it would derive means nothing; the break is reported already.
    if (first !== undefined && !replayBroken)
      await db.read((k) => actions.compare(k, chain.id, { first, last: expectedSeq - 1n }, log));
    if (rows.length < journalPageSize) break;
  }
  if (chain.head_seq !== expectedSeq - 1n || chain.head_hash !== previous) {
    log.add('chain_head', {
      invariant: 6,
      message: `chain ${chain.id}: head says entry ${chain.head_seq}, the journal ends at ${expectedSeq - 1n}`,
    });
  }
  return expectedSeq - 1n;
}

/**
 * Checks every column of a journal row: its place in the chain (seq, prev_hash), its hash (of
 * prev_hash and entry), and each column the entry repeats (chain, seq, type, actor, recorded_at,
 * idempotency_key) against the hashed entry. Returns the entry, or null if it cannot be read.
 */
function checkJournalRow(
  row: Schema['journal'],
  expectedSeq: bigint,
  previous: string,
  log: ViolationLog,
): JournalEnvelope | null {
  const at = `chain ${row.chain} entry ${row.seq}`;
  const violation = (message: string) => ({ invariant: 6 as const, message });
  if (row.seq !== expectedSeq)
    log.add(
      'journal_gap',
      violation(`chain ${row.chain}: entry ${expectedSeq} is missing (next is ${row.seq})`),
    );
  if (row.prev_hash !== previous)
    log.add(
      'journal_link',
      violation(`${at}: column prev_hash does not link to the entry before it (altered entry)`),
    );
  if (entryHash(sha256Hex, row.prev_hash, row.entry) !== row.hash)
    log.add(
      'journal_hash',
      violation(
        `${at}: columns hash and entry disagree, hash is not sha256(prev_hash || entry) (altered entry)`,
      ),
    );
  const envelope = readableEnvelope(row.entry);
  if (envelope === null) {
    log.add('journal_unreadable', violation(`${at}: column entry is not a journal entry`));
    return null;
  }
  const differing = journalColumnsDiffering(row, envelope);
  if (differing.length > 0)
    log.add(
      'journal_columns',
      violation(
        `${at}: ${differing.length === 1 ? 'column' : 'columns'} ${differing.join(', ')} ${differing.length === 1 ? 'disagrees' : 'disagree'} with the hashed entry`,
      ),
    );
  return envelope;
}

/** The columns of a journal row that say something else than the hashed entry they repeat. */
export function journalColumnsDiffering(
  row: Schema['journal'],
  envelope: JournalEnvelope,
): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['chain', row.chain, envelope.chain],
    ['seq', String(row.seq), String(envelope.seq)],
    ['type', row.type, envelope.event?.type],
    ['actor', row.actor, envelope.actor],
    ['recorded_at', row.recorded_at, envelope.recordedAt],
    ['idempotency_key', row.idempotency_key, envelope.idempotencyKey ?? null],
  ];
  return pairs.filter(([, column, hashed]) => column !== hashed).map(([name]) => name);
}

function readableEnvelope(text: string): JournalEnvelope | null {
  try {
    const envelope = readEnvelope(text);
    return typeof envelope === 'object' && envelope !== null && typeof envelope.event === 'object'
      ? envelope
      : null;
  } catch {
    return null;
  }
}

function invariantOf(message: string): Violation['invariant'] {
  const match = /^invariant ([1-6])/.exec(message);
  return match === null ? 6 : (Number(match[1]) as Violation['invariant']);
}

/**
 * The rows a check query finds (a column `what` naming each), counted in the database and at most
 * `examplesPerKindMax` of them sent back, in order: the answer is small however many rows fail.
 */
async function boundedRows<Row extends { what: string }>(
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
  try {
    return await boundedRows(k, query);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('22')) throw error;
    return { unreadable: `${code}: ${error instanceof Error ? error.message.slice(0, 200) : ''}` };
  }
}

async function chainViolationsInSql(k: Kysely<Schema>, log: ViolationLog): Promise<void> {
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

async function invariantViolationsInSql(k: Kysely<Schema>, log: ViolationLog): Promise<void> {
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
        SELECT b.project || ':' || b.serial_first FROM blocks b WHERE NOT EXISTS (
          SELECT 1 FROM decision_lines l JOIN issuances i USING (decision_id, line_no) JOIN decisions d ON d.id = l.decision_id
          WHERE d.project = b.project AND int8range(l.serial_first, l.serial_last, '[]') @> b.serials)`,
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
