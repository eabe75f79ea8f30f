// The public verification page of a certificate (issue 15), where its QR code leads:
// /verify/{chain}/{seq}?hash=... reads the entry from the journal, recomputes its hash, checks its
// link to the entry before and the hash the certificate states, and shows the facts the journal
// holds, so that anyone compares them with the paper. Also the "certificate" links other pages use.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Platform } from '../services/platform.ts';
import type { Certificate, Verification } from '../services/certificates.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { page, tonnes, type Html } from './layout.ts';
import { purposeName } from '../core/ledger/purpose-words.ts';

/** The PDF of the certificate of an entry (for pages that show issuance or retirement entries). */
export function certificateHref(entry: { readonly chain: string; readonly seq: bigint }): string {
  return `/api/v1/certificates/${encodeURIComponent(entry.chain)}/${entry.seq}/pdf`;
}

/** A link to the certificate of an entry, or nothing when the entry has none. */
export function certificateLink(entry: {
  readonly chain: string;
  readonly seq: bigint;
  readonly type: string;
  readonly movement?: string | undefined;
}): Html | '' {
  const certified =
    entry.type === 'credits_issued' ||
    (entry.type === 'credits_moved' && entry.movement === 'retirement');
  return certified ? html`<a href="${certificateHref(entry)}">certificate (PDF)</a>` : '';
}

function checkWords(check: Verification['checks'][number]['check']): string {
  switch (check) {
    case 'entry_hash_recomputed':
      return 'The entry hashes to the hash the journal holds';
    case 'entry_linked_to_previous':
      return 'The entry is chained to the entry before it';
    case 'certificate_hash_matches':
      return "The certificate's hash is the journal's";
    default: {
      const unknown: never = check;
      return String(unknown);
    }
  }
}

function facts(certificate: Certificate): Html {
  const account = `${certificate.account}${certificate.holderName === null ? '' : ` (${certificate.holderName})`}`;
  return html`<dl>
      <dt>Certificate of</dt>
      <dd>${certificate.kind}</dd>
      <dt>Journal entry</dt>
      <dd>${certificate.chain} #${String(certificate.seq)}, recorded ${certificate.recordedAt}</dd>
      <dt>Quantity</dt>
      <dd>${tonnes(certificate.quantity)} credits</dd>
      <dt>${certificate.kind === 'issuance' ? 'Issued into' : 'Retired from'}</dt>
      <dd>${account}</dd>
      ${
        certificate.kind === 'retirement'
          ? html`<dt>Purpose</dt>
              <dd>${purposeName(certificate.purpose ?? null)}</dd>
              <dt>Beneficiary</dt>
              <dd>${certificate.beneficiary ?? ''}</dd>`
          : ''
      }
      <dt>Entry hash</dt>
      <dd><code>${certificate.hash}</code></dd>
    </dl>
    <table>
      <caption>
        Blocks
      </caption>
      <thead>
        <tr>
          <th scope="col">Block id</th>
          <th scope="col">Quantity</th>
          <th scope="col">Account</th>
        </tr>
      </thead>
      <tbody>
        ${certificate.blocks.map(
          (b) =>
            html`<tr>
              <td><code>${b.blockId}</code></td>
              <td class="num">${tonnes(b.quantity)}</td>
              <td>${b.account}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p><a href="${certificateHref(certificate)}">Certificate as PDF</a></p>`;
}

/** The page's verdict: a certificate is verified only against the hash it states (?hash=). */
function verdict(verification: Verification): string {
  const hashChecked = verification.checks.some((c) => c.check === 'certificate_hash_matches');
  if (!verification.matches) return 'Not verified: the certificate does not match the journal.';
  return hashChecked
    ? 'Verified: the certificate matches the journal.'
    : "No certificate hash given: the journal's entry is intact; compare its hash below with the certificate's.";
}

export function verifyPage(verification: Verification): Html {
  const { certificate, matches } = verification;
  return page(
    `Certificate ${certificate.chain} #${String(certificate.seq)}`,
    '',
    html`${
        certificate.synthetic
          ? html`<p class="synthetic">Synthetic demo data: an example project, not a real one.</p>`
          : ''
      }
      <p role="status" class="${matches ? 'verified' : 'synthetic'}">
        <strong>${verdict(verification)}</strong>
      </p>
      <ul>
        ${verification.checks.map(
          (c) =>
            html`<li>
              ${c.passed ? 'Passed' : 'Failed'}: ${checkWords(c.check)}. <small>${c.detail}</small>
            </li>`,
        )}
      </ul>
      <h2>What the journal holds</h2>
      ${facts(certificate)}`,
  );
}

function notVerified(message: string): Html {
  return page(
    'Certificate not verified',
    '',
    html`<p role="status"><strong>Not verified: ${message}</strong></p>`,
  );
}

export function registerCertificatePages(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/verify/:chain/:seq', async (c) => {
    const result = await platform.certificates.verify(
      c.req.param('chain'),
      c.req.param('seq'),
      c.req.query('hash'),
    );
    if (result.ok) return c.html(verifyPage(result.value));
    const status =
      result.error.code === 'journal_entry_not_found'
        ? 404
        : result.error.code === 'certificate_entry_not_certifiable'
          ? 409
          : 400;
    return c.html(notVerified(`${result.error.message} (${result.error.code})`), status);
  });
}
