// The PDF of a certificate (issue 15) as a document of the generic renderer (src/formats/pdf): the
// facts, the blocks by block id, the journal entry and its hash, and the QR code of the URL where
// anyone checks it against the registry. Synthetic demo data says so at the top of every page.
import { purposeName } from '../core/ledger/purpose-words.ts';
import { readableCredits } from '../core/shared/readable.ts';
import type { PdfDocumentSpec, PdfFieldRow } from '../formats/pdf/render-pdf.ts';
import type { Certificate } from './certificates.ts';

function accountText(certificate: Certificate, id: string): string {
  const account = certificate.accounts.find((a) => a.id === id);
  return account === undefined ? id : `${id} (${account.holderName})`;
}

function factRows(certificate: Certificate): PdfFieldRow[] {
  const projects = certificate.projects.map((p) =>
    p.title === null ? p.reference : `${p.reference} — ${p.title}`,
  );
  const common: PdfFieldRow[] = [
    ['Project', projects.join('\n')],
    ['Quantity', `${readableCredits(certificate.quantity)} credits (t CO2e)`],
  ];
  if (certificate.kind === 'issuance')
    return [
      ...common,
      ['Issued into', accountText(certificate, certificate.account)],
      ['Issuance decision', certificate.decision ?? ''],
    ];
  return [
    ...common,
    ['Retired from', accountText(certificate, certificate.account)],
    ['Purpose', purposeName(certificate.purpose ?? null)],
    ['Beneficiary', certificate.beneficiary ?? ''],
    ...(certificate.note === undefined ? [] : [['Note', certificate.note] as const]),
  ];
}

export function certificateDocument(certificate: Certificate): PdfDocumentSpec {
  const what = certificate.kind === 'issuance' ? 'issuance' : 'retirement';
  const notice = certificate.synthetic
    ? 'Synthetic demo data: these credits belong to an example project, not to a real one.'
    : undefined;
  return {
    title: `Certificate of ${what} of JCM credits`,
    subtitle: `Joint Crediting Mechanism registry ${certificate.chain} · entry ${certificate.seq} · ${certificate.recordedAt}`,
    ...(notice === undefined ? {} : { notice }),
    author: `JCM registry ${certificate.chain}`,
    createdAt: new Date(certificate.recordedAt),
    sections: [
      { kind: 'fields', heading: 'Certified facts', rows: factRows(certificate) },
      {
        kind: 'table',
        heading: certificate.kind === 'issuance' ? 'Blocks issued' : 'Blocks retired',
        columns: ['Block id', 'Vintage', 'Serials', 'Quantity', 'Into account'],
        rows: certificate.blocks.map((b) => [
          b.blockId,
          String(b.vintage),
          `${b.serialFirst}–${b.serialLast}`,
          readableCredits(b.quantity),
          accountText(certificate, b.account),
        ]),
      },
      {
        kind: 'fields',
        heading: 'Journal entry',
        rows: [
          ['Chain and entry', `${certificate.chain} #${certificate.seq}`],
          ['Recorded at', certificate.recordedAt],
          ['Recorded by', certificate.recordedBy],
          ['Entry hash (SHA-256)', certificate.hash],
          ['Previous entry hash', certificate.prevHash],
        ],
      },
      {
        kind: 'qr',
        url: certificate.verifyUrl,
        caption:
          'Verify this certificate against the registry: the page recomputes the entry hash from the journal and shows whether these facts match.',
      },
    ],
    footer: `Certificate of ${what}, ${certificate.chain} #${certificate.seq}`,
  };
}
