// The audit's replayed blocks, kept in a temporary table of the audit's transaction instead of in
// memory: a million blocks held as objects took 2.2 GiB. Before each page of the journal is replayed,
// the blocks its movements touch are read into the state; after it, the blocks it changed are written
// back and every block is dropped from memory. The table is then checked (invariants 1, 2, 4, 5,
// streamed in serial order) and compared with `blocks` in SQL (audit-replay-compare.ts), so the
// audit's memory grows with one page, the accounts and the decisions, not with the blocks or entries.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { LedgerEvent } from '../core/ledger/events.ts';
import type { InvariantCheck } from '../core/ledger/invariants.ts';
import { putBlock, type LedgerState } from '../core/ledger/state.ts';
import { blockKey, type Block } from '../core/ledger/types.ts';
import { chunks } from '../core/shared/iterables.ts';
import { itmoColumns } from './article6-rows.ts';
import { blockFromRow } from './ledger-rows.ts';
import type { Schema } from './schema.ts';

export const replayBlocksTable = 'audit_replay_blocks';

const columns = [
  'project',
  'serial_first',
  'serial_last',
  'vintage',
  'registry_id',
  'account_id',
  'entry_chain',
  'entry_seq',
  'itmo_approach',
  'itmo_authorisation',
  'itmo_first_party',
  'itmo_first_transferred',
] as const;
const columnList = columns.join(', ');
const updates = columns
  .filter((c) => c !== 'project' && c !== 'serial_first')
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(', ');
/** Rows per INSERT: 12 parameters each, well under PostgreSQL's 65,535 per statement. */
const rowsPerInsert = 2000;
const streamPageSize = 5000;

/** Creates the (empty) table of replayed blocks, dropped when the audit's transaction ends. */
export async function createReplayBlocks(trx: Transaction<Schema>): Promise<void> {
  await sql
    .raw(
      `CREATE TEMP TABLE ${replayBlocksTable} ON COMMIT DROP AS SELECT ${columnList} FROM blocks WITH NO DATA`,
    )
    .execute(trx);
  await sql
    .raw(`ALTER TABLE ${replayBlocksTable} ADD PRIMARY KEY (project, serial_first)`)
    .execute(trx);
}

/**
 * Puts into the state, before a page's events are replayed, every block they can touch: for each
 * moved or authorised piece, the block holding its first serial when the page starts (a block the
 * page touches is that block or a part of one the page split or issued, which the state then holds
 * already), and every block of an account the page closes (`apply` refuses to close one that holds
 * credits). One query for the page, one index probe per piece.
 */
export async function loadPageBlocks(
  trx: Transaction<Schema>,
  state: LedgerState,
  events: readonly LedgerEvent[],
): Promise<void> {
  const projects: string[] = [];
  const firsts: string[] = [];
  const closing: string[] = [];
  for (const event of events) {
    if (event.type === 'credits_moved' || event.type === 'units_authorised') {
      for (const piece of event.pieces)
        if (typeof piece.project === 'string' && isInt8(piece.serials.first)) {
          projects.push(piece.project);
          firsts.push(String(piece.serials.first));
        }
    } else if (event.type === 'account_status_changed' && event.to === 'closed') {
      if (typeof event.account === 'string') closing.push(event.account);
    }
  }
  if (projects.length === 0 && closing.length === 0) return;
  const rows = await sql<Schema['blocks']>`
    SELECT b.* FROM unnest(${projects}::text[], ${firsts}::int8[]) AS w (project, serial_first)
    CROSS JOIN LATERAL (
      SELECT * FROM ${sql.table(replayBlocksTable)} b
      WHERE b.project = w.project AND b.serial_first <= w.serial_first
      ORDER BY b.serial_first DESC LIMIT 1) b
    UNION
    SELECT * FROM ${sql.table(replayBlocksTable)} WHERE account_id = ANY(${closing}::text[])`.execute(
    trx,
  );
  for (const row of rows.rows) {
    const block = blockFromRow(row);
    if (!state.blocks.has(blockKey(block.project, block.serials.first))) putBlock(state, block);
  }
}

/**
 * A serial the table's int8 column can hold. An altered entry's piece may name any value: none other
 * lies in a block, so it is not looked up (a cast that failed would abort the audit's transaction;
 * the replay refuses the piece as it finds no block for it).
 */
function isInt8(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= -(2n ** 63n) && value < 2n ** 63n;
}

/**
 * Writes back the blocks the page changed (`state.dirty.blocks`: those still in the state are
 * written, the others deleted) and drops every block from memory. The dirty keys are cleared by the
 * caller (`forgetPage`).
 */
export async function writeBackPage(trx: Transaction<Schema>, state: LedgerState): Promise<void> {
  const gone: { project: string; first: string }[] = [];
  const kept: Block[] = [];
  for (const key of state.dirty.blocks) {
    const block = state.blocks.get(key);
    if (block !== undefined) kept.push(block);
    else {
      const at = key.lastIndexOf(':');
      gone.push({ project: key.slice(0, at), first: key.slice(at + 1) });
    }
  }
  if (gone.length > 0)
    await sql`
      DELETE FROM ${sql.table(replayBlocksTable)} b
      USING unnest(${gone.map((g) => g.project)}::text[], ${gone.map((g) => g.first)}::int8[]) AS g (project, serial_first)
      WHERE b.project = g.project AND b.serial_first = g.serial_first`.execute(trx);
  for (const slice of chunks(kept, rowsPerInsert))
    await sql`
      INSERT INTO ${sql.table(replayBlocksTable)} (${sql.raw(columnList)})
      VALUES ${sql.join(slice.map((b) => sql`(${sql.join(blockValues(b))})`))}
      ON CONFLICT (project, serial_first) DO UPDATE SET ${sql.raw(updates)}`.execute(trx);
  state.blocks.clear();
  state.blocksByAccount.clear();
}

function blockValues(b: Block): unknown[] {
  const i = itmoColumns(b.itmo);
  return [
    b.project,
    b.serials.first,
    b.serials.last,
    b.vintage,
    b.registry,
    b.account,
    b.entry.chain,
    b.entry.seq,
    i.itmo_approach,
    i.itmo_authorisation,
    i.itmo_first_party,
    i.itmo_first_transferred,
  ];
}

/** Gives every replayed block to the check, project by project in serial order, a page at a time. */
export async function checkReplayBlocks(k: Kysely<Schema>, check: InvariantCheck): Promise<void> {
  let after: { project: string; first: bigint } | null = null;
  for (;;) {
    const from: { project: string; first: bigint } | null = after;
    const rows: { rows: Schema['blocks'][] } = await sql<Schema['blocks']>`
      SELECT * FROM ${sql.table(replayBlocksTable)}
      ${from === null ? sql`` : sql`WHERE (project, serial_first) > (${from.project}, ${from.first})`}
      ORDER BY project, serial_first LIMIT ${streamPageSize}`.execute(k);
    for (const row of rows.rows) check.block(blockFromRow(row));
    const last: Schema['blocks'] | undefined = rows.rows[rows.rows.length - 1];
    if (last === undefined || rows.rows.length < streamPageSize) return;
    after = { project: last.project, first: last.serial_first };
  }
}
