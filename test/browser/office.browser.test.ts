// A project participant in a real browser (Debian's Chromium, JavaScript off): logs in with password
// and authenticator code, sees the back office, uploads a monitoring spreadsheet with mistakes and sees
// every mistake located on the page, then a correct one and sees the credits.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultMethodologiesDir,
  MethodologyCatalogue,
} from '../../src/services/methodology-catalogue.ts';
import { totpCode } from '../../src/services/accounts.ts';
import { jcmOn, openBrowser, screenshots } from '../support/browser.ts';
import { serveReady, type Server } from '../support/server.ts';

const email = 'pat@example-solar.in';
const password = 'a participant passphrase';
let server: Server;
let browser: Browser;
let page: Page;
let base = '';
let totpUri = '';
const files = mkdtempSync(join(tmpdir(), 'jcm-office-'));

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jcm-office-data-'));
  // The operator creates the user on the server before it starts (PGlite: one process at a time).
  totpUri =
    jcmOn(
      dataDir,
      { JCM_PASSWORD: password },
      'user',
      'add',
      email,
      '--name',
      'Pat',
      '--roles',
      'project_participant:example-solar-in',
      '--totp',
    ).totpUri ?? '';
  // Two files to upload: a CSV with two mistakes, and the template filled with the worked example.
  writeFileSync(
    join(files, 'bad.csv'),
    'period,start,end,monitoring_point,parameter,value,unit\nMP1,2026-01-01,2026-12-31,PV-1,EG_i,-3,MWh\nMP1,2026-01-01,2026-12-31,PV-2,EG_i,ten,MWh\n',
  );
  writeFileSync(join(files, 'report.pdf'), '%PDF-1.4 monitoring report (browser test)\n');
  const catalogue = await MethodologyCatalogue.load(defaultMethodologiesDir);
  writeFileSync(
    join(files, 'IN_AM009.xlsx'),
    await catalogue.template(catalogue.get('IN_AM009')!, { fill: 'example' }),
  );
  // The demo project's next report: October 2026, after its two monitoring periods, ended.
  writeFileSync(
    join(files, 'october.xlsx'),
    await catalogue.template(catalogue.get('IN_AM009')!, {
      layout: {
        points: ['PV-ARRAY-A'],
        periods: [{ id: 'MP3', start: '2026-10-01', end: '2026-10-31' }],
      },
      prefill: (symbol, period) => (symbol === 'EG_i' && period !== null ? '950' : undefined),
    }),
  );
  ({ server, base } = await serveReady({ JCM_DATA_DIR: dataDir }));
  ({ browser, page } = await openBrowser());
});
afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
});

describe('a project participant, in the browser', () => {
  it('is refused without the authenticator code, then logs in with it', async () => {
    await page.goto(`${base}/office`);
    expect(page.url()).toBe(`${base}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    // The same answer as a wrong password: it does not tell that the password was right.
    expect(await page.getByRole('alert').textContent()).toContain(
      'password or authenticator code is not right',
    );
    await page.getByLabel('Password').fill(password);
    await page.getByLabel(/Authenticator code/).fill(totpCode(email, totpUri, Date.now()));
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(page.url()).toBe(`${base}/office`);
    expect(await page.getByText(`Logged in as ${email}`).count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'office.png'), fullPage: true });
  });

  it('uploads a monitoring spreadsheet with mistakes and sees each one located', async () => {
    await page.getByRole('link', { name: 'Check a monitoring spreadsheet' }).click();
    await page.getByLabel('Methodology').selectOption('IN_AM009');
    await page.getByLabel('Spreadsheet').setInputFiles(join(files, 'bad.csv'));
    await page.getByRole('button', { name: 'Check' }).click();
    const errors = await page.getByRole('alert').textContent();
    expect(errors).toContain('2 error(s) in bad.csv');
    expect(errors).toContain('line 2, column value');
    expect(errors).toContain('line 3, column value');
    await page.screenshot({ path: join(screenshots, 'monitoring-errors.png'), fullPage: true });
  });

  it('uploads the filled template and sees the credits', async () => {
    await page.getByLabel('Methodology').selectOption('IN_AM009');
    await page.getByLabel('Spreadsheet').setInputFiles(join(files, 'IN_AM009.xlsx'));
    await page.getByRole('button', { name: 'Check' }).click();
    // IN_AM009's worked example: (3,412.5 + 3,398.25) MWh discharged from storage x 0.757 = 5,155.
    expect(await page.getByRole('status').textContent()).toContain('Result: 5,155 credits');
    await page.screenshot({ path: join(screenshots, 'monitoring-result.png'), fullPage: true });
  });

  it('files the monitoring report of the demo project: the bad spreadsheet is refused with each mistake, the good one is calculated', async () => {
    await page.goto(`${base}/office/items/IN-PRJ001`);
    const form = page.getByRole('form', { name: 'submit monitoring report' });
    await form
      .getByLabel(/Project implementation \(monitoring\) report/)
      .setInputFiles(join(files, 'report.pdf'));
    await form.getByLabel(/Filled monitoring spreadsheet/).setInputFiles(join(files, 'bad.csv'));
    await form.getByRole('button', { name: 'submit monitoring report' }).click();
    const errors = (await page.getByRole('alert').textContent()) ?? '';
    expect(errors).toContain('monitoring_report_invalid');
    expect(errors).toContain('line 2, column value');
    expect(errors).toContain('line 3, column value');
    expect(await page.locator('h1').textContent()).toContain('IN-PRJ001: registered');

    const again = page.getByRole('form', { name: 'submit monitoring report' });
    await again
      .getByLabel(/Project implementation \(monitoring\) report/)
      .setInputFiles(join(files, 'report.pdf'));
    await again
      .getByLabel(/Filled monitoring spreadsheet/)
      .setInputFiles(join(files, 'october.xlsx'));
    await again.getByRole('button', { name: 'submit monitoring report' }).click();
    expect(await page.getByRole('status').textContent()).toContain(
      'Done: submit monitoring report',
    );
    expect(await page.locator('h1').textContent()).toMatch(/IN-PRJ001-MP\d+: verification/);
    expect(await page.getByText(/Calculated/).count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'monitoring-filed.png'), fullPage: true });
  });
});
