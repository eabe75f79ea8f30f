// Project pages: the list with filters (country, sector, programme, status) and the map, and one
// project's page with its timeline, public documents, methodology and credits by vintage.
import { html } from 'hono/html';
import type { ProjectData } from '../services/cycle-schemas.ts';
import type { Platform } from '../services/platform.ts';
import { PortalQueries, type ProjectFilter } from '../services/portal-queries.ts';
import { barChart } from './charts.ts';
import { day, page, table, tonnes, type Html } from './layout.ts';
import { expectedByVintage } from '../core/cycle/expected.ts';
import { dateOfInstant } from '../core/shared/civil-date.ts';
import { projectsMap } from './map.ts';

const programmes: Readonly<Record<string, string>> = {
  moej_model_project: 'MOEJ JCM Model Project',
  meti_nedo_demonstration: 'METI/NEDO demonstration',
  adb_jfjcm: 'ADB Japan Fund for the JCM',
  private_sector_jcm: 'Private-sector JCM',
  f_gas: 'F-gas',
  redd_plus: 'REDD+',
};
const states = [
  'public_input',
  'validation',
  'validated',
  'registration_completeness',
  'jc_registration',
  'registered',
  'withdrawn',
];

export async function projectsPage(platform: Platform, filter: ProjectFilter): Promise<Html> {
  const portal = new PortalQueries(platform.db);
  const [projects, partners] = await Promise.all([portal.projects(filter), portal.partnerships()]);
  const scopes = await platform.reference('sectoral-scopes');
  const option = (value: string, label: string, selected: string | number | undefined) =>
    html`<option value="${value}" ${String(selected ?? '') === value ? html` selected` : ''}>
      ${label}
    </option>`;
  const body = html` <form
      class="filters"
      method="get"
      action="/projects"
      aria-label="Filter projects"
    >
      <label
        >Partner country<select name="country">
          ${option('', 'All', filter.country)}${partners.map((p) => option(p.alpha2, p.name, filter.country))}
        </select></label
      >
      <label
        >Sectoral scope<select name="sector">
          ${option('', 'All', filter.sector)}${scopes.map((s) => option(String(s.number), `${String(s.number)} ${String(s.scope)}`, filter.sector))}
        </select></label
      >
      <label
        >Programme<select name="programme">
          ${option('', 'All', filter.programme)}${Object.entries(programmes).map(([v, l]) => option(v, l, filter.programme))}
        </select></label
      >
      <label
        >Status<select name="status">
          ${option('', 'All', filter.status)}${states.map((s) => option(s, s.replaceAll('_', ' '), filter.status))}
        </select></label
      >
      <button type="submit">Show projects</button>
    </form>
    <p>
      ${projects.length} project(s).
      <a href="/projects/historical">Projects financed 2013-2019 (reference data)</a>
    </p>
    ${table(
      [
        'Reference',
        'Title',
        'Country',
        'Programme',
        'Methodology',
        'Status',
        '#Expected tCO2/year',
      ],
      projects.map((p) => [
        html`<a href="/projects/${p.id}">${p.reference ?? p.id}</a>`,
        p.title,
        p.partnership,
        programmes[p.programme] ?? p.programme,
        p.methodology,
        p.state.replaceAll('_', ' '),
        tonnes(p.expectedPerYear),
      ]),
      'Projects in the project cycle of this platform',
    )}
    <h2>Map</h2>
    <figure class="map">
      ${projectsMap(partners, projects)}
      <figcaption>
        Partner countries are shaded; each red point is a project in the list above (the table holds
        the same information).
      </figcaption>
    </figure>`;
  return page('Projects', '/projects', body);
}

export async function projectPage(platform: Platform, id: string): Promise<Html | null> {
  const found = await platform.cycleQueries.item(id);
  if (!found.ok || found.value.machine !== 'project') return null;
  const item = found.value as {
    id: string;
    state: string;
    reference: string | null;
    partnership: string;
    data: { project: ProjectData };
    timeline: { seq: bigint; at: string; action: string; to_state: string; actor: string }[];
    documents: {
      type: string;
      version: number;
      file_name: string;
      public_sha256: string;
      confidential: boolean;
    }[];
    children: { id: string; machine: string; state: string }[];
  };
  const p = item.data.project;
  const portal = new PortalQueries(platform.db);
  const [credits, verified] = await Promise.all([
    item.reference === null ? [] : portal.credits(item.reference),
    portal.verified(item.id),
  ]);
  const issuedByVintage = new Map<number, bigint>();
  for (const c of credits)
    issuedByVintage.set(c.vintage, (issuedByVintage.get(c.vintage) ?? 0n) + BigInt(c.quantity));
  const dataYears = [...verified.map((v) => v.vintage), ...issuedByVintage.keys()];
  const expected = BigInt(p.expectedReductionsPerYear);
  // Expected by vintage up to this year (or the latest vintage with data), within the crediting period.
  const expectedVintages = expectedByVintage(
    expected,
    p.creditingPeriod,
    Math.max(dateOfInstant(platform.clock())?.year ?? 0, ...dataYears),
  );
  const vintages = [...new Set([...dataYears, ...expectedVintages.keys()])].sort();
  const chartData = vintages.flatMap((v) => [
    { label: String(v), value: Number(expectedVintages.get(v) ?? 0n), series: 'expected' },
    {
      label: String(v),
      value: Number(verified.find((x) => x.vintage === v)?.quantity ?? 0n),
      series: 'verified',
    },
    { label: String(v), value: Number(issuedByVintage.get(v) ?? 0n), series: 'issued' },
  ]);
  const body = html` ${p.title.includes('synthetic') ? html`<p class="synthetic">This is synthetic demo data, not a real project.</p>` : ''}
    <dl>
      <dt>Reference</dt>
      <dd>
        ${item.reference ?? 'not registered yet'} (${item.id}), status
        ${item.state.replaceAll('_', ' ')}
      </dd>
      <dt>Partner country</dt>
      <dd>${item.partnership}; ${p.location} (${p.latitude}, ${p.longitude})</dd>
      <dt>Participants</dt>
      <dd>
        Japan: ${p.participantsJapan.join(', ')}; partner: ${p.participantsPartner.join(', ')};
        focal point ${p.focalPoint}
      </dd>
      <dt>Programme</dt>
      <dd>${programmes[p.programme] ?? p.programme}</dd>
      <dt>Methodology</dt>
      <dd>
        <a href="/methodologies/${p.methodology.id}">${p.methodology.id}</a> version
        ${p.methodology.version}
      </dd>
      <dt>Sectoral scopes and gases</dt>
      <dd>${p.sectoralScopes.join(', ')}; ${p.greenhouseGases.join(', ')}</dd>
      <dt>Crediting period</dt>
      <dd>${p.creditingPeriod.start} to ${p.creditingPeriod.end}</dd>
      <dt>Expected reductions</dt>
      <dd>${tonnes(expected)} tCO2 per year</dd>
    </dl>
    <h2>Credits by vintage</h2>
    ${
      chartData.length === 0
        ? html`<p>No expected, verified or issued credits yet.</p>`
        : html`<figure>
            ${await barChart(chartData, { title: `Expected, verified and issued credits of ${item.reference ?? item.id} by vintage`, description: 'Bars per vintage: expected reductions (from the PDD, by days of the crediting period), verified reductions and credits issued; the table below lists the same figures.', xTitle: 'Vintage', yTitle: 'tCO2e', grouped: true })}
            <figcaption>
              Expected reductions (${tonnes(expected)} a year, by days of the crediting period),
              verified reductions and issued credits per vintage.
            </figcaption>
          </figure>`
    }
    ${table(
      ['Vintage', '#Expected', '#Verified', '#Issued'],
      vintages.map((v) => [
        String(v),
        tonnes(expectedVintages.get(v) ?? 0n),
        tonnes(verified.find((x) => x.vintage === v)?.quantity ?? 0n),
        tonnes(issuedByVintage.get(v) ?? 0n),
      ]),
    )}
    <h3>Where the credits are</h3>
    ${table(
      ['Vintage', 'Registry', 'Account type', '#Credits'],
      credits.map((c) => [
        String(c.vintage),
        c.registry,
        c.accountType.replaceAll('_', ' '),
        tonnes(c.quantity),
      ]),
    )}
    <h2>Monitoring periods and issuance requests</h2>
    <ul>
      ${item.children.map((c) => html`<li>${c.id}: ${c.machine}, ${c.state.replaceAll('_', ' ')}</li>`)}
    </ul>
    <h2>Timeline</h2>
    ${table(
      ['Date', 'Step', 'New status', 'By'],
      item.timeline.map((e) => [
        day(e.at),
        e.action.replaceAll('_', ' '),
        e.to_state.replaceAll('_', ' '),
        e.actor,
      ]),
    )}
    <h2>Public documents</h2>
    ${table(
      ['Document', 'Version', 'SHA-256'],
      item.documents.map((d) => [
        html`<a href="/api/v1/documents/${d.public_sha256}"
            >${d.type.replaceAll('_', ' ')}: ${d.file_name}</a
          >${d.confidential ? ' (public version; the full version is confidential)' : ''}`,
        String(d.version),
        html`<span class="mono">${d.public_sha256.slice(0, 16)}…</span>`,
      ]),
    )}`;
  return page(p.title, '/projects', body);
}

export async function historicalPage(platform: Platform): Promise<Html> {
  const rows = await new PortalQueries(platform.db).historicalProjects();
  const body = html`<p>
      Projects financed under the JCM programmes from 2013 to 2019, as listed in the appendix of the
      ADB report "The Joint Crediting Mechanism" (2019). Reference data: they are not in this
      platform's project cycle. Rows flagged in the source notes are marked.
    </p>
    ${table(
      ['No.', 'Year', 'Country', 'Programme', 'Title', 'Sector', '#Expected tCO2/year', 'Note'],
      rows.map((r) => [
        String(r.no),
        String(r.year),
        r.partner_country,
        r.type,
        r.title,
        r.sector,
        r.expected_reduction_tco2_per_year === null
          ? ''
          : tonnes(r.expected_reduction_tco2_per_year),
        r.flag ?? '',
      ]),
    )}
    <p class="note">Source: ${rows[0]?.source ?? ''}</p>`;
  return page('Projects financed 2013-2019', '/projects', body);
}
