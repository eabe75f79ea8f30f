// The audit's replay, with its blocks in a table read a page at a time, against a journal rewritten by
// someone who recomputed every hash after the entries they changed (so that only the replay can see
// it), and against entries altered into values no block can hold. One journal entry per page, so that
// every entry meets the blocks only through the table.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/db/audit.ts';
import { sha256Hex } from '../../src/db/sha256.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { mustRun, standardOpening } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;

beforeEach(async () => {
  ({ platform, testDb } = await freshPlatform());
  await standardOpening(platform);
  // JP-000004 holds IN001 31-100, JP-000006 holds 1-30 (entry JP 6).
  await mustRun(platform, 'transfer', {
    from: 'JP-000004',
    to: 'JP-000006',
    selection: { quantity: '30' },
  });
});
afterEach(async () => {
  await testDb.drop();
});

const audit = (pageSize = 1) =>
  runAudit(platform.db, new Date().toISOString(), () => undefined, { pageSize });

/**
 * Appends events to chain JP as an attacker with the database would: each entry hashed and linked to
 * the one before it, the chain's head moved. The tables are left as they were.
 */
async function appendToJp(events: Record<string, unknown>[]): Promise<void> {
  await platform.db.transaction(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    const head = await trx
      .selectFrom('chains')
      .select(['head_seq', 'head_hash'])
      .where('id', '=', 'JP')
      .executeTakeFirstOrThrow();
    let seq = head.head_seq;
    let previous = head.head_hash;
    for (const event of events) {
      seq += 1n;
      const envelope = {
        actor: 'test-admin',
        chain: 'JP',
        event,
        idempotencyKey: null,
        recordedAt: '2028-04-02T00:00:00.000Z',
        seq: String(seq),
      };
      const entry = JSON.stringify(envelope);
      const hash = sha256Hex(previous + entry);
      await trx
        .insertInto('journal')
        .values({
          chain: 'JP',
          seq,
          prev_hash: previous,
          hash,
          type: String(event['type']),
          actor: 'test-admin',
          recorded_at: envelope.recordedAt,
          idempotency_key: null,
          entry,
        })
        .execute();
      previous = hash;
    }
    await trx
      .updateTable('chains')
      .set({ head_seq: seq, head_hash: previous })
      .where('id', '=', 'JP')
      .execute();
  });
}

const transfer = (from: string, to: string, first: string, last: string) => ({
  type: 'credits_moved',
  movement: 'transfer',
  from,
  to,
  quantity: String(BigInt(last) - BigInt(first) + 1n),
  pieces: [{ project: 'IN001', vintage: 2027, serials: { first, last } }],
});

function replayBreaks(report: Awaited<ReturnType<typeof audit>>): string[] {
  return report.violations.filter((v) => v.kind === 'replay').map((v) => v.message);
}

describe(`the audit's replay in pages on ${testDbKind}`, () => {
  it('refuses a piece that spans two blocks of different accounts', async () => {
    await appendToJp([transfer('JP-000006', 'JP-000005', '25', '35')]);
    const report = await audit();
    expect(replayBreaks(report)).toEqual([
      expect.stringMatching(/entry 7: .*no block of JP-000006 holds IN001 25-35/),
    ]);
  });

  it('refuses a piece that spans two blocks of one account', async () => {
    // JP-000004 sends 1-30 back (entry 7): it holds 1-30 and 31-100, two blocks.
    await appendToJp([
      transfer('JP-000006', 'JP-000004', '1', '30'),
      transfer('JP-000004', 'JP-000005', '25', '35'),
    ]);
    const report = await audit();
    expect(replayBreaks(report)).toEqual([
      expect.stringMatching(/entry 8: .*no block of JP-000004 holds IN001 25-35/),
    ]);
  });

  it('refuses to close an account whose credits only a later page moves away', async () => {
    await appendToJp([
      {
        type: 'account_status_changed',
        account: 'JP-000006',
        from: 'open',
        to: 'closed',
        reason: 'x',
      },
      transfer('JP-000006', 'JP-000004', '1', '30'),
    ]);
    const report = await audit();
    expect(replayBreaks(report)).toEqual([
      expect.stringMatching(/entry 7: .*closing JP-000006 while it holds credits/),
    ]);
  });

  it('refuses to move a piece twice, across pages', async () => {
    await appendToJp([
      transfer('JP-000006', 'JP-000005', '1', '10'),
      transfer('JP-000006', 'JP-000005', '5', '10'),
    ]);
    const report = await audit();
    expect(replayBreaks(report)).toEqual([
      expect.stringMatching(/entry 8: .*no block of JP-000006 holds IN001 5-10/),
    ]);
  });

  it.each([
    ['past int8', '"first":"10000000000000000000","last":"30"'],
    ['below int8', '"first":"-10000000000000000000","last":"30"'],
  ])('reports, not throws, an entry altered to move serials %s', async (_what, serials) => {
    await platform.db.transaction(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE journal SET entry = replace(entry, '"first":"1","last":"30"', ${serials}) WHERE chain = 'JP' AND seq = 6`.execute(
        trx,
      );
    });
    const report = await audit(5000);
    expect(report.passed).toBe(false);
    expect(report.kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['journal_hash', 'replay']),
    );
  });
});
