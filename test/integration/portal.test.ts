// The public portal in-process, over the demo: every page answers without a login, without inline
// scripts or styles (the CSP forbids them), with its landmarks and headings; filters narrow the
// project list; the serial checker finds a block; downloads are CSV, XLSX and JSON.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import type { Platform } from '../../src/services/platform.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';

let platform: Platform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await seedDemo(platform);
  app = createApp(platform, { devToken: 'test-token' });
});
afterAll(async () => {
  await testDb.drop();
});

const pages: [string, string][] = [
  ['/', 'The Joint Crediting Mechanism'],
  ['/partnerships', 'Partnerships'],
  ['/projects', 'Projects'],
  ['/projects/IN-PRJ001', '12 MW solar PV with 24 MWh battery storage'],
  ['/projects/historical', 'Projects financed 2013-2019'],
  ['/methodologies', 'Methodologies'],
  ['/methodologies/IN_AM006', 'Carbon dioxide capture and geological storage (CCS)'],
  ['/decisions', 'Joint Committee decisions'],
  ['/registry', 'Registry statistics'],
  ['/serial', 'Serial-number checker'],
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

  it('filters projects by country, sector, programme and status', async () => {
    const all = await (await app.request('/projects')).text();
    expect(all).toContain('1 project(s)');
    expect(await (await app.request('/projects?country=ID')).text()).toContain('0 project(s)');
    expect(
      await (
        await app.request(
          '/projects?country=IN&sector=1&programme=private_sector_jcm&status=registered',
        )
      ).text(),
    ).toContain('1 project(s)');
    expect(await (await app.request('/projects?sector=3')).text()).toContain('0 project(s)');
  });

  it('shows a project with its timeline, documents and credits by vintage', async () => {
    const body = await (await app.request('/projects/IN-PRJ001')).text();
    expect(body).toContain('This is synthetic demo data');
    expect(body).toContain('request registration');
    // Expected: 15,000 a year x 92 days of 2025 / 365 = 3,780.8 -> 3,780; verified and issued 3,826.
    expect(body).toMatch(
      /<td>2025<\/td>\s*<td class="num">3,780<\/td>\s*<td class="num">3,826<\/td>\s*<td class="num">3,826<\/td>/,
    );
    expect(body).toMatch(/<td>2027<\/td>\s*<td class="num">15,000<\/td>\s*<td class="num">0<\/td>/);
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
      '"id","reference","partnership","status","title","programme","sectoral_scopes","methodology","expected_tco2_per_year","latitude","longitude"',
    );
    expect(csv).toContain('"IN-PRJ001","IN001","IN","registered"');
    const json = (await (await app.request('/downloads/decisions.json')).json()) as {
      rows: unknown[];
    };
    // Six decisions of the demo: the TPE designation, the idea note, the methodology, the
    // registration and two issuances.
    expect(json.rows).toHaveLength(6);
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
