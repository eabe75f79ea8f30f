// `jcm audit`: re-verifies everything the registry promises. Each journal chain is verified in code
// and again in SQL, every journal is replayed through the core into a fresh state whose invariants are
// checked, that state is loaded into temporary tables and compared with the live ones, and invariants
// 1-5 are checked once more in SQL. Every violation names its invariant.
import { apply } from '../core/ledger/apply.ts';
import { InvariantCheck, type Violation } from '../core/ledger/invariants.ts';
import type { LedgerEvent } from '../core/ledger/events.ts';
import {
  entryHash,
  genesisHash,
  readEnvelope,
  type JournalEnvelope,
} from '../core/ledger/journal.ts';
import { emptyState, type LedgerState } from '../core/ledger/state.ts';
import { entryKey } from '../core/ledger/types.ts';
import { InvariantViolation } from '../core/shared/assert.ts';
import type { ChainId } from '../core/shared/ids.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from './connect.ts';
import {
  checkReplayBlocks,
  createReplayBlocks,
  loadPageBlocks,
  writeBackPage,
} from './audit-replay-blocks.ts';
import { sha256Hex } from './sha256.ts';
import type { Schema } from './schema.ts';
import { compareWithReplay } from './audit-replay-compare.ts';
import { ActionPage, orphanActionsQuery, RecordRows } from './audit-article6.ts';
import { auditAggregates } from './audit-aggregates.ts';
import { ViolationLog, type KindedViolation, type ViolationKindCount } from './audit-violations.ts';
import { boundedRows, chainViolationsInSql, invariantViolationsInSql } from './audit-sql-checks.ts';

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

/** Where the audit is, for a long audit to show (the CLI prints it to stderr). */
export type AuditProgress =
  | {
      readonly step: 'journal';
      readonly chain: string;
      readonly entries: bigint;
      readonly of: bigint;
      /** The blocks the replay held in memory for the page (read for it, split or issued by it). */
      readonly blocksHeld: number;
    }
  | {
      readonly step:
        'sql_journal' | 'replay_invariants' | 'compare' | 'sql_invariants' | 'aggregates';
    };

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

/** How the audit reads: the number of journal entries replayed between two writes of the blocks. */
export interface AuditOptions {
  readonly pageSize?: number;
}

export async function runAudit(
  db: Db,
  now: string,
  progress: (p: AuditProgress) => void = () => undefined,
  options: AuditOptions = {},
): Promise<AuditReport> {
  const log = new ViolationLog();
  const summary = await db.transaction(async (trx) => {
    // One snapshot for the whole audit: a registry that goes on writing while the audit runs is
    // audited as it was when the audit began, its journal, replay and tables at one point in time.
    await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`.execute(trx);
    return auditSnapshot(trx, log, progress, options.pageSize ?? journalPageSize);
  });
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

type ChainSummary = { chain: string; entries: bigint; headHash: string };

/** Every check of the audit, in one transaction's snapshot; what fails goes into `log`. */
async function auditSnapshot(
  trx: Transaction<Schema>,
  log: ViolationLog,
  progress: (p: AuditProgress) => void,
  pageSize: number,
): Promise<ChainSummary[]> {
  const reader = { read: <T>(fn: (k: Kysely<Schema>) => Promise<T>) => fn(trx) };
  await createReplayBlocks(trx);
  const state = emptyState();
  const chains = await trx.selectFrom('chains').selectAll().execute();
  // Decisions (Joint Committee chains) first: registries' issuances refer to them.
  chains.sort(
    (a, b) =>
      Number(b.id.startsWith('JC-')) - Number(a.id.startsWith('JC-')) || a.id.localeCompare(b.id),
  );
  const summary: ChainSummary[] = [];
  const records = new RecordRows();
  for (const chain of chains) {
    const replay = { trx, state, records, progress, pageSize };
    const verified = await verifyAndReplayChain(replay, chain, log);
    summary.push({ chain: chain.id, entries: verified, headHash: chain.head_hash });
  }
  progress({ step: 'sql_journal' });
  await chainViolationsInSql(trx, log);
  progress({ step: 'replay_invariants' });
  const check = new InvariantCheck(state, (v) =>
    log.add(`replayed_state_invariant_${v.invariant}`, v),
  );
  await checkReplayBlocks(trx, check);
  check.finish();
  progress({ step: 'compare' });
  for (const v of await compareWithReplay(trx, state, records)) log.add(v.kind, v);
  progress({ step: 'sql_invariants' });
  await invariantViolationsInSql(trx, log);
  progress({ step: 'aggregates' });
  await auditAggregates(reader, log); // issue 15, lane S1: migration 018's aggregates and movements
  const orphans = await boundedRows(trx, orphanActionsQuery());
  log.addCounted(
    'article6_actions',
    6,
    orphans.count,
    orphans.rows.map((r) => ({
      invariant: 6,
      message: `SQL check: article6_actions row ${r.what} names no journal entry`,
    })),
  );
  return summary;
}

interface Replay {
  readonly trx: Transaction<Schema>;
  readonly state: LedgerState;
  readonly records: RecordRows;
  readonly progress: (p: AuditProgress) => void;
  readonly pageSize: number;
}

/**
 * Verifies one chain and replays it into the state, entry by entry, reading the journal in keyset
 * pages of `pageSize` entries (never the whole chain): each entry's hash link is checked against the
 * one before it, its Article 6.2 actions are derived from the state before its event
 * (audit-article6.ts) and compared, a page at a time, with article6_actions; its Article 6.2 records
 * are kept to compare with their tables. Each page reads the blocks it touches from the table of
 * replayed blocks and writes back those it changed (audit-replay-blocks.ts), and the replay forgets
 * what only the writer needs (`forgetPage`): the memory it holds grows with a page, not with the
 * blocks or the entries.
 */
async function verifyAndReplayChain(
  replay: Replay,
  chain: Schema['chains'],
  log: ViolationLog,
): Promise<bigint> {
  const { trx, state, records } = replay;
  let expectedSeq = 1n;
  let previous = genesisHash;
  let replayBroken = false;
  for (;;) {
    const rows = await trx
      .selectFrom('journal')
      .selectAll()
      .where('chain', '=', chain.id)
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(replay.pageSize)
      .execute();
    const page = rows.map((row) => {
      const envelope = checkJournalRow(row, expectedSeq, previous, log);
      previous = row.hash;
      expectedSeq = row.seq + 1n;
      return { row, envelope };
    });
    if (!replayBroken) {
      await loadReversedEntries(trx, state, rows);
      await loadPageBlocks(trx, state, eventsOf(page));
    }
    const actions = new ActionPage();
    for (const { row, envelope } of page) {
      if (envelope === null || replayBroken) continue;
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
    const first = rows[0]?.seq;
    // Once the replay broke, what it would derive means nothing; the break is reported already.
    if (first !== undefined && !replayBroken)
      await actions.compare(trx, chain.id, { first, last: expectedSeq - 1n }, log);
    const blocksHeld = state.blocks.size;
    await writeBackPage(trx, state);
    forgetPage(state);
    replay.progress({
      step: 'journal',
      chain: chain.id,
      entries: expectedSeq - 1n,
      of: chain.head_seq,
      blocksHeld,
    });
    if (rows.length < replay.pageSize) break;
  }
  if (chain.head_seq !== expectedSeq - 1n || chain.head_hash !== previous) {
    log.add('chain_head', {
      invariant: 6,
      message: `chain ${chain.id}: head says entry ${chain.head_seq}, the journal ends at ${expectedSeq - 1n}`,
    });
  }
  return expectedSeq - 1n;
}

function eventsOf(page: readonly { envelope: JournalEnvelope | null }[]): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  for (const { envelope } of page) if (envelope !== null) events.push(envelope.event);
  return events;
}

/**
 * What the replay forgets after each page: the keys `apply` marked dirty (the writer's, to write
 * back) and the record of every entry that was not reversed (a reversal looks up the entry it
 * reverses; `loadReversedEntries` reads those few back from the journal). What stays is the state of
 * registries, accounts, blocks and decisions, and the reversed entries (so that a second reversal of
 * one is still refused).
 */
export function forgetPage(state: LedgerState): void {
  state.dirty.blocks.clear();
  state.dirty.accounts.clear();
  state.dirty.registries.clear();
  for (const [key, record] of state.movements)
    if (record.movement === null || !record.reversed) state.movements.delete(key);
}

/**
 * Before a page is replayed, puts back into the state the record of each entry a movement of the page
 * reverses, read from the journal (a movement, or `movement: null` for an entry that moved nothing),
 * unless the state holds it still (reversed already, or on this page). An entry that is not in the
 * journal stays unknown, and the reversal fails its replay as it would have.
 */
async function loadReversedEntries(
  trx: Transaction<Schema>,
  state: LedgerState,
  rows: readonly Schema['journal'][],
): Promise<void> {
  for (const row of rows) {
    if (row.type !== 'credits_moved') continue;
    const event = readableEnvelope(row.entry)?.event;
    if (event?.type !== 'credits_moved' || event.reverses === undefined) continue;
    const target = event.reverses;
    const key = entryKey(target);
    if (state.movements.has(key) || target.seq >= (rows[0]?.seq ?? row.seq)) continue;
    const original = await trx
      .selectFrom('journal')
      .select('entry')
      .where('chain', '=', target.chain)
      .where('seq', '=', target.seq)
      .executeTakeFirst();
    const reversed = original === undefined ? undefined : readableEnvelope(original.entry)?.event;
    if (reversed === undefined) continue;
    state.movements.set(
      key,
      reversed.type === 'credits_moved'
        ? {
            movement: reversed.movement,
            from: reversed.from,
            to: reversed.to,
            pieces: reversed.pieces,
            reversed: false,
          }
        : { movement: null },
    );
  }
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
