// The portal's Article 6.2 pages for officials, auditors and the public: the cooperative approaches
// with each Party's NDC and the source of every fact (/article6), and the authorisations with all
// their versions, confirmations, credits covered and authorised entities
// (/article6/authorisations), both a page at a time. A Party's figures for a year are on
// article6-party.ts's page.
import { html } from 'hono/html';
import type { Partnership } from '../core/partnership/record.ts';
import type { CooperativeApproach, Ndc } from '../core/article6/types.ts';
import type { PageRequest } from '../core/shared/page.ts';
import { readableCredits, readableLongDate } from '../core/shared/readable.ts';
import { ok, type Result } from '../core/shared/result.ts';
import type { ApproachVersion } from './article6-types.ts';
import type { Platform } from '../services/platform.ts';
import {
  authorisationSection,
  entitiesSection,
  type AuthorisationContext,
} from './article6-authorisations.ts';
import { entryLink, labelledSource, partyYearLinks } from './article6-links.ts';
import { methodWord, ndcKindWord, partyNames, partyWord } from './article6-words.ts';
import { countryName, page, registryName, table, type Html } from './layout.ts';
import { limitQuery, pageLinks } from './page-links.ts';
import { sourceNote } from './pages-partnerships.ts';

type NdcRecord = NonNullable<Partnership['cooperative_approach']['article6']>['ndcs'][number];

/** The year a Party's pages open on: this year, or the nearest year of its NDC period. */
export function defaultYear(ndc: Pick<Ndc, 'firstYear' | 'lastYear'>, today: string): number {
  const year = Number(today.slice(0, 4));
  return Math.min(Math.max(year, ndc.firstYear), ndc.lastYear);
}

/**
 * A page of the cooperative approaches, by partnership (at most one each, so the first page of 50
 * holds them all while the partnerships are fewer, and the links to an approach's anchor find it).
 */
export async function approachesPage(
  platform: Platform,
  request: PageRequest,
): Promise<Result<Html>> {
  const [listed, names] = await Promise.all([
    platform.article6.queries.approaches(request),
    partyNames(platform),
  ]);
  if (!listed.ok) return listed;
  const versions = listed.value.items;
  const today = platform.clock().slice(0, 10);
  const sections = await Promise.all(
    versions.map(async (v) =>
      approachSection(v, await platform.partnerships.get(v.approach.partnership), names, today),
    ),
  );
  const body = html`<p>
      Under Article 6, paragraph 2, of the Paris Agreement, Parties cooperate through cooperative
      approaches. A mitigation outcome that a Party authorises becomes an internationally
      transferred mitigation outcome (ITMO); the Party that first transfers it adds it to its
      emissions and the Party that uses it towards its nationally determined contribution (NDC)
      subtracts it, so that one tonne is never counted twice. Each JCM partnership is one
      cooperative approach. This page shows the approaches recorded on this platform, each Party's
      NDC and the method by which it makes its corresponding adjustments, each with its source.
    </p>
    <p>
      See also the <a href="/article6/authorisations">authorisations</a> and the
      <a href="/serial">serial-number checker</a>, which gives a credit's ITMO identifier.
    </p>
    ${versions.length === 0 && request.after === undefined ? html`<p>No cooperative approach is recorded on this platform yet.</p>` : sections}
    ${pageLinks('/article6', listed.value, request.after, limitQuery(request), 'approaches')}`;
  return ok(page('Article 6.2: cooperative approaches', '/article6', body));
}

function approachSection(
  version: ApproachVersion,
  record: Partnership | null,
  names: ReadonlyMap<string, string>,
  today: string,
): Html {
  const a = version.approach;
  const info = record?.cooperative_approach.article6;
  const idSource = record?.cooperative_approach.approach_id_source;
  return html`<section aria-labelledby="approach-${a.id}">
    <h2 id="approach-${a.id}">
      Cooperative approach ${a.id}: ${record?.name ?? countryName(a.partnership)}
    </h2>
    <p>
      Identifier ${a.id}. Participating Parties:
      ${a.parties.map((p) => partyWord(names, p)).join(' and ')}. Version ${a.version}, recorded by
      the Joint Committee in ${entryLink(version.entry)}.
      ${
        a.confirmationRequired
          ? 'The partnership\u2019s rulebook asks every other participating Party to confirm an authorisation before it takes effect.'
          : 'The partnership\u2019s rulebook asks for no confirmation of authorisations.'
      }
      ${record === null ? '' : html`See the <a href="/partnerships/${record.code}">partnership</a>.`}
    </p>
    ${idSource === undefined ? '' : labelledSource('Identifier', idSource)}
    ${table(
      ['Registry', 'Party', 'Party registry ID (AEF)'],
      a.registries.map((r) => [
        registryName(r.registry),
        partyWord(names, r.party),
        r.partyRegistryId,
      ]),
      `The registries of ${a.id}`,
    )}
    ${a.ndcs.map((ndc) =>
      ndcSection(
        ndc,
        info?.ndcs.find((n) => n.party === ndc.party),
        names,
        today,
      ),
    )}
    <h3>About the approach (initial report information)</h3>
    <dl class="facts">
      <dt>Description</dt>
      <dd>${a.description}</dd>
      <dt>Environmental integrity</dt>
      <dd>${a.environmentalIntegrity}</dd>
      <dt>Sustainable development and safeguards</dt>
      <dd>${a.sustainableDevelopment}</dd>
    </dl>
    ${info === undefined ? '' : sourceNote(info.information_source)}
  </section>`;
}

function ndcSection(
  ndc: Ndc,
  record: NdcRecord | undefined,
  names: ReadonlyMap<string, string>,
  today: string,
): Html {
  const name = partyWord(names, ndc.party);
  const year = defaultYear(ndc, today);
  return html`<h3 id="ndc-${ndc.party}">${name}'s NDC</h3>
    <dl class="facts">
      <dt>Target</dt>
      <dd>
        ${record?.target ?? 'not stated in the partnership\u2019s record'}
        ${record === undefined ? '' : sourceNote(record.source)}
      </dd>
      <dt>Kind</dt>
      <dd>${ndcKindWord(ndc.kind)}, NDC year ${ndc.targetYear}</dd>
      <dt>Implementation period</dt>
      <dd>${ndc.firstYear} to ${ndc.lastYear}</dd>
      <dt>Metric</dt>
      <dd>tonnes of CO2 equivalent (t CO2 eq)</dd>
      <dt>Corresponding-adjustment method</dt>
      <dd>
        ${methodWord(ndc.method, ndc.kind)}
        ${record === undefined ? '' : sourceNote(record.method_source)}
      </dd>
      ${figuresFacts(ndc)}
      <dt>Reported emissions</dt>
      <dd>
        ${
          ndc.emissions.length === 0
            ? 'No reported emissions figure is held on this platform: no emissions balance is computed.'
            : `${ndc.emissions.length} year(s): ${ndc.emissions.map((e) => `${e.year}: ${readableCredits(e.quantity)} t CO2 eq`).join('; ')}.`
        }
        ${record?.emissions_source === undefined ? '' : sourceNote(record.emissions_source)}
      </dd>
    </dl>
    <p>
      ${name}'s corresponding adjustments and actions:
      ${partyYearLinks(ndc.party, ndc.firstYear, year)}. The AEF of ${year}:
      <a href="/article6/aef/${ndc.party}/${year}.xlsx">XLSX</a> ·
      <a href="/article6/aef/${ndc.party}/${year}.json">JSON</a> · CSV on
      <a href="/article6/parties/${ndc.party}/${year}#aef">the page of ${year}</a>.
    </p>`;
}

/** The trajectory or budget figures, where the method uses them. */
function figuresFacts(ndc: Ndc): Html | '' {
  if (ndc.method === 'averaging') return '';
  if (ndc.method === 'budget')
    return html`<dt>Budget</dt>
      <dd>
        ${ndc.budget === null ? 'no budget figure recorded: the budget is not compared' : `${readableCredits(ndc.budget)} t CO2 eq over the period`}
      </dd>`;
  return html`<dt>Trajectory</dt>
    <dd>
      ${
        ndc.trajectory.length === 0
          ? 'no trajectory figure recorded: balances are not compared with a trajectory'
          : ndc.trajectory
              .map((t) => `${t.year}: ${readableCredits(t.quantity)} t CO2 eq`)
              .join('; ')
      }
    </dd>`;
}

/** Where a page of authorisations starts: after a cursor, or at an authorisation a link names. */
export type AuthorisationsRequest = PageRequest & { readonly from?: string | undefined };

/** A page of the authorisations by id, with the entities they name and their context. */
export async function authorisationsPage(
  platform: Platform,
  request: AuthorisationsRequest,
): Promise<Result<Html>> {
  const q = platform.article6.queries;
  const [listed, versions, names, organisations] = await Promise.all([
    q.authorisations({ from: request.from }, request),
    q.latestApproaches(),
    partyNames(platform),
    platform.cycleQueries.organisations(),
  ]);
  if (!listed.ok) return listed;
  const all = listed.value.items;
  const refs = new Set(all.flatMap((a) => a.versions.at(-1)?.authorisation.projects ?? []));
  const projects = await platform.portal.projectsByReference([...refs]);
  const context: AuthorisationContext = {
    names,
    approaches: new Map<string, CooperativeApproach>(
      versions.map((v) => [v.approach.id, v.approach]),
    ),
    organisations: new Map(organisations.map((o) => [o.id, o])),
    projects: new Map(
      projects.flatMap((p) => (p.reference === null ? [] : [[p.reference, p] as const])),
    ),
  };
  const first = request.after === undefined && request.from === undefined;
  const body = html`<p>
      A Party authorises mitigation outcomes of a cooperative approach for use towards an NDC, for
      other international mitigation purposes (OIMP, such as CORSIA), or both. A change is a new
      version; every version stays here. Figures are read from the registries' journals on this
      platform: each version names the journal entry that recorded it, and the credits covered are
      those issued or assigned under the authorisation so far, which its cap limits. Authorisations
      are listed by id, a page at a time.
    </p>
    ${
      all.length === 0
        ? html`<p>
            ${first ? 'No authorisation is recorded on this platform yet.' : 'No authorisation on this page.'}
          </p>`
        : all.map((a) => authorisationSection(a, context))
    }
    ${entitiesSection(all, context)}
    ${pageLinks('/article6/authorisations', listed.value, request.after ?? request.from, limitQuery(request), 'authorisations')}
    <p class="note">As of ${readableLongDate(platform.clock().slice(0, 10))}.</p>`;
  return ok(page('Article 6.2: authorisations', '/article6', body));
}
