// The audit catches any column of a journal row altered in SQL, naming the column, and reports a
// flood of violations as counts with at most a hundred examples of each kind, in bounded memory.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { examplesPerKindMax } from '../../src/db/audit-violations.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { mustRun, standardOpening } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;

beforeEach(async () => {
  ({ platform, testDb } = await freshPlatform());
  await standardOpening(platform);
  await mustRun(platform, 'transfer', {
    from: 'JP-000004',
    to: 'JP-000006',
    selection: { quantity: '30' },
  });
});
afterEach(async () => {
  await testDb.drop();
});

/** Runs SQL with every trigger off (the journal's append-only guard and the foreign keys). */
async function behindTheBack(statements: ReturnType<typeof sql>[]): Promise<void> {
  await platform.db.transaction(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    for (const statement of statements) await statement.execute(trx);
  });
}

const last = sql`chain = 'JP' AND seq = (SELECT max(seq) FROM journal WHERE chain = 'JP')`;

/** Every column of the journal, and an UPDATE of it that keeps the row otherwise intact. */
const columnEdits: [string, ReturnType<typeof sql>[]][] = [
  [
    'chain',
    [
      sql`INSERT INTO chains (id) VALUES ('ZZ')`,
      sql`UPDATE journal SET chain = 'ZZ' WHERE ${last}`,
    ],
  ],
  ['seq', [sql`UPDATE journal SET seq = seq + 1000 WHERE ${last}`]],
  ['prev_hash', [sql`UPDATE journal SET prev_hash = repeat('a', 64) WHERE ${last}`]],
  ['hash', [sql`UPDATE journal SET hash = repeat('b', 64) WHERE ${last}`]],
  ['type', [sql`UPDATE journal SET type = 'credits_retired' WHERE ${last}`]],
  ['actor', [sql`UPDATE journal SET actor = 'someone-else@example.org' WHERE ${last}`]],
  ['recorded_at', [sql`UPDATE journal SET recorded_at = '2020-01-01T00:00:00.000Z' WHERE ${last}`]],
  ['idempotency_key', [sql`UPDATE journal SET idempotency_key = 'another-key' WHERE ${last}`]],
  ['entry', [sql`UPDATE journal SET entry = replace(entry, '"30"', '"31"') WHERE ${last}`]],
  ['entry', [sql`UPDATE journal SET entry = 'not a journal entry' WHERE ${last}`]],
];

describe(`the audit on ${testDbKind}`, () => {
  it('passes on an untouched journal', async () => {
    const report = await platform.audit();
    expect(report.violations).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it.each(columnEdits)(
    'fails, naming the column, after journal.%s is altered in SQL',
    async (column, edit) => {
      await behindTheBack(edit);
      const report = await platform.audit();
      expect(report.passed).toBe(false);
      const named = report.violations.filter(
        (v) =>
          v.invariant === 6 && new RegExp(`\\bcolumns? (\\w+ and )?${column}\\b`).test(v.message),
      );
      expect(named, JSON.stringify(report.violations, null, 1)).not.toEqual([]);
    },
  );

  it('reports 200,000 bogus blocks with their full count and at most 100 examples of each kind', async () => {
    const bogus = 200_000;
    await behindTheBack([
      // Without the guards that would refuse them and the secondary indexes, the rows go in fast.
      sql`ALTER TABLE blocks DROP CONSTRAINT blocks_serials_do_not_overlap`,
      sql`DROP INDEX blocks_by_account`,
      sql`INSERT INTO blocks (project, serial_first, serial_last, vintage, registry_id, account_id, entry_chain, entry_seq)
          SELECT 'IN001', 1000000 + n, 1000000 + n, 2027, 'JP', 'JP-000004', 'JP', 1 FROM generate_series(1, ${bogus}) AS n`,
    ]);
    const report = await platform.audit();
    expect(report.passed).toBe(false);
    const sqlCoverage = report.kinds.find((k) => k.kind === 'sql_invariant_1');
    expect(sqlCoverage?.count).toBe(bogus);
    for (const kind of report.kinds) {
      const shown = report.violations.filter((v) => v.kind === kind.kind).length;
      expect(shown).toBe(Math.min(kind.count, examplesPerKindMax));
    }
    expect(report.violations.filter((v) => v.kind === 'sql_invariant_1')).toHaveLength(100);
    expect(report.violationCount).toBe(report.kinds.reduce((sum, k) => sum + k.count, 0));
    expect(report.violationCount).toBeGreaterThan(bogus);
  });
});
