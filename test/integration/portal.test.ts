// The public portal in-process, over the demo: every page answers without a login, without inline
// scripts or styles (the CSP forbids them), with its landmarks and headings; filters narrow the
// project list; the serial checker finds a block; downloads are CSV, XLSX and JSON.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { authoriseForJapan } from '../support/demo-authorisation.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import type { Platform } from '../../src/services/platform.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import { mustRun } from '../support/scenario.ts';

let platform: Platform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;

/** A page's HTML with the entities the templates escape written as characters again. */
async function page(path: string): Promise<string> {
  const body = await (await app.request(path)).text();
  return body.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');
}

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await seedDemo(platform);
  await authoriseForJapan(platform, 'IN950');
  // Credits of a project no synthetic organisation takes part in (not in the cycle): 1,000 into
  // Japan's registry and 234 into India's, the only credits a headline may count.
  await mustRun(platform, 'record_issuance_decision', {
    decision: 'REAL-1',
    project: 'IN950',
    verification: { reference: 'V-REAL-1', reductions: [{ vintage: 2026, quantity: '1234' }] },
    lines: [
      { registry: 'JP', account: 'JP-000005', vintage: 2026, quantity: '1000' },
      { registry: 'IN', account: 'IN-000005', vintage: 2026, quantity: '234' },
    ],
  });
  await mustRun(platform, 'issue', { registry: 'JP', decision: 'REAL-1', line: 1 });
  await mustRun(platform, 'issue', { registry: 'IN', decision: 'REAL-1', line: 2 });
  app = createApp(platform, { devToken: 'test-token' });
});
afterAll(async () => {
  await testDb.drop();
});

const pages: [string, string][] = [
  ['/', 'The Joint Crediting Mechanism'],
  ['/partnerships', 'Partnerships'],
  ['/partnerships/ID', 'Indonesia-Japan Joint Crediting Mechanism'],
  ['/projects', 'Projects'],
  ['/projects/IN-PRJ001', '12 MW solar PV with 24 MWh battery storage'],
  ['/projects/historical', 'Projects financed 2013-2019'],
  ['/methodologies', 'Methodologies'],
  ['/methodologies/IN_AM006', 'Carbon dioxide capture and geological storage (CCS)'],
  ['/decisions', 'Joint Committee decisions'],
  ['/registry', 'Registry statistics'],
  ['/serial', 'Serial-number checker'],
  ['/reference', 'Reference data'],
  ['/reference/sectoral-scopes', 'Sectoral scopes'],
  ['/reference/greenhouse-gases', 'Greenhouse gases'],
  ['/reference/india-article6-activities', 'India&#39;s activities eligible for Article 6.2'],
  ['/reference/methodologies-2019', 'Methodologies approved by October 2019'],
  ['/downloads', 'Downloads'],
  ['/login', 'Log in'],
];

describe(`the public portal on ${testDbKind}`, () => {
  it.each(pages)(
    '%s is public, accessible and free of inline script and style',
    async (path, heading) => {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      const body = await response.text();
      expect(body).toContain('<html lang="en">');
      expect(body).toContain('<main id="main">');
      expect(body).toMatch(new RegExp(`<h1>${heading.replace(/[()]/g, '\\$&')}`));
      expect(body).not.toMatch(/<script|\sstyle="|\son[a-z]+="/i);
      // Every chart has a name and description; every form field a label.
      for (const svg of body.match(/<svg[^>]*role="img"[^>]*>/g) ?? [])
        expect(svg).toMatch(/aria-label="[^"]+"/);
      expect(body.match(/<select/g)?.length ?? 0).toBe(
        body.match(/<label[^>]*>[^<]*<select/g)?.length ?? 0,
      );
    },
  );

  it('lists the partnerships with their signing dates and the historical projects with their source', async () => {
    const partnerships = await (await app.request('/partnerships')).text();
    expect(partnerships).toMatch(
      /<td>India<\/td>\s*<td>IN<\/td>\s*<td>2025-08-07<\/td>\s*<td>New Delhi<\/td>/,
    );
    // Saudi Arabia's place of signing is not in the source: the page says so, not an empty cell.
    expect(partnerships).toMatch(
      /<td>Saudi Arabia<\/td>\s*<td>SA<\/td>\s*<td>2015-05-13<\/td>\s*<td>not stated in the source<\/td>/,
    );
    // 31 partners as the source counts them, with why 30 are named (issue 13, item 4).
    for (const text of [partnerships, await (await app.request('/')).text()]) {
      expect(text).toContain('31');
      expect(text).toContain('List of JCM 31 partner countries as of August 2025');
      expect(text).toContain('name 30 of them');
    }
    // The catalogue's entries are illustrative, not shown as approved by a Joint Committee.
    const methodologies = await (await app.request('/methodologies')).text();
    expect(methodologies).not.toContain('approved by the Joint Committees');
    expect(methodologies.match(/<td>illustrative<\/td>/g)?.length).toBeGreaterThan(0);
    expect(await (await app.request('/methodologies/IN_AM001')).text()).toContain(
      'illustrative, modelled on',
    );
    const historical = await (await app.request('/projects/historical')).text();
    expect(historical).toMatch(
      /<td>1<\/td>\s*<td>2013<\/td>\s*<td>Indonesia<\/td>[\s\S]*?<td class="num">117<\/td>/,
    );
    expect(historical).toContain('Source: ');
  });

  it("counts no synthetic data in the headline: issued in all registries and into Japan's, the demo apart under its label (issue 13, item 5)", async () => {
    const body = await (await app.request('/')).text();
    const [headline = '', demo = ''] = body.split('<h2 id="synthetic-demo">');
    const figure = (id: string, text: string) =>
      text.match(new RegExp(`id="${id}">\\s*<div class="figure">([0-9,]+)<`))?.[1];
    // Old code: the progress bar counted every credit of both registries, demo included.
    expect(headline).toContain('FY2030: 1,234 of 100,000,000 tCO2');
    expect(figure('issued-all', headline)).toBe('1,234');
    expect(figure('issued-japan', headline)).toBe('1,000');
    // The demo's credits (3,826 of vintage 2025 and the rest) appear only under the label.
    const demoIssued = BigInt((figure('synthetic-issued', demo) ?? '0').replaceAll(',', ''));
    expect(demoIssued).toBeGreaterThan(3_826n);
    expect(body).toMatch(
      /<section class="synthetic"[^>]*>\s*<h2 id="synthetic-demo">Synthetic demo data</,
    );
    expect(headline).not.toContain(demoIssued.toLocaleString('en-US'));
    expect(headline).toMatch(/0<\/div>\s*projects in the cycle \(0 registered\)/);
    // The registry page: the same split, the demo under its label.
    const registry = await (await app.request('/registry')).text();
    const [real = '', demoRegistry = ''] = registry.split('<h2 id="synthetic-demo">');
    expect(real).toMatch(/1,234<\/div>\s*credits issued in all registries/);
    expect(real).not.toContain(demoIssued.toLocaleString('en-US'));
    expect(demoRegistry).toContain(demoIssued.toLocaleString('en-US'));
  });

  it("marks organisations synthetic only at an administrator's request; nobody else may set the flag", async () => {
    const register = (id: string, roles: string, extra: Record<string, unknown>) =>
      app.request('/api/v1/organisations', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer test-token',
          'x-jcm-actor': 'portal-test',
          'x-jcm-roles': roles,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({
          id,
          name: id,
          kind: 'project_participant',
          country: 'IN',
          ...extra,
        }),
      });
    const flagOf = async (id: string) =>
      (await platform.cycleQueries.organisations()).find((o) => o.id === id)?.synthetic;
    // A secretariat registers real organisations; it may not mark one synthetic, nor may a
    // participant (who may not register organisations at all), whatever the request says.
    for (const roles of ['secretariat:IN', 'project_participant:example-solar-in']) {
      const refused = await register('forged-demo', roles, { synthetic: true });
      expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([
        403,
        'actor_not_authorised',
      ]);
    }
    expect(await flagOf('forged-demo')).toBeUndefined();
    const forgedType = await register('forged-type', 'administrator', { synthetic: 'yes' });
    expect(forgedType.status).toBe(400);
    expect((await register('real-org', 'secretariat:IN', {})).status).toBe(201);
    expect(await flagOf('real-org')).toBe(false);
    expect((await register('admin-demo', 'administrator', { synthetic: true })).status).toBe(201);
    expect(await flagOf('admin-demo')).toBe(true);
    // Every organisation the demo registered carries the flag.
    const demo = (await platform.cycleQueries.organisations()).filter((o) =>
      o.id.startsWith('example-'),
    );
    expect(demo.length).toBeGreaterThanOrEqual(3);
    expect(demo.every((o) => o.synthetic)).toBe(true);
  });

  it("speaks people's words: states, actions, countries, scopes, links, shares and credits", async () => {
    const project = await page('/projects/IN-PRJ001');
    for (const words of [
      'PDD submitted',
      'completeness accepted',
      'registered by the Joint Committee',
      'monitoring report submitted',
      'verified by the third-party entity',
      'issuance decided by the Joint Committee',
      'credits issued',
      '1. Energy industries (renewable and non-renewable sources)',
      'carbon dioxide (CO2)',
      "Japan's registry",
      "India's registry",
      'government holding account',
      'Government of Japan',
    ])
      expect(project).toContain(words);
    // Monitoring periods and issuance requests are sections the timeline and decisions link to.
    expect(project).toMatch(
      /<h3 id="IN-PRJ001-MP1">monitoring period IN-PRJ001-MP1: verified<\/h3>/,
    );
    expect(project).toContain('<a href="#IN-PRJ001-MP2">monitoring period IN-PRJ001-MP2</a>');
    // A decision links to the page of decisions that starts with it, at its row.
    expect(project).toMatch(/<a href="\/decisions\?from=(JC-IN-2026-00\d)#\1">/);
    // The timeline continues through verification and issuance, with their public documents.
    expect(project).toContain('Verification report (form 3.8) (version 1)');
    // Shares as percent, credits with thousands separators.
    expect(project).toMatch(
      /<td class="num">45\.00%<\/td>\s*<td class="num">\d{1,3}(,\d{3})+<\/td>/,
    );
    // No raw codes as text (identifiers inside attributes are fine).
    const text = (body: string) => body.replace(/<[^>]*>/g, ' ');
    for (const body of [
      project,
      await (await app.request('/')).text(),
      await (await app.request('/registry')).text(),
      await (await app.request('/decisions')).text(),
      await (await app.request('/projects')).text(),
    ])
      expect(text(body)).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    const decisions = await (await app.request('/decisions')).text();
    expect(decisions).toContain('<span id="JC-IN-2026-001">');
    expect(decisions).toContain('<a href="/projects/IN-PRJ001">project IN-PRJ001</a>');
    expect(decisions).toContain('<a href="/projects/IN-PRJ001#IN-PRJ001-IR1">');
    expect(decisions.split('<h2 id="synthetic-demo">')[0]).toContain(
      'No decisions about real projects yet.',
    );
    expect(await (await app.request('/projects')).text()).toMatch(
      /<td>India<\/td>[\s\S]*<td>registered<\/td>/,
    );
    const activities = await page('/reference/india-article6-activities');
    expect(activities).toContain('Renewable energy with storage (only stored component)');
    expect(activities).toContain('Ministry of the Environment of Japan, September 2025, slide');
    expect((await app.request('/reference/nothing')).status).toBe(404);
  });

  it('cites sources by title, publisher, date and page or slide, never by file name (issue 13, item 6)', async () => {
    const pages = [
      '/',
      '/partnerships',
      '/projects/historical',
      '/reference/sectoral-scopes',
      '/reference/greenhouse-gases',
      '/reference/methodologies-2019',
      '/reference/india-article6-activities',
    ];
    for (const path of pages) {
      const body = await (await app.request(path)).text();
      expect(body).not.toMatch(/seed |_[0-9a-f]{16}\.txt/);
      expect(body).not.toContain('report "The Joint Crediting Mechanism"');
    }
    const historical = await page('/projects/historical');
    expect(historical).toContain(
      '"Article 6 of the Paris Agreement: Drawing Lessons from the Joint Crediting Mechanism", Asian Development Bank, 2019, appendix',
    );
    expect(await page('/partnerships')).toContain(
      '"Basic Scheme & Recent Development of the Joint Crediting Mechanism (JCM)", Ministry of Economy, Trade and Industry of Japan, 27 February 2025, slide',
    );
  });

  it('filters projects by country, sector, programme and status', async () => {
    const all = await (await app.request('/projects')).text();
    // India's project and one each of Indonesia, Chile and the Philippines.
    expect(all).toContain('4 project(s)');
    expect(await (await app.request('/projects?country=ID')).text()).toContain('1 project(s)');
    expect(await (await app.request('/projects?country=MN')).text()).toContain('0 project(s)');
    expect(
      await (
        await app.request(
          '/projects?country=IN&sector=1&programme=private_sector_jcm&status=registered',
        )
      ).text(),
    ).toContain('1 project(s)');
    // Sectoral scope 3 is Indonesia's autoclave project's; no project is in scope 7.
    expect(await (await app.request('/projects?sector=3')).text()).toContain('1 project(s)');
    expect(await (await app.request('/projects?sector=7')).text()).toContain('0 project(s)');
  });

  it('shows a project with its timeline, documents and credits by vintage', async () => {
    const body = await (await app.request('/projects/IN-PRJ001')).text();
    expect(body).toContain('This is synthetic demo data');
    expect(body).toContain('registration requested');
    // Expected: 5,300 a year x 92 days of 2025 / 365 = 1,335.9 -> 1,335; verified and issued: the
    // stored electricity discharged in MP1, 3,478.75 MWh x 0.757 x 92/182 days = 1,331.2 -> 1,331.
    expect(body).toMatch(
      /<td>2025<\/td>\s*<td class="num">1,335<\/td>\s*<td class="num">1,331<\/td>\s*<td class="num">1,331<\/td>/,
    );
    expect(body).toMatch(/<td>2027<\/td>\s*<td class="num">5,300<\/td>\s*<td class="num">0<\/td>/);
    expect(body).toContain('/api/v1/documents/');
    expect((await app.request('/projects/XX-PRJ9')).status).toBe(404);
  });

  it('checks a serial number', async () => {
    const found = await (await app.request('/serial?project=IN001&serial=1')).text();
    expect(found).toMatch(/Block <span class="mono">JCM-IN-001-2025-1-\d+<\/span>/);
    const missing = await (await app.request('/serial?project=IN001&serial=999999')).text();
    expect(missing).toContain('Not found');
  });

  it('offers every dataset as CSV, XLSX and JSON', async () => {
    const csv = await (await app.request('/downloads/projects.csv')).text();
    expect(csv.split('\r\n')[0]).toBe(
      '"id","reference","partnership","status","title","programme","sectoral_scopes","methodology","expected_tco2_per_year","latitude","longitude","synthetic_demo_data"',
    );
    expect(csv).toContain('"IN-PRJ001","IN001","IN","registered"');
    const json = (await (await app.request('/downloads/decisions.json')).json()) as {
      rows: unknown[];
    };
    // India's six decisions (the TPE designation, the idea note, the methodology, the registration
    // and two issuances) and three per other partnership (designation, registration, issuance).
    expect(json.rows).toHaveLength(6 + 3 * 3);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(
      await (await app.request('/downloads/historical-projects.xlsx')).arrayBuffer(),
    );
    expect(book.getWorksheet('data')?.rowCount).toBe(158);
    expect((await app.request('/downloads/nothing.csv')).status).toBe(404);
  });

  it('sends visitors of the back office to the login page, and refuses a login form without its token', async () => {
    const office = await app.request('/office');
    expect([office.status, office.headers.get('location')]).toEqual([303, '/login']);
    const forged = await app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=x&email=a%40b.c&password=whatever',
    });
    expect(forged.status).toBe(403);
  });

  it('serves metrics in the Prometheus text format', async () => {
    const text = await (await app.request('/metrics')).text();
    expect(text).toMatch(/^# TYPE jcm_http_requests_total counter$/m);
    expect(text).toMatch(/^jcm_blocks \d+$/m);
  });
});
