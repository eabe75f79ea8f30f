// Issuance in a real browser (Debian's Chromium, JavaScript off). Machine clients (API tokens) take the
// demo project through a new monitoring period, its verification, an issuance request, the
// secretariat's completeness check and a proposed decision that both governments confirm. Then a
// Joint Committee member logs in with the authenticator code, adopts the decision and decides the
// issuance from the back office; a registry manager logs in, issues each line in Japan's registry
// and confirms the issuance on the request's page. Balances are read back through the API.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openBrowser, screenshots } from '../support/browser.ts';
import {
  issuanceBeforeTheJointCommittee,
  type IssuanceScene,
} from '../support/browser-issuance.ts';

const password = 'an issuance passphrase';
let scene: IssuanceScene;
let browser: Browser;
let page: Page;
let base = '';
let totp: Readonly<Record<string, string>> = {};
let issuance = '';
let decision = '';
let credits = 0n;

async function balance(account: string): Promise<bigint> {
  const json = (await (await fetch(`${base}/api/v1/accounts/${account}`)).json()) as {
    balance: string;
  };
  return BigInt(json.balance);
}

beforeAll(async () => {
  scene = await issuanceBeforeTheJointCommittee(password, {
    action: 'decide_issuance',
    text: 'Issues the verified credits of IN001 MP3.',
  });
  ({ base, totp, issuance, decision, credits } = scene);
  expect(scene.vintages).toEqual([2026]);
  ({ browser, page } = await openBrowser());
});
afterAll(async () => {
  await browser?.close();
  scene?.server.child.kill('SIGTERM');
});

describe('issuance, in the browser', () => {
  it('a Joint Committee member adopts the decision and decides the issuance', async () => {
    await logIn(page, base, { email: 'jc@jcm.example', password, totpUri: totp['jc'] ?? '' });
    expect(page.url()).toBe(`${base}/office`);
    await page.getByRole('link', { name: decision, exact: true }).first().click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(
      `${decision}: proposed`,
    );
    const adopt = page.getByRole('form', { name: 'adopt decision' });
    await adopt.getByLabel('Adopted').selectOption('electronic');
    await adopt.getByRole('button', { name: 'adopt decision' }).click();
    expect(await page.getByRole('status').textContent()).toContain('proposed → adopted');

    await page.goto(`${base}/office/items/${issuance}`);
    const decide = page.getByRole('form', { name: 'decide issuance' });
    expect(await decide.getByLabel('Adopted decision').inputValue()).toBe(decision);
    // The allocation is the one the decision decided (the request's), shown, not editable.
    const decided = decide.getByRole('table', { name: `Allocation decided by ${decision}` });
    expect(await decided.getByRole('row').count()).toBe(3);
    expect(await decided.textContent()).toContain(
      (credits - credits / 10n).toLocaleString('en-US'),
    );
    await page.screenshot({
      path: join(screenshots, 'office-decide-issuance.png'),
      fullPage: true,
    });
    await decide.getByRole('button', { name: 'decide issuance' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Done: decide issuance');
    await page.getByRole('button', { name: 'Log out' }).click();
  });

  it('a registry manager issues each line and confirms the issuance', async () => {
    const before = { jp: await balance('JP-000004'), trading: await balance('JP-000005') };
    await logIn(page, base, {
      email: 'registry@jcm.example',
      password,
      totpUri: totp['registry'] ?? '',
    });
    await page.getByRole('link', { name: 'Registry operations' }).click();
    await page.screenshot({ path: join(screenshots, 'office-registry.png'), fullPage: true });
    for (const line of [1, 2]) {
      await page.getByRole('button', { name: `Issue line ${line} of ${decision}` }).click();
      expect(await page.getByRole('status').textContent()).toContain(
        `Issued line ${line} of ${decision}`,
      );
    }
    expect(await page.getByText('Every line of the adopted issuance decisions').count()).toBe(1);
    expect({
      jp: (await balance('JP-000004')) - before.jp,
      trading: (await balance('JP-000005')) - before.trading,
    }).toEqual({ jp: credits / 10n, trading: credits - credits / 10n });

    await page.goto(`${base}/office/items/${issuance}`);
    await page
      .getByRole('form', { name: 'confirm issued' })
      .getByRole('button', { name: 'confirm issued' })
      .click();
    expect(await page.getByRole('status').textContent()).toContain('Done: confirm issued');
    await page.screenshot({ path: join(screenshots, 'office-issuance.png'), fullPage: true });
    const request = (await (await fetch(`${base}/api/v1/cycle/items/${issuance}`)).json()) as {
      state: string;
    };
    expect(request.state).toBe('governments_notified');
  });
});
