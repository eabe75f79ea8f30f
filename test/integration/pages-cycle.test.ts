// Keyset pages of the cycle's lists (lane H1 of issue 15): the items and a role's inbox, through the
// API and the back office, on the demo. Every row once, in order; a bad cursor or limit is 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/core/shared/page.ts';
import { createApp } from '../../src/http/app.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { userSession } from '../support/sessions.ts';

let platform: TestPlatform;
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

interface ApiPage {
  items: Record<string, unknown>[];
  next: string | null;
}

async function walk(path: string, limit: number): Promise<unknown[]> {
  const seen: unknown[] = [];
  let after: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const query: string = after === null ? '' : `&after=${after}`;
    const response = await app.request(`${path}${sep}limit=${limit}${query}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as ApiPage;
    if (page.next !== null) expect(page.items).toHaveLength(limit);
    seen.push(...page.items);
    after = page.next;
  } while (after !== null);
  return seen;
}

describe(`keyset pages of the cycle's lists on ${testDbKind}`, () => {
  for (const path of [
    '/api/v1/cycle/items',
    '/api/v1/cycle/items?machine=monitoring',
    '/api/v1/cycle/inbox?role=secretariat',
    '/api/v1/cycle/inbox?role=joint_committee',
  ])
    it(`${path}: every row once, in order`, async () => {
      const all = (
        (await (
          await app.request(`${path}${path.includes('?') ? '&' : '?'}limit=500`)
        ).json()) as ApiPage
      ).items;
      for (const limit of [1, 2]) expect(await walk(path, limit)).toEqual(all);
      const keys = all.map((r) => String(r['id'] ?? r['item']));
      expect(new Set(keys).size).toBe(keys.length);
    });

  it('bad cursors and limits answer 400 with a stable code', async () => {
    for (const path of ['/api/v1/cycle/items?x=1', '/api/v1/cycle/inbox?role=secretariat']) {
      for (const after of ['abc', encodeCursor([1n]), encodeCursor(['a', 'b', 'c'])]) {
        const response = await app.request(`${path}&after=${after}`);
        expect(response.status).toBe(400);
        expect(((await response.json()) as { code: string }).code).toBe('page_cursor_invalid');
      }
      for (const limit of ['0', '501', '-1', 'abc']) {
        const response = await app.request(`${path}&limit=${limit}`);
        expect(response.status).toBe(400);
        expect(((await response.json()) as { code: string }).code).toBe('invalid_request');
      }
    }
  });

  it("the back office's next link walks the items without JavaScript", async () => {
    const session = await userSession(
      platform,
      clock,
      'pages@secretariat.example',
      'secretariat:IN',
    );
    const all = (
      (await (await app.request('/api/v1/cycle/items?limit=500')).json()) as ApiPage
    ).items.map((i) => String(i['id']));
    expect(all.length).toBeGreaterThan(0);
    const seen: string[] = [];
    let path: string | null = '/office';
    for (let pages = 0; path !== null && pages < 100; pages++) {
      const response = await app.request(path, { headers: { cookie: session.cookie } });
      expect(response.status).toBe(200);
      const body = await response.text();
      const items = body.slice(body.indexOf('Items of the project cycle'));
      seen.push(
        ...[...items.matchAll(/<a href="\/office\/items\/([^"]+)">/g)].map((m) => m[1] ?? ''),
      );
      const next = /<a\s+rel="next"\s+class="next-page"\s+href="(\/office\?after=[^"]+)"/.exec(
        items,
      );
      path = next === null ? null : (next[1] ?? '').replaceAll('&amp;', '&');
    }
    expect(seen).toEqual(all);
  });
});
