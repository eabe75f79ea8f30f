// The public transaction histories (an account, a project, a serial number) and the public register
// of retirements: one table of movements a page at a time, a "next page" link carrying the cursor,
// and the synthetic demo's rows labelled as such.
import { html } from 'hono/html';
import type { Page } from '../core/shared/page.ts';
import type { PublicMovement } from '../services/histories.ts';
import { instant, page, tonnes, type Html } from './layout.ts';

const kindWords: Record<string, string> = {
  issue: 'Issuance',
  transfer: 'Transfer',
  retire: 'Retirement',
  cancel: 'Cancellation',
  reserve: 'Reservation',
  release: 'Release',
  reverse: 'Reversal',
  authorise: 'Authorisation',
};

const accountLink = (id: string | null): Html =>
  id === null ? html`` : html`<a href="/registry/history/account/${id}">${id}</a>`;

/** The link to the next page, or a note that this is the last. */
export function nextLink(base: string, query: Record<string, string>, next: string | null): Html {
  if (next === null) return html`<p class="note">End of the list.</p>`;
  const params = new URLSearchParams({ ...query, after: next });
  return html`<p><a rel="next" href="${base}?${params.toString()}">Next page</a></p>`;
}

function movementRow(m: PublicMovement): Html[] {
  const detail = [m.purpose, m.beneficiary === null ? null : `for ${m.beneficiary}`, m.reason]
    .filter((x) => x !== null && x !== '')
    .join(', ');
  return [
    html`${instant(m.recordedAt)}`,
    html`<span title="${m.hash}">${m.chain} #${m.seq}</span>`,
    html`${kindWords[m.kind] ?? m.kind}${m.synthetic ? html` <span class="synthetic">synthetic demo data</span>` : ''}`,
    html`<a href="/registry/history/serial/${m.project}/${m.serialFirst}">${m.block}</a>`,
    html`${tonnes(m.quantity)}`,
    accountLink(m.from),
    accountLink(m.to),
    html`${detail}`,
    html`${m.actor}`,
  ];
}

export function movementTable(items: readonly PublicMovement[]): Html {
  if (items.length === 0) return html`<p>No movements.</p>`;
  const columns = ['When', 'Entry', 'Kind', 'Block', '#Credits', 'From', 'To', 'Details', 'By'];
  const rows = items.map(movementRow);
  const numeric = columns.map((c) => c.startsWith('#'));
  return html`<table class="history">
    <thead>
      <tr>
        ${columns.map((c, i) => html`<th scope="col" ${numeric[i] === true ? html`class="num"` : ''}>${c.replace('#', '')}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            ${r.map((cell, i) => (numeric[i] === true ? html`<td class="num">${cell}</td>` : html`<td>${cell}</td>`))}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export interface HistoryView {
  readonly title: string;
  readonly intro: string;
  readonly base: string;
  readonly query: Record<string, string>;
  readonly page: Page<PublicMovement>;
}

export function historyPage(view: HistoryView): Html {
  const body = html`<p>${view.intro}</p>
    <p class="note">
      Every row is one serial range one journal entry moved, as the registry's public journal shows
      it. Rows marked "synthetic demo data" are examples, not real credits.
    </p>
    ${movementTable(view.page.items)} ${nextLink(view.base, view.query, view.page.next)}`;
  return page(view.title, '/registry', body);
}

export function retirementsPage(beneficiary: string, shown: Page<PublicMovement>): Html {
  const body = html`<p>
      Every retirement in the registries: the project, vintage and serial numbers retired, the
      purpose, the beneficiary, the year of use and the date. Search by the beginning of the
      beneficiary's name, in any case.
    </p>
    <form method="get" action="/registry/retirements" role="search">
      <label for="beneficiary">Beneficiary begins with</label>
      <input id="beneficiary" name="beneficiary" value="${beneficiary}" maxlength="200" />
      <button type="submit">Search</button>
    </form>
    ${retirementTable(shown.items)}
    ${nextLink('/registry/retirements', beneficiary === '' ? {} : { beneficiary }, shown.next)}`;
  return page('Register of retirements', '/registry', body);
}

function retirementTable(items: readonly PublicMovement[]): Html {
  if (items.length === 0) return html`<p>No retirements found.</p>`;
  const columns = [
    'Date',
    'Project',
    'Vintage',
    'Serials',
    '#Credits',
    'Purpose',
    'Beneficiary',
    'Year of use',
    'Entry',
  ];
  return html`<table class="register">
    <thead>
      <tr>
        ${columns.map((c) => html`<th scope="col">${c.replace('#', '')}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${items.map(
        (m) =>
          html`<tr>
            <td>${instant(m.recordedAt)}</td>
            <td>
              <a href="/projects/${m.project}">${m.project}</a
              >${m.synthetic ? html` <span class="synthetic">synthetic demo data</span>` : ''}
            </td>
            <td>${m.vintage}</td>
            <td>
              <a href="/registry/history/serial/${m.project}/${m.serialFirst}">${m.block}</a>
            </td>
            <td class="num">${tonnes(m.quantity)}</td>
            <td>${m.purpose ?? ''}</td>
            <td>${m.beneficiary ?? ''}</td>
            <td>${m.yearOfUse ?? ''}</td>
            <td><span title="${m.hash}">${m.chain} #${m.seq}</span></td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
