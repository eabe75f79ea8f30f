// The Joint Committee's rejection of an issuance request in a real browser (Debian's Chromium,
// JavaScript off; issue 13). Machine clients take the demo project through a new monitoring period,
// its verification, an issuance request, completeness and a proposed decision to reject it, which
// both governments confirm (India's rulebook asks their prior confirmation). A Joint Committee member
// logs in with the authenticator code, adopts the decision and rejects the request from the back
// office; the request is rejected, its monitoring period free for a new request, and the public
// project page says so in words.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openBrowser, screenshots } from '../support/browser.ts';
import {
  issuanceBeforeTheJointCommittee,
  type IssuanceScene,
} from '../support/browser-issuance.ts';

const password = 'a rejection passphrase';
let scene: IssuanceScene;
let browser: Browser;
let page: Page;
let base = '';
let totp: Readonly<Record<string, string>> = {};
let issuance = '';
let decision = '';
let monitoringId = '';

async function itemState(id: string): Promise<{ state: string; data: { usedBy?: string } }> {
  return (await (await fetch(`${base}/api/v1/cycle/items/${id}`)).json()) as {
    state: string;
    data: { usedBy?: string };
  };
}

beforeAll(async () => {
  scene = await issuanceBeforeTheJointCommittee(password, {
    action: 'reject_issuance',
    text: 'Rejects the issuance request of IN001 MP3: the allocation is to be revised.',
  });
  ({ base, totp, issuance, decision } = scene);
  monitoringId = scene.monitoring;
  ({ browser, page } = await openBrowser());
});
afterAll(async () => {
  await browser?.close();
  scene?.server.child.kill('SIGTERM');
});

describe('the Joint Committee rejects an issuance request, in the browser', () => {
  it('adopts the decision to reject and rejects the request; its monitoring period is free again', async () => {
    await logIn(page, base, { email: 'jc@jcm.example', password, totpUri: totp['jc'] ?? '' });
    await page.getByRole('link', { name: decision, exact: true }).first().click();
    const adopt = page.getByRole('form', { name: 'adopt decision' });
    await adopt.getByLabel('Adopted').selectOption('meeting');
    await adopt.getByRole('button', { name: 'adopt decision' }).click();
    expect(await page.getByRole('status').textContent()).toContain('proposed → adopted');

    await page.goto(`${base}/office/items/${issuance}`);
    // Deciding the issuance needs a decision to issue: this one decides the rejection only.
    const reject = page.getByRole('form', { name: 'reject issuance' });
    expect(await reject.getByLabel('Adopted decision').inputValue()).toBe(decision);
    await reject.getByRole('button', { name: 'reject issuance' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Done: reject issuance');
    await page.screenshot({
      path: join(screenshots, 'office-reject-issuance.png'),
      fullPage: true,
    });
    expect((await itemState(issuance)).state).toBe('rejected');
    expect((await itemState(monitoringId)).data.usedBy).toBeUndefined();

    // The public project page tells it in words, linked to the decision.
    await page.goto(`${base}/projects/IN-PRJ001`);
    expect(
      await page.getByRole('cell', { name: 'issuance rejected by the Joint Committee' }).count(),
    ).toBeGreaterThan(0);
  });
});
