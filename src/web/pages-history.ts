// The public transaction histories (an account, a project, a serial number) and the public register
// of retirements: one table of movements a page at a time (layout.ts's table), the links of every
// paged list (page-links.ts), and the synthetic demo's rows labelled as such.
import { html } from 'hono/html';
import type { Page } from '../core/shared/page.ts';
import type { PublicMovement } from '../services/histories.ts';
import { instant, page, table, tonnes, type Html } from './layout.ts';
import { pageLinks, type PageAsked } from './page-links.ts';

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
  return table(
    ['When', 'Entry', 'Kind', 'Block', '#Credits', 'From', 'To', 'Details', 'By'],
    items.map(movementRow),
  );
}

/** The links under a page: the next one (with the page's size and other parameters) and the first. */
function links(path: string, shown: Page<unknown>, asked: PageAsked, query = {}): Html | '' {
  return pageLinks(path, shown, asked.after, { ...query, limit: String(asked.limit) });
}

export interface HistoryView {
  readonly title: string;
  readonly intro: string;
  readonly base: string;
  /** The page asked for: its cursor and size, carried in the links. */
  readonly asked: PageAsked;
  readonly page: Page<PublicMovement>;
}

export function historyPage(view: HistoryView): Html {
  const body = html`<p>${view.intro}</p>
    <p class="note">
      Every row is one serial range one journal entry moved, as the registry's public journal shows
      it. Rows marked "synthetic demo data" are examples, not real credits.
    </p>
    ${movementTable(view.page.items)} ${links(view.base, view.page, view.asked)}`;
  return page(view.title, '/registry', body);
}

export function retirementsPage(
  beneficiary: string,
  shown: Page<PublicMovement>,
  asked: PageAsked,
): Html {
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
    ${links('/registry/retirements', shown, asked, beneficiary === '' ? {} : { beneficiary })}`;
  return page('Register of retirements', '/registry', body);
}

function retirementTable(items: readonly PublicMovement[]): Html {
  if (items.length === 0) return html`<p>No retirements found.</p>`;
  return table(
    [
      'Date',
      'Project',
      'Vintage',
      'Serials',
      '#Credits',
      'Purpose',
      'Beneficiary',
      'Year of use',
      'Entry',
    ],
    items.map((m) => [
      instant(m.recordedAt),
      html`<a href="/projects/${m.project}">${m.project}</a
        >${m.synthetic ? html` <span class="synthetic">synthetic demo data</span>` : ''}`,
      String(m.vintage),
      html`<a href="/registry/history/serial/${m.project}/${m.serialFirst}">${m.block}</a>`,
      tonnes(m.quantity),
      m.purpose ?? '',
      m.beneficiary ?? '',
      m.yearOfUse === null ? '' : String(m.yearOfUse),
      html`<span title="${m.hash}">${m.chain} #${m.seq}</span>`,
    ]),
  );
}
