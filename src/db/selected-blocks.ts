// The blocks a movement's selection reaches, read by index (issue 15): a transfer out of an account
// holding 100,000 blocks reads the few blocks it takes, not all of them.
//
// The core's selection (src/core/ledger/selection.ts) takes, for a quantity, the lowest matching
// blocks in (project, vintage, first serial) order, and for named ranges the blocks that intersect
// them. It decides on the blocks the state holds for the account, so those must include every block
// the selection reaches. The state's blocks of an account are always a subset of the truth, each one
// exact (rows the state knows are newer than the database's; the others are read here): every true
// block at or before the last row read in index order is then in the state, and reading stops once
// the state's matching blocks up to that row hold the quantity, or the rows run out.
import { sql, type Transaction } from 'kysely';
import type { Selection } from '../core/ledger/commands.ts';
import { rangeSize } from '../core/ledger/serial-range.ts';
import { accountBlocks, compareBlocks, type LedgerState } from '../core/ledger/state.ts';
import type { Block } from '../core/ledger/types.ts';
import type { AccountId, ChainId, ProjectRef, RegistryId } from '../core/shared/ids.ts';
import type { Schema } from './schema.ts';

const firstPage = 16;
const pageMax = 4096;

/**
 * Reads the blocks of `account` that `selection` reaches into the state through `put`. Returns
 * whether every block of the account is now in the state (an unfiltered walk that ran out).
 */
export async function loadSelectedBlocks(
  trx: Transaction<Schema>,
  state: LedgerState,
  account: AccountId,
  selection: Selection,
  put: (row: Schema['blocks']) => void,
): Promise<boolean> {
  if (selection.kind === 'ranges') {
    for (const wanted of selection.ranges) {
      const rows = await trx
        .selectFrom('blocks')
        .selectAll()
        .where('project', '=', wanted.project)
        .where(
          sql<boolean>`serials && int8range(${wanted.serials.first}::int8, ${wanted.serials.last}::int8, '[]')`,
        )
        .where('account_id', '=', account)
        .execute();
      rows.forEach(put);
    }
    return false;
  }
  return lowestBlocks(trx, state, account, selection, put);
}

async function lowestBlocks(
  trx: Transaction<Schema>,
  state: LedgerState,
  account: AccountId,
  selection: Extract<Selection, { kind: 'quantity' }>,
  put: (row: Schema['blocks']) => void,
): Promise<boolean> {
  const matches = (b: Block) =>
    (selection.project === undefined || b.project === selection.project) &&
    (selection.vintage === undefined || b.vintage === selection.vintage);
  let after: Schema['blocks'] | undefined;
  for (let size = firstPage; ; size = Math.min(size * 4, pageMax)) {
    let query = trx.selectFrom('blocks').selectAll().where('account_id', '=', account);
    if (selection.project !== undefined) query = query.where('project', '=', selection.project);
    if (selection.vintage !== undefined) query = query.where('vintage', '=', selection.vintage);
    if (after !== undefined)
      query = query.where(
        sql<boolean>`(project, vintage, serial_first) > (${after.project}, ${after.vintage}::int4, ${after.serial_first}::int8)`,
      );
    const rows = await query
      .orderBy('project')
      .orderBy('vintage')
      .orderBy('serial_first')
      .limit(size)
      .execute();
    rows.forEach(put);
    if (rows.length < size)
      return selection.project === undefined && selection.vintage === undefined;
    after = rows[rows.length - 1] as Schema['blocks'];
    const last = positionOf(after);
    let held = 0n;
    for (const block of accountBlocks(state, account))
      if (matches(block) && compareBlocks(block, last) <= 0) held += rangeSize(block.serials);
    if (held >= selection.quantity) return false;
  }
}

/** A row's place in the order credits leave in (only project, vintage and first serial count). */
function positionOf(row: Schema['blocks']): Block {
  return {
    project: row.project as ProjectRef,
    vintage: row.vintage,
    serials: { first: row.serial_first, last: row.serial_last },
    registry: row.registry_id as RegistryId,
    account: row.account_id as AccountId,
    entry: { chain: row.entry_chain as ChainId, seq: row.entry_seq },
  };
}
