// The overview, partnerships, methodologies, Joint Committee decisions, registry statistics and the
// serial-number checker.
import { html } from 'hono/html';
import type { Platform } from '../services/platform.ts';
import {
  partnerCountNote,
  partnerCountSource,
  partnerCountStated,
} from '../core/shared/partner-count.ts';
import { japanGoals, japanGoalsSource } from '../core/shared/japan-goals.ts';
import { renderEquation } from '../core/methodology/render.ts';
import { barChart } from './charts.ts';
import { page, table, tonnes, type Html } from './layout.ts';
import { projectsMap } from './map.ts';

export async function overviewPage(platform: Platform): Promise<Html> {
  const portal = platform.portal;
  const [stats, projects, partners] = await Promise.all([
    portal.statistics(),
    portal.projects(),
    portal.partnerships(),
  ]);
  const body = html` <p>
      The Joint Crediting Mechanism (JCM) is Japan's bilateral crediting mechanism under Article 6.2
      of the Paris Agreement: projects in partner countries reduce emissions, a Joint Committee of
      both governments registers them and decides the credits, and Japan's and each partner's
      registry hold the serial-numbered credits. This portal shows every project, decision and
      credit of this platform.
    </p>
    ${overviewCards(stats, projects)}
    <p class="note">
      Partner countries: ${partnerCountSource}. ${partnerCountNote(partners.length)}
    </p>
    <h2>Progress towards Japan's goals</h2>
    ${goalsProgress(stats.issued)}
    <p class="note">Credits issued on this platform. Goal: ${japanGoalsSource}.</p>
    <h2>Credits issued by vintage</h2>
    ${await issuedByVintage(stats.byVintage)}
    <h2>Where the projects are</h2>
    <figure class="map">
      ${projectsMap(partners, projects)}
      <figcaption>
        Partner countries shaded, projects as points; see the <a href="/projects">project list</a>.
      </figcaption>
    </figure>`;
  return page('The Joint Crediting Mechanism', '/', body);
}

type Statistics = Awaited<ReturnType<Platform['portal']['statistics']>>;

/** The overview's headline figures: partner countries, projects, credits issued and retired. */
function overviewCards(stats: Statistics, projects: readonly { readonly state: string }[]): Html {
  const registered = projects.filter((p) => p.state === 'registered');
  return html`<div class="cards">
    <div class="card">
      <div class="figure">${partnerCountStated}</div>
      partner countries (August 2025)
    </div>
    <div class="card">
      <div class="figure">${projects.length}</div>
      projects in the cycle (${registered.length} registered)
    </div>
    <div class="card">
      <div class="figure">${tonnes(stats.issued)}</div>
      credits issued (tCO2e)
    </div>
    <div class="card">
      <div class="figure">${tonnes(stats.retired)}</div>
      credits retired
    </div>
  </div>`;
}

/** One progress bar per goal of Japan's, the credits issued here as a share of the goal. */
function goalsProgress(issued: bigint): Html {
  const goals = japanGoals.map((g) => ({
    ...g,
    percent: Number((issued * 10_000n) / g.tonnes) / 100,
  }));
  return html`${goals.map(
    (g) =>
      html`<p>
        <label for="goal-${g.fiscalYear}"
          >FY${g.fiscalYear}: ${tonnes(issued)} of ${tonnes(g.tonnes)} tCO2
          (${g.percent.toFixed(2)}%)</label
        >
        <progress id="goal-${g.fiscalYear}" max="100" value="${g.percent.toFixed(2)}">
          ${g.percent.toFixed(2)}%
        </progress>
      </p>`,
  )}`;
}

async function issuedByVintage(byVintage: Statistics['byVintage']): Promise<Html> {
  if (byVintage.length === 0) return html`<p>No credits issued yet.</p>`;
  return html`<figure>
    ${await barChart(
      byVintage.map((v) => ({ label: String(v.vintage), value: Number(v.quantity) })),
      {
        title: 'Credits issued by vintage',
        description:
          'One bar per vintage year with the credits issued; the registry page lists the figures.',
        xTitle: 'Vintage',
        yTitle: 'tCO2e',
      },
    )}
    <figcaption>Figures in a table on the <a href="/registry">registry page</a>.</figcaption>
  </figure>`;
}

export async function partnershipsPage(platform: Platform): Promise<Html> {
  const rows = await platform.portal.partnerships();
  const body = html`<p>
      ${partnerCountStated} countries had signed a bilateral document on the JCM with Japan by
      August 2025 (${partnerCountSource}). ${partnerCountNote(rows.length)}
    </p>
    ${table(
      ['Partner country', 'Code', 'Signed on', 'Signed in'],
      rows.map((r) => [
        r.name,
        r.alpha2,
        r.signed_on,
        r.signed_in === null || r.signed_in === '' ? 'not stated in the source' : r.signed_in,
      ]),
    )}
    <p class="note">Source: ${rows[0]?.source ?? ''}</p>`;
  return page('Partnerships', '/partnerships', body);
}

export function methodologiesPage(platform: Platform): Html {
  const list = platform.methodologies.list();
  const body = html`<p>
      Methodologies are data, run by the platform in exact arithmetic; each has a monitoring
      spreadsheet to download. The entries of this catalogue are illustrative: each is modelled on a
      methodology a Joint Committee approved (named on its page), and its defaults are to be set by
      a Joint Committee. An entry adopted by a Joint Committee through the project cycle says so.
    </p>
    ${table(
      ['Id', 'Title', 'Status', 'Partner', 'Scopes', 'Spreadsheet'],
      list.map((m) => [
        html`<a href="/methodologies/${m.id}">${m.id}</a> v${m.version}`,
        m.title,
        m.status === 'approved' ? 'approved by a Joint Committee' : m.status,
        m.partnerCountries.join(', '),
        m.sectoralScopes.join(', '),
        html`<a href="/api/v1/methodologies/${m.id}/template.xlsx">XLSX</a>`,
      ]),
    )}`;
  return page('Methodologies', '/methodologies', body);
}

/** A catalogue entry's standing in words: what it is modelled on, until a Joint Committee adopts it. */
function statusWords(f: { status: string; modelled_on?: string | undefined }): string {
  if (f.status === 'illustrative')
    return f.modelled_on === undefined
      ? 'illustrative'
      : `illustrative, modelled on ${f.modelled_on}`;
  return f.status === 'approved' ? 'approved by a Joint Committee' : f.status;
}

export function methodologyPage(platform: Platform, id: string): Html | null {
  const m = platform.methodologies.get(id);
  if (m === undefined) return null;
  const f = m.file;
  const body = html`<p>
      ${f.id} version ${f.version} (${statusWords(f)}); partner countries
      ${f.partner_countries.join(', ')}; sectoral scopes ${f.sectoral_scopes.join(', ')}.
    </p>
    <p>${f.summary}</p>
    <p>
      <a href="/api/v1/methodologies/${f.id}/template.xlsx">Monitoring spreadsheet (XLSX)</a> ·
      <a href="/api/v1/methodologies/${f.id}/template.xlsx?fill=example">with the worked example</a>
      · <a href="/api/v1/methodologies/${f.id}">JSON</a>
    </p>
    <h2>Eligibility</h2>
    <ul>
      ${f.eligibility.map((c) => html`<li><strong>${c.id}</strong> ${c.text}${c.source === undefined ? '' : html` <small>(source: ${c.source})</small>`}</li>`)}
    </ul>
    <h2>Equations</h2>
    <ul>
      ${m.equations.map((e) => html`<li><span class="equation">${renderEquation(e.def.symbol, e.def.expression)}</span> [${e.def.unit}]: ${e.def.description}</li>`)}
    </ul>
    <h2>Parameters</h2>
    ${table(
      ['Symbol', 'Description', 'Unit', 'Kind', 'Default and source'],
      f.parameters.map((p) => [
        html`<span class="mono">${p.symbol}</span>`,
        p.description,
        p.unit,
        `${p.kind === 'fixed' ? 'fixed ex ante' : `monitored (option ${p.monitoring_option ?? ''})`}${p.per === 'monitoring_point' ? ', per monitoring point' : ''}`,
        p.default === undefined ? '' : `${p.default}: ${p.source ?? ''}`,
      ]),
    )}
    ${f.crediting.discount_factor === undefined && f.crediting.reserve_share === undefined ? '' : html`<p>Discount factor ${f.crediting.discount_factor?.value ?? '1'}; reserve share ${f.crediting.reserve_share?.value ?? '0'}.</p>`}`;
  return page(f.title, '/methodologies', body);
}

export async function decisionsPage(platform: Platform): Promise<Html> {
  const rows = await platform.portal.decisions();
  const body = html`<p>
      Decisions of the Joint Committees move projects, methodologies and issuances. Each is
      published with its text.
    </p>
    ${table(
      ['Decision', 'Status', 'Subject', 'Text', 'Adopted'],
      rows.map((r) => {
        const d = r.data as {
          subject?: { item: string; action: string; text: string };
          adoptedAt?: string;
          method?: string;
        };
        return [
          r.id,
          r.state,
          `${d.subject?.action.replaceAll('_', ' ') ?? ''} of ${d.subject?.item ?? ''}`,
          d.subject?.text ?? '',
          d.adoptedAt === undefined ? '' : `${d.adoptedAt.slice(0, 10)} (${d.method ?? ''})`,
        ];
      }),
    )}`;
  return page('Joint Committee decisions', '/decisions', body);
}

export async function registryPage(platform: Platform): Promise<Html> {
  const stats = await platform.portal.statistics();
  const body = html`<div class="cards">
      <div class="card">
        <div class="figure">${tonnes(stats.issued)}</div>
        issued
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
    <h2>By registry and account type</h2>
    ${
      stats.byAccountType.length === 0
        ? ''
        : html`<figure>
            ${await barChart(
              stats.byAccountType.map((r) => ({
                label: r.registry,
                value: Number(r.quantity),
                series: r.accountType.replaceAll('_', ' '),
              })),
              {
                title: 'Credits by registry and account type',
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
        r.registry,
        r.accountType.replaceAll('_', ' '),
        tonnes(r.quantity),
      ]),
    )}
    <h2>By vintage</h2>
    ${table(
      ['Vintage', '#Credits issued'],
      stats.byVintage.map((r) => [String(r.vintage), tonnes(r.quantity)]),
    )}`;
  return page('Registry statistics', '/registry', body);
}

export async function serialPage(
  platform: Platform,
  query: { project?: string | undefined; serial?: string | undefined },
): Promise<Html> {
  let answer: Html | string = '';
  if (
    query.project !== undefined &&
    query.serial !== undefined &&
    query.project !== '' &&
    query.serial !== ''
  ) {
    const found = await platform.queries.blockBySerial(query.project, query.serial);
    answer = found.ok
      ? html`<div role="status">
          <h2>Serial ${query.serial} of ${query.project}</h2>
          <p>
            Block <span class="mono">${found.value.blockId}</span>, vintage ${found.value.vintage},
            held in account ${found.value.account} (${found.value.accountType.replaceAll('_', ' ')})
            of registry ${found.value.registry}.
          </p>
        </div>`
      : html`<div role="status">
          <h2>Not found</h2>
          <p>${found.error.message} (${found.error.code}).</p>
        </div>`;
  }
  const body = html`<p>
      Check where a credit is: give the project reference and the serial number.
    </p>
    <form class="filters" method="get" action="/serial">
      <label for="project"
        >Project reference<input
          id="project"
          name="project"
          value="${query.project ?? ''}"
          placeholder="IN001"
          required
          pattern="[A-Z]{2}[0-9]{3,}"
      /></label>
      <label for="serial"
        >Serial number<input
          id="serial"
          name="serial"
          value="${query.serial ?? ''}"
          inputmode="numeric"
          required
      /></label>
      <button type="submit">Check</button>
    </form>
    ${answer}`;
  return page('Serial-number checker', '/serial', body);
}
