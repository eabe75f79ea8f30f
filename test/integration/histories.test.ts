// Histories, reports and the register of retirements (issue 15, lane H2), over data written through
// the real ledger service: a serial's history follows its block through a split, a transfer and its
// retirement; account and project histories page by cursor; each report equals a recount from the
// blocks (or the journal's movements); the register finds beneficiaries by a case-insensitive prefix
// with quotes, percent signs and underscores taken literally; bad input answers 400 with its code;
// the CSV, XLSX and PDF read back; the portal's pages render and page.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { readPdf } from '../support/pdf-reader.ts';
import { mustRun, standardOpening } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;

const beneficiaries = [
  'ACME "Green" 100% Ltd',
  'acme_underscore',
  'Acme 50% Holdings',
  '%percent first',
  '_underscore first',
  "O'Brien & Sons",
  '東京グリーン株式会社',
];

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  app = createApp(platform, { devToken: 'histories-token' });
  await standardOpening(platform);
  // Serials 1-100 of IN001 2027 in JP-000004: 30 to JP-000006 (a split), 10 of those retired.
  await mustRun(platform, 'transfer', {
    from: 'JP-000004',
    to: 'JP-000006',
    selection: { quantity: '30' },
  });
  await mustRun(platform, 'retire', {
    from: 'JP-000006',
    selection: { quantity: '10' },
    purpose: 'voluntary_offsetting',
    beneficiary: beneficiaries[0],
    note: 'first',
  });
  for (const beneficiary of beneficiaries.slice(1))
    await mustRun(platform, 'retire', {
      from: 'JP-000004',
      selection: { quantity: '2' },
      purpose: 'voluntary_offsetting',
      beneficiary,
      note: 'more',
    });
}, 120_000);
afterAll(async () => {
  await testDb.drop();
});

async function get(path: string) {
  const response = await app.request(path);
  const text = await response.text();
  const body = (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>;
  return { status: response.status, body, text };
}

type Item = { kind: string; block: string; from: string | null; to: string | null; seq: string };
const items = (body: Record<string, unknown>) => body['items'] as Item[];

describe(`histories on ${testDbKind}`, () => {
  it("follows a serial's block from its issuance through a split, a transfer and its retirement", async () => {
    const { status, body } = await get('/api/v1/blocks/IN001/5/history');
    expect(status).toBe(200);
    expect(items(body).map((m) => [m.kind, m.from, m.to])).toEqual([
      ['issue', null, 'JP-000004'],
      ['transfer', 'JP-000004', 'JP-000006'],
      ['retire', 'JP-000006', 'JP-000002'].map((a, i) => (i === 2 ? expect.any(String) : a)),
    ]);
    expect(items(body)[0]?.block).toBe('JCM-IN-001-2027-1-100');
    expect(items(body)[1]?.block).toBe('JCM-IN-001-2027-1-30');
    expect(items(body)[2]?.block).toBe('JCM-IN-001-2027-1-10');
    // A serial never moved after issuance has one entry; one that does not exist, none.
    expect(items((await get('/api/v1/blocks/IN001/99/history')).body)).toHaveLength(1);
    expect(items((await get('/api/v1/blocks/IN001/9999/history')).body)).toHaveLength(0);
  });

  it('pages an account history by cursor, every movement once, in order', async () => {
    const seen: Item[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const query: string = next === null ? '' : `&after=${next}`;
      const { status, body } = await get(`/api/v1/accounts/JP-000004/history?limit=2${query}`);
      expect(status).toBe(200);
      seen.push(...items(body));
      next = body['next'] as string | null;
      pages++;
    } while (next !== null);
    // Issued into it, 30 out, six retirements out of it.
    expect(seen.map((m) => m.kind)).toEqual(['issue', 'transfer', ...Array(6).fill('retire')]);
    expect(pages).toBe(4);
    const seqs = seen.map((m) => BigInt(m.seq));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
  });

  it("lists a project's movements in every registry, in time order", async () => {
    const { body } = await get('/api/v1/projects/IN001/history?limit=500');
    const rows = items(body) as (Item & { registry: string; recordedAt: string })[];
    expect(new Set(rows.map((r) => r.registry))).toEqual(new Set(['JP', 'IN']));
    const count = await platform.db.read(async (k) =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM ledger_movements WHERE project = 'IN001'`.execute(k)
        ).rows[0]?.n,
      ),
    );
    expect(rows).toHaveLength(count);
    const times = rows.map((r) => r.recordedAt);
    expect([...times].sort()).toEqual(times);
  });

  it('answers bad input with 400 or 404 and a stable code', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/accounts/JP-000004/history?after=garbage', 400, 'page_cursor_invalid'],
      ['/api/v1/accounts/JP-000004/history?after=WyJ0eCJd', 400, 'page_cursor_invalid'],
      ['/api/v1/accounts/JP-000004/history?limit=0', 400, 'invalid_request'],
      ['/api/v1/accounts/JP-000004/history?limit=501', 400, 'invalid_request'],
      ['/api/v1/accounts/nope/history', 400, 'account_id_malformed'],
      ['/api/v1/accounts/JP-999999/history', 404, 'account_not_found'],
      ['/api/v1/projects/XX/history', 400, 'project_ref_malformed'],
      ['/api/v1/blocks/IN001/abc/history', 400, 'serial_malformed'],
      ['/api/v1/blocks/IN001/0/history', 400, 'serial_must_be_positive'],
      ['/api/v1/retirements?beneficiary=a%00b', 400, 'control_character_refused'],
      [`/api/v1/retirements?beneficiary=${'x'.repeat(201)}`, 400, 'invalid_request'],
      ['/api/v1/reports/holdings?registry=ZZ', 404, 'registry_not_found'],
      ['/api/v1/reports/holdings?registry=jp', 400, 'invalid_request'],
      ['/api/v1/reports/annual?format=doc', 400, 'invalid_request'],
      ['/api/v1/reports/holdings?after=garbage', 400, 'page_cursor_invalid'],
    ];
    const wrong: string[] = [];
    for (const [path, status, code] of cases) {
      const answer = await get(path);
      if (answer.status !== status || answer.body['code'] !== code)
        wrong.push(`${path}: ${answer.status} ${String(answer.body['code'])}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe(`the register of retirements on ${testDbKind}`, () => {
  const search = async (text: string) => {
    const { status, body } = await get(
      `/api/v1/retirements?beneficiary=${encodeURIComponent(text)}&limit=500`,
    );
    expect(status).toBe(200);
    return (items(body) as unknown as { beneficiary: string }[]).map((m) => m.beneficiary);
  };

  it('finds beneficiaries by a case-insensitive prefix, in the order of the name', async () => {
    // Folded names in code point order: '"' before '5' before '_'.
    expect(await search('acme')).toEqual([
      'ACME "Green" 100% Ltd',
      'Acme 50% Holdings',
      'acme_underscore',
    ]);
    expect(await search('ACME "G')).toEqual(['ACME "Green" 100% Ltd']);
    expect(await search('  acme_')).toEqual(['acme_underscore']);
    expect(await search("o'brien")).toEqual(["O'Brien & Sons"]);
    expect(await search('東京')).toEqual(['東京グリーン株式会社']);
    expect(await search('Green')).toEqual([]);
  });

  it('takes percent signs and underscores literally, not as wildcards', async () => {
    expect(await search('%')).toEqual(['%percent first']);
    expect(await search('_')).toEqual(['_underscore first']);
    expect(await search('acme%')).toEqual([]);
    expect(await search('acm_')).toEqual([]);
  });

  it('lists every retirement newest first without a search, and pages', async () => {
    const first = await get('/api/v1/retirements?limit=4');
    const rest = await get(`/api/v1/retirements?limit=500&after=${String(first.body['next'])}`);
    const all = [...items(first.body), ...items(rest.body)] as unknown as {
      beneficiary: string;
      purpose: string;
    }[];
    expect(all.map((m) => m.beneficiary)).toEqual([...beneficiaries].reverse());
    expect(all.every((m) => m.purpose === 'voluntary_offsetting')).toBe(true);
    expect(rest.body['next']).toBeNull();
  });

  it('pages a search by cursor', async () => {
    const first = await get('/api/v1/retirements?beneficiary=ACME&limit=2');
    expect(items(first.body)).toHaveLength(2);
    const second = await get(
      `/api/v1/retirements?beneficiary=ACME&limit=2&after=${String(first.body['next'])}`,
    );
    expect(
      (items(second.body) as unknown as { beneficiary: string }[]).map((m) => m.beneficiary),
    ).toEqual(['acme_underscore']);
    expect(second.body['next']).toBeNull();
  });
});

describe(`registry reports on ${testDbKind}`, () => {
  const recount = (query: string) =>
    platform.db.read(async (k) => (await sql.raw<Record<string, unknown>>(query).execute(k)).rows);

  it('holdings per entity account equal a recount from the blocks', async () => {
    const shown = (await get('/api/v1/reports/holdings?registry=JP&limit=500')).body;
    const counted = await recount(`SELECT b.account_id AS account, b.project, b.vintage,
        sum(b.serial_last - b.serial_first + 1)::text AS quantity, count(*)::text AS blocks
      FROM blocks b WHERE b.registry_id = 'JP' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    expect(
      (shown['items'] as Record<string, unknown>[]).map((h) => ({
        account: h['account'],
        project: h['project'],
        vintage: h['vintage'],
        quantity: h['quantity'],
        blocks: h['blocks'],
      })),
    ).toEqual(counted);
  });

  it('amount per account type equals a recount from the blocks', async () => {
    const shown = (await get('/api/v1/reports/account-types')).body as {
      real: Record<string, unknown>[];
      synthetic: unknown[];
    };
    const counted = await recount(`SELECT a.registry_id AS registry, a.type AS "accountType",
        sum(b.serial_last - b.serial_first + 1)::text AS quantity, count(*)::text AS blocks
      FROM blocks b JOIN accounts a ON a.id = b.account_id GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(shown.real).toEqual(counted);
    expect(shown.synthetic).toEqual([]);
  });

  it('the annual summary equals a recount of the journal entries that moved credits', async () => {
    const shown = (await get('/api/v1/reports/annual')).body as { real: Record<string, unknown>[] };
    const counted = await recount(`SELECT j.chain AS registry, left(j.recorded_at, 4)::int AS year,
        m.kind, count(DISTINCT j.seq)::text AS entries, sum(m.quantity)::text AS quantity
      FROM journal j JOIN ledger_movements m ON m.chain = j.chain AND m.seq = j.seq
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    expect(shown.real).toEqual(counted);
    const retired = shown.real.find((r) => r['kind'] === 'retire');
    expect(retired).toMatchObject({ registry: 'JP', entries: '7', quantity: '22' });
  });

  it('writes the reports as CSV, XLSX and PDF that read back', async () => {
    const csv = await app.request('/api/v1/reports/account-types?registry=JP&format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('"registry","account type","credits","blocks","table"');
    expect(lines).toContain('"JP","holding","78","2","Amount per account type"');
    // The holdings CSV, written a page at a time, holds the rows the JSON pages hold.
    const holdingsCsv = await (await app.request('/api/v1/reports/holdings?format=csv')).text();
    const holdingsJson = (await get('/api/v1/reports/holdings?limit=500')).body['items'] as {
      account: string;
      quantity: string;
    }[];
    const csvLines = holdingsCsv.trim().split('\r\n');
    expect(csvLines[0]).toBe(
      '"account","holder","account type","status","project","vintage","credits","blocks","synthetic demo data"',
    );
    expect(csvLines.slice(1).map((l) => l.split(',')[0])).toEqual(
      holdingsJson.map((h) => `"${h.account}"`),
    );
    const portalCsv = await (await app.request('/registry/reports/holdings.csv')).text();
    expect(portalCsv).toBe(holdingsCsv);
    const xlsx = await app.request('/api/v1/reports/holdings?format=xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(1).values).toEqual([
      undefined,
      'account',
      'holder',
      'account type',
      'status',
      'project',
      'vintage',
      'credits',
      'blocks',
      'synthetic demo data',
    ]);
    const rows = (sheet?.getSheetValues() ?? []).slice(2) as unknown[][];
    expect(rows.map((r) => [r[1], r[7]])).toContainEqual(['JP-000004', 58]);
    const pdf = await app.request('/api/v1/reports/annual?format=pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const read = await readPdf(new Uint8Array(await pdf.arrayBuffer()));
    expect(read.text).toContain('Annual transaction summary');
    expect(read.text).toContain('retire');
  }, 60_000);
});

describe(`the portal's pages on ${testDbKind}`, () => {
  it('render the histories, reports and register, page by the next link, and refuse bad input', async () => {
    const first = await get('/registry/history/account/JP-000004?limit=3');
    expect(first.status).toBe(200);
    // The links every paged list has (page-links.ts): the next page, with its size, and the first.
    const next = /<a\s+rel="next"\s+class="next-page"\s+href="([^"]+)"/
      .exec(first.text)?.[1]
      ?.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/registry\/history\/account\/JP-000004\?limit=3&after=/);
    const second = await get(next ?? '');
    expect(second.status).toBe(200);
    expect(second.text).toContain('Retirement');
    expect(second.text).toContain('href="/registry/history/account/JP-000004?limit=3">First page');
    const register = await get('/registry/retirements?limit=2');
    expect(register.text).toMatch(/href="\/registry\/retirements\?limit=2&amp;after=[^"]+"/);
    for (const path of [
      '/registry/history/project/IN001',
      '/registry/history/serial/IN001/5',
      '/registry/reports',
      '/registry/reports/holdings',
      '/registry/reports/account-types',
      '/registry/reports/annual',
      '/registry/retirements?beneficiary=acme',
    ])
      expect((await get(path)).status, path).toBe(200);
    expect((await get('/registry/retirements?beneficiary=acme')).text).toContain(
      'ACME &quot;Green&quot; 100% Ltd',
    );
    expect((await get('/registry')).text).toContain('href="/registry/retirements"');
    const refused = await get('/registry/history/account/JP-000004?after=garbage');
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('page_cursor_invalid');
    expect((await get('/registry/reports/holdings.csv?registry=ZZ')).body['code']).toBe(
      'registry_not_found',
    );
  });
});
