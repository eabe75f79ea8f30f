// The reports Japan's registry publishes, as portal pages: holdings per entity account (a page at a
// time), amount per account type and the annual transaction summary, each with its downloads (CSV,
// XLSX, PDF). The synthetic demo's figures are shown apart under their label, never in the totals.
import { html } from 'hono/html';
import { accountTypeWord } from '../core/cycle/words.ts';
import type { Platform } from '../services/platform.ts';
import type { AccountTypeTotal, AnnualRow, Holding, Split } from '../services/registry-reports.ts';
import { page, registryName, table, tonnes, type Html } from './layout.ts';
import { pageLinks, type PageAsked } from './page-links.ts';

type Name = 'holdings' | 'account-types' | 'annual';

function downloads(name: Name, registry: string | undefined): Html {
  const query = registry === undefined ? '' : `?registry=${registry}`;
  return html`<p>
    Download:
    ${(['csv', 'xlsx', 'pdf'] as const).map(
      (f, i) =>
        html`${i > 0 ? ', ' : ''}<a href="/registry/reports/${name}.${f}${query}"
            >${f.toUpperCase()}</a
          >`,
    )}
  </p>`;
}

function demoSection(count: number, content: Html): Html {
  if (count === 0) return html``;
  return html`<section class="synthetic" aria-labelledby="synthetic-demo">
    <h2 id="synthetic-demo">Synthetic demo data</h2>
    <p>
      Figures of the platform's synthetic demo projects: examples, not real credits, and not counted
      in the figures above.
    </p>
    ${content}
  </section>`;
}

export function reportsIndexPage(): Html {
  const body = html`<p>The reports Japan's registry publishes, kept current with every entry.</p>
    <ul>
      <li><a href="/registry/reports/holdings">Holdings per entity account</a></li>
      <li><a href="/registry/reports/account-types">Amount per account type</a></li>
      <li><a href="/registry/reports/annual">Annual transaction summary</a></li>
      <li><a href="/registry/retirements">Register of retirements</a></li>
    </ul>`;
  return page('Registry reports', '/registry', body);
}

export function holdingsPage(
  registry: string,
  shown: { items: readonly Holding[]; next: string | null },
  asked: PageAsked,
): Html {
  const rows = shown.items.map((h) => [
    html`<a href="/registry/history/account/${h.account}">${h.account}</a>`,
    h.holder,
    accountTypeWord(h.accountType),
    html`<a href="/projects/${h.project}">${h.project}</a
      >${h.synthetic ? html` <span class="synthetic">synthetic demo data</span>` : ''}`,
    String(h.vintage),
    tonnes(h.quantity),
    tonnes(h.blocks),
  ]);
  const body = html`<p>
      Credits held in each account of ${registryName(registry)}, by project and vintage. Rows marked
      "synthetic demo data" are examples, not real credits.
    </p>
    ${downloads('holdings', registry)}
    ${
      shown.items.length === 0
        ? html`<p>No holdings.</p>`
        : table(
            ['Account', 'Holder', 'Account type', 'Project', 'Vintage', '#Credits', '#Blocks'],
            rows,
          )
    }
    ${pageLinks('/registry/reports/holdings', shown, asked.after, {
      registry,
      limit: String(asked.limit),
    })}`;
  return page('Holdings per entity account', '/registry', body);
}

function accountTypeTable(rows: readonly AccountTypeTotal[]): Html {
  return table(
    ['Registry', 'Account type', '#Credits', '#Blocks'],
    rows.map((r) => [
      registryName(r.registry),
      accountTypeWord(r.accountType),
      tonnes(r.quantity),
      tonnes(r.blocks),
    ]),
  );
}

export function accountTypesPage(
  registry: string | undefined,
  report: Split<AccountTypeTotal>,
): Html {
  const body = html`<p>
      Credits in the registries by account type, as the registries hold them now.
    </p>
    ${downloads('account-types', registry)}
    ${report.real.length === 0 ? html`<p>No credits.</p>` : accountTypeTable(report.real)}
    ${demoSection(report.synthetic.length, accountTypeTable(report.synthetic))}`;
  return page('Amount per account type', '/registry', body);
}

const kindWords: Record<string, string> = {
  issue: 'Issuances',
  transfer: 'Transfers',
  retire: 'Retirements',
  cancel: 'Cancellations',
  reserve: 'Reservations',
  release: 'Releases',
  reverse: 'Reversals',
  authorise: 'Authorisations',
};

function annualTable(rows: readonly AnnualRow[]): Html {
  return table(
    ['Registry', 'Year', 'Kind', '#Entries', '#Credits'],
    rows.map((r) => [
      registryName(r.registry),
      String(r.year),
      kindWords[r.kind] ?? r.kind,
      tonnes(r.entries),
      tonnes(r.quantity),
    ]),
  );
}

export function annualPage(registry: string | undefined, report: Split<AnnualRow>): Html {
  const body = html`<p>
      Entries and credits moved per registry, calendar year (UTC) and kind of movement.
    </p>
    ${downloads('annual', registry)}
    ${report.real.length === 0 ? html`<p>No entries.</p>` : annualTable(report.real)}
    ${demoSection(report.synthetic.length, annualTable(report.synthetic))}`;
  return page('Annual transaction summary', '/registry', body);
}

export type { Platform };
