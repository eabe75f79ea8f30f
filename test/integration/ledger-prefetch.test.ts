// A batch's accounts and named ranges are read before its commands are decided (ledger-prefetch.ts).
// These tests try to make the prefetched state differ from the one read command by command: a
// selection shared by two commands, account status flushes in the middle of a batch, dry runs,
// replayed keys, and the writer's cached state across batches. Each batch ends with the audit.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerCommand, Selection } from '../../src/core/ledger/commands.ts';
import { accountBlocks, emptyState } from '../../src/core/ledger/state.ts';
import type { AccountId, ChainId, ProjectRef } from '../../src/core/shared/ids.ts';
import { lockChainHead } from '../../src/db/chain-head.ts';
import type { Schema } from '../../src/db/schema.ts';
import { emptyLoaderMemory, LedgerLoader } from '../../src/db/ledger-loader.ts';
import { commandSchemas } from '../../src/services/ledger-schemas.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { admin, mustRun, run, standardOpening } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;

beforeEach(async () => {
  ({ platform, testDb } = await freshPlatform());
  // JP-000004 holds IN001 serials 1-100.
  await standardOpening(platform);
});
afterEach(async () => {
  await testDb.drop();
});

const ranges = (first: number, last: number): Selection => ({
  kind: 'ranges',
  ranges: [
    { project: 'IN001' as ProjectRef, serials: { first: BigInt(first), last: BigInt(last) } },
  ],
});
const move = (from: string, to: string, first: number, last: number) =>
  run(platform, 'transfer', {
    from,
    to,
    selection: { ranges: [{ project: 'IN001', first: String(first), last: String(last) }] },
  });
const status = (name: 'freeze_account' | 'unfreeze_account', account: string) =>
  run(platform, name, { account, reason: 'test' });

async function held(account: string): Promise<string[]> {
  const rows = await platform.db.read((k) =>
    k
      .selectFrom('blocks')
      .select(['serial_first', 'serial_last'])
      .where('account_id', '=', account)
      .orderBy('serial_first')
      .execute(),
  );
  return rows.map((r) => `${r.serial_first}-${r.serial_last}`);
}

describe(`the batch prefetch on ${testDbKind}`, () => {
  it('reads the blocks a selection reaches in every account that names it, not only the first', async () => {
    await mustRun(platform, 'transfer', {
      from: 'JP-000004',
      to: 'JP-000006',
      selection: { ranges: [{ project: 'IN001', first: '1', last: '10' }] },
    });
    // One Selection object in two commands: a transfer out of JP-000006 (prefetched) and, as a
    // release does for the reserve account, a read of the same selection out of JP-000004, which
    // the batch's wants do not list.
    const shared = ranges(1, 20);
    const transfer: LedgerCommand = {
      type: 'transfer',
      from: 'JP-000006' as AccountId,
      to: 'JP-000004' as AccountId,
      selection: shared,
    };
    const reached = await platform.db.transaction(async (trx) => {
      const state = emptyState();
      const loader = new LedgerLoader(trx, state, emptyLoaderMemory());
      await loader.prefetch([transfer]);
      await loader.blocksFor('JP-000004' as AccountId, shared);
      return [...accountBlocks(state, 'JP-000004' as AccountId)].map(
        (b) => `${b.serials.first}-${b.serials.last}`,
      );
    });
    // JP-000004's block 11-100 intersects 1-20: the selection reaches it.
    expect(reached).toEqual(['11-100']);
  });

  it('decides each command of a batch with status flushes, dry runs and replays on the state before it', async () => {
    const replayedKey = randomUUID();
    const first = await run(
      platform,
      'transfer',
      {
        from: 'JP-000004',
        to: 'JP-000006',
        selection: { ranges: [{ project: 'IN001', first: '40', last: '49' }] },
      },
      admin,
      replayedKey,
    );
    expect(first.ok).toBe(true);
    const dryRun = () =>
      platform.ledger.execute('transfer', {
        actor: admin,
        idempotencyKey: randomUUID(),
        dryRun: true,
        input: commandSchemas.transfer.parse({
          from: 'JP-000004',
          to: 'JP-000006',
          selection: { ranges: [{ project: 'IN001', first: '13', last: '30' }] },
        }),
      });
    // Submitted together: the writer takes them in one batch, in this order.
    const outcomes = await Promise.all([
      move('JP-000004', 'JP-000006', 10, 12),
      status('freeze_account', 'JP-000006'),
      move('JP-000006', 'JP-000004', 11, 11),
      status('unfreeze_account', 'JP-000006'),
      dryRun(),
      move('JP-000006', 'JP-000004', 11, 11),
      move('JP-000004', 'JP-000006', 5, 15),
      run(
        platform,
        'transfer',
        {
          from: 'JP-000004',
          to: 'JP-000006',
          selection: { ranges: [{ project: 'IN001', first: '40', last: '49' }] },
        },
        admin,
        replayedKey,
      ),
      move('JP-000006', 'JP-000004', 40, 45),
      move('JP-000004', 'JP-000006', 1, 30),
    ]);
    expect(
      outcomes.map((o) => (o.ok ? (o.value.replayed ? 'replayed' : 'ok') : o.error.code)),
    ).toEqual(
      [
        'ok',
        'ok',
        'source_account_frozen',
        'ok',
        'ok',
        'ok',
        // Serials 10 and 12 left JP-000004 with the first transfer.
        'serial_range_not_held_by_account',
        'replayed',
        'ok',
        // 11 came back, 10 and 12 did not.
        'serial_range_not_held_by_account',
      ].map((code) => expect.stringContaining(code)),
    );
    expect(await held('JP-000006')).toEqual(['10-10', '12-12', '46-49']);
    expect((await platform.audit()).violations).toEqual([]);
    // The next batch starts from the writer's cached state and the database as committed.
    const next = await Promise.all([
      move('JP-000006', 'JP-000004', 10, 10),
      move('JP-000006', 'JP-000004', 12, 12),
      move('JP-000006', 'JP-000004', 46, 49),
      move('JP-000004', 'JP-000006', 1, 100),
      move('JP-000006', 'JP-000004', 20, 30),
      move('JP-000006', 'JP-000004', 25, 25),
    ]);
    expect(next.map((o) => o.ok)).toEqual([true, true, true, true, true, false]);
    expect(await held('JP-000004')).toEqual(['20-30']);
    expect((await platform.audit()).violations).toEqual([]);
  });

  it('turns JIT compilation off for the batch transaction only', async () => {
    const jit = (k: Kysely<Schema>) =>
      sql<{ jit: string }>`SHOW jit`.execute(k).then((r) => r.rows[0]?.jit);
    const before = await platform.db.read((k) => jit(k));
    const inside = await platform.db.transaction(async (trx) => {
      await lockChainHead(trx, 'JP' as ChainId, ['no-such-key']);
      return jit(trx);
    });
    expect(inside).toBe('off');
    // The setting ends with the transaction: other queries of the session plan as configured.
    expect(await platform.db.read((k) => jit(k))).toBe(before);
  });
});
