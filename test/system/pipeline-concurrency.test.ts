// The one write pipeline under concurrency on PostgreSQL, through two platforms on the same database
// (two connection pools, as two server processes would be): an approval and a rejection of one
// transfer request racing, twenty times: exactly one wins and the credits move only if it is the
// approval; thirty wrong passwords at once: exactly five are counted and the account locks; ten
// logins with one TOTP code at once: one session; one
// organisation registered twice at once: one row, and the other answer is a refusal (or, with the
// same idempotency key, the same answer).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorWithRoles } from '../../src/core/ledger/actor.ts';
import { openDb } from '../../src/db/connect.ts';
import { totpCode } from '../../src/services/accounts.ts';
import { createPlatform, type Platform } from '../../src/services/platform.ts';
import { freshPlatform, type TestClock, type TestDb, type TestPlatform } from '../support/db.ts';
import { mustRun, operator, standardOpening } from '../support/scenario.ts';
import { sessionsOf } from '../support/sessions.ts';

let first: TestPlatform;
let second: Platform;
let testDb: TestDb;
let clock: TestClock;

beforeAll(async () => {
  ({ platform: first, testDb, clock } = await freshPlatform());
  // The second process reads the same clock: a lock is judged by the time of the one who locks.
  second = await createPlatform(await openDb({ kind: 'postgres', url: testDb.url ?? '' }), {
    migrate: false,
    clock: () => clock.now(),
  });
  await standardOpening(first);
  // JP-000005 is the Government of Japan's account: give it 40 credits to request from.
  await mustRun(first, 'transfer', {
    from: 'JP-000004',
    to: 'JP-000005',
    selection: { quantity: '40' },
  });
});
afterAll(async () => {
  await second.close();
  await testDb.drop();
});

const alice = actorWithRoles('alice', 'registry_manager:JP');
const bob = actorWithRoles('bob', 'registry_manager:JP');
const carol = actorWithRoles('carol', 'registry_manager:JP');
const envelope = <I>(actor: typeof alice, input: I) => ({
  actor,
  idempotencyKey: randomUUID(),
  input,
});

async function balance(account: string): Promise<bigint> {
  const found = await first.queries.account(account);
  return found.ok ? found.value.balance : -1n;
}

describe('the write pipeline under concurrency on PostgreSQL', () => {
  it('lets exactly one of an approval and a rejection of a transfer request win, twenty times', async () => {
    for (let round = 0; round < 20; round++) {
      const requested = await first.transferRequests.request(
        envelope(alice, { from: 'JP-000005', to: 'JP-000006', selection: { quantity: '1' } }),
      );
      if (!requested.ok) throw new Error(requested.error.message);
      const id = requested.value.id;
      const before = await balance('JP-000005');
      const [approved, rejected] = await Promise.all([
        (round % 2 === 0 ? first : second).transferRequests.approve(envelope(bob, { id })),
        (round % 2 === 0 ? second : first).transferRequests.decline(envelope(carol, { id })),
      ]);
      expect([approved.ok, rejected.ok].filter(Boolean), `round ${round}`).toHaveLength(1);
      const loser = approved.ok ? rejected : approved;
      expect(loser.ok ? 'ok' : loser.error.code).toBe('transfer_request_not_pending');
      const [row] = await first.transferRequests
        .list(undefined, 'all', { limit: 500 })
        .then((rows) => (rows.ok ? rows.value.items : []).filter((r) => r.id === id));
      expect(row?.status).toBe(approved.ok ? 'approved' : 'rejected');
      expect(await balance('JP-000005')).toBe(approved.ok ? before - 1n : before);
    }
    expect((await first.audit()).passed).toBe(true);
  });

  it('counts exactly five of thirty wrong passwords sent at once, and locks the account', async () => {
    const email = 'target@jcm.example';
    const created = await first.accounts.createUser({
      actor: operator,
      input: {
        email,
        name: 'Target',
        password: 'the right passphrase 9',
        roles: 'project_participant:acme',
      },
    });
    expect(created.ok).toBe(true);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 === 0 ? first : second).accounts.login(
          email,
          `wrong passphrase ${i}`,
          undefined,
          `198.51.100.${i}`,
        ),
      ),
    );
    // Every refusal answers alike (a locked account too); the row says how many were counted.
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes.filter((c) => c === 'login_failed')).toHaveLength(30);
    const row = await first.db.read((k) =>
      k
        .selectFrom('users')
        .select(['failed_logins', 'locked_until'])
        .where('email', '=', email)
        .executeTakeFirstOrThrow(),
    );
    expect([row.failed_logins, row.locked_until !== null]).toEqual([5, true]);
    const right = await first.accounts.login(
      email,
      'the right passphrase 9',
      undefined,
      '198.51.100.99',
    );
    expect(right.ok ? 'ok' : right.error.code).toBe('login_failed');
    const after = await first.db.read((k) =>
      k
        .selectFrom('users')
        .select('failed_logins')
        .where('email', '=', email)
        .executeTakeFirstOrThrow(),
    );
    expect(after.failed_logins).toBe(5);
  });

  it('opens exactly one session for ten logins racing with one TOTP code', async () => {
    const email = 'one-code@jcm.example';
    const password = 'the right passphrase 9';
    const created = await first.accounts.createUser({
      actor: operator,
      input: { email, name: 'One code', password, roles: 'registry_manager:JP' },
    });
    if (!created.ok) throw new Error(created.error.message);
    const code = totpCode(email, created.value.totpUri ?? '', Date.parse(clock.now()));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? first : second).accounts.login(email, password, code, `198.51.100.${i}`),
      ),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(await sessionsOf(first, email)).toHaveLength(1);
  });

  it('stores an organisation registered twice at once only once', async () => {
    const organisation = {
      id: 'twice-co',
      name: 'Twice Co.',
      kind: 'project_participant',
      country: 'JP',
    };
    const admin = actorWithRoles('admin', 'administrator');
    const answers = await Promise.all([
      first.organisations.register({
        actor: admin,
        idempotencyKey: 'twice-1',
        input: organisation,
      }),
      second.organisations.register({
        actor: admin,
        idempotencyKey: 'twice-2',
        input: organisation,
      }),
    ]);
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code)).sort();
    expect(codes).toEqual(['ok', 'organisation_already_exists']);
    const same = await Promise.all([
      first.organisations.register({
        actor: admin,
        idempotencyKey: 'once-1',
        input: { ...organisation, id: 'once-co' },
      }),
      second.organisations.register({
        actor: admin,
        idempotencyKey: 'once-1',
        input: { ...organisation, id: 'once-co' },
      }),
    ]);
    expect(same.map((a) => (a.ok ? a.value.id : a.error.code))).toEqual(['once-co', 'once-co']);
    const rows = await first.db.read((k) =>
      k
        .selectFrom('organisations')
        .select('id')
        .where('id', 'in', ['twice-co', 'once-co'])
        .execute(),
    );
    expect(rows.map((r) => r.id).sort()).toEqual(['once-co', 'twice-co']);
  });
});
