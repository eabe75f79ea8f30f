// The ledger through its services on a real database (PGlite or PostgreSQL, per JCM_TEST_DB): every
// command, idempotency, refusals that change nothing, the database's own guards, and the audit
// catching rows altered behind the platform's back.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { admin, mustRun, run, snapshot, standardOpening } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;

beforeEach(async () => {
  ({ platform, testDb } = await freshPlatform());
  await standardOpening(platform);
});
afterEach(async () => {
  await testDb.drop();
});

async function balanceOf(account: string): Promise<bigint> {
  const result = await platform.queries.account(account);
  if (!result.ok) throw new Error(result.error.code);
  return result.value.balance;
}

describe(`ledger on ${testDbKind}`, () => {
  // Release from the reserve account, into which credits come only with a CCS issuance, is tested
  // in ccs-reserve.test.ts.
  it('issues, transfers, retires, cancels and reverses; the audit passes', async () => {
    await mustRun(platform, 'transfer', {
      from: 'JP-000004',
      to: 'JP-000006',
      selection: { quantity: '30' },
    });
    const transfer = await mustRun(platform, 'transfer', {
      from: 'JP-000004',
      to: 'JP-000005',
      selection: { ranges: [{ project: 'IN001', first: '50', last: '59' }] },
    });
    await mustRun(platform, 'retire', {
      from: 'JP-000006',
      selection: { quantity: '5' },
      purpose: 'ndc_use',
      beneficiary: 'Government of Japan',
      note: 'NDC 2030',
    });
    await mustRun(platform, 'cancel', {
      from: 'JP-000006',
      selection: { blocks: ['JCM-IN-001-2027-6-7'] },
      reason: 'voluntary cancellation',
    });
    await mustRun(platform, 'reverse', {
      registry: 'JP',
      seq: String(transfer.entry.seq),
      reason: 'transferred to the wrong account',
    });
    expect(
      await Promise.all(
        [
          'JP-000001',
          'JP-000002',
          'JP-000003',
          'JP-000004',
          'JP-000005',
          'JP-000006',
          'IN-000004',
        ].map(balanceOf),
      ),
    ).toEqual([5n, 2n, 0n, 70n, 0n, 23n, 50n]);
    const block = await platform.queries.blockBySerial('IN001', '3');
    expect(block.ok && block.value.blockId).toBe('JCM-IN-001-2027-1-5');
    expect(block.ok && block.value.accountType).toBe('retirement');
    const report = await platform.audit();
    expect(report.violations).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('reads int8 as bigint above 2^53 on this driver', async () => {
    const rows = await platform.db.read((k) =>
      sql<{ x: bigint }>`SELECT 9007199254740993::int8 AS x`.execute(k),
    );
    expect(rows.rows[0]?.x).toBe(9007199254740993n);
  });

  it('answers a repeated idempotency key with the original result and applies once', async () => {
    const input = { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '10' } };
    const first = await run(platform, 'transfer', input, admin, 'key-1');
    const second = await run(platform, 'transfer', input, admin, 'key-1');
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.value.replayed).toBe(true);
    expect(second.value.entry).toEqual(first.value.entry);
    expect(await balanceOf('JP-000006')).toBe(10n);
    const before = await snapshot(platform);
    const other = await run(
      platform,
      'transfer',
      { ...input, selection: { quantity: '11' } },
      admin,
      'key-1',
    );
    expect(other.ok ? 'accepted' : other.error.code).toBe(
      'idempotency_key_reused_with_different_input',
    );
    expect(await snapshot(platform)).toBe(before);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    [
      'unknown account',
      'transfer',
      { from: 'JP-000099', to: 'JP-000006', selection: { quantity: '1' } },
      'account_not_found',
    ],
    [
      'unknown registry',
      'open_account',
      { registry: 'TH', accountType: 'holding', holderId: 'x', holderName: 'X' },
      'registry_not_found',
    ],
    [
      'a transfer across registries',
      'transfer',
      { from: 'JP-000004', to: 'IN-000004', selection: { quantity: '1' } },
      'accounts_must_be_in_same_registry',
    ],
    [
      'quantity zero',
      'transfer',
      { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '0' } },
      'quantity_must_be_positive',
    ],
    [
      'a negative quantity',
      'transfer',
      { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '-3' } },
      'quantity_must_be_positive',
    ],
    [
      'a fractional quantity',
      'transfer',
      { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '2.5' } },
      'quantity_must_be_whole',
    ],
    [
      'an absurd quantity',
      'transfer',
      { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '1000000000000000000000' } },
      'quantity_too_large',
    ],
    [
      'more than held',
      'transfer',
      { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '101' } },
      'source_holds_insufficient_credits',
    ],
    [
      'a range not held',
      'transfer',
      {
        from: 'JP-000004',
        to: 'JP-000006',
        selection: { ranges: [{ project: 'IN001', first: '90', last: '110' }] },
      },
      'serial_range_not_held_by_account',
    ],
    [
      'a retirement account as source',
      'transfer',
      { from: 'JP-000001', to: 'JP-000006', selection: { quantity: '1' } },
      'source_account_type_cannot_send',
    ],
    [
      'a cancellation account as source',
      'retire',
      { from: 'JP-000002', selection: { quantity: '1' }, purpose: 'ndc_use', beneficiary: 'x' },
      'source_account_type_cannot_send',
    ],
    [
      'an unknown retirement purpose',
      'retire',
      { from: 'JP-000004', selection: { quantity: '1' }, purpose: 'fun', beneficiary: 'x' },
      'retirement_purpose_unknown',
    ],
    [
      'overlapping ranges',
      'transfer',
      {
        from: 'JP-000004',
        to: 'JP-000006',
        selection: {
          ranges: [
            { project: 'IN001', first: '1', last: '5' },
            { project: 'IN001', first: '5', last: '6' },
          ],
        },
      },
      'serial_ranges_overlap',
    ],
    [
      'a second issuance',
      'issue',
      { registry: 'JP', decision: 'D1', line: 1 },
      'allocation_line_already_issued',
    ],
    [
      'an unknown partner country',
      'open_registry',
      { registry: 'FR', name: 'France' },
      'registry_country_unknown',
    ],
  ])('refuses %s and changes nothing', async (_name, command, input, code) => {
    const before = await snapshot(platform);
    const result = await run(platform, command as never, input);
    expect(result.ok ? 'accepted' : result.error.code).toBe(code);
    expect(await snapshot(platform)).toBe(before);
  });

  it('refuses frozen and closed accounts, and unfreezing restores them', async () => {
    await mustRun(platform, 'freeze_account', { account: 'JP-000006', reason: 'court order' });
    const into = await run(platform, 'transfer', {
      from: 'JP-000004',
      to: 'JP-000006',
      selection: { quantity: '1' },
    });
    expect(into.ok ? 'accepted' : into.error.code).toBe('destination_account_frozen');
    await mustRun(platform, 'unfreeze_account', { account: 'JP-000006', reason: 'order lifted' });
    await mustRun(platform, 'transfer', {
      from: 'JP-000004',
      to: 'JP-000006',
      selection: { quantity: '1' },
    });
    await mustRun(platform, 'freeze_account', { account: 'JP-000004', reason: 'investigation' });
    const out = await run(platform, 'transfer', {
      from: 'JP-000004',
      to: 'JP-000006',
      selection: { quantity: '1' },
    });
    expect(out.ok ? 'accepted' : out.error.code).toBe('source_account_frozen');
    await mustRun(platform, 'transfer', {
      from: 'JP-000006',
      to: 'JP-000005',
      selection: { quantity: '1' },
    });
    await mustRun(platform, 'close_account', { account: 'JP-000006', reason: 'company dissolved' });
    const closed = await run(platform, 'transfer', {
      from: 'JP-000005',
      to: 'JP-000006',
      selection: { quantity: '1' },
    });
    expect(closed.ok ? 'accepted' : closed.error.code).toBe('destination_account_closed');
    expect((await platform.audit()).passed).toBe(true);
  });

  it('enforces the invariants in the database itself', async () => {
    await mustRun(platform, 'retire', {
      from: 'JP-000004',
      selection: { quantity: '5' },
      purpose: 'ndc_use',
      beneficiary: 'x',
    });
    const attempts = [
      sql`UPDATE blocks SET account_id = 'JP-000004' WHERE account_id = 'JP-000001'`,
      sql`INSERT INTO blocks (project, serial_first, serial_last, vintage, registry_id, account_id, entry_chain, entry_seq) VALUES ('IN001', 90, 120, 2027, 'JP', 'JP-000006', 'JP', 1)`,
      sql`UPDATE journal SET actor = 'someone else' WHERE chain = 'JP' AND seq = 1`,
      sql`DELETE FROM journal WHERE chain = 'JP'`,
      sql`INSERT INTO issuances (decision_id, line_no, registry_id, chain, seq) VALUES ('D1', 1, 'JP', 'JP', 1)`,
    ];
    for (const attempt of attempts) {
      await expect(platform.db.transaction((trx) => attempt.execute(trx))).rejects.toThrow();
    }
    expect((await platform.audit()).passed).toBe(true);
  });

  it('audit fails, naming the invariant, after a block is altered directly in SQL', async () => {
    await mustRun(platform, 'transfer', {
      from: 'JP-000004',
      to: 'JP-000006',
      selection: { quantity: '30' },
    });
    await platform.db.transaction((trx) =>
      sql`UPDATE blocks SET serial_last = serial_last - 5 WHERE account_id = 'JP-000004'`.execute(
        trx,
      ),
    );
    const report = await platform.audit();
    expect(report.passed).toBe(false);
    const invariants = new Set(report.violations.map((v) => v.invariant));
    expect(invariants.has(1)).toBe(true);
    expect(invariants.has(2)).toBe(true);
    expect(invariants.has(6)).toBe(true);
  });

  it('audit fails, naming invariant 6, after a journal entry is altered directly in SQL', async () => {
    await mustRun(platform, 'transfer', {
      from: 'JP-000004',
      to: 'JP-000006',
      selection: { quantity: '30' },
    });
    await platform.db.transaction(async (trx) => {
      await sql`ALTER TABLE journal DISABLE TRIGGER journal_append_only`.execute(trx);
      await sql`UPDATE journal SET entry = replace(entry, '"30"', '"31"') WHERE chain = 'JP' AND type = 'credits_moved'`.execute(
        trx,
      );
      await sql`ALTER TABLE journal ENABLE TRIGGER journal_append_only`.execute(trx);
    });
    const report = await platform.audit();
    expect(report.passed).toBe(false);
    expect(report.violations.some((v) => v.invariant === 6 && /hash/.test(v.message))).toBe(true);
  });
});
