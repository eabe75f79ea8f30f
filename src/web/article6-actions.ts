// A Party's actions of a year on its page, a page at a time in journal order: each action in words
// with its credits, ITMO identifiers and the journal entry it was read from. The page's cursor is
// the last action's place, `?after=chain:seq:n`, with a limit of at most `actionsPerPageMax`.
import { html } from 'hono/html';
import { formatItmoId } from '../core/article6/itmo-id.ts';
import { readableCredits, readableLongDate } from '../core/shared/readable.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { ActionCursor, StoredAction } from './article6-types.ts';
import type { Platform } from '../services/platform.ts';
import { entityLink } from './article6-authorisations.ts';
import { authorisationHref, entryLink, partyYearHref } from './article6-links.ts';
import { actionTypeWord, partyWord, purposeSetWord, subtypeWord } from './article6-words.ts';
import { table, type Html } from './layout.ts';
import { pageAsked } from './page-links.ts';

/** Actions on one page of a Party's year, at most; and when the query names no limit. */
export const actionsPerPageMax = 200;
export const actionsPerPageDefault = 50;

export interface ActionsPage {
  readonly after: ActionCursor | undefined;
  readonly limit: number;
}

const cursorPattern = /^((?:JC-)?[A-Z]{2}):(\d{1,18}):(\d{1,6})$/;

/**
 * The page a query asks for: `limit` read as every paged page reads it (page-links.ts), at most
 * `actionsPerPageMax`, and `after=chain:seq:n`, the place of the last action shown.
 */
export function actionsPageOf(query: {
  after?: string | undefined;
  limit?: string | undefined;
}): Result<ActionsPage> {
  const asked = pageAsked(query, { max: actionsPerPageMax, fallback: actionsPerPageDefault });
  if (!asked.ok) return asked;
  if (asked.value.after === undefined) return ok({ after: undefined, limit: asked.value.limit });
  const match = cursorPattern.exec(asked.value.after);
  if (match === null)
    return reject(
      'invalid_request',
      'after: the place of the last action shown, chain:seq:n (for example JP:8:2)',
      { after: 'not chain:seq:n' },
    );
  const after = { chain: match[1] ?? '', seq: BigInt(match[2] ?? '0'), n: Number(match[3]) };
  return ok({ after, limit: asked.value.limit });
}

export function cursorText(cursor: ActionCursor): string {
  return `${cursor.chain}:${cursor.seq}:${cursor.n}`;
}

type Organisations = ReadonlyMap<string, { readonly name: string }>;

/** The using or cancelling Party by name, or the organisation linked to its record. */
function userCell(
  who: string | null,
  names: ReadonlyMap<string, string>,
  organisations: Organisations,
  authorisation: string,
): Html | string {
  if (who === null) return '';
  if (/^[A-Z]{3}$/.test(who)) return partyWord(names, who);
  const organisation = organisations.get(who);
  return organisation === undefined ? who : entityLink(who, organisation.name, authorisation);
}

function creditsCell(a: StoredAction): Html {
  const id = (serial: bigint) =>
    formatItmoId({
      approach: a.approach,
      partyRegistryId: a.partyRegistryId,
      firstParty: a.firstParty,
      project: a.project,
      serial,
      vintage: a.vintage,
    });
  return html`${a.project} serials ${readableCredits(a.serialFirst)} to
    ${readableCredits(a.serialLast)}, vintage ${a.vintage} <br /><span class="mono"
      >${id(a.serialFirst)}</span
    >
    to <span class="mono">${id(a.serialLast)}</span>`;
}

function movementCell(a: StoredAction, names: ReadonlyMap<string, string>): string {
  const from = a.transferringParty === null ? null : partyWord(names, a.transferringParty);
  const to = a.acquiringParty === null ? null : partyWord(names, a.acquiringParty);
  if (from !== null && to !== null) return `from ${from} to ${to}`;
  if (from !== null) return `by ${from}`;
  return to === null ? '' : `to ${to}`;
}

/** The actions of one page as a table, with the links to the next page and back to the first. */
export function actionsSection(
  party: string,
  year: number,
  shown: { readonly actions: readonly StoredAction[]; readonly next: ActionCursor | null },
  request: ActionsPage,
  context: { readonly names: ReadonlyMap<string, string>; readonly organisations: Organisations },
): Html {
  const base = `${partyYearHref(party, year)}`;
  const limit = request.limit === actionsPerPageDefault ? '' : `&limit=${request.limit}`;
  const links = [
    request.after === undefined
      ? ''
      : html`<a href="${base}${limit === '' ? '' : `?${limit.slice(1)}`}#actions">First page</a>`,
    shown.next === null
      ? ''
      : html`<a href="${base}?after=${cursorText(shown.next)}${limit}#actions" rel="next"
          >Next page</a
        >`,
  ];
  const rows = shown.actions.map((a) => [
    readableLongDate(a.date),
    `${actionTypeWord(a.type)}${a.subtype === null ? '' : `, ${subtypeWord(a.subtype)}`}`,
    html`<a href="${authorisationHref(a.authorisation)}">${a.authorisation}</a>`,
    creditsCell(a),
    readableCredits(a.quantity),
    movementCell(a, context.names),
    purposeSetWord(a.purpose),
    userCell(a.usingOrCancelling, context.names, context.organisations, a.authorisation),
    a.yearOfUse === null ? '' : String(a.yearOfUse),
    entryLink(a.entry),
  ]);
  return html`<h2 id="actions">Actions of ${year}</h2>
    <p>
      Each action is read from a journal entry of a registry on this platform, never typed in; the
      last column links to that entry. ${shown.actions.length} action(s) on this page, in journal
      order, at most ${request.limit} a page.
    </p>
    ${
      shown.actions.length === 0
        ? html`<p>No action on this page.</p>`
        : table(
            [
              'Date',
              'Action',
              'Authorisation',
              'Credits and ITMO identifiers',
              '#Credits',
              'Between Parties',
              'Purpose',
              'Used or cancelled by',
              'Year of use',
              'Read from',
            ],
            rows,
            `Actions of ${partyWord(context.names, party)} in ${year}`,
          )
    }
    <nav aria-label="Pages of actions">${links}</nav>`;
}

export async function actionsOf(
  platform: Platform,
  party: string,
  year: number,
  request: ActionsPage,
) {
  return platform.article6.queries.partyActions(party, year, {
    limit: request.limit,
    ...(request.after === undefined ? {} : { after: request.after }),
  });
}
