// The Joint Committee's rejection of an issuance request in a real browser (Debian's Chromium,
// JavaScript off; issue 13). Machine clients take the demo project through a new monitoring period,
// its verification, an issuance request, completeness and a proposed decision to reject it, which
// both governments confirm (India's rulebook asks their prior confirmation). A Joint Committee member
// logs in with the authenticator code, adopts the decision and rejects the request from the back
// office; the request is rejected, its monitoring period free for a new request, and the public
// project page says so in words.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jcmOn, logIn, openBrowser, screenshots } from '../support/browser.ts';
import { serveReady, type Server } from '../support/server.ts';

const password = 'a rejection passphrase';
let server: Server;
let browser: Browser;
let page: Page;
let base = '';
const tokens: Record<string, string> = {};
const totp: Record<string, string> = {};
let issuance = '';
let decision = '';
let monitoringId = '';

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

async function itemState(id: string): Promise<{ state: string; data: { usedBy?: string } }> {
  return (await (await fetch(`${base}/api/v1/cycle/items/${id}`)).json()) as {
    state: string;
    data: { usedBy?: string };
  };
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jcm-rejection-data-'));
  const jcm = (...args: string[]) => jcmOn(dataDir, { JCM_PASSWORD: password }, ...args);
  const users = {
    participant: 'project_participant:example-trading-jp',
    tpe: 'third_party_entity:example-verification',
    secretariat: 'secretariat:IN',
    japan: 'government_japan',
    india: 'government_partner:IN',
    jc: 'joint_committee:IN',
  };
  for (const [key, roles] of Object.entries(users)) {
    const email = `${key}@jcm.example`;
    totp[key] = jcm('user', 'add', email, '--name', key, '--roles', roles).totpUri ?? '';
    if (key !== 'jc') tokens[key] = jcm('token', 'create', email).token ?? '';
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
  monitoringId = monitoring;
  const item = (await (await fetch(`${base}/api/v1/cycle/items/${monitoring}`)).json()) as {
    data: { calculation: { vintages: { vintage: number; credits: string }[] } };
  };
  const credits = BigInt(item.data.calculation.vintages[0]?.credits ?? '0');
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
      action: 'reject_issuance',
      text: 'Rejects the issuance request of IN001 MP3: the allocation is to be revised.',
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
