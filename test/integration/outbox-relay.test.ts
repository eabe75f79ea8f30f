// The outbox relay: messages reach the subscribers in the order they were written, at least once (a
// subscriber that throws leaves them waiting for the next drain), what a subscriber writes in the
// drain's transaction commits with the mark or not at all, and published messages are pruned after
// the kept time, at most once every outboxPruneEveryMs, however many there are.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addToOutbox, outboxKeptHours, type OutboxRow } from '../../src/db/write-store.ts';
import { outboxPruneEveryMs, OutboxRelay } from '../../src/services/outbox-relay.ts';
import { createPlatform } from '../../src/services/platform.ts';
import { freshDb, type TestDb } from '../support/db.ts';
import { admin, mustRun, run, standardOpening } from '../support/scenario.ts';

let testDb: TestDb;
let now = Date.UTC(2028, 3, 1, 9, 0, 0);
const clock = () => new Date(now).toISOString();

beforeEach(async () => {
  testDb = await freshDb();
  now = Date.UTC(2028, 3, 1, 9, 0, 0);
});
afterEach(async () => {
  await testDb.drop();
});

async function write(count: number, first = 0): Promise<void> {
  await testDb.db.transaction((tx) =>
    addToOutbox(
      tx,
      Array.from({ length: count }, (_, i) => ({
        topic: 'test.message',
        payload: { n: first + i, big: BigInt(first + i) * 10n ** 20n },
      })),
      clock(),
    ),
  );
}

async function rows(): Promise<{ waiting: number; published: number }> {
  const result = await testDb.db.read((k) =>
    sql<{ waiting: bigint; published: bigint }>`
      SELECT count(*) FILTER (WHERE published_at IS NULL) AS waiting,
             count(*) FILTER (WHERE published_at IS NOT NULL) AS published
      FROM outbox`.execute(k),
  );
  const row = result.rows[0];
  return { waiting: Number(row?.waiting ?? -1), published: Number(row?.published ?? -1) };
}

describe('the outbox relay', () => {
  it('hands the messages over in the order they were written, each once, and marks them published', async () => {
    const relay = new OutboxRelay(testDb.db, clock);
    const seen: OutboxRow[] = [];
    relay.subscribe((messages) => {
      seen.push(...messages);
    });
    // More than one drain's worth, written in several transactions.
    for (let i = 0; i < 5; i++) await write(50, i * 50);
    await write(1, 250);
    expect(await relay.drain()).toBe(251);
    expect(await relay.drain()).toBe(0);
    expect(seen.map((m) => (m.payload as { n: number }).n)).toEqual(
      Array.from({ length: 251 }, (_, i) => i),
    );
    const ids = seen.map((m) => m.id);
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    expect((seen[3]?.payload as { big: string }).big).toBe('300000000000000000000');
    expect(await rows()).toEqual({ waiting: 0, published: 251 });
    expect(relay.published.get('test.message')).toBe(251);
  });

  it('leaves the messages waiting when a subscriber throws, and hands them over at the next drain', async () => {
    const relay = new OutboxRelay(testDb.db, clock);
    let fail = true;
    const seen: number[] = [];
    relay.subscribe((messages) => {
      if (fail) throw new Error('subscriber down');
      seen.push(...messages.map((m) => (m.payload as { n: number }).n));
    });
    await write(3);
    await expect(relay.drain()).rejects.toThrow('subscriber down');
    expect(await rows()).toEqual({ waiting: 3, published: 0 });
    fail = false;
    expect(await relay.drain()).toBe(3);
    expect(seen).toEqual([0, 1, 2]);
  });

  it('commits what a subscriber writes in the drain’s transaction with the mark, or neither', async () => {
    const relay = new OutboxRelay(testDb.db, clock);
    let fail = true;
    // The first writes a message of its own per message taken; the second may throw after it.
    relay.subscribe(async (messages, tx) => {
      const taken = messages.filter((m) => m.topic === 'test.message');
      await addToOutbox(
        tx,
        taken.map((m) => ({ topic: 'test.echo', payload: m.payload as Record<string, unknown> })),
        clock(),
      );
    });
    relay.subscribe(() => {
      if (fail) throw new Error('subscriber down');
    });
    await write(2);
    await expect(relay.drain()).rejects.toThrow('subscriber down');
    expect(await rows()).toEqual({ waiting: 2, published: 0 });
    expect(relay.published.get('test.message')).toBeUndefined();
    fail = false;
    // The two, published with their two echoes written; the echoes at the next drain.
    expect(await relay.drain()).toBe(2);
    expect(await rows()).toEqual({ waiting: 2, published: 2 });
    expect(await relay.drain()).toBe(2);
    expect(await rows()).toEqual({ waiting: 0, published: 4 });
    expect([relay.published.get('test.message'), relay.published.get('test.echo')]).toEqual([2, 2]);
  });

  it('prunes what was published before the kept time, all of it, at most once per interval', async () => {
    const relay = new OutboxRelay(testDb.db, clock);
    const day = outboxKeptHours * 3_600_000;
    const t0 = now;
    // 2,500 messages, more than one pruning transaction takes, published at t0.
    for (let i = 0; i < 5; i++) await write(500, i * 500);
    expect(await relay.drain()).toBe(2500);
    // One more, published 30 s later.
    now = t0 + 30_000;
    await write(1, 5_000);
    await relay.drain();
    expect(await rows()).toEqual({ waiting: 0, published: 2501 });
    // A day and a second after t0: the 2,500 are pruned, the later one is kept.
    now = t0 + day + 1_000;
    await write(1, 5_001);
    await relay.drain();
    expect(await rows()).toEqual({ waiting: 0, published: 2 });
    // 30 s on, the later one is past the kept time too, but the last prune was under a minute ago.
    now = t0 + day + 31_000;
    await write(1, 5_002);
    await relay.drain();
    expect(await rows()).toEqual({ waiting: 0, published: 3 });
    // A minute after the last prune, it goes.
    now = t0 + day + 1_000 + outboxPruneEveryMs;
    await write(1, 5_003);
    await relay.drain();
    expect(await rows()).toEqual({ waiting: 0, published: 3 });
  });

  it('carries every ledger entry once, from the write function and from the statement path alike', async () => {
    const platform = await createPlatform(testDb.db, { migrate: false });
    try {
      // Registries and accounts take the statement path; the transfers, written side by side in
      // batches, the write function's; then one more account.
      await standardOpening(platform);
      const transfers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          run(
            platform,
            'transfer',
            { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '1' } },
            admin,
            `outbox-transfer-${i}`,
          ),
        ),
      );
      expect(transfers.every((t) => t.ok)).toBe(true);
      await mustRun(platform, 'open_account', {
        registry: 'JP',
        accountType: 'holding',
        holderId: 'gamma',
        holderName: 'Gamma',
      });
      await platform.outbox.idle();
      const messages = await testDb.db.read((k) =>
        sql<{ payload: { chain: string; first: string; last: string } }>`
          SELECT payload FROM outbox WHERE topic = 'ledger.entries' ORDER BY id`.execute(k),
      );
      const heads = await testDb.db.read((k) =>
        sql<{ id: string; head_seq: bigint }>`SELECT id, head_seq FROM chains ORDER BY id`.execute(
          k,
        ),
      );
      expect(heads.rows.length).toBeGreaterThan(0);
      for (const { id, head_seq } of heads.rows) {
        const ranges = messages.rows
          .map((m) => m.payload)
          .filter((p) => p.chain === id)
          .map((p) => [BigInt(p.first), BigInt(p.last)] as const);
        // In order, without a gap or an overlap, from the first entry to the head.
        let next = 1n;
        for (const [first, last] of ranges) {
          expect([first, last >= first]).toEqual([next, true]);
          next = last + 1n;
        }
        expect(next - 1n).toBe(head_seq);
      }
      expect(await rows()).toEqual({ waiting: 0, published: messages.rows.length });
    } finally {
      await platform.outbox.idle();
    }
  });
});
