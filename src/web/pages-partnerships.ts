// The partnership pages: one partnership as a record (bilateral document, Joint Committee,
// secretariat, registries, rulebook, cooperative approach, its projects a page at a time), and for
// the partnerships list the partnerships with a record and the JCM's figures of the Ministry of the
// Environment's slides (technology adoptions by sector, projects), each with a source a person can
// find.
import { html } from 'hono/html';
import { dateOfClock } from '../core/shared/civil-date.ts';
import {
  citation,
  type FactSource,
  type JointCommitteeMember,
  type Partnership,
} from '../core/partnership/record.ts';
import { rulesInForce, versionInForce } from '../core/cycle/rulebook.ts';
import { stateWord } from '../core/cycle/words.ts';
import { moejCitation, projectsStated, technologyAdoptions } from '../core/shared/jcm-figures.ts';
import type { PageRequest } from '../core/shared/page.ts';
import { ok, type Result } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import { page, table, type Html } from './layout.ts';
import { limitQuery, pageLinks } from './page-links.ts';
import { readableLongDate } from '../core/shared/readable.ts';

/** The source of a fact, with the synthetic label in its own visible mark. */
export function sourceNote(source: FactSource): Html {
  return 'synthetic' in source
    ? html`<p class="note"><span class="synthetic">Synthetic demo data</span>: ${source.note}.</p>`
    : html`<p class="note">Source: ${citation(source)}.</p>`;
}

/** The partnership's page with a page of its projects; null for no such partnership. */
export async function partnershipPage(
  platform: Platform,
  code: string,
  request: PageRequest,
): Promise<Result<Html> | null> {
  if (!/^[A-Z]{2}$/.test(code)) return null;
  const p = await platform.partnerships.get(code);
  if (p === null) return null;
  const listed = await platform.portal.projects({ country: code }, request);
  if (!listed.ok) return listed;
  const projects = listed.value.items;
  const body = html`${documentSection(p)} ${jointCommitteeSection(p)}
    <h2>Secretariat</h2>
    <p>${p.secretariat.name}</p>
    ${sourceNote(p.secretariat.source)}
    <h2>Registries</h2>
    <ul>
      <li>${p.registries.japan.name} ${sourceNote(p.registries.japan.source)}</li>
      <li>${p.registries.partner.name} ${sourceNote(p.registries.partner.source)}</li>
    </ul>
    <p>Credits held in both: see the <a href="/registry">registry statistics</a>.</p>
    ${rulebookSection(platform, p)} ${approachSection(p)}
    <h2>Projects</h2>
    ${
      projects.length === 0 && request.after === undefined
        ? html`<p>No project of this partnership is in the cycle on this platform.</p>`
        : table(
            ['Project', 'Reference', 'State'],
            projects.map((project) => [
              html`<a href="/projects/${project.id}">${project.title}</a>`,
              project.reference ?? 'not registered yet',
              stateWord(project.state),
            ]),
          )
    }
    ${pageLinks(`/partnerships/${code}`, listed.value, request.after, limitQuery(request), 'projects')}`;
  return ok(page(p.name, '/partnerships', body));
}

function documentSection(p: Partnership): Html {
  const doc = p.bilateral_document;
  return html`<h2>
      ${doc.kind === 'memorandum_of_cooperation' ? 'Memorandum of Cooperation' : 'Bilateral document'}
    </h2>
    <p>
      ${doc.title}, signed on ${readableLongDate(doc.signed_on)}
      ${doc.signed_in === null ? '(place of signing not stated in the source)' : `in ${doc.signed_in}`}.
    </p>
    ${sourceNote(doc.source)}`;
}

function jointCommitteeSection(p: Partnership): Html {
  const jc = p.joint_committee;
  const side = (m: JointCommitteeMember) => (m.side === 'japan' ? 'Japan' : p.partner.name);
  return html`<h2>Joint Committee</h2>
    <p>${jc.composition}</p>
    ${sourceNote(jc.composition_source)}
    ${table(
      ['Name', 'Side', 'Role', 'Affiliation'],
      jc.members.map((m) => [
        m.name,
        side(m),
        m.role === 'co_chair' ? 'Co-chair' : 'Member',
        m.affiliation,
      ]),
      `Members of the Joint Committee of the ${p.name}`,
    )}
    ${sourceNote(jc.members_source)}`;
}

function rulebookSection(platform: Platform, p: Partnership): Html {
  if (p.rulebook === null)
    return html`<h2>Rulebook</h2>
      <p>
        This platform holds no rulebook of this partnership: the common rules of the project cycle
        apply.
      </p>`;
  const book = platform.rulebooks.find(
    (r) => 'partnership' in r.scope && r.scope.partnership === p.rulebook,
  );
  const today = dateOfClock(platform.clock());
  // The rules of the partnership's own rulebook (a programme's rules apply only to its projects).
  const inForce = rulesInForce(platform.rulebooks, p.rulebook, null, today);
  const version = book === undefined ? undefined : versionInForce(book, today);
  return html`<h2>Rulebook</h2>
    <p>
      ${book?.name ?? p.rulebook}:
      ${
        version === undefined
          ? 'no version is in force today.'
          : `version ${version.version}, in force from ${readableLongDate(version.effective_from)}.`
      }
    </p>
    ${
      inForce.rules.length === 0
        ? ''
        : html`<ul>
            ${inForce.rules.map((r) => html`<li>${r.text}</li>`)}
          </ul>`
    }
    ${version === undefined ? '' : html`<p class="note">Source: ${version.source}</p>`}`;
}

function approachSection(p: Partnership): Html {
  const approach = p.cooperative_approach;
  const names: Record<string, string> = { JPN: 'Japan', [p.partner.alpha3]: p.partner.name };
  return html`<h2>Cooperative approach (Article 6.2)</h2>
    <p>
      Approach id: ${approach.approach_id ?? 'not assigned yet'}. Participating Parties:
      ${approach.participating_parties.map((a) => names[a] ?? a).join(', ')}.
    </p>
    ${sourceNote(approach.source)}`;
}

/** For the partnerships list: the partnerships that have a record here, with links. */
export async function partnershipRecordsSection(platform: Platform): Promise<Html> {
  const records = await platform.partnerships.list();
  if (records.length === 0) return html``;
  return html`<h2>Partnerships run on this platform</h2>
    ${table(
      ['Partnership', 'Signed on', 'Rulebook', 'Registries'],
      records.map((p) => [
        html`<a href="/partnerships/${p.code}">${p.name}</a>`,
        readableLongDate(p.bilateral_document.signed_on),
        p.rulebook === null ? 'common rules only' : `${p.partner.name}'s rulebook`,
        `${p.registries.japan.name}; ${p.registries.partner.name}`,
      ]),
    )}
    <p class="note">
      Each page shows the partnership's Joint Committee, secretariat and registries with the source
      of every fact; what the sources do not name is marked synthetic demo data.
    </p>`;
}

/** The JCM's figures from the Ministry of the Environment's slides, each with its slide. */
export function jcmFiguresSection(): Html {
  const adoptions = technologyAdoptions;
  return html`<h2>The JCM in figures</h2>
    <div class="cards">
      <div class="card">
        <div class="figure">${adoptions.count}</div>
        technology adoptions
      </div>
      <div class="card">
        <div class="figure">more than ${projectsStated.moreThan}</div>
        JCM projects, ${projectsStated.investment}
      </div>
    </div>
    ${table(
      ['Sector', '#Share of the adoptions', 'Technologies'],
      adoptions.sectors.map((s) => [s.sector, `${s.percent}%`, s.examples]),
      `The ${adoptions.count} technology adoptions of the JCM by sector`,
    )}
    <p class="note">
      Technology adoptions and sector shares: ${moejCitation(adoptions.locator)}.
      ${adoptions.textNote} Projects: ${moejCitation(projectsStated.locator)}. These are the JCM's
      figures, not counts of this platform.
    </p>`;
}
