// Keyset pages of the lists paged after lane H1 (issue 15, point 3), on the demo with rows added to
// reach more than five of each: the Article 6.2 approaches, authorisations and finalised periods
// (API, CLI, portal), the portal's projects (filters applied before the page is cut) and Joint
// Committee decisions (each with the project its subject belongs to). Every row once, in a stable
// order, with pages of two; a forged cursor or a limit above 500 is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CooperativeApproach } from '../../src/core/article6/types.ts';
import { encodeCursor } from '../../src/core/shared/page.ts';
import { createApp } from '../../src/http/app.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import {
  approachIN,
  DirectLedger,
  india,
  indiaForJapan,
  japan,
} from '../support/article6-ledger.ts';
import { runCli } from '../support/cli.ts';
import { CycleFixtures } from '../support/cycle-fixtures.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;

/** Partnerships given an approach of their own here, besides the demo's India (CA0001). */
const others = [
  ['ID', 'IDN', 'CA0002'],
  ['MN', 'MNG', 'CA0003'],
  ['PH', 'PHL', 'CA0004'],
  ['TH', 'THA', 'CA0005'],
  ['VN', 'VNM', 'CA0006'],
] as const;

beforeAll(async () => {
  let clock;
  ({ platform, testDb, clock } = await freshPlatform());
  await seedDemo(platform);
  app = createApp(platform, { devToken: null });
  const ledger = new DirectLedger(platform.db, () => clock.now());
  for (const [partnership, party, id] of others)
    await ledger.must({
      type: 'record_approach',
      approach: {
        ...approachIN,
        id,
        partnership,
        parties: ['JPN', party],
        registries: [{ registry: 'JP', partyRegistryId: 'JPN01', party: 'JPN' }],
        ndcs: approachIN.ndcs.filter((n) => n.party === 'JPN'),
      } as unknown as Omit<CooperativeApproach, 'version'>,
    });
  for (const n of [1, 2, 3, 4])
    await ledger.must(
      {
        type: 'record_authorisation',
        authorisation: { ...indiaForJapan, id: `IND-PAGE-00${n}`, date: '2026-01-15' },
      },
      india,
    );
  for (const year of [2027, 2028, 2029]) {
    await ledger.must(
      {
        type: 'finalise_adjustments',
        party: 'IND',
        registry: 'IN',
        firstYear: year,
        lastYear: year,
      } as never,
      india,
    );
    await ledger.must(
      {
        type: 'finalise_adjustments',
        party: 'JPN',
        registry: 'JP',
        firstYear: year,
        lastYear: year,
      } as never,
      japan,
    );
  }
  // Projects of several partnerships, sectors and states, and decisions about a monitoring period
  // and an issuance request: the subject's project is found by walking up from the page's rows.
  const fixtures = new CycleFixtures(platform.db, platform.clock());
  const scope3 = { sectoralScopes: [3], programme: 'jcm_model_projects' };
  await fixtures.project('registered');
  await fixtures.project('validation', { partnership: 'ID' });
  await fixtures.project('registered', { data: scope3 });
  await fixtures.project('public_input', { partnership: 'ID', data: scope3 });
  const registered = await fixtures.project('registered', { partnership: 'ID' });
  const period = await fixtures.monitoring('verified', registered);
  await fixtures.decision(period, 'verify');
  await fixtures.decision(await fixtures.issuance('jc_issuance'), 'decide_issuance', 'proposed');
  // The demo and the rows added take a while on a busy shared machine.
}, 300_000);
afterAll(async () => {
  await testDb.drop();
});

interface ApiPage {
  items: Record<string, unknown>[];
  next: string | null;
}

async function getPage(path: string): Promise<ApiPage> {
  const response = await app.request(path);
  expect(response.status).toBe(200);
  return (await response.json()) as ApiPage;
}

/** Every item of an API list, a page of `limit` at a time; each page but the last is full. */
async function walk(path: string, limit: number): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  let after: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await getPage(
      `${path}${sep}limit=${limit}${after === null ? '' : `&after=${after}`}`,
    );
    if (page.next !== null) expect(page.items).toHaveLength(limit);
    seen.push(...page.items);
    after = page.next;
  } while (after !== null);
  return seen;
}

/**
 * Walks a portal list by its "Next" links; `rows` reads the keys a page shows, and a page with a
 * next one shows `full` rows when given (a filter applied after the page was cut would show fewer).
 */
async function follow(
  first: string,
  rows: (body: string) => string[],
  full?: number,
): Promise<string[]> {
  const seen: string[] = [];
  let path: string | null = first;
  for (let pages = 0; path !== null && pages < 100; pages++) {
    const response = await app.request(path);
    expect(response.status).toBe(200);
    const body = await response.text();
    const next = /<a\s+rel="next"\s+class="next-page"\s+href="([^"]+)"/.exec(body);
    if (full !== undefined && next !== null)
      expect([path, rows(body).length]).toEqual([path, full]);
    seen.push(...rows(body));
    path = next === null ? null : (next[1] ?? '').replaceAll('&amp;', '&');
  }
  return seen;
}

const keyOf: Record<string, (item: Record<string, unknown>) => string> = {
  '/api/v1/article6/approaches': (a) =>
    String((a['approach'] as { partnership: string }).partnership),
  '/api/v1/article6/authorisations': (a) => String(a['id']),
  '/api/v1/article6/finalisations': (f) => `${String(f['party'])} ${String(f['firstYear'])}`,
};

describe(`keyset pages of the Article 6.2 lists on ${testDbKind}`, () => {
  for (const [path, key] of Object.entries(keyOf))
    it(`${path}: every row once, in a stable order, with pages of two`, async () => {
      const all = await getPage(`${path}?limit=500`);
      expect(all.next).toBeNull();
      expect(all.items.length).toBeGreaterThanOrEqual(5);
      const keys = all.items.map(key);
      expect(new Set(keys).size).toBe(keys.length);
      expect((await walk(path, 2)).map(key)).toEqual(keys);
      expect((await walk(path, 1)).map(key)).toEqual(keys);
    });

  it("filters a Party's authorisations and finalised periods before the page is cut", async () => {
    const authorisations = (await walk('/api/v1/article6/authorisations?party=IND', 2)).map(
      keyOf['/api/v1/article6/authorisations'] ?? String,
    );
    expect(authorisations).toEqual(expect.arrayContaining(['IND-PAGE-001', 'IND-PAGE-004']));
    expect(authorisations.every((id) => id.startsWith('IND-'))).toBe(true);
    const periods = await walk('/api/v1/article6/finalisations?party=JPN', 2);
    expect(periods.map((f) => [f['party'], f['firstYear']])).toEqual([
      ['JPN', 2027],
      ['JPN', 2028],
      ['JPN', 2029],
    ]);
  });

  it('refuses a forged cursor (page_cursor_invalid) and a limit above 500 (invalid_request) with 400', async () => {
    const forged = {
      '/api/v1/article6/approaches': [encodeCursor([1n]), encodeCursor(['IN', 'x'])],
      '/api/v1/article6/authorisations': [encodeCursor([7n]), encodeCursor([])],
      // The first year is an int4: a key beyond it is refused before any SQL.
      '/api/v1/article6/finalisations': [encodeCursor(['IND', 2n ** 40n]), encodeCursor(['IND'])],
    };
    for (const [path, cursors] of Object.entries(forged)) {
      for (const after of ['abc', ...cursors]) {
        const response = await app.request(`${path}?after=${after}`);
        expect([path, response.status]).toEqual([path, 400]);
        expect(((await response.json()) as { code: string }).code).toBe('page_cursor_invalid');
      }
      for (const limit of ['0', '501', '-1', 'abc']) {
        const response = await app.request(`${path}?limit=${limit}`);
        expect([path, response.status]).toEqual([path, 400]);
        expect(((await response.json()) as { code: string }).code).toBe('invalid_request');
      }
    }
  });

  it('walks the authorisations page by its next links, starts at the one a link names, and refuses a forged cursor', async () => {
    const all = (await getPage('/api/v1/article6/authorisations?limit=500')).items.map((a) =>
      String(a['id']),
    );
    const sections = (body: string) =>
      [...body.matchAll(/<section aria-labelledby="([^"]+)">/g)].map((m) => m[1] ?? '');
    expect(await follow('/article6/authorisations?limit=2', sections, 2)).toEqual(all);
    const from = all[3] ?? '';
    const started = await (
      await app.request(`/article6/authorisations?from=${from}&limit=2`)
    ).text();
    expect(sections(started)).toEqual(all.slice(3, 5));
    for (const query of ['after=abc', `after=${encodeCursor([1n])}`, 'limit=501', 'from=a%20b']) {
      const refused = await app.request(`/article6/authorisations?${query}`);
      expect([query, refused.status]).toEqual([query, 400]);
    }
    const approaches = (body: string) =>
      [...body.matchAll(/<h2 id="approach-(CA\d{4})">/g)].map((m) => m[1] ?? '');
    expect(await follow('/article6?limit=2', approaches)).toEqual([
      'CA0002',
      'CA0001',
      'CA0003',
      'CA0004',
      'CA0005',
      'CA0006',
    ]);
  });

  it("prints the next page's --after under a table, and the page itself with --json", async () => {
    const cli = (...args: string[]) =>
      runCli(
        { openPlatform: async () => ({ ...platform, close: async () => undefined }) },
        ...args,
      );
    for (const list of ['approaches', 'authorisations', 'finalisations']) {
      const first = await cli('article6', list, '--limit', '2');
      expect([list, first.exitCode]).toEqual([list, 0]);
      const next = /next page: --after ([A-Za-z0-9_-]+)/.exec(first.out)?.[1];
      expect(next).toBeDefined();
      const second = await cli('--json', 'article6', list, '--limit', '2', '--after', next ?? '');
      const page = JSON.parse(second.out) as ApiPage;
      expect(page.items).toHaveLength(2);
      // The same page as the API's.
      const api = await getPage(`/api/v1/article6/${list}?limit=2&after=${next ?? ''}`);
      const key = keyOf[`/api/v1/article6/${list}`] ?? String;
      expect([page.items.map(key), page.next]).toEqual([api.items.map(key), api.next]);
    }
    const refused = await cli('article6', 'finalisations', '--limit', '501');
    expect(refused.exitCode).not.toBe(0);
    const forged = await cli('article6', 'authorisations', '--after', encodeCursor([1n]));
    expect(forged.exitCode).not.toBe(0);
    expect(forged.err + forged.out).toContain('page_cursor_invalid');
  });
});

/** The project ids of a projects page: its table's links (the map links the same projects). */
const projectRows = (body: string) => {
  const table = body.slice(body.indexOf('<table'), body.indexOf('</table>'));
  return [...table.matchAll(/<a href="\/projects\/([^"#]+)">/g)].map((m) => m[1] ?? '');
};

describe(`keyset pages of the portal's projects and decisions on ${testDbKind}`, () => {
  /** Every project as stored, filtered here in memory: the model the SQL filters must match. */
  async function storedProjects() {
    const rows = await platform.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select(['id', 'partnership', 'state', 'data'])
        .where('machine', '=', 'project')
        .execute(),
    );
    return rows.map((r) => {
      const p = (r.data as { project: { programme: string; sectoralScopes: number[] } }).project;
      return { id: r.id, country: r.partnership, state: r.state, ...p };
    });
  }

  it('walks every project once with pages of two, each filter applied before the page is cut', async () => {
    const stored = await storedProjects();
    expect(stored.length).toBeGreaterThanOrEqual(5);
    const cases: [string, (p: (typeof stored)[number]) => boolean][] = [
      ['', () => true],
      ['country=ID', (p) => p.country === 'ID'],
      ['sector=3', (p) => p.sectoralScopes.includes(3)],
      ['programme=jcm_model_projects', (p) => p.programme === 'jcm_model_projects'],
      ['status=registered', (p) => p.state === 'registered'],
      [
        'country=IN&status=registered&sector=1',
        (p) => p.country === 'IN' && p.state === 'registered' && p.sectoralScopes.includes(1),
      ],
    ];
    const all = await follow('/projects?limit=500', projectRows);
    expect(new Set(all).size).toBe(stored.length);
    for (const [query, kept] of cases) {
      const expected = all.filter((id) => {
        const found = stored.find((p) => p.id === id);
        return found !== undefined && kept(found);
      });
      const shown = await follow(
        `/projects?limit=2${query === '' ? '' : `&${query}`}`,
        projectRows,
        2,
      );
      expect([query, shown]).toEqual([query, expected]);
    }
    const partnershipRows = (body: string) => projectRows(body.slice(body.indexOf('<h2>Projects')));
    expect(await follow('/partnerships/ID?limit=2', partnershipRows, 2)).toEqual(
      all.filter((id) => stored.find((p) => p.id === id)?.country === 'ID'),
    );
    for (const query of ['after=abc', `after=${encodeCursor([1n])}`, 'limit=501', 'limit=0']) {
      expect([query, (await app.request(`/projects?${query}`)).status]).toEqual([query, 400]);
    }
  });

  it('walks every decision once with pages of two, each naming its subject and the project that belongs to', async () => {
    const items = await platform.db.read((k) =>
      k.selectFrom('cycle_items').select(['id', 'machine', 'parent_id', 'data']).execute(),
    );
    const byId = new Map(items.map((i) => [i.id, i]));
    const projectOf = (id: string | undefined): string | null => {
      const item = id === undefined ? undefined : byId.get(id);
      if (item === undefined) return null;
      return item.machine === 'project' ? item.id : projectOf(item.parent_id ?? undefined);
    };
    const decisions = items.filter((i) => i.machine === 'decision').map((i) => i.id);
    expect(decisions.length).toBeGreaterThanOrEqual(5);
    const listed = await platform.portal.decisions({ limit: 500 });
    if (!listed.ok) throw new Error(listed.error.code);
    expect(listed.value.next).toBeNull();
    expect(listed.value.items.map((d) => d.id).sort()).toEqual([...decisions].sort());
    for (const d of listed.value.items) {
      const subject = (d.data as { subject?: { item?: string } }).subject?.item;
      expect([d.id, d.subjectProject, d.subjectMachine]).toEqual([
        d.id,
        projectOf(subject),
        subject === undefined ? null : (byId.get(subject)?.machine ?? null),
      ]);
    }
    const spans = (body: string) =>
      [...body.matchAll(/<span id="([^"]+)">\1<\/span>/g)].map((m) => m[1] ?? '');
    const walked = await follow('/decisions?limit=2', spans, 2);
    expect([...walked].sort()).toEqual([...decisions].sort());
    expect(walked).toHaveLength(decisions.length);
    const third = listed.value.items[2]?.id ?? '';
    const from = await (await app.request(`/decisions?from=${third}&limit=2`)).text();
    expect([...spans(from)].sort()).toEqual(
      listed.value.items
        .slice(2, 4)
        .map((d) => d.id)
        .sort(),
    );
    for (const query of [
      'after=abc',
      `after=${encodeCursor(['a', 'b'])}`,
      'limit=501',
      'from=a%20b',
    ]) {
      expect([query, (await app.request(`/decisions?${query}`)).status]).toEqual([query, 400]);
    }
  });
});
