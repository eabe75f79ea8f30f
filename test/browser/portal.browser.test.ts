// A visitor in a real browser (Debian's Chromium driven by Playwright) on the real server with the
// demo loaded: browses the projects, filters them, opens the demo project, checks a serial number,
// and moves by keyboard from the skip link; the overview, a project page and the registry page show
// the synthetic label and no raw codes. Screenshots of the main pages are saved as test artifacts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshots } from '../support/browser.ts';
import { serveReady, type Server } from '../support/server.ts';

let server: Server;
let browser: Browser;
let page: Page;
let base = '';
const consoleErrors: string[] = [];

beforeAll(async () => {
  // A fresh embedded database: the server loads the synthetic demo on its first start.
  ({ server, base } = await serveReady({
    JCM_DATA_DIR: mkdtempSync(join(tmpdir(), 'jcm-browser-')),
    JCM_DEV_TOKEN: 'browser-test',
  }));
  ({ browser, page } = await openBrowser());
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
});
afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
});

const shot = (name: string) =>
  page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

/** Identifiers such as submit_pdd, jc_consideration or government_holding among the visible text. */
async function rawCodes(): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return [...new Set(text.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? [])];
}

describe('a visitor, without logging in and without JavaScript', () => {
  it('sees the overview with the map and the progress towards the goals', async () => {
    await page.goto(`${base}/`);
    expect(await page.locator('h1').textContent()).toBe('The Joint Crediting Mechanism');
    expect(await page.locator('progress').count()).toBe(2);
    expect(await page.getByRole('img', { name: /Map of the JCM partner countries/ }).count()).toBe(
      1,
    );
    await shot('overview');
  });

  it('browses and filters the projects and opens the demo project', async () => {
    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    await page.getByLabel('Partner country').selectOption('IN');
    await page.getByRole('button', { name: 'Show projects' }).click();
    expect(page.url()).toContain('country=IN');
    expect(await page.getByText('1 project(s)').count()).toBe(1);
    await shot('projects');
    await page.getByRole('link', { name: 'IN001' }).click();
    expect(await page.locator('h1').textContent()).toContain(
      '12 MW solar PV with 24 MWh battery storage',
    );
    expect(await page.getByText('This is synthetic demo data, not a real project.').count()).toBe(
      1,
    );
    expect(
      await page
        .getByRole('img', { name: /Expected, verified and issued credits of IN001/ })
        .count(),
    ).toBe(1);
    await shot('project');
  });

  it('checks a serial number', async () => {
    await page.getByRole('link', { name: 'Serial checker' }).click();
    await page.getByLabel('Project reference').fill('IN001');
    await page.getByLabel('Serial number').fill('1');
    await page.getByRole('button', { name: 'Check' }).click();
    expect(await page.getByRole('status').textContent()).toMatch(
      /Block JCM-IN-001-2025-1-\d+, vintage 2025/,
    );
    await shot('serial');
  });

  it('reaches the content from the skip link by keyboard', async () => {
    await page.goto(`${base}/registry`);
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Skip to content');
    await shot('registry');
  });

  it('sees the synthetic label and no raw codes on the overview, a project page and the registry page', async () => {
    for (const [path, label] of [
      ['/', 'Synthetic demo data'],
      ['/projects/IN-PRJ001', 'This is synthetic demo data, not a real project.'],
      ['/registry', 'Synthetic demo data'],
      ['/decisions', 'Synthetic demo data'],
    ] as const) {
      await page.goto(`${base}${path}`);
      expect(await page.getByText(label, { exact: true }).first().isVisible()).toBe(true);
      expect(await rawCodes()).toEqual([]);
    }
    // The headline counts no demo credits; the demo's are under the label.
    await page.goto(`${base}/`);
    expect(await page.locator('#issued-all .figure').textContent()).toBe('0');
    expect(
      await page.locator('section.synthetic #synthetic-issued .figure').textContent(),
    ).not.toBe('0');
    // The project page speaks words and links its monitoring periods and decisions.
    await page.goto(`${base}/projects/IN-PRJ001`);
    for (const words of [
      'PDD submitted',
      'completeness accepted',
      'registered by the Joint Committee',
    ])
      // A step that makes a version of the project data says so after its words.
      expect(
        await page
          .getByRole('cell', { name: new RegExp(`^${words}( \\(project data version \\d+\\))?$`) })
          .count(),
      ).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'monitoring period IN-PRJ001-MP1' }).first().click();
    expect(page.url()).toContain('#IN-PRJ001-MP1');
    await page
      .getByRole('link', { name: /^Joint Committee decision JC-IN-2026-001$/ })
      .first()
      .click();
    expect(page.url()).toContain('/decisions?from=JC-IN-2026-001#JC-IN-2026-001');
    await shot('decisions');
  });

  it('browses the reference data', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Reference data' }).click();
    await page.getByRole('link', { name: "India's activities eligible for Article 6.2" }).click();
    expect(
      await page
        .getByRole('cell', { name: 'Renewable energy with storage (only stored component)' })
        .count(),
    ).toBe(1);
    expect(
      await page
        .getByText(/^Source: .*Ministry of the Environment of Japan, September 2025/)
        .count(),
    ).toBe(1);
    await shot('reference');
  });

  it("opens a partnership's page from the partnerships page, with its sources and its project", async () => {
    await page.goto(`${base}/partnerships`);
    expect(await page.getByText('technology adoptions').count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Indonesia-Japan Joint Crediting Mechanism' }).click();
    expect(await page.locator('h1').textContent()).toBe(
      'Indonesia-Japan Joint Crediting Mechanism',
    );
    expect(await page.getByRole('cell', { name: 'Co-chair', exact: true }).count()).toBe(2);
    expect(await page.getByText('Synthetic demo data').count()).toBeGreaterThan(0);
    await shot('partnership');
    await page.getByRole('link', { name: /high-efficiency autoclaves/ }).click();
    expect(await page.locator('h1').textContent()).toContain('high-efficiency autoclaves');
  });

  it('met no console errors (the CSP blocked nothing the pages need)', () => {
    expect(consoleErrors).toEqual([]);
  });
});
