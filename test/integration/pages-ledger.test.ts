// Keyset pages of the registry's lists (lane H1 of issue 15): accounts of a registry, blocks of an
// account, a journal and the issuance decisions, through the API, the CLI and the back office.
// Walking every page with a small limit sees every row once, in order, and rows written between two
// page reads neither repeat nor hide a row already passed; bad cursors and limits answer 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/core/shared/page.ts';
import { createApp } from '../../src/http/app.ts';
import { runCli, type CliRun } from '../support/cli.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { issueOneLine, mustRun, standardOpening } from '../support/scenario.ts';
import { userSession } from '../support/sessions.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  await standardOpening(platform);
  for (let i = 0; i < 5; i++)
    await mustRun(platform, 'open_account', {
      registry: 'JP',
      accountType: 'holding',
      holderId: `holder-${i}`,
      holderName: `Holder ${i}`,
    });
  for (let i = 2; i <= 6; i++) await issueOneLine(platform, `D${i}`, 'JP-000006', `${i}`);
  app = createApp(platform, { devToken: null });
});
afterAll(async () => {
  await testDb.drop();
});

interface ApiPage {
  items: Record<string, unknown>[];
  next: string | null;
}

async function getPage(path: string): Promise<ApiPage> {
  const response = await app.request(path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as ApiPage;
}

/**
 * Every page of `path` with `limit`, running `between` after the first page (a write that adds
 * rows): the rows seen, keyed by `key`.
 */
async function walk(
  path: string,
  limit: number,
  key: (row: Record<string, unknown>) => string,
  between: () => Promise<void> = async () => undefined,
): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const query: string = after === null ? '' : `&after=${after}`;
    const page = await getPage(`${path}${sep}limit=${limit}${query}`);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    if (page.next !== null) expect(page.items.length).toBe(limit);
    seen.push(...page.items.map(key));
    after = page.next;
    if (++pages === 1) await between();
  } while (after !== null && pages < 1000);
  return seen;
}

const lists: {
  name: string;
  path: string;
  key: (row: Record<string, unknown>) => string;
  /** The rows' keys as the order compares them. */
  order: (keys: string[]) => string[];
  add: () => Promise<void>;
}[] = [
  {
    name: 'accounts of a registry',
    path: '/api/v1/registries/JP/accounts',
    key: (r) => String(r['id']),
    order: (keys) => [...keys].sort(),
    add: async () => {
      await mustRun(platform, 'open_account', {
        registry: 'JP',
        accountType: 'holding',
        holderId: `late-${crypto.randomUUID().slice(0, 8)}`,
        holderName: 'Late',
      });
    },
  },
  {
    name: 'blocks of an account',
    path: '/api/v1/accounts/JP-000006/blocks',
    key: (r) =>
      `${String(r['project'])}:${String(r['vintage'])}:${String(r['serialFirst']).padStart(12, '0')}`,
    order: (keys) => [...keys].sort(),
    add: async () => {
      await issueOneLine(platform, `DL-${crypto.randomUUID().slice(0, 8)}`, 'JP-000006', '1');
    },
  },
  {
    name: 'a journal',
    path: '/api/v1/registries/JP/journal',
    key: (r) => String(r['seq']).padStart(12, '0'),
    order: (keys) => [...keys].sort(),
    add: async () => {
      await issueOneLine(platform, `DJ-${crypto.randomUUID().slice(0, 8)}`, 'JP-000004', '1');
    },
  },
  {
    name: 'issuance decisions',
    path: '/api/v1/issuance-decisions',
    key: (r) => `${String(r['project'])}:${String(r['serialFirst']).padStart(12, '0')}`,
    order: (keys) => [...keys].sort(),
    add: async () => {
      await issueOneLine(platform, `DD-${crypto.randomUUID().slice(0, 8)}`, 'IN-000004', '1');
    },
  },
];

describe(`keyset pages of the registry's lists on ${testDbKind}`, () => {
  for (const list of lists)
    it(`${list.name}: every row once, in order, with rows added between pages`, async () => {
      const all = (await getPage(`${list.path}?limit=500`)).items.map(list.key);
      expect(all.length).toBeGreaterThan(4);
      expect(list.order(all)).toEqual(all);
      for (const limit of [1, 2, 3]) {
        const seen = await walk(list.path, limit, list.key);
        expect(seen).toEqual(all);
      }
      const before = (await getPage(`${list.path}?limit=500`)).items.map(list.key);
      const seen = await walk(list.path, 2, list.key, list.add);
      expect(new Set(seen).size).toBe(seen.length);
      expect(list.order(seen)).toEqual(seen);
      for (const row of before) expect(seen).toContain(row);
      const after = (await getPage(`${list.path}?limit=500`)).items.map(list.key);
      expect(after.length).toBeGreaterThan(before.length);
    });

  it('bad cursors and limits answer 400 with a stable code', async () => {
    const forged = [
      'abc',
      encodeCursor([7n, 'JP-000004']),
      encodeCursor([7n]).slice(0, -2),
      Buffer.from('["x"]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      'A'.repeat(600),
      '%00',
      'a.b',
    ];
    for (const list of lists) {
      for (const after of forged) {
        const response = await app.request(`${list.path}?after=${after}`);
        expect(response.status, `${list.path} after=${after}`).toBe(400);
        const body = (await response.json()) as { code: string };
        expect(['page_cursor_invalid', 'invalid_request', 'control_character_refused']).toContain(
          body.code,
        );
      }
      const garbage = await app.request(`${list.path}?after=${encodeCursor(['t', 'u', 'v', 'w'])}`);
      expect(((await garbage.json()) as { code: string }).code).toBe('page_cursor_invalid');
      for (const limit of ['0', '501', '-1', 'abc', '1.5', '']) {
        const response = await app.request(`${list.path}?limit=${limit}`);
        expect(response.status, `${list.path} limit=${limit}`).toBe(400);
        expect(((await response.json()) as { code: string }).code).toBe('invalid_request');
      }
    }
  });

  it('the journal still takes a sequence number in `after`', async () => {
    const page = await getPage('/api/v1/registries/JP/journal?after=2&limit=1');
    expect(page.items.map((e) => e['seq'])).toEqual(['3']);
    expect(page.next).not.toBeNull();
  });

  it('an unknown registry is still 404, past its last page or not', async () => {
    const response = await app.request('/api/v1/registries/TH/accounts');
    expect(response.status).toBe(404);
  });
});

function jcm(...args: string[]): Promise<CliRun> {
  return runCli(
    { openPlatform: async () => ({ ...platform, close: async () => undefined }) },
    ...args,
  );
}

describe(`CLI pages on ${testDbKind}`, () => {
  const commands = [
    ['account', 'list', 'JP'],
    ['blocks', 'JP-000006'],
    ['registry', 'journal', 'JP'],
    ['decision', 'list'],
  ];
  for (const command of commands)
    it(`jcm ${command.join(' ')}: --limit and --after walk every page`, async () => {
      const all = JSON.parse((await jcm('--json', ...command, '--limit', '500')).out) as ApiPage;
      expect(all.next).toBeNull();
      const seen: unknown[] = [];
      let after: string | null = null;
      do {
        const extra: string[] = after === null ? [] : ['--after', after];
        const run = await jcm('--json', ...command, '--limit', '2', ...extra);
        expect(run.exitCode).toBe(0);
        const page = JSON.parse(run.out) as ApiPage;
        seen.push(...page.items);
        after = page.next;
        if (after !== null) {
          const text = await jcm(...command, '--limit', '2', ...extra);
          expect(text.out).toContain(`next page: --after ${after}`);
        }
      } while (after !== null);
      expect(seen).toEqual(all.items);
    });

  it('refuses bad limits and cursors with a clear error', async () => {
    for (const limit of ['0', '501', '-1', 'abc']) {
      const run = await jcm('account', 'list', 'JP', '--limit', limit);
      expect(run.exitCode).toBe(1);
      expect(run.err).toContain('--limit is a whole number from 1 to 500');
    }
    for (const after of ['abc', 'not a cursor', encodeCursor([1n])]) {
      const run = await jcm('account', 'list', 'JP', '--after', after);
      expect(run.exitCode).toBe(1);
      expect(run.err).toContain('error page_cursor_invalid');
    }
  });
});

describe(`back-office pages on ${testDbKind}`, () => {
  it("the registry page's next link walks a registry's accounts without JavaScript", async () => {
    const session = await userSession(
      platform,
      clock,
      'pages@registry.example',
      'registry_manager:JP',
    );
    for (let i = 0; i < 50; i++)
      await mustRun(platform, 'open_account', {
        registry: 'JP',
        accountType: 'holding',
        holderId: `office-${i}`,
        holderName: `Office ${i}`,
      });
    const listed = await platform.queries.listAccounts('JP', { limit: 500 });
    if (!listed.ok) throw new Error('no registry JP');
    const ids = listed.value.items.map((a) => a.id);
    expect(ids.length).toBeGreaterThan(50);
    const seen: string[] = [];
    let path: string | null = '/office/registry';
    while (path !== null) {
      const response = await app.request(path, { headers: { cookie: session.cookie } });
      expect(response.status).toBe(200);
      const body = await response.text();
      seen.push(...[...body.matchAll(/<td>(JP-\d{6})<\/td>/g)].map((m) => m[1] ?? ''));
      const next = /<a\s+rel="next"\s+class="next-page"\s+href="([^"]+)"/.exec(body);
      path = next === null ? null : (next[1] ?? '').replaceAll('&amp;', '&');
    }
    expect(seen).toEqual(ids);
  });
});
