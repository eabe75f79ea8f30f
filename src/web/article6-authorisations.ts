// One authorisation as the public reads it: the version in force in words (purposes, OIMP named,
// first-transfer definition, cap and credits covered, timeframe, authorised Parties and entities,
// confirmations), every version in a table with the journal entry that recorded it, and the
// authorised entities of a page of authorisations as the platform's organisation records they link
// to.
import { html } from 'hono/html';
import type { Authorisation, CooperativeApproach } from '../core/article6/types.ts';
import { readableCredits, readableLongDate } from '../core/shared/readable.ts';
import type { AuthorisationVersion, AuthorisationWithVersions } from './article6-types.ts';
import type { Platform } from '../services/platform.ts';
import { authorisationHref, entryLink } from './article6-links.ts';
import { firstTransferWord, partyWord, purposesWord } from './article6-words.ts';
import { countryName, registryName, table, type Html } from './layout.ts';

type Organisation = Awaited<ReturnType<Platform['cycleQueries']['organisations']>>[number];
type Project = Awaited<ReturnType<Platform['portal']['projectsByReference']>>[number];

export interface AuthorisationContext {
  readonly names: ReadonlyMap<string, string>;
  readonly approaches: ReadonlyMap<string, CooperativeApproach>;
  readonly organisations: ReadonlyMap<string, Organisation>;
  /** The projects of the cycle the authorisations shown cover, by their reference (IN001). */
  readonly projects: ReadonlyMap<string, Project>;
}

/** The anchor of an organisation on the authorisations page. */
export function entityAnchor(organisation: string): string {
  return `entity-${organisation}`;
}

/**
 * An authorised entity, linked to its record in the entities of the page that starts with the
 * authorisation naming it (that page lists the entities of its authorisations), or, without one,
 * to the entities of this page.
 */
export function entityLink(organisation: string, name: string, authorisation?: string): Html {
  const anchor = entityAnchor(organisation);
  const href =
    authorisation === undefined ? `#${anchor}` : authorisationHref(authorisation, anchor);
  return html`<a href="${href}">${name}</a>`;
}

function timeframeWords(a: Authorisation): string {
  if (a.validFrom === null && a.validUntil === null) return 'no time limit';
  if (a.validFrom === null) return `until ${readableLongDate(a.validUntil)}`;
  if (a.validUntil === null) return `from ${readableLongDate(a.validFrom)}`;
  return `from ${readableLongDate(a.validFrom)} until ${readableLongDate(a.validUntil)}`;
}

function capWords(a: Authorisation, covered: bigint): string {
  return a.quantityCap === null
    ? `${readableCredits(covered)} credits covered; no cap`
    : `${readableCredits(covered)} credits covered of a cap of ${readableCredits(a.quantityCap)}`;
}

function confirmationWords(
  version: AuthorisationVersion,
  approach: CooperativeApproach | undefined,
  names: ReadonlyMap<string, string>,
): string {
  const confirmed = version.confirmedBy.map((p) => partyWord(names, p));
  const others = (approach?.parties ?? []).filter(
    (p) => p !== version.authorisation.party && !version.confirmedBy.includes(p),
  );
  const done = confirmed.length === 0 ? '' : `Confirmed by ${confirmed.join(' and ')}.`;
  if (approach?.confirmationRequired !== true)
    return `${done} The partnership\u2019s rulebook asks for no confirmation.`.trim();
  if (others.length === 0) return `${done} It has taken effect.`.trim();
  return `${done} Awaiting the confirmation of ${others.map((p) => partyWord(names, p)).join(' and ')}: it takes effect once every other Party has confirmed it.`.trim();
}

function projectLinks(a: Authorisation, projects: AuthorisationContext['projects']): Html {
  return html`${a.projects.map((ref, i) => {
    const p = projects.get(ref);
    const sep = i === 0 ? '' : ', ';
    return p === undefined
      ? html`${sep}${ref}`
      : html`${sep}<a href="/projects/${p.id}">${ref}</a>`;
  })}`;
}

function entityList(a: Authorisation, context: AuthorisationContext): Html | string {
  if (a.authorisedEntities.length === 0) return 'none named';
  return html`<ul>
    ${a.authorisedEntities.map(
      (e) =>
        html`<li>
          ${entityLink(e.organisation, context.organisations.get(e.organisation)?.name ?? e.name)}
          (${countryName(e.country)}, identification number ${e.identifier})
        </li>`,
    )}
  </ul>`;
}

/** Whether every project the authorisation covers is one of the synthetic demo's. */
function isSynthetic(a: Authorisation, projects: AuthorisationContext['projects']): boolean {
  return a.projects.length > 0 && a.projects.every((ref) => projects.get(ref)?.synthetic === true);
}

export function authorisationSection(
  record: AuthorisationWithVersions,
  context: AuthorisationContext,
): Html {
  const current = record.versions.at(-1);
  if (current === undefined) return html``;
  const a = current.authorisation;
  const approach = context.approaches.get(a.approach);
  const party = partyWord(context.names, a.party);
  return html`<section aria-labelledby="${record.id}">
    <h2 id="${record.id}">${record.id}: ${party}'s authorisation</h2>
    ${
      isSynthetic(a, context.projects)
        ? html`<p class="note">
            <span class="synthetic">Synthetic demo data</span>: an authorisation of the platform's
            demo, about a demo project.
          </p>`
        : ''
    }
    <p>
      Version ${a.version} of ${record.versions.length}, dated ${readableLongDate(a.date)}, is in
      force; ${capWords(a, record.covered)}.
    </p>
    <dl class="facts">
      <dt>Authorising Party</dt>
      <dd>${party}</dd>
      <dt>Cooperative approach</dt>
      <dd><a href="/article6#approach-${a.approach}">${a.approach}</a></dd>
      <dt>Credits in</dt>
      <dd>${registryName(a.registry)}</dd>
      <dt>Projects</dt>
      <dd>${projectLinks(a, context.projects)}</dd>
      <dt>Vintages</dt>
      <dd>
        ${a.vintageFirst === a.vintageLast ? String(a.vintageFirst) : `${a.vintageFirst} to ${a.vintageLast}`}
      </dd>
      <dt>Timeframe</dt>
      <dd>${timeframeWords(a)}</dd>
      <dt>Purposes</dt>
      <dd>${purposesWord(a.purposes)}${a.oimp === null ? '' : `: ${a.oimp}`}</dd>
      <dt>First transfer</dt>
      <dd>${firstTransferWord(a.firstTransferDefinition)}</dd>
      <dt>Authorised Parties</dt>
      <dd>${a.authorisedParties.map((p) => partyWord(context.names, p)).join(', ')}</dd>
      <dt>Authorised entities</dt>
      <dd>${entityList(a, context)}</dd>
      <dt>Terms</dt>
      <dd>${a.terms === '' ? 'none stated' : a.terms}</dd>
      <dt>Confirmations</dt>
      <dd>${confirmationWords(current, approach, context.names)}</dd>
    </dl>
    ${versionsTable(record, context)}
  </section>`;
}

function versionsTable(record: AuthorisationWithVersions, context: AuthorisationContext): Html {
  return table(
    [
      'Version',
      'Dated',
      'Purposes',
      'Vintages',
      '#Cap',
      'Timeframe',
      'Confirmed by',
      'Recorded in',
    ],
    record.versions.map((v) => {
      const a = v.authorisation;
      return [
        String(a.version),
        readableLongDate(a.date),
        purposesWord(a.purposes),
        `${a.vintageFirst} to ${a.vintageLast}`,
        a.quantityCap === null ? 'no cap' : readableCredits(a.quantityCap),
        timeframeWords(a),
        v.confirmedBy.length === 0
          ? 'nobody yet'
          : v.confirmedBy.map((p) => partyWord(context.names, p)).join(', '),
        entryLink(v.entry),
      ];
    }),
    `Every version of ${record.id}, oldest first`,
  );
}

/**
 * The organisations the authorisations of this page name as authorised entities, each anchored so
 * that every mention links here.
 */
export function entitiesSection(
  all: readonly AuthorisationWithVersions[],
  context: AuthorisationContext,
): Html | '' {
  const named = new Map<string, { country: string; identifiers: Set<string>; ids: Set<string> }>();
  for (const record of all)
    for (const v of record.versions)
      for (const e of v.authorisation.authorisedEntities) {
        const found = named.get(e.organisation) ?? {
          country: e.country,
          identifiers: new Set<string>(),
          ids: new Set<string>(),
        };
        found.identifiers.add(e.identifier);
        found.ids.add(record.id);
        named.set(e.organisation, found);
      }
  if (named.size === 0) return '';
  return html`<h2 id="entities">Authorised entities</h2>
    <p>
      Each authorised entity the authorisations above name is an organisation registered on this
      platform (AEF table 5), with its country of incorporation and the identification number the
      authorising Party gave.
    </p>
    ${table(
      [
        'Organisation',
        'Platform id',
        'Country of incorporation',
        'Identification number',
        'Authorisations',
      ],
      [...named].map(([id, e]) => {
        const organisation = context.organisations.get(id);
        return [
          html`<span id="${entityAnchor(id)}">${organisation?.name ?? id}</span
            >${organisation?.synthetic === true ? html` <span class="synthetic">synthetic demo data</span>` : ''}`,
          id,
          countryName(e.country),
          [...e.identifiers].join(', '),
          html`${[...e.ids].map((a, i) => html`${i === 0 ? '' : ', '}<a href="#${a}">${a}</a>`)}`,
        ];
      }),
    )}`;
}
