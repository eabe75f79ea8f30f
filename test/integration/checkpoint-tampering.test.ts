// Signed checkpoints against a chain row changed behind the journal, on PGlite and PostgreSQL: a
// head set back to nothing is an incident, not "nothing to sign" (which the scheduled run passes
// over in silence), and a head the journal does not have at its number is never signed.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { admin, mustRun, standardOpening } from '../support/scenario.ts';
import { signingDeployment } from '../support/checkpoints.ts';

const config = signingDeployment();

let platform: TestPlatform;
let testDb: TestDb;

beforeEach(async () => {
  ({ platform, testDb } = await freshPlatform({ federation: { config } }));
  await standardOpening(platform);
});
afterEach(async () => {
  await testDb.drop();
});

const tamper = (statement: ReturnType<typeof sql>) =>
  testDb.db.exclusive((k) => statement.execute(k));

async function count(): Promise<bigint> {
  const row = await testDb.db.read((k) =>
    sql<{ n: bigint }>`SELECT count(*)::int8 AS n FROM checkpoints`.execute(k),
  );
  return row.rows[0]?.n ?? -1n;
}

const outcome = (r: { ok: boolean; error?: { code: string; details?: unknown } }) =>
  r.ok ? 'signed' : [r.error?.code, r.error?.details];

describe(`a chain row changed behind the journal, on ${testDbKind}`, () => {
  it('refuses a head set back to nothing after a checkpoint, in the scheduled run too', async () => {
    expect(outcome(await platform.checkpoints.publish(admin, 'JP'))).toBe('signed');
    const before = await count();
    await tamper(sql`UPDATE chains SET head_seq = 0 WHERE id = 'JP'`);
    const refused = [
      'checkpoint_does_not_extend',
      { discrepancies: ['checkpoint_head_went_back'] },
    ];
    expect(outcome(await platform.checkpoints.publish(admin, 'JP'))).toEqual(refused);
    // The run of every hosted registry answers it (IN is still signed), not a quiet success.
    expect(outcome(await platform.checkpoints.publishAll(admin))).toEqual(refused);
    expect(await count()).toBe(before + 1n);
  });

  it('never signs a head that is not the journal entry at its number', async () => {
    expect(outcome(await platform.checkpoints.publish(admin, 'JP'))).toBe('signed');
    await mustRun(platform, 'retire', {
      from: 'JP-000004',
      selection: { quantity: '1' },
      purpose: 'voluntary_offsetting',
      beneficiary: 'Acme',
    });
    const before = await count();
    const notInJournal = ['checkpoint_head_not_in_journal', undefined];
    // Another hash at the head's number (the entries after the last checkpoint are not checked
    // against it, so this was signed, and every later checkpoint refused as a rewrite).
    await tamper(sql`UPDATE chains SET head_hash = ${'ab'.repeat(32)} WHERE id = 'JP'`);
    expect(outcome(await platform.checkpoints.publish(admin, 'JP'))).toEqual(notInJournal);
    await tamper(
      sql`UPDATE chains SET head_hash = j.hash FROM journal j
          WHERE chains.id = 'JP' AND j.chain = 'JP' AND j.seq = chains.head_seq`,
    );
    // A head past the journal's last entry.
    await tamper(sql`UPDATE chains SET head_seq = head_seq + 5 WHERE id = 'JP'`);
    expect(outcome(await platform.checkpoints.publish(admin, 'JP'))).toEqual(notInJournal);
    expect(await count()).toBe(before);
    // Put back, it signs again and extends the last one.
    await tamper(sql`UPDATE chains SET head_seq = head_seq - 5 WHERE id = 'JP'`);
    expect(outcome(await platform.checkpoints.publish(admin, 'JP'))).toBe('signed');
  });

  it('never signs a checkpoint it could not read back, and the list stays readable', async () => {
    expect(outcome(await platform.checkpoints.publish(admin, 'JP'))).toBe('signed');
    const before = await count();
    // A total out of a checkpoint's ranges (a row changed behind the ledger): once signed and kept
    // in the append-only table, the public list answered 500 and every later checkpoint threw.
    await tamper(sql`UPDATE registry_totals SET vintage = 1800 WHERE registry_id = 'JP'`);
    expect(outcome(await platform.checkpoints.publish(admin, 'JP'))).toEqual([
      'checkpoint_malformed',
      undefined,
    ]);
    expect(await count()).toBe(before);
    const list = await createApp(platform, { devToken: null }).request('/api/v1/checkpoints');
    expect(list.status).toBe(200);
  });
});
