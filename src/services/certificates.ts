// Certificates of issuance and of retirement (issue 15): what one journal entry certifies, checked
// against the journal as it is now (the entry's hash recomputed, its link to the entry before), as
// JSON, as a PDF, and as the verification anyone can run at the URL the certificate prints. The URL's
// base is the configured public address of the registry (JCM_PUBLIC_URL), never a request's Host.
import {
  certificateFacts,
  parseCertificateRef,
  type CertificateFacts,
} from '../core/ledger/certificate.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type {
  CertificateAccount,
  CertificateProject,
  CertificateQueries,
} from '../db/certificate-queries.ts';
import { pdfTableRowsMax, renderPdfDocument } from '../formats/pdf/render-pdf.ts';
import { certificateDocument } from './certificate-document.ts';

export interface Certificate extends CertificateFacts {
  readonly hash: string;
  readonly prevHash: string;
  readonly recordedBy: string;
  /** The holder of `account` (issued into, or retired from), as on the public account page. */
  readonly holderName: string | null;
  readonly accounts: readonly CertificateAccount[];
  readonly projects: readonly CertificateProject[];
  /** One of the certified credits' projects is synthetic demo data. */
  readonly synthetic: boolean;
  readonly verifyUrl: string;
  readonly pdfUrl: string;
}

export interface VerificationCheck {
  readonly check: 'entry_hash_recomputed' | 'entry_linked_to_previous' | 'certificate_hash_matches';
  readonly passed: boolean;
  readonly detail: string;
}

export interface Verification {
  /** Every check passed: the certificate's facts are the journal's. */
  readonly matches: boolean;
  readonly checks: readonly VerificationCheck[];
  readonly certificate: Certificate;
}

/**
 * A hash a certificate states: 64 hexadecimal digits. Certificates print lower case; a reader who
 * types it from paper or copies it from a tool that prints upper case states the same hash, so the
 * digits are compared in lower case.
 */
const hashPattern = /^[0-9a-f]{64}$/i;

export class Certificates {
  constructor(
    private readonly queries: CertificateQueries,
    /** The registry's public address, without a trailing slash (http://localhost:3000). */
    private readonly publicUrl: string,
  ) {}

  /** The certificate of entry `seq` of `chain`, with the journal's checks of it. */
  async verify(
    chainRaw: string,
    seqRaw: string,
    claimedRaw?: string,
  ): Promise<Result<Verification>> {
    if (claimedRaw !== undefined && !hashPattern.test(claimedRaw))
      return reject(
        'certificate_hash_malformed',
        'the hash of a certificate is 64 hexadecimal digits',
      );
    const claimedHash = claimedRaw?.toLowerCase();
    const ref = parseCertificateRef(chainRaw, seqRaw);
    if (!ref.ok) return ref;
    const record = await this.queries.record(ref.value.chain, ref.value.seq);
    if (record === null)
      return reject(
        'journal_entry_not_found',
        `no entry ${ref.value.seq} in the journal of ${ref.value.chain}`,
      );
    const facts = certificateFacts(record.envelope);
    if (!facts.ok) return facts;
    const link = `${this.publicUrl}/verify/${facts.value.chain}/${facts.value.seq}`;
    const account = record.accounts.get(facts.value.account);
    const certificate: Certificate = {
      ...facts.value,
      hash: record.hash,
      prevHash: record.prevHash,
      recordedBy: record.recordedBy,
      holderName: account?.holderName ?? null,
      accounts: [...record.accounts.values()],
      projects: [...record.projects.values()],
      synthetic: [...record.projects.values()].some((p) => p.synthetic),
      verifyUrl: `${link}?hash=${record.hash}`,
      pdfUrl: `${this.publicUrl}/api/v1/certificates/${facts.value.chain}/${facts.value.seq}/pdf`,
    };
    const checks: VerificationCheck[] = [
      {
        check: 'entry_hash_recomputed',
        passed: record.recomputedHash === record.hash,
        detail: `sha256(previous hash || entry) = ${record.recomputedHash}`,
      },
      {
        check: 'entry_linked_to_previous',
        passed: record.previousEntryHash === record.prevHash,
        detail: `the entry names ${record.prevHash} as the previous hash; the journal holds ${record.previousEntryHash ?? 'no previous entry'}`,
      },
      ...(claimedHash === undefined
        ? []
        : [
            {
              check: 'certificate_hash_matches' as const,
              passed: claimedHash === record.hash,
              detail: `the certificate states ${claimedHash}; the journal holds ${record.hash}`,
            },
          ]),
    ];
    return ok({ matches: checks.every((c) => c.passed), checks, certificate });
  }

  /** The certificate as JSON (the verification without a claimed hash). */
  async certificate(chainRaw: string, seqRaw: string): Promise<Result<Certificate>> {
    const verified = await this.verify(chainRaw, seqRaw);
    return verified.ok ? ok(verified.value.certificate) : verified;
  }

  /** The certificate as a PDF file. */
  async pdf(
    chainRaw: string,
    seqRaw: string,
  ): Promise<Result<{ readonly fileName: string; readonly bytes: Uint8Array }>> {
    const verified = await this.verify(chainRaw, seqRaw);
    if (!verified.ok) return verified;
    const { certificate } = verified.value;
    // A certificate is issued only of an entry the journal still vouches for.
    if (!verified.value.matches)
      return reject(
        'certificate_entry_hash_mismatch',
        `entry ${certificate.chain}#${certificate.seq} does not match its hash; run jcm audit`,
      );
    // A retirement may gather any number of pieces; the renderer refuses a table beyond its limit.
    if (certificate.blocks.length > pdfTableRowsMax)
      return reject(
        'certificate_too_large_for_pdf',
        `entry ${certificate.chain}#${certificate.seq} states ${certificate.blocks.length} blocks, more than a PDF lists (${pdfTableRowsMax}); read it as JSON`,
      );
    const bytes = await renderPdfDocument(certificateDocument(certificate));
    return ok({
      fileName: `jcm-certificate-${certificate.kind}-${certificate.chain}-${certificate.seq}.pdf`,
      bytes,
    });
  }
}
