// Joint Committee decisions and registry statistics: what is real first, the synthetic demo's apart
// under its label; decisions a page at a time, anchored by id and linked to the item they are
// about.
import { html } from 'hono/html';
import { pageSizeDefault } from '../core/shared/page.ts';
import { ok, type Result } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import { limitQuery, pageLinks } from './page-links.ts';
import { accountTypeWord, actionWord, machineWord, stateWord } from '../core/cycle/words.ts';
import { barChart } from './charts.ts';
import { countryName, day, page, registryName, table, tonnes, type Html } from './layout.ts';

type Statistics = Awaited<ReturnType<Platform['portal']['statistics']>>['real'];

type DecisionRequest = NonNullable<Parameters<Platform['portal']['decisions']>[0]>;

/**
 * A page of decisions by id (from a cursor, or from the decision a link names), the real ones apart
 * from the demo's; or the refusal of the cursor (`page_cursor_invalid`).
 */
export async function decisionsPage(
  platform: Platform,
  request: DecisionRequest,
): Promise<Result<Html>> {
  const [listed, organisations] = await Promise.all([
    platform.portal.decisions(request),
    platform.cycleQueries.organisations(),
  ]);
  if (!listed.ok) return listed;
  const rows = listed.value.items;
  // A decision to designate a TPE is about an organisation: named, not shown by its id.
  const names = new Map(organisations.map((o) => [o.id, o.name]));
  const real = rows.filter((r) => !r.synthetic);
  const demo = rows.filter((r) => r.synthetic);
  const body = html`<p>
      Decisions of the Joint Committees move projects, methodologies and issuances. Each is
      published with its text. Decisions are listed by id, ${pageSizeDefault} a page.
    </p>
    ${
      real.length > 0
        ? decisionsTable(real, names)
        : request.after === undefined && request.from === undefined
          ? html`<p>No decisions about real projects yet.</p>`
          : html`<p>No decision about a real project on this page.</p>`
    }
    ${
      demo.length === 0
        ? ''
        : html`<section class="synthetic" aria-labelledby="synthetic-demo">
            <h2 id="synthetic-demo">Synthetic demo data</h2>
            <p>
              Decisions of the platform's synthetic demo: examples about example projects, not
              decisions of a real Joint Committee.
            </p>
            ${decisionsTable(demo, names)}
          </section>`
    }
    ${pageLinks('/decisions', listed.value, request.after ?? request.from, limitQuery(request), 'decisions')}`;
  return ok(page('Joint Committee decisions', '/decisions', body));
}

type DecisionRow = Awaited<ReturnType<Platform['portal']['decisionsAbout']>>[number];

/** One row per decision, anchored by its id; what it is about links to the project's page. */
function decisionsTable(rows: readonly DecisionRow[], names: ReadonlyMap<string, string>): Html {
  return table(
    ['Decision', 'Partnership', 'Status', 'Decides', 'Text', 'Adopted'],
    rows.map((r) => {
      const d = r.data as {
        subject?: { item: string; action: string; text: string };
        adoptedAt?: string;
        method?: string;
      };
      const about =
        d.subject === undefined
          ? ''
          : html`${actionWord(d.subject.action)}: ${subjectLink(r, d.subject.item, names)}`;
      return [
        html`<span id="${r.id}">${r.id}</span>`,
        countryName(r.partnership),
        stateWord(r.state),
        about,
        d.subject?.text ?? '',
        d.adoptedAt === undefined
          ? ''
          : `${day(d.adoptedAt)} (${d.method === 'electronic' ? 'by electronic decision' : 'at a meeting'})`,
      ];
    }),
  );
}

function subjectLink(r: DecisionRow, item: string, names: ReadonlyMap<string, string>): Html {
  const kind =
    r.subjectMachine === null
      ? (names.get(item) ?? item)
      : `${machineWord(r.subjectMachine)} ${item}`;
  if (r.subjectProject === null) return html`${kind}`;
  const anchor = r.subjectProject === item ? '' : `#${item}`;
  return html`<a href="/projects/${r.subjectProject}${anchor}">${kind}</a>`;
}

export async function registryPage(platform: Platform): Promise<Html> {
  const stats = await platform.portal.statistics();
  const demo =
    stats.synthetic.issued === 0n
      ? html``
      : html`<section class="synthetic" aria-labelledby="synthetic-demo">
          <h2 id="synthetic-demo">Synthetic demo data</h2>
          <p>
            Credits of the platform's synthetic demo projects: examples, not real credits, and not
            counted in the figures above.
          </p>
          ${await registryFigures(stats.synthetic, 'Synthetic demo data: ')}
        </section>`;
  // Histories, reports and the register of retirements (issue 15, lane H2)
  const more = html`<p>
    Reports: <a href="/registry/reports/holdings">holdings per entity account</a>,
    <a href="/registry/reports/account-types">amount per account type</a>,
    <a href="/registry/reports/annual">annual transaction summary</a>; the
    <a href="/registry/retirements">register of retirements</a>.
  </p>`;
  const body = html`${more} ${await registryFigures(stats.real, '')} ${demo}`;
  return page('Registry statistics', '/registry', body);
}

/** Issued, retired and cancelled credits, by registry and account type and by vintage. */
async function registryFigures(stats: Statistics, prefix: string): Promise<Html> {
  return html`<div class="cards">
      <div class="card">
        <div class="figure">${tonnes(stats.issued)}</div>
        ${prefix === '' ? 'credits' : 'demo credits'} issued in all registries
      </div>
      <div class="card">
        <div class="figure">${tonnes(stats.issuedInJapan)}</div>
        of which issued into Japan's registry
      </div>
      <div class="card">
        <div class="figure">${tonnes(stats.retired)}</div>
        retired
      </div>
      <div class="card">
        <div class="figure">${tonnes(stats.cancelled)}</div>
        cancelled
      </div>
    </div>
    <h3>${prefix}By registry and account type</h3>
    ${
      stats.byAccountType.length === 0
        ? ''
        : html`<figure>
            ${await barChart(
              stats.byAccountType.map((r) => ({
                label: registryName(r.registry),
                value: Number(r.quantity),
                series: accountTypeWord(r.accountType),
              })),
              {
                title: `${prefix}Credits by registry and account type`,
                description:
                  'Stacked bars per registry by account type; the table lists the same figures.',
                xTitle: 'Registry',
                yTitle: 'tCO2e',
              },
            )}
          </figure>`
    }
    ${table(
      ['Registry', 'Account type', '#Credits'],
      stats.byAccountType.map((r) => [
        registryName(r.registry),
        accountTypeWord(r.accountType),
        tonnes(r.quantity),
      ]),
    )}
    <h3>${prefix}By vintage</h3>
    ${table(
      ['Vintage', '#Credits issued'],
      stats.byVintage.map((r) => [String(r.vintage), tonnes(r.quantity)]),
    )}`;
}
