// Article 6.2 through the ledger's writer into the tables of migration 015: an issuance into Japan's
// registry under India's authorisation is India's authorisation and first transfer and Japan's
// acquisition; a use and a cancellation are actions of Japan; split blocks keep their ITMO columns;
// a finalised year refuses later first transfers in the core and in the database, whatever a writer
// cached; the records and actions are append-only; and the audit finds all of it in the journal.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerCommand } from '../../src/core/ledger/commands.ts';
import type { IdempotencyKey } from '../../src/core/shared/ids.ts';
import { jsonOf } from '../../src/db/columns.ts';
import { openDb } from '../../src/db/connect.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { mustRun, standardOpening } from '../support/scenario.ts';
import {
  DirectLedger,
  india,
  japan,
  recordIndiaJapanApproach,
} from '../support/article6-ledger.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let ledger: DirectLedger;

/** Decision `id` for IN001, vintage 2027: `jp` credits into JP-000004 and `in` into IN-000004. */
async function decide(id: string, jp: number, inQ: number): Promise<void> {
  await mustRun(platform, 'record_issuance_decision', {
    decision: id,
    project: 'IN001',
    verification: {
      reference: `V-${id}`,
      reductions: [{ vintage: 2027, quantity: String(jp + inQ) }],
    },
    lines: [
      { registry: 'JP', account: 'JP-000004', vintage: 2027, quantity: String(jp) },
      { registry: 'IN', account: 'IN-000004', vintage: 2027, quantity: String(inQ) },
    ],
  });
}

const issueJp = (decision: string): LedgerCommand =>
  ({ type: 'issue', registry: 'JP', decision, lineNo: 1 }) as unknown as LedgerCommand;

const range = (first: bigint, last: bigint) => ({
  kind: 'ranges' as const,
  ranges: [{ project: 'IN001', serials: { first, last } }],
});

/** The action columns that say what happened, in table order, bigints as text. */
async function actions(): Promise<string[]> {
  const rows = await platform.db.read((k) =>
    k
      .selectFrom('article6_actions')
      .selectAll()
      .orderBy('chain')
      .orderBy('seq')
      .orderBy('n')
      .execute(),
  );
  return rows.map((r) =>
    [
      `${r.chain}#${r.n}`,
      r.party,
      r.type,
      r.subtype ?? '-',
      r.action_date,
      r.approach,
      r.authorisation,
      r.first_party,
      `${r.registry_id}/${r.party_registry_id}`,
      `${r.project}:${r.vintage}:${r.serial_first}-${r.serial_last}=${r.quantity}`,
      `${r.transferring_party ?? '-'}>${r.acquiring_party ?? '-'}`,
      r.purpose,
      r.using_or_cancelling ?? '-',
      r.year_of_use ?? '-',
    ].join(' '),
  );
}

/** IN001's blocks from serial 151 on, with their ITMO columns. */
async function itmoBlocks(): Promise<string[]> {
  const rows = await platform.db.read((k) =>
    k
      .selectFrom('blocks')
      .selectAll()
      .where('project', '=', 'IN001')
      .where('serial_first', '>=', 151n)
      .orderBy('serial_first')
      .execute(),
  );
  return rows.map(
    (b) =>
      `${b.serial_first}-${b.serial_last} ${b.account_id} ${b.itmo_approach ?? '-'} ${b.itmo_authorisation ?? '-'} ${b.itmo_first_party ?? '-'} ${b.itmo_first_transferred ?? '-'}`,
  );
}

beforeEach(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  await standardOpening(platform);
  ledger = new DirectLedger(platform.db, () => clock.now());
  await recordIndiaJapanApproach(ledger);
  // D2: IN001 serials 151-190 into Japan's registry, 191-200 into India's.
  await decide('D2', 40, 10);
});
afterEach(async () => {
  await testDb.drop();
});

const itmo = 'CA0001 IND-2028-001 IND true';

describe(`Article 6.2 in the ledger's tables on ${testDbKind}`, () => {
  it('writes the actions, ITMO columns, records and covered quantity of an issuance, a use, a cancellation and a transfer', async () => {
    await ledger.must(issueJp('D2'));
    await ledger.must({ type: 'issue', registry: 'IN', decision: 'D2', lineNo: 2 } as never);
    // Another writer reads the blocks from the database: their ITMO columns must come with them.
    const other = new DirectLedger(platform.db, () => clock.now());
    await other.must({
      type: 'retire',
      from: 'JP-000004',
      selection: range(151n, 165n),
      purpose: 'ndc_use',
      beneficiary: 'Government of Japan',
      note: '',
      yearOfUse: 2028,
    } as never);
    await other.must({
      type: 'cancel',
      from: 'JP-000004',
      selection: range(166n, 170n),
      reason: 'overall mitigation',
      cancellationKind: 'omge',
    } as never);
    await ledger.must({
      type: 'transfer',
      from: 'JP-000004',
      to: 'JP-000006',
      selection: range(171n, 180n),
    } as never);

    const d = '2028-04-01';
    const s = 'IN001:2027:151-190=40';
    expect(await actions()).toEqual([
      `JP#1 IND authorization - ${d} CA0001 IND-2028-001 IND JP/JPN01 ${s} ->- ndc - -`,
      `JP#2 IND first_transfer - ${d} CA0001 IND-2028-001 IND JP/JPN01 ${s} IND>JPN ndc - -`,
      `JP#3 JPN acquisition - ${d} CA0001 IND-2028-001 IND JP/JPN01 ${s} IND>JPN ndc - -`,
      `JP#1 JPN use ndc_use ${d} CA0001 IND-2028-001 IND JP/JPN01 IN001:2027:151-165=15 ->- ndc JPN 2028`,
      `JP#1 JPN cancellation omge ${d} CA0001 IND-2028-001 IND JP/JPN01 IN001:2027:166-170=5 ->- ndc JPN -`,
    ]);
    expect(await itmoBlocks()).toEqual([
      `151-165 JP-000001 ${itmo}`,
      `166-170 JP-000002 ${itmo}`,
      `171-180 JP-000006 ${itmo}`,
      `181-190 JP-000004 ${itmo}`,
      '191-200 IN-000004 - - - -',
    ]);
    const records = await platform.db.read(async (k) => ({
      approaches: await k
        .selectFrom('article6_approaches')
        .select(['partnership', 'version', 'id', 'chain'])
        .execute(),
      authorisations: await k
        .selectFrom('article6_authorisations')
        .select(['id', 'version', 'party', 'registry_id', 'chain'])
        .execute(),
      confirmations: await k
        .selectFrom('article6_confirmations')
        .select(['id', 'version', 'party', 'chain'])
        .execute(),
      covered: await k
        .selectFrom('article6_authorisation_covered')
        .select(['id', 'quantity'])
        .execute(),
    }));
    expect(records).toEqual({
      approaches: [{ partnership: 'IN', version: 1, id: 'CA0001', chain: 'JC-IN' }],
      authorisations: [
        { id: 'IND-2028-001', version: 1, party: 'IND', registry_id: 'JP', chain: 'JP' },
      ],
      confirmations: [{ id: 'IND-2028-001', version: 1, party: 'JPN', chain: 'JP' }],
      covered: [{ id: 'IND-2028-001', quantity: 40n }],
    });
    const report = await platform.audit();
    expect(report.violations).toEqual([]);
  });

  it('writes the same rows when an issuance shares its batch with an account opening (the slow path)', async () => {
    const [opened, issued] = await Promise.all([
      ledger.run({
        type: 'open_account',
        registry: 'JP',
        accountType: 'holding',
        holderId: 'gamma',
        holderName: 'Gamma',
      } as never),
      ledger.run(issueJp('D2')),
    ]);
    expect([opened.ok, issued.ok]).toEqual([true, true]);
    // One batch: the outbox has one message for both entries.
    const seqs = [opened, issued].map((o) => (o.ok ? String(o.entry.seq) : ''));
    const message = await platform.db.read((k) =>
      k.selectFrom('outbox').select('payload').orderBy('id', 'desc').limit(1).executeTakeFirst(),
    );
    expect(jsonOf(message?.payload)).toEqual({ chain: 'JP', first: seqs[0], last: seqs[1] });
    expect(await itmoBlocks()).toEqual([`151-190 JP-000004 ${itmo}`]);
    expect((await actions()).map((a) => a.split(' ').slice(1, 3).join(' '))).toEqual([
      'IND authorization',
      'IND first_transfer',
      'JPN acquisition',
    ]);
    expect((await platform.audit()).violations).toEqual([]);
  });

  it("refuses a first transfer of a year India finalised, though the writer's cached chain state was read before", async () => {
    await ledger.must(issueJp('D2'));
    // India finalises 2027 on its own chain, through another writer; Japan's chain head stays put,
    // so the first writer reuses its cached state of Japan's chain for the next issuance.
    const other = new DirectLedger(platform.db, () => clock.now());
    await other.must(
      {
        type: 'finalise_adjustments',
        party: 'IND',
        registry: 'IN',
        firstYear: 2027,
        lastYear: 2027,
      } as never,
      india,
    );
    await decide('D3', 5, 1);
    const before = await actions();
    const refused = await ledger.run(issueJp('D3'));
    expect(refused.ok ? 'written' : refused.error.code).toBe('article6_period_finalised');
    expect(await actions()).toEqual(before);
    const finalised = await platform.db.read((k) =>
      k
        .selectFrom('article6_finalisations')
        .select(['party', 'first_year', 'last_year', 'finalised_on', 'chain'])
        .execute(),
    );
    expect(finalised).toEqual([
      { party: 'IND', first_year: 2027, last_year: 2027, finalised_on: '2028-04-01', chain: 'IN' },
    ]);
    expect((await platform.audit()).violations).toEqual([]);
  });

  it.each([
    ['article6_actions', `UPDATE article6_actions SET quantity = quantity WHERE n = 1`],
    ['article6_actions', `DELETE FROM article6_actions`],
    ['article6_approaches', `UPDATE article6_approaches SET record = record`],
    ['article6_authorisations', `DELETE FROM article6_authorisations`],
    ['article6_confirmations', `UPDATE article6_confirmations SET party = 'IND'`],
    ['article6_finalisations', `DELETE FROM article6_finalisations`],
    ['article6_actions', `TRUNCATE article6_actions`],
  ])('keeps %s append-only: %s is refused', async (table, statement) => {
    await ledger.must(issueJp('D2'));
    await ledger.must(
      {
        type: 'finalise_adjustments',
        party: 'IND',
        registry: 'IN',
        firstYear: 2027,
        lastYear: 2027,
      } as never,
      india,
    );
    await expect(platform.db.transaction((trx) => sql.raw(statement).execute(trx))).rejects.toThrow(
      new RegExp(`^article6: ${table} is append-only \\((UPDATE|DELETE|TRUNCATE) refused\\)`),
    );
  });

  it('keeps the ITMO columns of a block all set or all empty', async () => {
    await ledger.must(issueJp('D2'));
    await expect(
      platform.db.transaction((trx) =>
        sql`UPDATE blocks SET itmo_first_party = NULL WHERE serial_first = 151`.execute(trx),
      ),
    ).rejects.toThrow(/blocks_itmo_all_or_none/);
  });

  it.runIf(testDbKind === 'postgres')(
    "a finalisation of India's holds the head of Japan's chain until it commits",
    async () => {
      const second = await openDb({ kind: 'postgres', url: testDb.url as string, poolSize: 1 });
      try {
        const command = {
          type: 'finalise_adjustments',
          party: 'IND',
          registry: 'IN',
          firstYear: 2027,
          lastYear: 2027,
        } as unknown as LedgerCommand;
        const held = await platform.db.transaction(async (trx) => {
          const outcome = await ledger.writer.applyWithin(trx, {
            chain: 'IN' as never,
            command,
            actor: india,
            key: randomUUID() as IdempotencyKey,
            requestHash: 'a'.repeat(64),
          });
          expect(outcome.ok).toBe(true);
          // Another connection cannot take Japan's head while the finalisation is open.
          return second
            .transaction((other) =>
              sql`SELECT id FROM chains WHERE id = 'JP' FOR UPDATE NOWAIT`.execute(other),
            )
            .then(
              () => 'free',
              (error: { code?: string }) => error.code,
            );
        });
        expect(held).toBe('55P03');
        const after = await second.transaction((other) =>
          sql<{ id: string }>`SELECT id FROM chains WHERE id = 'JP' FOR UPDATE NOWAIT`.execute(
            other,
          ),
        );
        expect(after.rows).toEqual([{ id: 'JP' }]);
      } finally {
        await second.close();
      }
    },
  );

  it('refuses in the database a first transfer or a use in a finalised period, and an overlapping period', async () => {
    await ledger.must(issueJp('D2'));
    await ledger.must(
      {
        type: 'finalise_adjustments',
        party: 'IND',
        registry: 'IN',
        firstYear: 2027,
        lastYear: 2028,
      } as never,
      india,
    );
    await ledger.must(
      {
        type: 'finalise_adjustments',
        party: 'JPN',
        registry: 'JP',
        firstYear: 2029,
        lastYear: 2029,
      } as never,
      japan,
    );
    const insert = (type: string, party: string, vintage: number, yearOfUse: number | null) =>
      platform.db.transaction((trx) =>
        sql`INSERT INTO article6_actions (chain, seq, n, party, type, subtype, action_date, approach, authorisation,
              first_party, registry_id, party_registry_id, project, vintage, serial_first, serial_last, quantity,
              transferring_party, acquiring_party, purpose, using_or_cancelling, year_of_use)
            SELECT chain, seq, 99, ${party}, ${type}, NULL, action_date, approach, authorisation, first_party,
              registry_id, party_registry_id, project, ${vintage}, serial_first, serial_last, quantity, NULL, NULL,
              purpose, NULL, ${yearOfUse}::int4
            FROM article6_actions WHERE type = 'acquisition'`.execute(trx),
      );
    await expect(insert('first_transfer', 'IND', 2028, null)).rejects.toThrow(
      /^article6: IND finalised 2027-2028, no first transfer of vintage 2028 is added/,
    );
    await expect(insert('use', 'JPN', 2027, 2029)).rejects.toThrow(
      /^article6: JPN finalised 2029-2029, no use for 2029 is added/,
    );
    // Outside the finalised periods the same row is still refused: those credits were first
    // transferred once already (migration 017).
    await expect(insert('first_transfer', 'IND', 2029, null)).rejects.toThrow(
      /article6_first_transfer_once/,
    );
    expect(
      (await actions()).filter((a) => a.includes(' first_transfer ')).map((a) => a.split(' ')[0]),
    ).toEqual(['JP#2']);
    await expect(
      platform.db.transaction((trx) =>
        sql`INSERT INTO article6_finalisations (party, first_year, last_year, finalised_on, chain, seq)
            SELECT 'IND', 2028, 2030, '2028-04-02', chain, seq FROM article6_finalisations`.execute(
          trx,
        ),
      ),
    ).rejects.toThrow(/article6_finalisations_do_not_overlap/);
  });
});
