// Shared set-up of the browser tests: Debian's Chromium (never a downloaded browser) with the flags
// this closed network needs, a page with JavaScript off, the screenshot folder, and `jcm` run on a
// data folder before the server takes it (PGlite: one process at a time).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { totpCode } from '../../src/services/accounts.ts';

const root = join(import.meta.dirname, '..', '..');
export const screenshots = join(root, '.test-results', 'screenshots');

export async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
  mkdirSync(screenshots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: false,
  });
  return { browser, page };
}

/** Runs `jcm --json ...` on a data folder and returns the JSON it printed. */
export function jcmOn(
  dataDir: string,
  env: Record<string, string>,
  ...args: string[]
): Record<string, string> {
  const done = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'src', 'main.ts'), '--json', ...args],
    {
      cwd: root,
      env: { ...process.env, JCM_DATA_DIR: dataDir, ...env },
      encoding: 'utf8',
    },
  );
  if (done.status !== 0) throw new Error(done.stderr);
  return JSON.parse(done.stdout.split('\n').find((l) => l.startsWith('{')) ?? '{}') as Record<
    string,
    string
  >;
}

/** Logs in through the login form with password and authenticator code. */
export async function logIn(
  page: Page,
  base: string,
  user: { email: string; password: string; totpUri: string },
): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByLabel(/Authenticator code/).fill(totpCode(user.email, user.totpUri, Date.now()));
  await page.getByRole('button', { name: 'Log in' }).click();
}
