// Two checkpoints of one registry made at once, on PostgreSQL (the scheduled run and `jcm
// checkpoint publish` from another process): each is signed or refused with a code, never a 500,
// and their order by id is their order in time, each extending the one before it.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connect.ts';
import { createPlatform, type Platform } from '../../src/services/platform.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import { admin, standardOpening } from '../support/scenario.ts';
import { signingDeployment } from '../support/checkpoints.ts';

const config = signingDeployment();

let testDb: TestDb;
const opened: Db[] = [];
// One clock for both processes, a second further at each reading.
let ms = Date.UTC(2029, 0, 1);
const clock = () => new Date((ms += 1000)).toISOString();

beforeEach(async () => {
  const fresh = await freshPlatform({ federation: { config } });
  testDb = fresh.testDb;
  await standardOpening(fresh.platform);
});
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  await testDb.drop();
});

/** A platform of another process on the same database, with a pool of `poolSize` connections. */
async function otherProcess(poolSize: number): Promise<{ db: Db; platform: Platform }> {
  const db = await openDb({ kind: 'postgres', url: testDb.url as string, poolSize });
  opened.push(db);
  return {
    db,
    platform: await createPlatform(db, { clock, migrate: false, federation: { config } }),
  };
}

async function signed(): Promise<{ id: bigint; at: string }[]> {
  const rows = await testDb.db.read((k) =>
    sql<{ id: bigint; at: string }>`
      SELECT id, at FROM checkpoints WHERE registry_id = 'JP' ORDER BY id`.execute(k),
  );
  return rows.rows;
}

const outcome = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'signed' : r.error?.code);

describe.skipIf(testDbKind !== 'postgres')('two checkpoints at once on PostgreSQL', () => {
  it('signs one that waited for a connection after the other, with the later time', async () => {
    const a = await otherProcess(1);
    const b = await otherProcess(2);
    // A's one connection is busy: its publish has begun (the pipeline read its clock) and waits.
    let release = () => undefined as void;
    const busy = a.db.transaction(() => new Promise<void>((resolve) => (release = resolve)));
    const first = a.platform.checkpoints.publish(admin, 'JP');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // B, begun later, signs first.
    expect(outcome(await b.platform.checkpoints.publish(admin, 'JP'))).toBe('signed');
    release();
    await busy;
    // Its time is read with the head locked, not before it waited (which B's time is after: it was
    // refused, checkpoint_time_not_after_last).
    expect(outcome(await first)).toBe('signed');
    const rows = await signed();
    expect(rows.map((r) => r.at)).toEqual(rows.map((r) => r.at).sort());
  });

  it('orders checkpoints made side by side by id as by time, each signed or refused with a code', async () => {
    const a = await otherProcess(4);
    const b = await otherProcess(4);
    for (let round = 0; round < 10; round++) {
      const both = await Promise.all(
        [a, b].map((p) =>
          p.platform.checkpoints.publish(admin, 'JP').then(outcome, (e: unknown) => String(e)),
        ),
      );
      expect(both).toEqual(['signed', 'signed']);
    }
    const rows = await signed();
    expect(rows.length).toBe(20);
    expect(rows.map((r) => r.at)).toEqual(rows.map((r) => r.at).sort());
  });
});
