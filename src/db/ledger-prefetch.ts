// What a whole batch will read, read in two queries before its commands are decided one by one
// (issue 15, point 7): the accounts the movements name, and the blocks their named serial ranges
// reach. Without this, each command cost the writer one or two round trips while the chain head was
// locked, and the writer's node process waited on the database for half of a bulk build (measured
// with --cpu-prof: 52% idle at 1,000 transfers/s).
//
// The rows are exactly those the loader would read for each command in turn: the database does not
// change during the batch (the chain head is locked and the batch writes only when it flushes), and
// the loader keeps the state's own rows, which are newer, over the database's (ledger-loader.ts).
import { sql, type Transaction } from 'kysely';
import type { LedgerCommand, Selection } from '../core/ledger/commands.ts';
import type { AccountId } from '../core/shared/ids.ts';
import type { Schema } from './schema.ts';

/** The accounts and the named ranges a batch's commands will ask the loader for. */
export interface BatchWants {
  readonly accounts: Set<AccountId>;
  readonly ranges: { account: AccountId; selection: Extract<Selection, { kind: 'ranges' }> }[];
}

export function batchWants(commands: readonly LedgerCommand[]): BatchWants {
  const wants: BatchWants = { accounts: new Set(), ranges: [] };
  const from = (account: AccountId, selection: Selection) => {
    wants.accounts.add(account);
    if (selection.kind === 'ranges') wants.ranges.push({ account, selection });
  };
  for (const command of commands) {
    switch (command.type) {
      case 'transfer':
        from(command.from, command.selection);
        wants.accounts.add(command.to);
        break;
      case 'retire':
      case 'cancel':
      case 'authorise_units':
        from(command.from, command.selection);
        break;
      default:
        break;
    }
  }
  return wants;
}

export async function accountRows(
  trx: Transaction<Schema>,
  ids: readonly AccountId[],
): Promise<Schema['accounts'][]> {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', sql<string>`ANY(${[...ids] as string[]}::text[])`)
    .execute();
}

/**
 * The blocks of each account that its named ranges intersect, in one query: one GiST probe per
 * range (blocks_serials_do_not_overlap), as the loader's per-command query makes. OFFSET 0 keeps the
 * subquery a probe per range: flattened, it was planned (at 575,000 blocks, analysed) as a hash join
 * over a parallel scan of every block, and with the account inside it, as a scan of each account's
 * blocks through blocks_by_account, which grows with what the account holds.
 */
export async function rangeBlockRows(
  trx: Transaction<Schema>,
  wanted: BatchWants['ranges'],
): Promise<Schema['blocks'][]> {
  const accounts: string[] = [];
  const projects: string[] = [];
  const firsts: string[] = [];
  const lasts: string[] = [];
  for (const { account, selection } of wanted)
    for (const range of selection.ranges) {
      accounts.push(account);
      projects.push(range.project);
      firsts.push(String(range.serials.first));
      lasts.push(String(range.serials.last));
    }
  if (accounts.length === 0) return [];
  const rows = await sql<Schema['blocks']>`
    SELECT b.* FROM unnest(${accounts}::text[], ${projects}::text[], ${firsts}::int8[], ${lasts}::int8[])
      AS w (account_id, project, serial_first, serial_last)
    CROSS JOIN LATERAL (
      SELECT * FROM blocks b
      WHERE b.project = w.project AND b.serials && int8range(w.serial_first, w.serial_last, '[]')
      OFFSET 0) b
    WHERE b.account_id = w.account_id`.execute(trx);
  return rows.rows;
}
