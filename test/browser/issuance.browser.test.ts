// Issuance in a real browser (Debian's Chromium, JavaScript off). Machine clients (API tokens) take the
// demo project through a new monitoring period, its verification, an issuance request, the
// secretariat's completeness check and a proposed decision that both governments confirm. Then a
// Joint Committee member logs in with the authenticator code, adopts the decision and decides the
// issuance from the back office; a registry manager logs in, issues each line in Japan's registry
// and confirms the issuance on the request's page. Balances are read back through the API.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jcmOn, logIn, openBrowser, screenshots } from '../support/browser.ts';
import { serveReady, type Server } from '../support/server.ts';

const password = 'an issuance passphrase';
let server: Server;
let browser: Browser;
let page: Page;
let base = '';
const tokens: Record<string, string> = {};
const totp: Record<string, string> = {};
let issuance = '';
let decision = '';
let credits = 0n;

const doc = (type: string) => ({
  type,
  fileName: `${type}.txt`,
  mediaType: 'text/plain',
  content: Buffer.from(`${type} (browser test)`).toString('base64'),
});

async function act(who: string, action: string, body: Record<string, unknown>) {
  const response = await fetch(`${base}/api/v1/cycle/actions/${action}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${tokens[who] ?? ''}`,
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { item: string };
  if (response.status !== 201) throw new Error(`${action}: ${JSON.stringify(json)}`);
  return json.item;
}

async function balance(account: string): Promise<bigint> {
  const json = (await (await fetch(`${base}/api/v1/accounts/${account}`)).json()) as {
    balance: string;
  };
  return BigInt(json.balance);
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jcm-issuance-data-'));
  const jcm = (...args: string[]) => jcmOn(dataDir, { JCM_PASSWORD: password }, ...args);
  const users = {
    participant: 'project_participant:example-trading-jp',
    tpe: 'third_party_entity:example-verification',
    secretariat: 'secretariat:IN',
    japan: 'government_japan',
    india: 'government_partner:IN',
    jc: 'joint_committee:IN',
    registry: 'registry_manager:JP',
  };
  for (const [key, roles] of Object.entries(users)) {
    const email = `${key}@jcm.example`;
    totp[key] = jcm('user', 'add', email, '--name', key, '--roles', roles).totpUri ?? '';
    if (key !== 'jc' && key !== 'registry') tokens[key] = jcm('token', 'create', email).token ?? '';
  }
  ({ server, base } = await serveReady({ JCM_DATA_DIR: dataDir }));

  // A third monitoring period of the demo project, verified, and its issuance request.
  const monitoring = await act('participant', 'submit_monitoring_report', {
    parent: 'IN-PRJ001',
    monitoring: {
      monitoring_points: ['PV-ARRAY-A', 'PV-ARRAY-B'],
      periods: [{ id: 'MP3', start: '2026-10-01', end: '2026-10-31' }],
      fixed: {},
      monitored: { MP3: { 'PV-ARRAY-A': { EG_i: '1000' }, 'PV-ARRAY-B': { EG_i: '1000' } } },
    },
    documents: [doc('monitoring_report'), doc('monitoring_spreadsheet')],
  });
  const item = (await (await fetch(`${base}/api/v1/cycle/items/${monitoring}`)).json()) as {
    data: { calculation: { vintages: { vintage: number; credits: string }[] } };
  };
  const vintages = item.data.calculation.vintages;
  expect(vintages.map((v) => v.vintage)).toEqual([2026]);
  credits = BigInt(vintages[0]?.credits ?? '0');
  await act('tpe', 'issue_verification', {
    item: monitoring,
    verified: { '2026': String(credits) },
    documents: [doc('verification_report')],
  });
  const japan = credits / 10n;
  issuance = await act('participant', 'request_issuance', {
    parent: monitoring,
    allocation: [
      {
        holder: 'government_japan',
        registry: 'JP',
        account: 'JP-000004',
        vintage: 2026,
        quantity: String(japan),
      },
      {
        holder: 'participant_japan',
        registry: 'JP',
        account: 'JP-000005',
        vintage: 2026,
        quantity: String(credits - japan),
      },
    ],
    documents: [
      doc('issuance_request'),
      doc('credit_allocation'),
      doc('monitoring_report'),
      doc('verification_report'),
    ],
  });
  await act('secretariat', 'accept_complete', { item: issuance });
  decision = await act('secretariat', 'propose_decision', {
    parent: issuance,
    subject: {
      item: issuance,
      action: 'decide_issuance',
      text: 'Issues the verified credits of IN001 MP3.',
    },
    documents: [doc('decision_text')],
  });
  await act('japan', 'confirm_decision', { item: decision });
  await act('india', 'confirm_decision', { item: decision });
  ({ browser, page } = await openBrowser());
});
afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
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
