// Transfers out of government accounts take two people (SPEC section 6): a direct transfer is refused,
// the requester cannot approve, a second manager's approval moves the credits once, a rejection moves
// nothing, and the database itself refuses an approval by the requester.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { actorWithRoles } from '../../src/core/ledger/actor.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { mustRun, run, snapshot, standardOpening } from '../support/scenario.ts';
import { userSession } from '../support/sessions.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
const alice = actorWithRoles('alice', 'registry_manager:JP');
const bob = actorWithRoles('bob', 'registry_manager:JP');

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  await standardOpening(platform);
  // JP-000005 is the Government of Japan's account: give it 30 credits.
  await mustRun(platform, 'transfer', {
    from: 'JP-000004',
    to: 'JP-000005',
    selection: { quantity: '30' },
  });
});
afterAll(async () => {
  await testDb.drop();
});

const balance = async (account: string) => {
  const a = await platform.queries.account(account);
  return a.ok ? a.value.balance : -1n;
};

describe(`transfers out of government accounts on ${testDbKind}`, () => {
  let approved = '';

  it('refuses a direct transfer, after every other check', async () => {
    const before = await snapshot(platform);
    const direct = await run(
      platform,
      'transfer',
      { from: 'JP-000005', to: 'JP-000006', selection: { quantity: '10' } },
      alice,
    );
    expect(direct.ok ? 'ok' : direct.error.code).toBe('transfer_needs_second_approver');
    const tooMuch = await run(
      platform,
      'transfer',
      { from: 'JP-000005', to: 'JP-000006', selection: { quantity: '31' } },
      alice,
    );
    expect(tooMuch.ok ? 'ok' : tooMuch.error.code).toBe('source_holds_insufficient_credits');
    expect(await snapshot(platform)).toEqual(before);
  });

  it('moves the credits once a second person approves', async () => {
    const requested = await platform.transferRequests.request({
      actor: alice,
      idempotencyKey: randomUUID(),
      input: { from: 'JP-000005', to: 'JP-000006', selection: { quantity: '10' } },
    });
    if (!requested.ok) throw new Error(requested.error.message);
    approved = requested.value.id;
    const self = await platform.transferRequests.approve({
      actor: alice,
      idempotencyKey: randomUUID(),
      input: { id: approved },
    });
    expect(self.ok ? 'ok' : self.error.code).toBe('second_approver_must_differ');
    expect(await balance('JP-000005')).toBe(30n);
    const approval = { actor: bob, idempotencyKey: randomUUID(), input: { id: approved } };
    const done = await platform.transferRequests.approve(approval);
    expect(done.ok).toBe(true);
    expect([await balance('JP-000005'), await balance('JP-000006')]).toEqual([20n, 10n]);
    // The same approval sent again is answered from the kept answer, with its bigints, and moves
    // nothing more.
    const replayed = await platform.transferRequests.approve(approval);
    if (!done.ok || !replayed.ok) throw new Error('the approval and its replay should succeed');
    expect(replayed.replayed).toBe(true);
    expect({ ...replayed.value, replayed: false }).toEqual({ ...done.value, replayed: false });
    expect(replayed.value.event.type === 'credits_moved' && replayed.value.event.quantity).toBe(
      10n,
    );
    expect([await balance('JP-000005'), await balance('JP-000006')]).toEqual([20n, 10n]);
    const again = await platform.transferRequests.approve({
      actor: bob,
      idempotencyKey: randomUUID(),
      input: { id: approved },
    });
    expect(again.ok ? 'ok' : again.error.code).toBe('transfer_request_not_pending');
    expect((await platform.audit()).passed).toBe(true);
  });

  it('moves nothing when the second person rejects', async () => {
    const requested = await platform.transferRequests.request({
      actor: bob,
      idempotencyKey: randomUUID(),
      input: { from: 'JP-000005', to: 'JP-000006', selection: { quantity: '5' } },
    });
    if (!requested.ok) throw new Error(requested.error.message);
    const declined = await platform.transferRequests.decline({
      actor: alice,
      idempotencyKey: randomUUID(),
      input: { id: requested.value.id },
    });
    expect(declined.ok).toBe(true);
    expect(await balance('JP-000005')).toBe(20n);
    const late = await platform.transferRequests.approve({
      actor: alice,
      idempotencyKey: randomUUID(),
      input: { id: requested.value.id },
    });
    expect(late.ok ? 'ok' : late.error.code).toBe('transfer_request_not_pending');
  });

  it('is refused by the database when the requester approves', async () => {
    await expect(
      platform.db.transaction((trx) =>
        sql`UPDATE transfer_requests SET decided_by = requested_by WHERE id = ${approved}`.execute(
          trx,
        ),
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('works through the API, with the matrix in front', async () => {
    const app = createApp(platform, { devToken: 'tr-token' });
    const post = (path: string, who: string, body?: unknown) =>
      app.request(path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer tr-token',
          'x-jcm-actor': who,
          'x-jcm-roles': 'registry_manager:JP',
          'idempotency-key': randomUUID(),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const requested = (await (
      await post('/api/v1/transfer-requests', 'carol', {
        from: 'JP-000005',
        to: 'JP-000004',
        selection: { quantity: '2' },
      })
    ).json()) as { id: string };
    expect((await post(`/api/v1/transfer-requests/${requested.id}/approve`, 'carol')).status).toBe(
      422,
    );
    expect((await post(`/api/v1/transfer-requests/${requested.id}/approve`, 'dave')).status).toBe(
      201,
    );
    const pending = (await (
      await app.request('/api/v1/transfer-requests?status=pending', {
        headers: {
          authorization: 'Bearer tr-token',
          'x-jcm-actor': 'dave',
          'x-jcm-roles': 'registry_manager:JP',
        },
      })
    ).json()) as unknown;
    expect(pending).toEqual({ items: [], next: null });
  });

  it('shows each registry manager in the back office only the requests of their registry', async () => {
    const requested = await platform.transferRequests.request({
      actor: alice,
      idempotencyKey: randomUUID(),
      input: { from: 'JP-000005', to: 'JP-000006', selection: { quantity: '1' } },
    });
    if (!requested.ok) throw new Error(requested.error.message);
    const app = createApp(platform, { devToken: null });
    const pageOf = async (email: string, roles: string) => {
      const { cookie } = await userSession(platform, clock, email, roles);
      const answer = await app.request('/office/transfers', { headers: { cookie } });
      expect(answer.status).toBe(200);
      return answer.text();
    };
    expect(await pageOf('in-manager@example.org', 'registry_manager:IN')).not.toContain(
      requested.value.id,
    );
    expect(await pageOf('jp-manager@example.org', 'registry_manager:JP')).toContain(
      requested.value.id,
    );
  });
});
