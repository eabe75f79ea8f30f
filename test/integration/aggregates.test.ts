// Migration 018's aggregates (issue 15): after a random sequence of issuances, transfers, retirements,
// cancellations and reversals, account_holdings, registry_totals and movement_totals equal a full
// recount and ledger_movements equals the movements derived again from the journal; a row altered
// behind the platform's back is found by the audit. Reproduce a failure with JCM_SEED=<seed>.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditAggregates } from '../../src/db/audit-aggregates.ts';
import { ViolationLog } from '../../src/db/audit-violations.ts';
import { backfill } from '../../src/db/migrations/018-registry-aggregates.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { baseSeed, prng } from '../support/prng.ts';
import { mustRun, run, standardOpening } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;

beforeEach(async () => {
  ({ platform, testDb } = await freshPlatform());
  await standardOpening(platform);
});
afterEach(async () => {
  await testDb.drop();
});

const holders = ['JP-000004', 'JP-000005', 'JP-000006'];
const aggregateTables = [
  'ledger_movements',
  'account_holdings',
  'registry_totals',
  'movement_totals',
] as const;

/** Every row of the four tables, as sorted text. */
async function aggregateRows(): Promise<string[]> {
  const out: string[] = [];
  for (const table of aggregateTables) {
    const rows = await platform.db.read((k) => k.selectFrom(table).selectAll().execute());
    const text = rows.map((r) =>
      JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    );
    out.push(`${table}: ${rows.length}`, ...text.sort());
  }
  return out;
}

async function aggregateFindings(): Promise<string[]> {
  const log = new ViolationLog();
  await auditAggregates(platform.db, log);
  return log.summary().violations.map((v) => `${v.kind}: ${v.message}`);
}

/** One random command; refusals (not enough credits...) are part of the sequence. */
async function randomStep(random: () => number, index: number, moved: bigint[]): Promise<void> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const from = pick(holders);
  const quantity = String(1 + Math.floor(random() * 20));
  const choice = random();
  let result;
  if (choice < 0.15) {
    const decision = `R${index}`;
    const to = pick(holders);
    await mustRun(platform, 'record_issuance_decision', {
      decision,
      project: 'IN001',
      verification: { reference: `V-${decision}`, reductions: [{ vintage: 2028, quantity }] },
      lines: [{ registry: 'JP', account: to, vintage: 2028, quantity }],
    });
    result = await run(platform, 'issue', { registry: 'JP', decision, line: 1 });
  } else if (choice < 0.55) {
    const to = pick(holders.filter((h) => h !== from));
    result = await run(platform, 'transfer', { from, to, selection: { quantity } });
  } else if (choice < 0.7) {
    result = await run(platform, 'retire', {
      from,
      selection: { quantity },
      purpose: pick(['ndc_use', 'voluntary_offsetting']),
      beneficiary: `Beneficiary ${index}`,
      note: 'random',
    });
  } else if (choice < 0.8) {
    result = await run(platform, 'cancel', { from, selection: { quantity }, reason: 'random' });
  } else {
    const seq = moved.length === 0 ? undefined : pick(moved);
    if (seq === undefined) return;
    result = await run(platform, 'reverse', { registry: 'JP', seq: String(seq), reason: 'random' });
  }
  if (result.ok && result.value.event.type === 'credits_moved' && choice < 0.55)
    moved.push(result.value.entry.seq);
}

describe(`registry aggregates on ${testDbKind}`, () => {
  it('equal a full recount after a random sequence of ledger writes', async () => {
    const seed = baseSeed;
    console.log(`aggregates test on ${testDbKind}: JCM_SEED=${seed}`);
    const random = prng(seed);
    const moved: bigint[] = [];
    for (let index = 0; index < 40; index += 1) await randomStep(random, index, moved);
    expect(await aggregateFindings()).toEqual([]);
    // Holdings are read from account_holdings: they equal the blocks.
    for (const account of holders) {
      const view = await platform.queries.account(account);
      if (!view.ok) throw new Error(view.error.code);
      const counted = await platform.db.read((k) =>
        k
          .selectFrom('blocks')
          .select((eb) => eb.fn.sum<bigint>(sql`serial_last - serial_first + 1`).as('q'))
          .where('account_id', '=', account)
          .executeTakeFirst(),
      );
      expect(view.value.balance).toBe(BigInt(counted?.q ?? 0));
    }
    const kinds = await platform.db.read((k) =>
      k.selectFrom('ledger_movements').select('kind').distinct().execute(),
    );
    expect(kinds.map((r) => r.kind)).toContain('issue');
    const report = await platform.audit();
    expect(report.violations).toEqual([]);
    // The migration's backfill, run again on the journal and blocks, gives the writer's rows.
    const before = await aggregateRows();
    await platform.db.transaction(async (trx) => {
      await sql`ALTER TABLE ledger_movements DISABLE TRIGGER ledger_movements_append_only`.execute(
        trx,
      );
      for (const table of aggregateTables) await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
      await sql`ALTER TABLE ledger_movements ENABLE TRIGGER ledger_movements_append_only`.execute(
        trx,
      );
      for (const statement of backfill) await sql.raw(statement).execute(trx);
    });
    expect(await aggregateRows()).toEqual(before);
  });

  it('are found altered by the audit', async () => {
    await mustRun(platform, 'transfer', {
      from: 'JP-000004',
      to: 'JP-000006',
      selection: { quantity: '30' },
    });
    expect(await aggregateFindings()).toEqual([]);
    await platform.db.transaction(async (trx) => {
      await sql`UPDATE account_holdings SET quantity = quantity + 1 WHERE account_id = 'JP-000006'`.execute(
        trx,
      );
      await sql`DELETE FROM registry_totals WHERE registry_id = 'IN'`.execute(trx);
      await sql`UPDATE movement_totals SET entries = entries + 1 WHERE kind = 'transfer'`.execute(
        trx,
      );
      await sql`ALTER TABLE ledger_movements DISABLE TRIGGER ledger_movements_append_only`.execute(
        trx,
      );
      await sql`UPDATE ledger_movements SET to_account = 'JP-000005' WHERE kind = 'transfer'`.execute(
        trx,
      );
      await sql`ALTER TABLE ledger_movements ENABLE TRIGGER ledger_movements_append_only`.execute(
        trx,
      );
    });
    const report = await platform.audit();
    expect(report.passed).toBe(false);
    expect(new Set(report.kinds.map((k) => k.kind))).toEqual(
      new Set([
        'aggregate_account_holdings',
        'aggregate_registry_totals',
        'aggregate_movement_totals',
        'ledger_movements',
      ]),
    );
    expect(report.violations.map((v) => v.message)).toContain(
      'chain JP entry 6 movement 0: columns to_account of ledger_movements differ from the journal',
    );
  });

  it('refuses to change a movement', async () => {
    await expect(
      platform.db.transaction((trx) =>
        sql`UPDATE ledger_movements SET note = 'x' WHERE kind = 'issue'`.execute(trx),
      ),
    ).rejects.toThrow(/append-only/);
  });
});
