// The audit of a long chain, built through the real writer (bench/scale-build.ts at a small size):
// some 20,000 entries, four of the audit's journal pages, it passes, a reversal of an entry
// pages before it replays (the replay reads the reversed entry back from the journal after it has
// forgotten it), the replay holds in memory only the blocks of one page (the others wait in its
// table), and an entry tampered with deep in the chain is still found and named.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountId, buildScale, shapeFor } from '../../bench/scale-build.ts';
import { runAudit } from '../../src/db/audit.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { mustRun } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;
const long = { timeout: 1_800_000 };

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  const figures = await buildScale(platform, shapeFor(2000, { inFlight: 128 }));
  expect(figures.reduce((sum, f) => sum + f.refused, 0)).toBe(0);
}, long.timeout);
afterAll(async () => {
  await testDb.drop();
});

describe(`the audit of a long chain on ${testDbKind}`, () => {
  it(
    'passes over some 20,000 entries, with a reversal of an entry many pages back',
    long,
    async () => {
      const first = await platform.db.read((k) =>
        k
          .selectFrom('journal')
          .select('seq')
          .where('chain', '=', 'JP')
          .where('type', '=', 'credits_moved')
          .orderBy('seq')
          .limit(1)
          .executeTakeFirstOrThrow(),
      );
      await mustRun(platform, 'reverse', {
        registry: 'JP',
        seq: String(first.seq),
        reason: 'entered in error',
      });
      const report = await platform.audit();
      expect(report.violations).toEqual([]);
      expect(report.passed).toBe(true);
      const jp = report.chains.find((c) => c.chain === 'JP');
      expect(jp?.entries).toBeGreaterThan(19_500n);
    },
  );

  it('holds the blocks of one page in memory, not every block', long, async () => {
    const blocks = await platform.db.read((k) =>
      k
        .selectFrom('blocks')
        .select((e) => e.fn.countAll<bigint>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    const pageSize = 50;
    const held: number[] = [];
    const report = await runAudit(
      platform.db,
      new Date().toISOString(),
      (p) => {
        if (p.step === 'journal') held.push(p.blocksHeld);
      },
      { pageSize },
    );
    expect(report.violations).toEqual([]);
    expect(Number(blocks.n)).toBeGreaterThan(10 * 3 * pageSize);
    // A page of 50 entries touches at most a few blocks per entry (a piece's block, its split).
    expect(Math.max(...held)).toBeLessThanOrEqual(3 * pageSize);
    expect(Math.max(...held)).toBeGreaterThan(0);
  });

  it('passes while transfers go on beside it: it audits one snapshot', long, async () => {
    let auditing = true;
    let during = 0;
    const writes = (async () => {
      for (let i = 0; auditing; i++) {
        const [from, to] = i % 2 === 0 ? [0, 1] : [1, 0];
        await mustRun(platform, 'transfer', {
          from: accountId(from),
          to: accountId(to),
          selection: { quantity: '1' },
        });
        if (auditing) during++;
      }
    })();
    const report = await platform.audit();
    auditing = false;
    await writes;
    expect(report.violations).toEqual([]);
    // On PostgreSQL the writes go on during the audit; PGlite's one connection makes them wait.
    if (testDbKind === 'postgres') expect(during).toBeGreaterThan(0);
    expect((await platform.audit()).passed).toBe(true);
  });

  it('finds an entry tampered with deep in the chain', long, async () => {
    const deep = 17_321;
    await platform.db.transaction(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE journal SET entry = replace(entry, '"quantity":"1"', '"quantity":"2"') WHERE chain = 'JP' AND seq = ${deep}`.execute(
        trx,
      );
    });
    const report = await platform.audit();
    expect(report.passed).toBe(false);
    const named = report.violations.filter(
      (v) => v.kind === 'journal_hash' && v.message.includes(`chain JP entry ${deep}:`),
    );
    expect(named, JSON.stringify(report.violations.slice(0, 5))).toHaveLength(1);
  });
});
