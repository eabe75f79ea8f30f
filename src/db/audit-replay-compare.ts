// The last step of invariant 6: the current tables must equal a replay of the journal. The replayed
// state is bulk-loaded into temporary tables (the blocks are in one already, audit-replay-blocks.ts)
// and compared with the live ones in both directions.
// Article 6.2's tables are compared alike, each family under its own kind of violation.
import { sql, type Transaction } from 'kysely';
import type { LedgerState } from '../core/ledger/state.ts';
import type { ReplayedRecordRows } from './audit-article6.ts';
import type { KindedViolation } from './audit-violations.ts';
import type { Schema } from './schema.ts';
import { chunks, mapped } from '../core/shared/iterables.ts';
import { replayBlocksTable } from './audit-replay-blocks.ts';

const chunk = 2000;

interface Table {
  readonly name: string;
  /** The kind of violation a difference is (`tables_vs_replay` for the ledger's own tables). */
  readonly kind: string;
  readonly columns: string;
  /**
   * The replayed rows, produced as they are loaded; none for the blocks, which the replay kept in a
   * table of their own (audit-replay-blocks.ts).
   */
  readonly rows?: Iterable<unknown[]>;
}

export async function compareWithReplay(
  trx: Transaction<Schema>,
  state: LedgerState,
  records: ReplayedRecordRows,
): Promise<KindedViolation[]> {
  const tables = [...replayedTables(state), ...article6Tables(state, records)];
  const violations: KindedViolation[] = [];
  for (const table of tables) {
    const temp =
      table.rows === undefined ? replayBlocksTable : await loadReplay(trx, table, table.rows);
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
    blocksTable(),
    decisionLinesTable(state),
    issuancesTable(state),
  ];
}

/**
 * The Article 6.2 tables: the ITMO columns of blocks (apart from the ledger's own columns, so that an
 * altered ITMO attribute is its own kind of violation), the records as their events made them, and the
 * credits each authorisation covers at the end of the replay.
 */
function article6Tables(state: LedgerState, records: ReplayedRecordRows): Table[] {
  const kind = 'article6_records';
  return [
    {
      name: 'blocks',
      kind: 'article6_block_itmo',
      columns:
        'project, serial_first, itmo_approach, itmo_authorisation, itmo_first_party, itmo_first_transferred',
    },
    {
      name: 'article6_approaches',
      kind,
      columns: 'partnership, version, id, record, chain, seq',
      rows: records.approaches,
    },
    {
      name: 'article6_authorisations',
      kind,
      columns: 'id, version, party, registry_id, record, chain, seq',
      rows: records.authorisations,
    },
    {
      name: 'article6_confirmations',
      kind,
      columns: 'id, version, party, chain, seq',
      rows: records.confirmations,
    },
    {
      name: 'article6_finalisations',
      kind,
      columns: 'party, first_year, last_year, finalised_on, chain, seq',
      rows: records.finalisations,
    },
    {
      name: 'article6_authorisation_covered',
      kind: 'article6_covered',
      columns: 'id, quantity',
      rows: mapped(state.article6.authorisations, ([id, record]) => [id, record.covered]),
    },
  ];
}

function registriesTable(state: LedgerState): Table {
  return {
    name: 'registries',
    kind: 'tables_vs_replay',
    columns:
      'id, name, kind, account_sequence, retirement_account, cancellation_account, reserve_account',
    rows: mapped(state.registries.values(), (r) => [
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
    kind: 'tables_vs_replay',
    columns: 'id, registry_id, type, status, holder_id, holder_name',
    rows: mapped(state.accounts.values(), (a) => [
      a.id,
      a.registry,
      a.type,
      a.status,
      a.holderId,
      a.holderName,
    ]),
  };
}

function blocksTable(): Table {
  return {
    name: 'blocks',
    kind: 'tables_vs_replay',
    columns:
      'project, serial_first, serial_last, vintage, registry_id, account_id, entry_chain, entry_seq',
  };
}

function decisionLinesTable(state: LedgerState): Table {
  return {
    name: 'decision_lines',
    kind: 'tables_vs_replay',
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
    kind: 'tables_vs_replay',
    columns: 'decision_id, line_no',
    // The state keys an issued line as `decision#line`; the table has the two as columns.
    rows: mapped(state.issuedLines, (key) => {
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
async function loadReplay(
  trx: Transaction<Schema>,
  table: Table,
  rows: Iterable<unknown[]>,
): Promise<string> {
  const temp = `replay_${table.name}`;
  await sql
    .raw(
      `CREATE TEMP TABLE ${temp} ON COMMIT DROP AS SELECT ${table.columns} FROM ${table.name} WITH NO DATA`,
    )
    .execute(trx);
  for (const slice of chunks(rows, chunk)) {
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
): Promise<KindedViolation | undefined> {
  const diff = await sql<{ extra: bigint; missing: bigint }>`
    SELECT (SELECT count(*) FROM (SELECT ${sql.raw(table.columns)} FROM ${sql.table(table.name)} EXCEPT ALL SELECT ${sql.raw(table.columns)} FROM ${sql.table(temp)}) x)::int8 AS extra,
           (SELECT count(*) FROM (SELECT ${sql.raw(table.columns)} FROM ${sql.table(temp)} EXCEPT ALL SELECT ${sql.raw(table.columns)} FROM ${sql.table(table.name)}) y)::int8 AS missing`.execute(
    trx,
  );
  const row = diff.rows[0];
  if (row !== undefined && (row.extra > 0n || row.missing > 0n)) {
    return {
      kind: table.kind,
      invariant: 6,
      message: `table ${table.name} differs from the replay of the journal: ${row.extra} rows not in the replay, ${row.missing} replayed rows missing`,
    };
  }
  return undefined;
}
