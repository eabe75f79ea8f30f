// Certificates of issuance and retirement (issue 15), read back: the PDF's text holds the block ids,
// quantities, hash, purpose, beneficiary and a Japanese holder name as text, its fonts are embedded,
// its QR code decodes to the verification URL on the configured public address; the verification
// page says "matches" for the real entry and not for a forged hash, entry or chain; bad parameters
// and entries without a certificate answer their stable codes, in the API, the portal and the CLI.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { runCli } from '../support/cli.ts';
import { readPdf } from '../support/pdf-reader.ts';
import { mustRun, standardOpening } from '../support/scenario.ts';

const publicUrl = 'https://registry.example.jp';
const holder = '株式会社テスト電力';
const beneficiary = '東京都環境局 (テスト)';
let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;
let retirement: { seq: bigint; hash: string };
let issuance: { seq: bigint; hash: string };

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform({ publicUrl }));
  app = createApp(platform, { devToken: null });
  await standardOpening(platform);
  const journal = await journalOf('JP');
  const issued = journal.find((e) => e.event.type === 'credits_issued');
  if (issued === undefined) throw new Error('the opening issues into JP');
  issuance = { seq: issued.seq, hash: issued.hash };
  await mustRun(platform, 'open_account', {
    registry: 'JP',
    accountType: 'holding',
    holderId: 'tepco-test',
    holderName: holder,
  });
  await mustRun(platform, 'transfer', {
    from: 'JP-000004',
    to: 'JP-000007',
    selection: { ranges: [{ project: 'IN001', first: '11', last: '30' }] },
  });
  const retired = await mustRun(platform, 'retire', {
    from: 'JP-000007',
    selection: { blocks: ['JCM-IN-001-2027-11-17'] },
    purpose: 'voluntary_offsetting',
    beneficiary,
    note: 'FY2027',
  });
  retirement = { seq: retired.entry.seq, hash: retired.entry.hash };
});
afterAll(async () => {
  await testDb.drop();
});

const get = (path: string) => app.request(path);

describe(`certificates on ${testDbKind}`, { timeout: 120_000 }, () => {
  it('writes a retirement certificate whose text, fonts and QR code read back', async () => {
    const response = await get(`/api/v1/certificates/JP/${retirement.seq}/pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = await readPdf(new Uint8Array(await response.arrayBuffer()));
    const verifyUrl = `${publicUrl}/verify/JP/${retirement.seq}?hash=${retirement.hash}`;
    for (const text of [
      'Certificate of retirement',
      'JCM-IN-001-2027-11-17',
      '7 credits',
      holder,
      beneficiary,
      'Voluntary offsetting',
      retirement.hash,
      `JP #${retirement.seq}`,
    ])
      expect(pdf.text.replace(/\n/g, ''), text).toContain(text);
    expect(pdf.text).not.toContain('Synthetic demo data');
    expect(pdf.fontDescriptors).toBeGreaterThan(0);
    expect(pdf.embeddedFontFiles).toBe(pdf.fontDescriptors);
    expect(pdf.qrCodes).toEqual([verifyUrl]);
  });

  it('writes an issuance certificate with the issued block', async () => {
    const response = await get(`/api/v1/certificates/JP/${issuance.seq}/pdf`);
    expect(response.status).toBe(200);
    const pdf = await readPdf(new Uint8Array(await response.arrayBuffer()));
    expect(pdf.text).toContain('Certificate of issuance');
    expect(pdf.text).toContain('JCM-IN-001-2027-1-100');
    expect(pdf.text).toContain('100 credits');
    expect(pdf.text.replace(/\n/g, '')).toContain(issuance.hash);
    expect(pdf.qrCodes).toEqual([`${publicUrl}/verify/JP/${issuance.seq}?hash=${issuance.hash}`]);
  });

  it('answers the certificate as JSON with the blocks and the verification URL', async () => {
    const response = await get(`/api/v1/certificates/JP/${retirement.seq}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      kind: 'retirement',
      chain: 'JP',
      seq: String(retirement.seq),
      quantity: '7',
      account: 'JP-000007',
      holderName: holder,
      beneficiary,
      purpose: 'voluntary_offsetting',
      hash: retirement.hash,
      blocks: [{ blockId: 'JCM-IN-001-2027-11-17', quantity: '7', account: 'JP-000001' }],
      verifyUrl: `${publicUrl}/verify/JP/${retirement.seq}?hash=${retirement.hash}`,
    });
  });

  it('verifies the real entry and refuses forged hashes, entries and chains', async () => {
    const real = await get(`/verify/JP/${retirement.seq}?hash=${retirement.hash}`);
    expect(real.status).toBe(200);
    const page = await real.text();
    expect(page).toContain('Verified: the certificate matches the journal.');
    expect(page).toContain(beneficiary);
    expect(page).toContain('JCM-IN-001-2027-11-17');
    // The page names the purpose as the PDF does (one table of words, core/ledger/purpose-words.ts).
    expect(page).toMatch(/<dt>Purpose<\/dt>\s*<dd>Voluntary offsetting<\/dd>/);

    const forgedHash = `${retirement.hash.slice(0, 63)}${retirement.hash.endsWith('0') ? '1' : '0'}`;
    const forged = await (await get(`/verify/JP/${retirement.seq}?hash=${forgedHash}`)).text();
    expect(forged).toContain('Not verified: the certificate does not match the journal.');
    expect(forged).not.toContain('Verified: the certificate matches');

    // The hash of one entry shown as another's: the entry numbers differ, so the hashes do.
    const swapped = await (await get(`/verify/JP/${issuance.seq}?hash=${retirement.hash}`)).text();
    expect(swapped).toContain('Not verified');
    const otherChain = await get(`/verify/IN/${retirement.seq}?hash=${retirement.hash}`);
    expect([404, 409]).toContain(otherChain.status);
    expect(await otherChain.text()).toContain('Not verified');
    const missing = await get(`/verify/JP/99999?hash=${retirement.hash}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('journal_entry_not_found');
    // Without ?hash no certificate was compared: the page does not call it verified.
    const bare = await (await get(`/verify/JP/${retirement.seq}`)).text();
    expect(bare).not.toContain('Verified: the certificate matches');
    expect(bare).toContain('No certificate hash given');
    expect((await get('/verify/JP/1')).status).toBe(409);
    expect((await get('/verify/JP/1x')).status).toBe(400);
    expect((await get(`/verify/JP/${retirement.seq}?hash=abc`)).status).toBe(400);
    // A hash typed in upper case is the same hash; 64 characters that are not hex are still refused.
    const upper = retirement.hash.toUpperCase();
    const shouted = await get(`/verify/JP/${retirement.seq}?hash=${upper}`);
    expect(shouted.status).toBe(200);
    expect(await shouted.text()).toContain('Verified: the certificate matches the journal.');
    const shoutedApi = await get(
      `/api/v1/certificates/JP/${retirement.seq}/verification?hash=${upper}`,
    );
    expect(await shoutedApi.json()).toMatchObject({
      matches: true,
      checks: [{}, {}, { check: 'certificate_hash_matches', passed: true }],
    });
    const notHex = await get(`/verify/JP/${retirement.seq}?hash=${'G'.repeat(64)}`);
    expect(notHex.status).toBe(400);
    expect(await notHex.text()).toContain('certificate_hash_malformed');

    const api = await get(
      `/api/v1/certificates/JP/${retirement.seq}/verification?hash=${forgedHash}`,
    );
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({
      matches: false,
      checks: [
        { check: 'entry_hash_recomputed', passed: true },
        { check: 'entry_linked_to_previous', passed: true },
        { check: 'certificate_hash_matches', passed: false },
      ],
    });
  });

  it.each([
    ['/api/v1/certificates/jp/1', 400, 'certificate_reference_malformed'],
    ['/api/v1/certificates/JP/0/pdf', 400, 'certificate_reference_malformed'],
    ['/api/v1/certificates/JP/-1', 400, 'certificate_reference_malformed'],
    ['/api/v1/certificates/JP/1e3/pdf', 400, 'certificate_reference_malformed'],
    ['/api/v1/certificates/JPN/1', 400, 'certificate_reference_malformed'],
    ['/api/v1/certificates/JP/1/verification?hash=XYZ', 400, 'certificate_hash_malformed'],
    [
      `/api/v1/certificates/JP/1/verification?hash=${'Z'.repeat(64)}`,
      400,
      'certificate_hash_malformed',
    ],
    ['/api/v1/certificates/JP/99999', 404, 'journal_entry_not_found'],
    ['/api/v1/certificates/JP/1/pdf', 409, 'certificate_entry_not_certifiable'],
  ])('answers %s with %i %s', async (path, status, code) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe(code);
  });

  it('answers a transfer entry, which has no certificate, with its code', async () => {
    const journal = await journalOf('JP');
    const transfer = journal.find(
      (e) => e.event.type === 'credits_moved' && e.event.movement === 'transfer',
    );
    const response = await get(`/api/v1/certificates/JP/${transfer?.seq}`);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { code: string }).code).toBe(
      'certificate_entry_not_certifiable',
    );
  });

  it('links the certificate from the serial checker for a retired credit', async () => {
    const page = await (await get('/serial?project=IN001&serial=12')).text();
    expect(page).toContain(`/api/v1/certificates/JP/${retirement.seq}/pdf`);
    const held = await (await get('/serial?project=IN001&serial=25')).text();
    expect(held).not.toContain('/api/v1/certificates/');
  });

  it('writes the PDF from the CLI and checks a stated hash', async () => {
    const deps = { openPlatform: async () => ({ ...platform, close: async () => undefined }) };
    const file = join(mkdtempSync(join(tmpdir(), 'jcm-cert-')), 'retirement.pdf');
    const written = await runCli(deps, 'certificate', 'JP', String(retirement.seq), '--out', file);
    expect(written.exitCode).toBe(0);
    const pdf = await readPdf(new Uint8Array(readFileSync(file)));
    expect(pdf.text).toContain('JCM-IN-001-2027-11-17');
    const checked = await runCli(
      deps,
      'certificate',
      'JP',
      String(retirement.seq),
      '--hash',
      '0'.repeat(64),
    );
    expect(checked.exitCode).toBe(1);
    expect(checked.out).toContain('DOES NOT MATCH');
    const refused = await runCli(deps, 'certificate', 'JP', '1', '--out', file);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.err + refused.out).toContain('certificate_entry_not_certifiable');
  });
});

/** The first 500 entries of a chain (the opening writes fewer). */
async function journalOf(chain: string) {
  const page = await platform.queries.journal(chain, { limit: 500 });
  if (!page.ok) throw new Error(page.error.message);
  return page.value.items;
}
