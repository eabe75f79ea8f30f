// What the public sees names no person: anonymous reads of the API and the portal show the role and
// organisation that acted, never an email address or a user id; transfer requests need a login and
// show a registry's requests only to those with a role in it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/core/cycle/vocabulary.ts';
import { createApp } from '../../src/http/app.ts';
import { demoActors } from '../../src/services/demo-data.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { LedgerQueries } from '../../src/db/ledger-queries.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import { recordingDb } from '../support/recording-db.ts';
import { operator } from '../support/scenario.ts';
import type { TestPlatform } from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;

const people = ['ana.requester@example.org', 'ben.approver@example.org'];
/** Ids and addresses that must not show: the demo's actors, the two people, their user ids. */
const userIds = [...Object.values(demoActors).map((a) => a.id), ...people];

const asManager = (who: string, roles = 'registry_manager:JP') => ({
  authorization: 'Bearer pa-token',
  'x-jcm-actor': who,
  'x-jcm-roles': roles,
});

async function post(path: string, who: string, body?: unknown): Promise<Response> {
  return app.request(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
      ...asManager(who),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await seedDemo(platform);
  app = createApp(platform, { devToken: 'pa-token' });
  // Ben is a user of the platform (Ana acts through a development token only).
  const ben = await platform.accounts.createUser({
    actor: operator,
    idempotencyKey: randomUUID(),
    input: {
      email: people[1],
      name: 'Ben Approver',
      password: 'a long and private passphrase 42',
      roles: 'registry_manager:IN,registry_manager:JP',
    },
  });
  if (!ben.ok) throw new Error(ben.error.message);
  userIds.push(ben.value.id);
  const government = 'JP-000004';
  const request = async () =>
    (await (
      await post('/api/v1/transfer-requests', people[0] as string, {
        from: government,
        to: 'JP-000005',
        selection: { quantity: '1' },
      })
    ).json()) as { id: string };
  const approved = await request();
  expect(
    (await post(`/api/v1/transfer-requests/${approved.id}/approve`, people[1] as string)).status,
  ).toBe(201);
  await request(); // left pending
});
afterAll(async () => {
  await testDb.drop();
});

/** Every public read: the API's GET routes with real ids, the portal's pages and downloads. */
async function publicUrls(): Promise<string[]> {
  const items = (
    (await (await app.request('/api/v1/cycle/items?limit=500')).json()) as {
      items: { id: string; machine: string }[];
    }
  ).items;
  const decisions = (
    (await (await app.request('/api/v1/issuance-decisions?limit=500')).json()) as {
      items: { id: string }[];
    }
  ).items;
  const registries = (await (await app.request('/api/v1/registries')).json()) as { id: string }[];
  const chains = [...registries.map((r) => r.id), 'JC-IN'];
  return [
    '/api/v1/registries',
    '/api/v1/session',
    ...chains.map((c) => `/api/v1/registries/${c}/journal?limit=500`),
    ...registries.map((r) => `/api/v1/registries/${r.id}/accounts`),
    '/api/v1/accounts/JP-000004',
    '/api/v1/accounts/JP-000005/blocks',
    '/api/v1/blocks/IN001/1',
    '/api/v1/issuance-decisions',
    ...decisions.map((d) => `/api/v1/issuance-decisions/${d.id}`),
    '/api/v1/cycle/items',
    ...items.map((i) => `/api/v1/cycle/items/${i.id}`),
    ...roles.map((r) => `/api/v1/cycle/inbox?role=${r}`),
    '/',
    '/partnerships',
    '/projects',
    ...items.filter((i) => i.machine === 'project').map((i) => `/projects/${i.id}`),
    '/decisions',
    '/registry',
    '/serial?project=IN001&serial=1',
    ...['projects', 'decisions', 'registry-statistics', 'partnerships'].flatMap((d) => [
      `/downloads/${d}.json`,
      `/downloads/${d}.csv`,
    ]),
  ];
}

describe(`what the public sees on ${testDbKind}`, () => {
  it('names no person: no email address and no user id in any public read', async () => {
    const urls = await publicUrls();
    expect(urls.length).toBeGreaterThan(30);
    const leaks: string[] = [];
    for (const url of urls) {
      const response = await app.request(url);
      expect(response.status, url).toBeLessThan(500);
      const body = await response.text();
      for (const id of userIds)
        if (new RegExp(`(^|[^a-z0-9-])${id.replace(/[.]/g, '\\.')}([^a-z0-9-]|$)`).test(body))
          leaks.push(`${url}: ${id}`);
    }
    expect(leaks).toEqual([]);
  });

  it('names the role and organisation that acted', async () => {
    const journal = (
      (await (await app.request('/api/v1/registries/JP/journal?limit=500')).json()) as {
        items: { actor: string; event: { type: string } }[];
      }
    ).items;
    const [approval, ...before] = journal.slice().reverse();
    expect(approval?.event.type).toBe('credits_moved');
    // Ben is a user: named by his role in this registry.
    expect(approval?.actor).toBe('registry manager, registry JP');
    // The demo's trader is no user: named by the roles that may move credits.
    expect(before.find((e) => e.event.type === 'credits_moved')?.actor).toBe(
      'account holder or registry manager, registry JP',
    );
    const opened = journal.find((e) => e.event.type === 'registry_opened');
    expect(opened?.actor).toBe('registry manager, registry JP');
    const project = await (await app.request('/projects/IN-PRJ001')).text();
    expect(project).toContain('project participant, Japan-IN');
    expect(project).toContain('Joint Committee, Japan-IN');
    // A document is credited to the action that filed it (review: the registration's documents
    // were credited to a registry manager).
    const item = (await (await app.request('/api/v1/cycle/items/IN-PRJ001')).json()) as {
      documents: { type: string; uploaded_by: string }[];
    };
    expect(item.documents.length).toBeGreaterThan(0);
    for (const d of item.documents)
      expect(d.uploaded_by, d.type).toContain(
        d.type.startsWith('validation') ? 'third-party entity' : 'project participant',
      );
  });

  it("names the user who last moved a block by his role, read in the block's one query", async () => {
    const journal = (
      (await (await app.request('/api/v1/registries/JP/journal?limit=500')).json()) as {
        items: {
          seq: string;
          event: { type: string; pieces?: { project: string; serials: { first: string } }[] };
        }[];
      }
    ).items;
    // Ben's approval: the last entry of Japan's chain, which moved one credit.
    const approval = journal.at(-1);
    const piece = approval?.event.pieces?.[0];
    if (piece === undefined) throw new Error('the approval moved nothing');
    const path = `/api/v1/blocks/${piece.project}/${piece.serials.first}`;
    const block = (await (await app.request(path)).json()) as {
      entry: { seq: string };
      lastEntry: { actor: string };
    };
    expect(block.entry.seq).toBe(approval?.seq);
    expect(block.lastEntry.actor).toBe('registry manager, registry JP');
    // One round trip: the user's roles and organisation come with the block and its entry.
    const { db, seen } = recordingDb(platform.db);
    const read = await new LedgerQueries(db).blockBySerial(piece.project, piece.serials.first);
    expect(read.ok && read.value.lastEntry).toMatchObject({
      actor: 'registry manager, registry JP',
    });
    expect(seen.queries).toHaveLength(1);
    // An actor who is no user is named by the roles that may act there, in the same one query.
    const other = await new LedgerQueries(db).blockBySerial('IN001', '1');
    expect(other.ok && other.value.lastEntry).toMatchObject({ actor: expect.any(String) });
    expect(seen.queries).toHaveLength(2);
  });

  it('asks for a login to read transfer requests and shows a registry only to its own', async () => {
    expect((await app.request('/api/v1/transfer-requests')).status).toBe(401);
    expect((await app.request('/api/v1/transfer-requests?status=pending')).status).toBe(401);
    const mine = await app.request('/api/v1/transfer-requests', {
      headers: asManager('carl@example.org'),
    });
    expect(mine.status).toBe(200);
    const requests = ((await mine.json()) as { items: { registry: string }[] }).items;
    expect(requests.length).toBe(2);
    const other = await app.request('/api/v1/transfer-requests', {
      headers: asManager('dora@example.org', 'registry_manager:IN'),
    });
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ items: [], next: null });
    const outsider = await app.request('/api/v1/transfer-requests', {
      headers: asManager('eve@example.org', 'project_participant:example-solar-in'),
    });
    expect(outsider.status).toBe(403);
  });
});
