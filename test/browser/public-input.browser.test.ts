// A visitor in a real browser on the real server with the demo loaded: reads the catalogue entry the
// Joint Committee adopted through the cycle (with its decision), then comments on a methodology
// proposal in its public input period through the portal's form, without an account; once the
// secretariat publishes it, the comment is shown with the proposal.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshots } from '../support/browser.ts';
import { methodologyFileDocument } from '../support/cycle-fixtures.ts';
import { serveReady, type Server } from '../support/server.ts';

let server: Server;
let browser: Browser;
let page: Page;
let base = '';
const token = 'browser-test';

beforeAll(async () => {
  ({ server, base } = await serveReady({
    JCM_DATA_DIR: mkdtempSync(join(tmpdir(), 'jcm-browser-input-')),
    JCM_DEV_TOKEN: token,
  }));
  ({ browser, page } = await openBrowser());
});
afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
});

/** A write of the API as an actor with roles (the development token). */
async function act(path: string, roles: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-jcm-actor': 'browser-test',
      'x-jcm-roles': roles,
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${path}: ${JSON.stringify(answer)}`);
  return answer;
}

describe('public input and adopted methodologies, in a browser', () => {
  it("shows the demo's adopted catalogue entry with the decision that adopted it", async () => {
    await page.goto(`${base}/methodologies`);
    // The entry the demo's Joint Committee adopted (India's next number after the repository's
    // illustrative files), whatever its number.
    const adopted = page.locator('tr', { hasText: 'adopted by Joint Committee decision' });
    expect(await adopted.count()).toBe(1);
    const words = /Joint Committee.s decision JC-IN-\d{4}-\d{3} of \d+ \w+ \d{4}/;
    expect((await adopted.textContent())?.replace(/\s+/g, ' ')).toMatch(
      /adopted by Joint Committee decision JC-IN-\d{4}-\d{3} of \d+ \w+ \d{4}/,
    );
    await adopted.getByRole('link').first().click();
    expect((await page.locator('p.adoption').textContent())?.replace(/\s+/g, ' ')).toMatch(words);
    await page.screenshot({ path: join(screenshots, 'adopted-methodology.png'), fullPage: true });
  });

  it('takes a comment through the form, and shows it once the secretariat publishes it', async () => {
    const proposal = await act(
      '/api/v1/cycle/actions/propose_methodology',
      'project_participant:example-solar-in',
      {
        partnership: 'IN',
        documents: [
          {
            type: 'methodology_proposal',
            fileName: 'proposal.txt',
            mediaType: 'text/plain',
            content: Buffer.from('A proposed methodology (browser test)').toString('base64'),
          },
          methodologyFileDocument(),
        ],
      },
    );
    const item = proposal['item'] as string;
    await act('/api/v1/cycle/actions/accept_complete', 'secretariat:IN', { item });

    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Public input', exact: true }).click();
    await page.getByRole('link', { name: item }).click();
    await page.getByLabel('Your name').fill('A Visitor');
    await page.getByLabel('Organisation (optional)').fill('Browser Test Society');
    await page
      .getByLabel('Comment', { exact: true })
      .fill('Please publish the monitoring data every year.');
    await page.getByRole('button', { name: 'Send the comment' }).click();
    const thanks = await page.getByRole('status').textContent();
    const id = /number (\d+)/.exec(thanks ?? '')?.[1] ?? '';
    expect(id).not.toBe('');
    expect(await page.getByText('Please publish the monitoring data every year.').count()).toBe(0);

    await act('/api/v1/comments/moderation', 'secretariat:IN', { comment: id, verdict: 'publish' });
    await page.goto(`${base}/public-input/${item}`);
    expect(await page.getByText('Please publish the monitoring data every year.').count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'public-input.png'), fullPage: true });
  });
});
