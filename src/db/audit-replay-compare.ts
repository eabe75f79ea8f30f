// The last step of invariant 6: the current tables must equal a replay of the journal. The replayed
// state is bulk-loaded into temporary tables and compared with the live ones in both directions.
import { sql, type Transaction } from 'kysely';
import type { Violation } from '../core/ledger/invariants.ts';
import type { LedgerState } from '../core/ledger/state.ts';
import type { Schema } from './schema.ts';

const chunk = 2000;

interface Table {
  readonly name: string;
  readonly columns: string;
  readonly rows: readonly unknown[][];
}

export async function compareWithReplay(
  trx: Transaction<Schema>,
  state: LedgerState,
): Promise<Violation[]> {
  const tables = replayedTables(state);
  const violations: Violation[] = [];
  for (const table of tables) {
    const temp = await loadReplay(trx, table);
    const violation = await compareTable(trx, table, temp);
    if (violation !== undefined) violations.push(violation);
  }
  return violations;
}

/** The replayed state as the rows of each table the journal projects into, in the tables' columns. */
function replayedTables(state: LedgerState): Table[] {
  return [
    registriesTable(state),
    accountsTable(state),
    blocksTable(state),
    decisionLinesTable(state),
    issuancesTable(state),
  ];
}

function registriesTable(state: LedgerState): Table {
  return {
    name: 'registries',
    columns:
      'id, name, kind, account_sequence, retirement_account, cancellation_account, reserve_account',
    rows: [...state.registries.values()].map((r) => [
      r.id,
      r.name,
      r.kind,
      r.accountSequence,
      r.retirementAccount,
      r.cancellationAccount,
      r.reserveAccount,
    ]),
  };
}

function accountsTable(state: LedgerState): Table {
  return {
    name: 'accounts',
    columns: 'id, registry_id, type, status, holder_id, holder_name',
    rows: [...state.accounts.values()].map((a) => [
      a.id,
      a.registry,
      a.type,
      a.status,
      a.holderId,
      a.holderName,
    ]),
  };
}

function blocksTable(state: LedgerState): Table {
  return {
    name: 'blocks',
    columns:
      'project, serial_first, serial_last, vintage, registry_id, account_id, entry_chain, entry_seq',
    rows: [...state.blocks.values()].map((b) => [
      b.project,
      b.serials.first,
      b.serials.last,
      b.vintage,
      b.registry,
      b.account,
      b.entry.chain,
      b.entry.seq,
    ]),
  };
}

function decisionLinesTable(state: LedgerState): Table {
  return {
    name: 'decision_lines',
    columns:
      'decision_id, line_no, registry_id, account_id, vintage, quantity, serial_first, serial_last, reserve',
    rows: [...state.decisions.values()].flatMap((d) =>
      d.lines.map((l) => [
        d.id,
        l.lineNo,
        l.registry,
        l.account,
        l.vintage,
        l.quantity,
        l.serials.first,
        l.serials.last,
        l.reserve,
      ]),
    ),
  };
}

function issuancesTable(state: LedgerState): Table {
  return {
    name: 'issuances',
    columns: 'decision_id, line_no',
    // The state keys an issued line as `decision#line`; the table has the two as columns.
    rows: [...state.issuedLines].map((key) => {
      const at = key.lastIndexOf('#');
      return [key.slice(0, at), Number(key.slice(at + 1))];
    }),
  };
}

/**
 * Bulk-loads a table's replayed rows into a temporary table of the same columns, dropped at commit,
 * and returns its name. The rows go in chunks because PostgreSQL takes at most 65,535 parameters
 * in one statement.
 */
async function loadReplay(trx: Transaction<Schema>, table: Table): Promise<string> {
  const temp = `replay_${table.name}`;
  await sql
    .raw(
      `CREATE TEMP TABLE ${temp} ON COMMIT DROP AS SELECT ${table.columns} FROM ${table.name} WITH NO DATA`,
    )
    .execute(trx);
  for (let start = 0; start < table.rows.length; start += chunk) {
    const slice = table.rows.slice(start, start + chunk);
    await sql`INSERT INTO ${sql.table(temp)} VALUES ${sql.join(slice.map((row) => sql`(${sql.join(row)})`))}`.execute(
      trx,
    );
  }
  return temp;
}

/** Compares a live table with its replay in both directions, counting duplicates (EXCEPT ALL). */
async function compareTable(
  trx: Transaction<Schema>,
  table: Table,
  temp: string,
): Promise<Violation | undefined> {
  const diff = await sql<{ extra: bigint; missing: bigint }>`
    SELECT (SELECT count(*) FROM (SELECT ${sql.raw(table.columns)} FROM ${sql.table(table.name)} EXCEPT ALL SELECT * FROM ${sql.table(temp)}) x)::int8 AS extra,
           (SELECT count(*) FROM (SELECT * FROM ${sql.table(temp)} EXCEPT ALL SELECT ${sql.raw(table.columns)} FROM ${sql.table(table.name)}) y)::int8 AS missing`.execute(
    trx,
  );
  const row = diff.rows[0];
  if (row !== undefined && (row.extra > 0n || row.missing > 0n)) {
    return {
      invariant: 6,
      message: `table ${table.name} differs from the replay of the journal: ${row.extra} rows not in the replay, ${row.missing} replayed rows missing`,
    };
  }
  return undefined;
}
