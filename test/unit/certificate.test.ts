// Certificates (issue 15) without a database: which entries have one and the blocks they state (an
// issuance with a CCS reserve is two blocks), the references a URL may give, and the PDF of a
// synthetic demo entry saying so on the page.
import { describe, expect, it } from 'vitest';
import { certificateFacts, parseCertificateRef } from '../../src/core/ledger/certificate.ts';
import type { JournalEnvelope } from '../../src/core/ledger/journal.ts';
import { certificateDocument } from '../../src/services/certificate-document.ts';
import type { Certificate } from '../../src/services/certificates.ts';
import { renderPdfDocument } from '../../src/formats/pdf/render-pdf.ts';
import { readPdf } from '../support/pdf-reader.ts';

const envelope = (event: unknown) =>
  ({
    chain: 'JP',
    seq: 9n,
    actor: 'x',
    recordedAt: '2028-04-01T09:00:00.000Z',
    idempotencyKey: null,
    event,
  }) as unknown as JournalEnvelope;

const issued = envelope({
  type: 'credits_issued',
  decision: 'D1',
  lineNo: 1,
  registry: 'JP',
  account: 'JP-000004',
  project: 'IN001',
  vintage: 2027,
  serials: { first: 1n, last: 12000n },
  reserve: 200n,
  reserveAccount: 'JP-000003',
});

describe('certificateFacts', () => {
  it('states an issuance with a reserve as the holder block and the reserve block', () => {
    const facts = certificateFacts(issued);
    expect(facts.ok && facts.value).toMatchObject({
      kind: 'issuance',
      quantity: 12000n,
      account: 'JP-000004',
      blocks: [
        { blockId: 'JCM-IN-001-2027-1-11800', quantity: 11800n, account: 'JP-000004' },
        { blockId: 'JCM-IN-001-2027-11801-12000', quantity: 200n, account: 'JP-000003' },
      ],
    });
  });

  it('states a retirement with its purpose and beneficiary, and refuses other movements', () => {
    const moved = (movement: string) =>
      envelope({
        type: 'credits_moved',
        movement,
        from: 'JP-000007',
        to: 'JP-000001',
        pieces: [{ project: 'IN001', vintage: 2027, serials: { first: 11n, last: 17n } }],
        quantity: 7n,
        purpose: 'ndc_use',
        beneficiary: '東京都',
      });
    const retired = certificateFacts(moved('retirement'));
    expect(retired.ok && retired.value).toMatchObject({
      kind: 'retirement',
      quantity: 7n,
      beneficiary: '東京都',
      purpose: 'ndc_use',
      blocks: [{ blockId: 'JCM-IN-001-2027-11-17' }],
    });
    for (const movement of ['transfer', 'cancellation', 'reversal']) {
      const refused = certificateFacts(moved(movement));
      expect(!refused.ok && refused.error.code).toBe('certificate_entry_not_certifiable');
    }
    const opened = certificateFacts(envelope({ type: 'account_opened', account: {} }));
    expect(!opened.ok && opened.error.code).toBe('certificate_entry_not_certifiable');
  });
});

describe('parseCertificateRef', () => {
  it.each([
    ['JP', '1', true],
    ['JC-IN', '42', true],
    ['jp', '1', false],
    ['JP', '0', false],
    ['JP', '01', false],
    ['JP', '-1', false],
    ['JP', '1.0', false],
    ['JP', '9'.repeat(19), false],
    ['JPN', '1', false],
    ['../JP', '1', false],
  ])('%s/%s is accepted: %s', (chain, seq, accepted) => {
    const ref = parseCertificateRef(chain, seq);
    expect(ref.ok).toBe(accepted);
    if (!ref.ok) expect(ref.error.code).toBe('certificate_reference_malformed');
  });
});

describe('the certificate document', { timeout: 60_000 }, () => {
  it('says "synthetic demo data" on the page of a synthetic entry, and only then', async () => {
    const facts = certificateFacts(issued);
    if (!facts.ok) throw new Error('issued');
    const certificate = (synthetic: boolean): Certificate => ({
      ...facts.value,
      hash: 'a'.repeat(64),
      prevHash: 'b'.repeat(64),
      recordedBy: 'registry manager, registry JP',
      holderName: 'Acme',
      accounts: [{ id: 'JP-000004', registry: 'JP', type: 'holding', holderName: 'Acme' }],
      projects: [{ reference: 'IN001', title: 'Solar', synthetic }],
      synthetic,
      verifyUrl: 'https://registry.example/verify/JP/9?hash=' + 'a'.repeat(64),
      pdfUrl: 'https://registry.example/api/v1/certificates/JP/9/pdf',
    });
    const demo = await readPdf(await renderPdfDocument(certificateDocument(certificate(true))));
    expect(demo.text).toContain('Synthetic demo data');
    expect(demo.text).toContain('JCM-IN-001-2027-11801-12000');
    expect(demo.text).toContain('12,000 credits');
    const real = await readPdf(await renderPdfDocument(certificateDocument(certificate(false))));
    expect(real.text).not.toContain('Synthetic');
  });
});
