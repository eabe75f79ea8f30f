// A visitor in a real browser (Debian's Chromium, JavaScript off) on the real server with the demo
// loaded walks the Article 6.2 pages: the cooperative approaches, India's page for the demo's year
// with its corresponding adjustments and the AEF's checks, an AEF downloaded as XLSX and read back,
// and the serial checker giving a credit's ITMO identifier. Screenshots are saved as artifacts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAefXlsx } from '../../src/formats/aef-export.ts';
import { loadAefDescription } from '../../src/formats/aef-description-file.ts';
import { openBrowser, screenshots } from '../support/browser.ts';
import { serveReady, type Server } from '../support/server.ts';

let server: Server;
let browser: Browser;
let page: Page;
let base = '';
const consoleErrors: string[] = [];

beforeAll(async () => {
  ({ server, base } = await serveReady({
    JCM_DATA_DIR: mkdtempSync(join(tmpdir(), 'jcm-browser-a6-')),
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

/** Identifiers such as use_or_cancellation or emissions_missing among the visible text. */
async function rawCodes(): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return [...new Set(text.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? [])];
}

/** The year the demo's entries are dated in, as the approaches page links India's last year. */
let year = '';

describe('a visitor follows Article 6.2 from the approaches to an ITMO', () => {
  it('opens the cooperative approaches from the navigation', async () => {
    await page.goto(`${base}/`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Article 6.2' })
      .click();
    expect(await page.locator('h1').textContent()).toBe('Article 6.2: cooperative approaches');
    expect(
      await page
        .getByRole('heading', { name: /^Cooperative approach CA0001: India-Japan/ })
        .count(),
    ).toBe(1);
    expect(await page.getByText(/CA0001 is the demo's/).count()).toBe(1);
    expect(await rawCodes()).toEqual([]);
    await shot('article6-approaches');
  });

  it("goes to India's page for the demo's year: its adjustments by averaging and the AEF's checks", async () => {
    const links = page
      .locator('p', { hasText: "India's corresponding adjustments and actions" })
      .getByRole('link', { name: /^\d{4}$/ });
    year = (await links.last().textContent()) ?? '';
    expect(year).toMatch(/^\d{4}$/);
    await links.last().click();
    expect(await page.locator('h1').textContent()).toBe(`India: Article 6.2 in ${year}`);
    expect(
      await page.getByRole('table', { name: /^Corresponding adjustments of India/ }).count(),
    ).toBe(1);
    // Vintage 2025: 731 issued into Japan's registry + 40 used for CORSIA, first transferred.
    expect(await page.getByRole('row', { name: /^2025 771 0 \+771 / }).count()).toBe(1);
    expect(await page.locator('#aef-checks').textContent()).toBe('All 18 checks pass.');
    expect(await rawCodes()).toEqual([]);
    await shot('article6-india');
  });

  it("downloads India's AEF as XLSX, which reads back as the AEF of India for that year", async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'All tables as XLSX' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`AEF-IND-${year}.xlsx`);
    const tables = await readAefXlsx(
      readFileSync(await download.path()),
      await loadAefDescription(),
    );
    if (!tables.ok) throw new Error(tables.error.message);
    expect(tables.value.submission.map((r) => [r['party'], r['reported_year']])).toEqual([
      ['IND', year],
    ]);
    expect(tables.value.actions.length).toBeGreaterThan(0);
  });

  it('checks a serial number and sees its ITMO identifier and standing in words', async () => {
    await page.getByRole('link', { name: 'Serial checker' }).click();
    await page.getByLabel('Project reference').fill('IN001');
    await page.getByLabel('Serial number').fill('1');
    await page.getByRole('button', { name: 'Check' }).click();
    const itmo = page.locator('#itmo-status');
    const fact = (term: string) => itmo.locator(`dt:text-is("${term}") + dd`).innerText();
    expect(await fact('ITMO identifier')).toBe('CA0001-JPN01-IND-001.1-2025');
    expect(await fact('First transferring Party')).toBe('India');
    expect(await fact('First transferred')).toBe('Yes: India has first transferred it.');
    expect(await fact('Use or cancellation')).toMatch(
      /^Used towards an NDC by Japan, for the calendar year \d{4}\./,
    );
    await page.getByRole('link', { name: 'IND-JCM-NDC-001' }).click();
    expect(page.url()).toContain('/article6/authorisations?from=IND-JCM-NDC-001#IND-JCM-NDC-001');
    expect(await rawCodes()).toEqual([]);
    await shot('article6-serial');
  });

  it('met no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
