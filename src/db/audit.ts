// `jcm audit`: re-verifies everything the registry promises. Each journal chain is verified in code
// and again in SQL, every journal is replayed through the core into a fresh state whose invariants are
// checked, that state is loaded into temporary tables and compared with the live ones, and invariants
// 1-5 are checked once more in SQL. Every violation names its invariant.
import { sql, type Kysely } from 'kysely';
import { apply } from '../core/ledger/apply.ts';
import { checkInvariants, type Violation } from '../core/ledger/invariants.ts';
import { entryHash, genesisHash, readEnvelope } from '../core/ledger/journal.ts';
import { emptyState, type LedgerState } from '../core/ledger/state.ts';
import { InvariantViolation } from '../core/shared/assert.ts';
import type { ChainId } from '../core/shared/ids.ts';
import type { Db } from './connect.ts';
import { sha256Hex } from './sha256.ts';
import type { Schema } from './schema.ts';
import { compareWithReplay } from './audit-replay-compare.ts';

export interface AuditReport {
  readonly passed: boolean;
  readonly violations: readonly Violation[];
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
  const violations: Violation[] = [];
  const state = emptyState();
  const chains = await db.read((k) => k.selectFrom('chains').selectAll().execute());
  // Decisions (Joint Committee chains) first: registries' issuances refer to them.
  chains.sort(
    (a, b) =>
      Number(b.id.startsWith('JC-')) - Number(a.id.startsWith('JC-')) || a.id.localeCompare(b.id),
  );
  const summary: { chain: string; entries: bigint; headHash: string }[] = [];
  for (const chain of chains) {
    const verified = await verifyAndReplayChain(db, chain, state, violations);
    summary.push({ chain: chain.id, entries: verified, headHash: chain.head_hash });
  }
  violations.push(...(await db.read((k) => chainViolationsInSql(k))));
  violations.push(...checkInvariants(state));
  violations.push(...(await db.transaction((trx) => compareWithReplay(trx, state))));
  violations.push(...(await db.read((k) => invariantViolationsInSql(k))));
  const report: AuditReport = {
    passed: violations.length === 0,
    violations,
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
          chains: summary.map((c) => ({ ...c, entries: String(c.entries) })),
        }),
      })
      .execute(),
  );
  return report;
}

async function verifyAndReplayChain(
  db: Db,
  chain: Schema['chains'],
  state: LedgerState,
  violations: Violation[],
): Promise<bigint> {
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
    for (const row of rows) {
      if (row.seq !== expectedSeq)
        violations.push({
          invariant: 6,
          message: `chain ${chain.id}: entry ${expectedSeq} is missing (next is ${row.seq})`,
        });
      if (row.prev_hash !== previous)
        violations.push({
          invariant: 6,
          message: `chain ${chain.id} entry ${row.seq}: previous hash does not match entry ${row.seq - 1n}`,
        });
      if (entryHash(sha256Hex, row.prev_hash, row.entry) !== row.hash)
        violations.push({
          invariant: 6,
          message: `chain ${chain.id} entry ${row.seq}: hash does not match its content (altered entry)`,
        });
      const envelope = readEnvelope(row.entry);
      if (
        envelope.chain !== chain.id ||
        envelope.seq !== row.seq ||
        envelope.event.type !== row.type
      ) {
        violations.push({
          invariant: 6,
          message: `chain ${chain.id} entry ${row.seq}: columns disagree with the hashed entry`,
        });
      }
      if (!replayBroken) {
        try {
          apply(state, envelope.event, { chain: chain.id as ChainId, seq: row.seq });
        } catch (error) {
          if (!(error instanceof InvariantViolation)) throw error;
          replayBroken = true;
          violations.push({
            invariant: invariantOf(error.message),
            message: `replaying chain ${chain.id} entry ${row.seq}: ${error.message}`,
          });
        }
      }
      previous = row.hash;
      expectedSeq = row.seq + 1n;
    }
    if (rows.length < journalPageSize) break;
  }
  if (chain.head_seq !== expectedSeq - 1n || chain.head_hash !== previous) {
    violations.push({
      invariant: 6,
      message: `chain ${chain.id}: head says entry ${chain.head_seq}, the journal ends at ${expectedSeq - 1n}`,
    });
  }
  return expectedSeq - 1n;
}

function invariantOf(message: string): Violation['invariant'] {
  const match = /^invariant ([1-6])/.exec(message);
  return match === null ? 6 : (Number(match[1]) as Violation['invariant']);
}

async function chainViolationsInSql(k: Kysely<Schema>): Promise<Violation[]> {
  const rows = await sql<{ chain: string; seq: bigint; problem: string }>`
    SELECT chain, seq, CASE WHEN hash <> encode(digest(prev_hash || entry, 'sha256'), 'hex') THEN 'hash' ELSE 'link' END AS problem
    FROM (SELECT *, lag(hash) OVER (PARTITION BY chain ORDER BY seq) AS before, lag(seq) OVER (PARTITION BY chain ORDER BY seq) AS before_seq FROM journal) j
    WHERE hash <> encode(digest(prev_hash || entry, 'sha256'), 'hex')
       OR prev_hash <> coalesce(before, repeat('0', 64))
       OR seq <> coalesce(before_seq, 0) + 1`.execute(k);
  return rows.rows.map((r) => ({
    invariant: 6,
    message: `SQL check: chain ${r.chain} entry ${r.seq} fails its ${r.problem === 'hash' ? 'hash' : 'link to the previous entry'}`,
  }));
}

async function invariantViolationsInSql(k: Kysely<Schema>): Promise<Violation[]> {
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
  const violations: Violation[] = [];
  for (const check of checks) {
    const rows = await check.query.execute(k);
    for (const row of rows.rows)
      violations.push({
        invariant: check.invariant,
        message: `SQL check of invariant ${check.invariant} fails at ${row.what}`,
      });
  }
  return violations;
}
