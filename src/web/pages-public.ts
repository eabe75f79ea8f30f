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
import { accountTypeWord } from '../core/cycle/words.ts';
import { countryName, page, registryName, scopeName, table, tonnes, type Html } from './layout.ts';
import { projectsMap } from './map.ts';
import { jcmFiguresSection, partnershipRecordsSection } from './pages-partnerships.ts';
import { readableLongDate } from '../core/shared/readable.ts';
import { itmoSection } from './article6-serial.ts';
import { certificateLink } from './pages-certificate.ts';
import { decisionHref } from './page-links.ts';
import { pageSizeMax } from '../core/shared/page.ts';

export async function overviewPage(platform: Platform): Promise<Html> {
  const portal = platform.portal;
  const [stats, counts, mapped, partners] = await Promise.all([
    portal.statistics(),
    portal.projectCounts(),
    // The map shows one page of the largest size; the project list pages through the rest.
    portal.projects({}, { limit: pageSizeMax }),
    portal.partnerships(),
  ]);
  const projects = mapped.ok ? mapped.value : { items: [], next: null };
  const body = html` <p>
      The Joint Crediting Mechanism (JCM) is Japan's bilateral crediting mechanism under Article 6.2
      of the Paris Agreement: projects in partner countries reduce emissions, a Joint Committee of
      both governments registers them and decides the credits, and Japan's and each partner's
      registry hold the serial-numbered credits. This portal shows every project, decision and
      credit of this platform.
    </p>
    ${overviewCards(stats.real, counts)}
    <p class="note">
      Partner countries: ${partnerCountSource}. ${partnerCountNote(partners.length)}
    </p>
    <h2>Progress towards Japan's goals</h2>
    ${issuedFigures(stats.real)} ${goalsProgress(stats.real.issued)}
    <p class="note">
      Credits of real projects issued in the registries of this platform; synthetic demo data is
      never counted here. Goals: ${japanGoalsSource}.
    </p>
    <h2>Credits issued by vintage</h2>
    ${await issuedByVintage(stats.real.byVintage)}
    ${await syntheticFigures(stats.synthetic, counts)}
    <h2>Where the projects are</h2>
    <figure class="map">
      ${projectsMap(partners, projects.items)}
      <figcaption>
        Partner countries shaded, projects as points (a synthetic demo project says so in its name);
        ${projects.next === null ? '' : `the first ${pageSizeMax} projects by id; `}see the
        <a href="/projects">project list</a>.
      </figcaption>
    </figure>`;
  return page('The Joint Crediting Mechanism', '/', body);
}

type Statistics = Awaited<ReturnType<Platform['portal']['statistics']>>['real'];
type Counts = Awaited<ReturnType<Platform['portal']['projectCounts']>>;

/** The overview's headline figures: partner countries, real projects, credits issued and retired. */
function overviewCards(stats: Statistics, counts: Counts): Html {
  return html`<div class="cards">
    <div class="card">
      <div class="figure">${partnerCountStated}</div>
      partner countries (August 2025)
    </div>
    <div class="card">
      <div class="figure">${counts.real}</div>
      projects in the cycle (${counts.registered} registered)
    </div>
    <div class="card">
      <div class="figure">${tonnes(stats.retired)}</div>
      credits retired
    </div>
  </div>`;
}

/** The two headline figures: issued in all registries, and the part issued into Japan's. */
function issuedFigures(stats: Statistics): Html {
  return html`<div class="cards">
    <div class="card" id="issued-all">
      <div class="figure">${tonnes(stats.issued)}</div>
      JCM reductions issued in all registries (tCO2e)
    </div>
    <div class="card" id="issued-japan">
      <div class="figure">${tonnes(stats.issuedInJapan)}</div>
      of which issued into Japan's registry (tCO2e)
    </div>
  </div>`;
}

/**
 * The demo's figures, apart from the headlines and under a visible label, so that a visitor sees
 * what a deployment shows without taking examples for real credits.
 */
async function syntheticFigures(stats: Statistics, counts: Counts): Promise<Html> {
  if (counts.synthetic === 0 && stats.issued === 0n) return html``;
  return html`<section class="synthetic" aria-labelledby="synthetic-demo">
    <h2 id="synthetic-demo">Synthetic demo data</h2>
    <p>
      These figures come from the platform's synthetic demo: example organisations and projects, not
      real ones. They are not counted in any figure above.
    </p>
    <div class="cards">
      <div class="card">
        <div class="figure">${counts.synthetic}</div>
        demo projects in the cycle
      </div>
      <div class="card" id="synthetic-issued">
        <div class="figure">${tonnes(stats.issued)}</div>
        demo credits issued in all registries
      </div>
      <div class="card">
        <div class="figure">${tonnes(stats.issuedInJapan)}</div>
        of which into Japan's registry
      </div>
      <div class="card">
        <div class="figure">${tonnes(stats.retired)}</div>
        demo credits retired
      </div>
    </div>
    ${await issuedByVintage(stats.byVintage, 'Synthetic demo data: credits issued by vintage')}
  </section>`;
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

async function issuedByVintage(
  byVintage: Statistics['byVintage'],
  title = 'Credits issued by vintage',
): Promise<Html> {
  if (byVintage.length === 0) return html`<p>No credits issued yet.</p>`;
  return html`<figure>
    ${await barChart(
      byVintage.map((v) => ({ label: String(v.vintage), value: Number(v.quantity) })),
      {
        title,
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
    <p class="note">Source: ${rows[0]?.source ?? ''}</p>
    ${await partnershipRecordsSection(platform)} ${jcmFiguresSection()}`;
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
      ['Id', 'Title', 'Status', 'Partner', 'Sectoral scopes', 'Spreadsheet'],
      list.map((m) => [
        html`<a href="/methodologies/${m.id}">${m.id}</a> v${m.version}`,
        m.title,
        m.adoption === undefined
          ? m.status
          : html`adopted by Joint Committee decision
              <a href="${decisionHref(m.adoption.decision)}">${m.adoption.decision}</a> of
              ${readableLongDate(m.adoption.adoptedAt.slice(0, 10))}`,
        m.partnerCountries.map(countryName).join(', '),
        m.sectoralScopes.map(scopeName).join('; '),
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
  return f.status === 'approved' ? 'adopted by a Joint Committee' : f.status;
}

/** An adopted entry's decision in words, with its link and date; nothing for an illustrative file. */
function adoptionWords(platform: Platform, id: string, version: string): Html | string {
  const a = platform.methodologies.adoptionOf(id, version);
  return a === undefined
    ? ''
    : html`<p class="adoption">
        Adopted by the Joint Committee's decision
        <a href="${decisionHref(a.decision)}">${a.decision}</a> of
        ${readableLongDate(a.adoptedAt.slice(0, 10))}, on the methodology proposal
        <a href="/public-input/${a.proposal}">${a.proposal}</a>.
      </p>`;
}

export function methodologyPage(platform: Platform, id: string): Html | null {
  const m = platform.methodologies.get(id);
  if (m === undefined) return null;
  const f = m.file;
  const body = html`${adoptionWords(platform, f.id, f.version)}
    <p>
      ${f.id} version ${f.version} (${statusWords(f)}); partner countries
      ${f.partner_countries.map(countryName).join(', ')}; sectoral scopes
      ${f.sectoral_scopes.map(scopeName).join('; ')}.
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

/** The certificate of the entry that put the block where it is, when it is an issuance or retirement. */
function serialCertificate(entry: { chain: string; seq: bigint }, lastEntry: unknown): Html | '' {
  const event = (lastEntry as { event?: { type?: string; movement?: string } }).event;
  const link = certificateLink({ ...entry, type: event?.type ?? '', movement: event?.movement });
  return link === '' ? '' : html`<p>Entry ${entry.chain} #${String(entry.seq)}: ${link}</p>`;
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
            held in account ${found.value.account} (${accountTypeWord(found.value.accountType)}) of
            ${registryName(found.value.registry)}.
          </p>
          ${serialCertificate(found.value.entry, found.value.lastEntry)}
          ${await itmoSection(platform, query.project, query.serial)}
        </div>`
      : html`<div role="status">
          <h2>Not found</h2>
          <p>${found.error.message}.</p>
        </div>`;
  }
  const body = html`<p>
      Check where a credit is, and its standing under Article 6.2 (its ITMO identifier,
      authorisation, first transfer, use or cancellation): give the project reference and the serial
      number.
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
