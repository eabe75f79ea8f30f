// A retirement of more pieces than a PDF table lists (src/formats/pdf, pdfTableRowsMax): its PDF is
// refused with a stable code (a 4xx), not an assertion inside the renderer (a 500); its JSON stays.
import { describe, expect, it } from 'vitest';
import type { JournalEnvelope } from '../../src/core/ledger/journal.ts';
import type { CertificateQueries, CertificateRecord } from '../../src/db/certificate-queries.ts';
import { pdfTableRowsMax } from '../../src/formats/pdf/render-pdf.ts';
import { Certificates } from '../../src/services/certificates.ts';

const pieces = Array.from({ length: pdfTableRowsMax + 1 }, (_, i) => ({
  project: 'IN001',
  vintage: 2027,
  serials: { first: BigInt(2 * i + 1), last: BigInt(2 * i + 1) },
}));

const envelope = {
  chain: 'JP',
  seq: 9n,
  actor: 'x',
  recordedAt: '2028-04-01T09:00:00.000Z',
  idempotencyKey: null,
  event: {
    type: 'credits_moved',
    movement: 'retirement',
    from: 'JP-000007',
    to: 'JP-000001',
    pieces,
    quantity: BigInt(pieces.length),
    purpose: 'ndc_use',
    beneficiary: 'B',
  },
} as unknown as JournalEnvelope;

const hash = 'a'.repeat(64);
const record: CertificateRecord = {
  envelope,
  hash,
  prevHash: 'b'.repeat(64),
  recomputedHash: hash,
  previousEntryHash: 'b'.repeat(64),
  recordedBy: 'registry manager, registry JP',
  accounts: new Map(),
  projects: new Map(),
};
const queries = { record: () => Promise.resolve(record) } as unknown as CertificateQueries;

describe('the PDF of a certificate of very many blocks', () => {
  it('is refused with certificate_too_large_for_pdf; the JSON certificate is still answered', async () => {
    const certificates = new Certificates(queries, 'https://registry.example');
    const pdf = await certificates.pdf('JP', '9');
    expect(pdf.ok ? 'written' : pdf.error.code).toBe('certificate_too_large_for_pdf');
    const json = await certificates.certificate('JP', '9');
    expect(json.ok && json.value.blocks.length).toBe(pdfTableRowsMax + 1);
  });
});
