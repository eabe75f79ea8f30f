// Back office forms over the demo: a government user confirms a Joint Committee decision from the
// item's page, and registry managers release a transfer out of a government account as the second
// person (the requester cannot). Each form needs the session's CSRF token.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { actorWithRoles } from '../../src/core/ledger/actor.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import type { Platform } from '../../src/services/platform.ts';
import { userSession as sessionFor } from '../support/sessions.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';

let platform: Platform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  await seedDemo(platform);
  app = createApp(platform, { devToken: null });
});
afterAll(async () => {
  await testDb.drop();
});

const userSession = (email: string, roles: string) => sessionFor(platform, clock, email, roles);

async function postForm(path: string, session: { cookie: string }, fields: Record<string, string>) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  const response = await app.request(path, {
    method: 'POST',
    headers: { cookie: session.cookie },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe(`back office forms on ${testDbKind}`, () => {
  it('lets a government user confirm a proposed decision from its page', async () => {
    const proposed = await platform.cycle.act('propose_decision', {
      actor: actorWithRoles('sec', 'secretariat:IN'),
      idempotencyKey: randomUUID(),
      input: {
        parent: 'IN-PRJ001',
        subject: {
          item: 'IN-PRJ001',
          action: 'approve_change',
          text: 'Approves a change of the monitoring plan.',
        },
        documents: [
          {
            type: 'decision_text',
            fileName: 'd.txt',
            mediaType: 'text/plain',
            content: Buffer.from('text').toString('base64'),
          },
        ],
      },
    });
    if (!proposed.ok) throw new Error(proposed.error.message);
    const japan = await userSession('moej@example.go.jp', 'government_japan');
    const pageText = await (
      await app.request(`/office/items/${proposed.value.item}`, {
        headers: { cookie: japan.cookie },
      })
    ).text();
    expect(pageText).toContain(
      'action="/office/items/' + proposed.value.item + '/confirm_decision"',
    );
    expect(
      (
        await postForm(`/office/items/${proposed.value.item}/confirm_decision`, japan, {
          csrf: 'forged',
        })
      ).status,
    ).toBe(403);
    const done = await postForm(`/office/items/${proposed.value.item}/confirm_decision`, japan, {
      csrf: japan.csrf,
    });
    expect(done.text).toContain(
      `Done: confirm decision, ${proposed.value.item} proposed → proposed`,
    );
    const item = await platform.cycleQueries.item(proposed.value.item);
    expect(
      Object.keys(((item.ok ? item.value.data : {}) as { confirmations: object }).confirmations),
    ).toEqual(['government_japan']);
  });

  it('lets a second registry manager release a transfer out of a government account, and not the requester', async () => {
    const alice = await userSession('alice@registry.example', 'registry_manager:JP');
    const bob = await userSession('bob@registry.example', 'registry_manager:JP');
    const requested = await platform.transferRequests.request({
      actor: actorWithRoles('alice@registry.example', 'registry_manager:JP'),
      idempotencyKey: randomUUID(),
      input: { from: 'JP-000004', to: 'JP-000005', selection: { quantity: '7' } },
    });
    if (!requested.ok) throw new Error(requested.error.message);
    const list = await (
      await app.request('/office/transfers', { headers: { cookie: bob.cookie } })
    ).text();
    expect(list).toContain(`Approve ${requested.value.id}`);
    // The page shows only to those the matrix lets decide such requests.
    const participant = await userSession('pat@office.example', 'project_participant:acme');
    const hidden = await app.request('/office/transfers', {
      headers: { cookie: participant.cookie },
    });
    expect(hidden.status).toBe(403);
    const self = await postForm(`/office/transfers/${requested.value.id}/approve`, alice, {
      csrf: alice.csrf,
    });
    expect([self.status, self.text.includes('second_approver_must_differ')]).toEqual([422, true]);
    const released = await postForm(`/office/transfers/${requested.value.id}/approve`, bob, {
      csrf: bob.csrf,
    });
    expect(released.text).toContain('approved, the credits moved');
    expect((await platform.audit()).passed).toBe(true);
  });
});
