// A movement reads only the blocks it takes (issue 15): out of an account holding many blocks, a
// transfer by quantity reads its lowest blocks by index and a transfer of named serials the blocks
// holding them, counted in rows read (loaderCounters), not in time. The credits taken are the same
// as with every block in memory: the lowest serials first, or the named ones.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loaderCounters } from '../../src/db/ledger-loader.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { mustRun, run, standardOpening } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;
const blocks = 120;

beforeEach(async () => {
  ({ platform, testDb } = await freshPlatform());
  await standardOpening(platform);
  // JP-000004 holds IN001 serials 1-100: one credit at a time into JP-000006, each its own block
  // (blocks are never merged), submitted together so that the writer batches them.
  await Promise.all(
    Array.from({ length: 100 }, () =>
      mustRun(platform, 'transfer', {
        from: 'JP-000004',
        to: 'JP-000006',
        selection: { quantity: '1' },
      }),
    ),
  );
  const decision = 'D-MANY';
  await mustRun(platform, 'record_issuance_decision', {
    decision,
    project: 'IN001',
    verification: { reference: 'V-MANY', reductions: [{ vintage: 2028, quantity: '20' }] },
    lines: [{ registry: 'JP', account: 'JP-000004', vintage: 2028, quantity: '20' }],
  });
  await mustRun(platform, 'issue', { registry: 'JP', decision, line: 1 });
  await Promise.all(
    Array.from({ length: 20 }, () =>
      mustRun(platform, 'transfer', {
        from: 'JP-000004',
        to: 'JP-000006',
        selection: { quantity: '1' },
      }),
    ),
  );
});
afterEach(async () => {
  await testDb.drop();
});

async function blockCountOf(account: string): Promise<number> {
  const view = await platform.queries.account(account);
  if (!view.ok) throw new Error(view.error.code);
  return view.value.holdings.reduce((sum, h) => sum + Number(h.blocks), 0);
}

describe(`a movement's reads on ${testDbKind}`, () => {
  it('reads a bounded number of blocks out of an account holding many', async () => {
    expect(await blockCountOf('JP-000006')).toBe(blocks);
    let before = loaderCounters.blockRows;
    const small = await mustRun(platform, 'transfer', {
      from: 'JP-000006',
      to: 'JP-000005',
      selection: { quantity: '3' },
    });
    expect(loaderCounters.blockRows - before).toBeLessThanOrEqual(16);
    expect(small.event.type === 'credits_moved' && small.event.pieces).toEqual(
      [1n, 2n, 3n].map((s) => ({
        project: 'IN001',
        vintage: 2027,
        serials: { first: s, last: s },
      })),
    );
    before = loaderCounters.blockRows;
    const named = await mustRun(platform, 'retire', {
      from: 'JP-000006',
      selection: { ranges: [{ project: 'IN001', first: '60', last: '62' }] },
      purpose: 'voluntary_offsetting',
      beneficiary: 'Someone',
      note: '',
    });
    expect(loaderCounters.blockRows - before).toBeLessThanOrEqual(3);
    expect(named.event.type === 'credits_moved' && named.event.quantity).toBe(3n);
    // A quantity of a later vintage: the filter is read by index too.
    before = loaderCounters.blockRows;
    const vintage = await mustRun(platform, 'transfer', {
      from: 'JP-000006',
      to: 'JP-000005',
      selection: { quantity: '2', project: 'IN001', vintage: 2028 },
    });
    expect(loaderCounters.blockRows - before).toBeLessThanOrEqual(16);
    expect(vintage.event.type === 'credits_moved' && vintage.event.pieces[0]?.vintage).toBe(2028);
    // More than the first page: pages grow, still far from every block.
    before = loaderCounters.blockRows;
    await mustRun(platform, 'transfer', {
      from: 'JP-000006',
      to: 'JP-000005',
      selection: { quantity: '40' },
    });
    expect(loaderCounters.blockRows - before).toBeLessThanOrEqual(16 + 64);
    // More than held: refused with the full count, as before.
    const refused = await run(platform, 'transfer', {
      from: 'JP-000006',
      to: 'JP-000005',
      selection: { quantity: '1000' },
    });
    expect(!refused.ok && refused.error.code).toBe('source_holds_insufficient_credits');
    expect(!refused.ok && refused.error.details?.['held']).toBe(String(120 - 3 - 3 - 2 - 40));
    const report = await platform.audit();
    expect(report.violations).toEqual([]);
  });

  it('reads the named ranges of a whole batch at once and decides each command on the ones before it', async () => {
    const move = (from: string, to: string, first: string, last: string) =>
      run(platform, 'transfer', {
        from,
        to,
        selection: { ranges: [{ project: 'IN001', first, last }] },
      });
    const held = await blockCountOf('JP-000004');
    const before = loaderCounters.blockRows;
    // Submitted together, so that the writer takes them in one batch, in this order.
    const [taken, overlapping, notHeld, movedBack] = await Promise.all([
      move('JP-000006', 'JP-000004', '10', '12'),
      move('JP-000006', 'JP-000004', '12', '13'),
      move('JP-000004', 'JP-000006', '14', '14'),
      move('JP-000004', 'JP-000006', '10', '10'),
    ]);
    expect(taken?.ok).toBe(true);
    // Serial 12 left with the first command: the second names credits JP-000006 no longer holds.
    expect(!overlapping.ok && overlapping.error.code).toBe('serial_range_not_held_by_account');
    expect(!notHeld.ok && notHeld.error.code).toBe('serial_range_not_held_by_account');
    // Serial 10 arrived in JP-000004 earlier in the same batch, in memory only: it can leave again.
    expect(movedBack.ok ? movedBack.value.event.type : movedBack.error).toBe('credits_moved');
    // The blocks of serials 10-14, each read once, and nothing else of the 120 blocks.
    expect(loaderCounters.blockRows - before).toBeLessThanOrEqual(5);
    expect(await blockCountOf('JP-000004')).toBe(held + 2);
    expect((await platform.audit()).violations).toEqual([]);
  });

  it('keeps the block lookups of jcm_write_batch bounded whatever plan is cached (migration 021)', async () => {
    // A later migration that rewrites the function must keep the point predicate: without it a
    // generic plan made before `blocks` had statistics was seen to filter every block of a project.
    const rows = await platform.db.read((k) =>
      sql<{ prosrc: string }>`SELECT prosrc FROM pg_proc WHERE proname = 'jcm_write_batch'`.execute(
        k,
      ),
    );
    const source = rows.rows[0]?.prosrc ?? '';
    const lookups = source.match(/(DELETE FROM blocks|UPDATE blocks)[^;]*;/g) ?? [];
    expect(lookups).toHaveLength(2);
    for (const statement of lookups) expect(statement).toContain('serials @> rec.serial_first');
  });
});
