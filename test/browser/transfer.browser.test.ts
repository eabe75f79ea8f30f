// A second approver in a real browser (Debian's Chromium, JavaScript off): one registry manager
// requests a transfer out of the Government of Japan's account through the API; another logs in with
// password and authenticator code and releases it from the back office.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jcmOn, logIn, openBrowser, screenshots } from '../support/browser.ts';
import { serveReady, type Server } from '../support/server.ts';

const password = 'a registry passphrase';
let server: Server;
let browser: Browser;
let page: Page;
let base = '';
let bobUri = '';
let aliceToken = '';

const jcm = (dataDir: string, ...args: string[]) =>
  jcmOn(dataDir, { JCM_PASSWORD: password }, ...args);

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jcm-transfer-data-'));
  jcm(
    dataDir,
    'user',
    'add',
    'alice@registry.example',
    '--name',
    'Alice',
    '--roles',
    'registry_manager:JP',
  );
  bobUri =
    jcm(
      dataDir,
      'user',
      'add',
      'bob@registry.example',
      '--name',
      'Bob',
      '--roles',
      'registry_manager:JP',
    ).totpUri ?? '';
  aliceToken = jcm(dataDir, 'token', 'create', 'alice@registry.example').token ?? '';
  ({ server, base } = await serveReady({ JCM_DATA_DIR: dataDir }));
  ({ browser, page } = await openBrowser());
});
afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
});

describe('a second approver, in the browser', () => {
  it('releases a transfer out of a government account that someone else requested', async () => {
    // The demo's JP-000004 is the Government of Japan's account.
    const before = (await (await fetch(`${base}/api/v1/accounts/JP-000004`)).json()) as {
      balance: string;
    };
    const requested = await fetch(`${base}/api/v1/transfer-requests`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${aliceToken}`,
        'idempotency-key': 'browser-transfer-request-1',
      },
      body: JSON.stringify({ from: 'JP-000004', to: 'JP-000005', selection: { quantity: '25' } }),
    });
    expect(requested.status).toBe(201);
    const id = ((await requested.json()) as { id: string }).id;

    await logIn(page, base, { email: 'bob@registry.example', password, totpUri: bobUri });
    await page.getByRole('link', { name: 'Transfers out of government accounts' }).click();
    await page.screenshot({ path: join(screenshots, 'transfer-requests.png'), fullPage: true });
    await page.getByRole('button', { name: `Approve ${id}` }).click();
    expect(await page.getByRole('status').textContent()).toContain('approved, the credits moved');
    const after = (await (await fetch(`${base}/api/v1/accounts/JP-000004`)).json()) as {
      balance: string;
    };
    expect(BigInt(before.balance) - BigInt(after.balance)).toBe(25n);
    await page.screenshot({ path: join(screenshots, 'transfer-released.png'), fullPage: true });
  });
});
