// A COMMIT that went through but whose answer was lost with the connection ("Connection terminated
// unexpectedly" after the commit): a write with an idempotency key is retried, finds its key and
// replays the kept answer, so it is applied exactly once; a write without a key is not retried
// (its caller gets the error, answered 503 database_unavailable) and is applied once too.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.ts';
import { createPlatform, type Platform } from '../../src/services/platform.ts';
import { freshDb, testDbKind, type TestDb } from '../support/db.ts';
import { admin, operator, standardOpening } from '../support/scenario.ts';

let testDb: TestDb;
let platform: Platform;
/** Commits still to be "lost": each throws after the real commit, as a broken connection would. */
let commitsToLose = 0;
let transactions = 0;

function losingCommits(db: Db): Db {
  return {
    ...db,
    kind: db.kind,
    exclusive: (fn) => db.exclusive(fn),
    read: (fn) => db.read(fn),
    close: () => db.close(),
    transaction: async (fn) => {
      transactions++;
      const result = await db.transaction(fn);
      if (commitsToLose > 0) {
        commitsToLose--;
        throw new Error('Connection terminated unexpectedly');
      }
      return result;
    },
  };
}

async function count(query: string): Promise<bigint> {
  const result = await testDb.db.read((k) => sql<{ n: bigint }>`${sql.raw(query)}`.execute(k));
  return result.rows[0]?.n ?? -1n;
}

beforeAll(async () => {
  testDb = await freshDb();
  platform = await createPlatform(losingCommits(testDb.db), { migrate: false });
  await standardOpening(platform);
});
afterAll(async () => {
  await platform.outbox.idle();
  await testDb.drop();
});

describe(`a lost COMMIT on ${testDbKind}`, () => {
  it('replays a ledger write with its key instead of applying it twice', async () => {
    await platform.outbox.idle();
    commitsToLose = 1;
    const moved = await platform.ledger.execute('transfer', {
      actor: admin,
      idempotencyKey: 'lost-commit-transfer',
      input: { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '3' } },
    });
    expect(moved.ok).toBe(true);
    expect(
      await count(
        `SELECT count(*)::int8 AS n FROM journal WHERE idempotency_key = 'lost-commit-transfer'`,
      ),
    ).toBe(1n);
    const account = await platform.queries.account('JP-000006');
    expect(account.ok && account.value.balance).toBe(3n);
  });

  it('replays a pipeline write with its key instead of applying it twice', async () => {
    await platform.outbox.idle();
    commitsToLose = 1;
    const registered = await platform.organisations.register({
      actor: admin,
      idempotencyKey: 'lost-commit-org',
      input: {
        id: 'lost-commit',
        name: 'Lost Commit KK',
        kind: 'project_participant',
        country: 'JP',
      },
    });
    expect(registered.ok).toBe(true);
    expect(
      await count(`SELECT count(*)::int8 AS n FROM organisations WHERE id = 'lost-commit'`),
    ).toBe(1n);
  });

  it('does not retry a write without a key: the error reaches the caller, the write is made once', async () => {
    await platform.outbox.idle();
    commitsToLose = 1;
    const before = transactions;
    await expect(
      platform.accounts.createUser({
        actor: operator,
        input: {
          email: 'lost-commit@example.org',
          name: 'Lost Commit',
          password: 'a long layered passphrase',
          roles: 'registry_manager:JP',
        },
      }),
    ).rejects.toThrow('Connection terminated unexpectedly');
    expect(transactions - before).toBe(1);
    expect(
      await count(`SELECT count(*)::int8 AS n FROM users WHERE email = 'lost-commit@example.org'`),
    ).toBe(1n);
  });
});
