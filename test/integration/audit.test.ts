// The audit catches any column of a journal row altered in SQL, naming the column, and reports a
// flood of violations as counts with at most a hundred examples of each kind, in bounded memory.
// Article 6.2: it derives the actions again from the records in force at each entry, and names an
// altered action, ITMO column, record or covered quantity by its own kind.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { examplesPerKindMax } from '../../src/db/audit-violations.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { mustRun, standardOpening } from '../support/scenario.ts';
import {
  DirectLedger,
  india,
  indiaForJapan,
  japan,
  recordIndiaJapanApproach,
} from '../support/article6-ledger.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;

beforeEach(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
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

  it('reports a block that runs past the end of its issued line into the next one', async () => {
    // D1's lines: JP 1-100, IN 101-150. JP-000004's block 31-100 stretched to 105 lies within the
    // two issued lines together but not within one: credits no line issued.
    await behindTheBack([
      sql`ALTER TABLE blocks DROP CONSTRAINT blocks_serials_do_not_overlap`,
      sql`UPDATE blocks SET serial_last = 105 WHERE project = 'IN001' AND serial_first = 31`,
    ]);
    const report = await platform.audit();
    expect(
      report.violations.filter((v) => v.kind === 'sql_invariant_1').map((v) => v.message),
    ).toEqual([
      // The decision's blocks now add up to more than its issued lines, and the block itself.
      'SQL check of invariant 1 fails at D1',
      'SQL check of invariant 1 fails at IN001:31',
    ]);
  });

  it.each([1, 2, 3])(
    'finds exactly the blocks outside every issued line that a NOT EXISTS finds (tampered lines and blocks, seed %i)',
    async (seed) => {
      // Lines that overlap, lines not issued, a second project, blocks anywhere: the ordered pass
      // of invariant 1 must name the same blocks as the plain "no issued line contains it".
      let x = seed * 7919;
      const next = (n: number) => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return x % n;
      };
      const statements = [
        sql`ALTER TABLE blocks DROP CONSTRAINT blocks_serials_do_not_overlap`,
        sql`INSERT INTO decisions (id, project, partner, verification_reference, serial_first, serial_last, chain, seq)
            SELECT 'D9', 'IN002', partner, 'V9', 1, 400, chain, seq FROM decisions WHERE id = 'D1'`,
      ];
      for (let line = 10; line < 22; line += 1) {
        const decision = next(2) === 0 ? 'D1' : 'D9';
        const first = 1 + next(300);
        const last = first + next(60);
        statements.push(
          sql`INSERT INTO decision_lines (decision_id, line_no, registry_id, account_id, vintage, quantity, serial_first, serial_last)
              VALUES (${decision}, ${line}, 'JP', 'JP-000004', 2027, ${last - first + 1}, ${first}, ${last})`,
        );
        if (next(3) > 0)
          statements.push(
            sql`INSERT INTO issuances (decision_id, line_no, registry_id, chain, seq)
                SELECT ${decision}, ${line}, registry_id, chain, seq FROM issuances WHERE decision_id = 'D1' AND line_no = 1`,
          );
      }
      for (let block = 0; block < 30; block += 1) {
        const first = 1 + next(400);
        const last = first + next(30);
        statements.push(
          sql`INSERT INTO blocks (project, serial_first, serial_last, vintage, registry_id, account_id, entry_chain, entry_seq)
              SELECT ${next(2) === 0 ? 'IN001' : 'IN002'}, ${first}, ${last}, 2027, registry_id, account_id, entry_chain, entry_seq
              FROM blocks WHERE project = 'IN001' AND serial_first = 1 ON CONFLICT DO NOTHING`,
        );
      }
      await behindTheBack(statements);
      const expected = await platform.db.read((k) =>
        sql<{
          at: string;
        }>`SELECT b.project || ':' || b.serial_first AS at FROM blocks b WHERE NOT EXISTS (
            SELECT 1 FROM decision_lines l JOIN issuances i USING (decision_id, line_no) JOIN decisions d ON d.id = l.decision_id
            WHERE d.project = b.project AND int8range(l.serial_first, l.serial_last, '[]') @> b.serials)`.execute(
          k,
        ),
      );
      const report = await platform.audit();
      const found = report.violations
        .filter((v) => v.kind === 'sql_invariant_1' && v.message.includes(':'))
        .map((v) => v.message.replace('SQL check of invariant 1 fails at ', ''));
      expect(expected.rows.length).toBeGreaterThan(0);
      expect(found.sort()).toEqual(expected.rows.map((r) => r.at).sort());
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

describe(`the audit of Article 6.2 on ${testDbKind}`, () => {
  let ledger: DirectLedger;

  beforeEach(async () => {
    ledger = new DirectLedger(platform.db, () => clock.now());
    await recordIndiaJapanApproach(ledger);
    await mustRun(platform, 'record_issuance_decision', {
      decision: 'D2',
      project: 'IN001',
      verification: { reference: 'V2', reductions: [{ vintage: 2027, quantity: '40' }] },
      lines: [{ registry: 'JP', account: 'JP-000004', vintage: 2027, quantity: '40' }],
    });
    await ledger.must({ type: 'issue', registry: 'JP', decision: 'D2', lineNo: 1 } as never);
    await ledger.must({
      type: 'retire',
      from: 'JP-000004',
      selection: {
        kind: 'ranges',
        ranges: [{ project: 'IN001', serials: { first: 151n, last: 165n } }],
      },
      purpose: 'ndc_use',
      beneficiary: 'Government of Japan',
      note: '',
      yearOfUse: 2028,
    } as never);
  });

  it('passes on untouched Article 6.2 entries, records and actions', async () => {
    const report = await platform.audit();
    expect(report.violations).toEqual([]);
    const rows = await platform.db.read((k) =>
      k.selectFrom('article6_actions').select(['type']).orderBy('seq').orderBy('n').execute(),
    );
    expect(rows.map((r) => r.type)).toEqual([
      'authorization',
      'first_transfer',
      'acquisition',
      'use',
    ]);
  });

  it("derives each entry's actions from the authorisation version in force when it was written", async () => {
    // Version 2 adds OIMP (CORSIA, first transferred at issuance): the issuance before it keeps the
    // NDC purpose, the one after it has "NDC and OIMP".
    await ledger.must(
      {
        type: 'record_authorisation',
        authorisation: {
          ...indiaForJapan,
          purposes: ['ndc', 'oimp'],
          oimp: 'CORSIA',
          firstTransferDefinition: 'issuance',
        },
      } as never,
      india,
    );
    await ledger.must(
      {
        type: 'confirm_authorisation',
        registry: 'JP',
        authorisation: indiaForJapan.id,
        version: 2,
      } as never,
      japan,
    );
    await mustRun(platform, 'record_issuance_decision', {
      decision: 'D3',
      project: 'IN001',
      verification: { reference: 'V3', reductions: [{ vintage: 2028, quantity: '5' }] },
      lines: [{ registry: 'JP', account: 'JP-000004', vintage: 2028, quantity: '5' }],
    });
    await ledger.must({ type: 'issue', registry: 'JP', decision: 'D3', lineNo: 1 } as never);
    const purposes = await platform.db.read((k) =>
      k
        .selectFrom('article6_actions')
        .select('purpose')
        .where('type', '=', 'acquisition')
        .orderBy('seq')
        .execute(),
    );
    expect(purposes.map((r) => r.purpose)).toEqual(['ndc', 'ndc_and_oimp']);
    expect((await platform.audit()).violations).toEqual([]);
  });

  const a6Edits: [string, string, ReturnType<typeof sql>[], RegExp][] = [
    [
      'an action column',
      'article6_actions',
      [sql`UPDATE article6_actions SET acquiring_party = 'KOR' WHERE type = 'acquisition'`],
      /entry \d+ action 3: column acquiring_party of article6_actions differs from the replay/,
    ],
    [
      'two action columns',
      'article6_actions',
      [sql`UPDATE article6_actions SET year_of_use = 2029, subtype = 'oimp' WHERE type = 'use'`],
      /action 1: columns subtype, year_of_use of article6_actions differ from the replay/,
    ],
    [
      'a deleted action',
      'article6_actions',
      [sql`DELETE FROM article6_actions WHERE type = 'use'`],
      /action 1: the replay derives an action table article6_actions lacks/,
    ],
    [
      'an added action',
      'article6_actions',
      [
        sql`INSERT INTO article6_actions SELECT chain, seq, 4, party, type, subtype, action_date, approach, authorisation, first_party, registry_id, party_registry_id, project, vintage, serial_first, serial_last, quantity, transferring_party, acquiring_party, purpose, using_or_cancelling, year_of_use FROM article6_actions WHERE type = 'acquisition'`,
      ],
      /action 4: table article6_actions holds an action the replay does not derive/,
    ],
    [
      'an action of no entry',
      'article6_actions',
      [
        sql`INSERT INTO article6_actions SELECT chain, seq + 1000, n, party, type, subtype, action_date, approach, authorisation, first_party, registry_id, party_registry_id, project, vintage, serial_first, serial_last, quantity, transferring_party, acquiring_party, purpose, using_or_cancelling, year_of_use FROM article6_actions WHERE type = 'use'`,
      ],
      /SQL check: article6_actions row JP 0+\d+ 1 names no journal entry/,
    ],
    [
      "a block's ITMO column",
      'article6_block_itmo',
      [sql`UPDATE blocks SET itmo_first_transferred = false WHERE serial_first = 166`],
      /table blocks differs from the replay of the journal: 1 rows not in the replay, 1 replayed rows missing/,
    ],
    [
      'a plain block made an ITMO',
      'article6_block_itmo',
      [
        sql`UPDATE blocks SET itmo_approach = 'CA0001', itmo_authorisation = 'IND-2028-001', itmo_first_party = 'IND', itmo_first_transferred = true WHERE serial_first = 1`,
      ],
      /table blocks differs from the replay/,
    ],
    [
      "an authorisation's record",
      'article6_records',
      [sql`UPDATE article6_authorisations SET record = replace(record, '"1000"', '"2000"')`],
      /table article6_authorisations differs from the replay/,
    ],
    [
      'a deleted confirmation',
      'article6_records',
      [sql`DELETE FROM article6_confirmations`],
      /table article6_confirmations differs from the replay of the journal: 0 rows not in the replay, 1 replayed rows missing/,
    ],
    [
      'a covered quantity',
      'article6_covered',
      [sql`UPDATE article6_authorisation_covered SET quantity = 41`],
      /table article6_authorisation_covered differs from the replay/,
    ],
  ];

  it.each(a6Edits)(
    'finds %s altered in SQL, as a violation of kind %s',
    async (_what, kind, edit, message) => {
      await behindTheBack(edit);
      const report = await platform.audit();
      expect(report.passed).toBe(false);
      expect(report.kinds.map((k) => k.kind)).toEqual([kind]);
      expect(report.violations.map((v) => v.message)).toEqual([expect.stringMatching(message)]);
    },
  );
});
