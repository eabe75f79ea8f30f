// Project pages: the list with filters (country, sector, programme, status) a page at a time and
// the map of the page's projects, and one project's page with its timeline, public documents,
// methodology and credits by vintage.
import { html } from 'hono/html';
import type { PageRequest } from '../core/shared/page.ts';
import { ok, type Result } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import { limitQuery, pageLinks } from './page-links.ts';

type ProjectFilter = NonNullable<Parameters<Platform['portal']['projects']>[0]>;
type ProjectSummary = Awaited<ReturnType<Platform['portal']['projectsByReference']>>[number];
import { countryName, page, table, tonnes, type Html } from './layout.ts';
import { dateOfClock } from '../core/shared/civil-date.ts';
import { projectsMap } from './map.ts';
import { publishedList } from './pages-public-input.ts';
import { programmes } from './programme-names.ts';
import {
  allocationShares,
  childSections,
  fullTimeline,
  loadChildren,
} from './project-cycle-sections.ts';
import { stateWord } from '../core/cycle/words.ts';
import { registrationsElsewhere } from './project-registrations-elsewhere.ts';
import {
  creditHoldings,
  creditsByVintage,
  projectParticulars,
  publicDocuments,
  vintageFigures,
  type ProjectItem,
} from './project-sections.ts';

const states = [
  'public_input',
  'validation',
  'validated',
  'registration_completeness',
  'jc_registration',
  'registered',
  'withdrawn',
];

/**
 * A page of the projects the filter keeps, or the refusal of its cursor (`page_cursor_invalid`).
 */
export async function projectsPage(
  platform: Platform,
  filter: ProjectFilter,
  request: PageRequest,
): Promise<Result<Html>> {
  const portal = platform.portal;
  const [projects, partners] = await Promise.all([
    portal.projects(filter, request),
    portal.partnerships(),
  ]);
  if (!projects.ok) return projects;
  const scopes = await platform.reference('sectoral-scopes');
  const shown = projects.value;
  const query = {
    ...limitQuery(request),
    country: filter.country,
    sector: filter.sector === undefined ? undefined : String(filter.sector),
    programme: filter.programme,
    status: filter.status,
  };
  const body = html` ${projectFilters(filter, partners, scopes)}
    <p>
      ${shown.items.length} project(s) on this page, by id.
      <a href="/projects/historical">Projects financed 2013-2019 (reference data)</a>
    </p>
    ${projectsTable(shown.items)} ${pageLinks('/projects', shown, request.after, query, 'projects')}
    <h2>Map</h2>
    <figure class="map">
      ${projectsMap(partners, shown.items)}
      <figcaption>
        Partner countries are shaded; each red point is a project in the list above (the table holds
        the same information).
      </figcaption>
    </figure>`;
  return ok(page('Projects', '/projects', body));
}

/** The list's filter form, each choice showing the filter in force. */
function projectFilters(
  filter: ProjectFilter,
  partners: readonly { readonly alpha2: string; readonly name: string }[],
  scopes: readonly Record<string, unknown>[],
): Html {
  return html`<form class="filters" method="get" action="/projects" aria-label="Filter projects">
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
        ${option('', 'All', filter.status)}${states.map((s) => option(s, stateWord(s), filter.status))}
      </select></label
    >
    <button type="submit">Show projects</button>
  </form>`;
}

function option(value: string, label: string, selected: string | number | undefined): Html {
  return html`<option value="${value}" ${String(selected ?? '') === value ? html` selected` : ''}>
    ${label}
  </option>`;
}

function projectsTable(projects: readonly ProjectSummary[]): Html {
  return table(
    ['Reference', 'Title', 'Country', 'Programme', 'Methodology', 'Status', '#Expected tCO2/year'],
    projects.map((p) => [
      html`<a href="/projects/${p.id}">${p.reference ?? p.id}</a>`,
      p.synthetic ? html`${p.title} <span class="synthetic">synthetic demo data</span>` : p.title,
      countryName(p.partnership),
      programmes[p.programme] ?? p.programme,
      p.methodology,
      stateWord(p.state),
      tonnes(p.expectedPerYear),
    ]),
    'Projects in the project cycle of this platform',
  );
}

export async function projectPage(platform: Platform, id: string): Promise<Html | null> {
  const found = await platform.cycleQueries.item(id);
  if (!found.ok || found.value.machine !== 'project') return null;
  const item = found.value as ProjectItem;
  const p = item.data.project;
  const portal = platform.portal;
  const [
    credits,
    verified,
    children,
    decisions,
    organisations,
    scopes,
    gases,
    comments,
    elsewhere,
  ] = await Promise.all([
    item.reference === null ? [] : portal.credits(item.reference),
    portal.verified(item.id),
    loadChildren(platform, item.children),
    portal.decisionsAbout([item.id, ...item.children.map((c) => c.id)]),
    platform.cycleQueries.organisations(),
    platform.reference('sectoral-scopes'),
    platform.reference('greenhouse-gases'),
    platform.comments.published(item.id),
    platform.externalRegistrations.list(item.id),
  ]);
  const names = {
    organisations: new Map(organisations.map((o) => [o.id, o.name])),
    scopes: new Map(scopes.map((s) => [Number(s.number), String(s.scope)])),
    gases: new Map(gases.map((g) => [String(g.formula), String(g.name)])),
  };
  const thisYear = dateOfClock(platform.clock()).year;
  const figures = vintageFigures(p, credits, verified, thisYear);
  const body = html` ${projectParticulars(item, item.synthetic, names)}
    <h2>Credits by vintage</h2>
    ${await creditsByVintage(item, figures)}
    <h3>Where the credits are</h3>
    ${creditHoldings(credits)} ${registrationAllocation(item)}
    <h2>Registrations in other mechanisms</h2>
    ${registrationsElsewhere(item.id, elsewhere.ok ? elsewhere.value : [])}
    <h2>Monitoring periods and issuance requests</h2>
    ${childSections(children)}
    <h2>Timeline</h2>
    ${fullTimeline(item, children, decisions)}
    <h2>Public documents</h2>
    ${publicDocuments(item)}
    <h2>Public comments</h2>
    ${publishedList(comments.ok ? comments.value.items : [])}
    <p>
      <a href="/public-input/${item.id}">Public input on this project</a>${
        comments.ok && comments.value.next !== null
          ? ', with every published comment a page at a time'
          : ''
      }
    </p>`;
  return page(p.title, '/projects', body);
}

export async function historicalPage(platform: Platform): Promise<Html> {
  const rows = await platform.portal.historicalProjects();
  const body = html`<p>
      Projects financed under the JCM programmes from 2013 to 2019, as listed in the appendix "List
      of Projects under the Joint Crediting Mechanism Financing Program as of October 2019" of
      "Article 6 of the Paris Agreement: Drawing Lessons from the Joint Crediting Mechanism" (Asian
      Development Bank, 2019). Reference data: they are not in this platform's project cycle. Rows
      flagged in the source notes are marked.
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

/** The allocation the participants requested at registration, as shares of the credits. */
function registrationAllocation(item: ProjectItem): Html | string {
  const lines = (item.data as { allocation?: Parameters<typeof allocationShares>[0] }).allocation;
  return lines === undefined || lines.length === 0
    ? ''
    : html`<h3>Allocation requested at registration</h3>
        ${allocationShares(lines)}`;
}
