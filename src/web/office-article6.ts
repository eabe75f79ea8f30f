// Article 6.2 in the back office, for the governments: the authorisations with their versions and
// confirmations (a page at a time), and the forms that record an authorisation or a new version,
// confirm another Party's authorisation, assign credits to an OIMP authorisation and finalise a
// period. Each form posts to the same service as the API (src/services/article6.ts); the edge has
// checked the session, the CSRF token and the office matrix, and the core checks that the user's
// government is the Party's. A refusal is shown with its code and message, and nothing changes.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { actsForParty } from '../core/article6/parties.ts';
import type { CooperativeApproach } from '../core/article6/types.ts';
import { authorisationIdPattern } from '../services/article6-schemas.ts';
import type { PageRequest } from '../core/shared/page.ts';
import { reject, type Result } from '../core/shared/result.ts';
import type { Recorded } from '../services/article6.ts';
import { forwardedText } from '../core/federation/article6-words.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import type { AuthorisationWithVersions } from './article6-types.ts';
import { authorisationHref } from './article6-links.ts';
import { partyNames, partyWord, purposesWord } from './article6-words.ts';
import { page, table, type Html } from './layout.ts';
import { limitQuery, listRequest, pageLinks, refusedList } from './page-links.ts';
import {
  assignmentFrom,
  assignmentPanel,
  authorisationFrom,
  authorisationPanel,
  finalisationFrom,
  finalisationPanel,
  type Article6Choices,
} from './office-article6-forms.ts';
import {
  csrfField,
  field,
  forbidden,
  mayPost,
  officeEnvelope,
  officeForm,
  officeNav,
  officeSession,
  outcome,
  type OfficeForm,
  type OfficeSession,
} from './office-session.ts';

type Posted = { session: OfficeSession; form: OfficeForm };

/** The service call of each form, by the last segment of its path. */
const operations: Record<
  string,
  (platform: Platform, posted: Posted) => Promise<Result<Recorded>>
> = {
  authorise: (platform, posted) =>
    platform.article6Writes.recordAuthorisation(
      officeEnvelope(posted, authorisationFrom(posted.form)),
    ),
  confirm: async (platform, posted) => {
    const id = field(posted.form, 'authorisation') ?? '';
    const version = field(posted.form, 'version');
    // The registry is the authorisation's own, read from the store, never taken from the form.
    const found = authorisationIdPattern.test(id)
      ? await platform.article6.queries.authorisation(id)
      : null;
    const registry = found?.versions.at(-1)?.authorisation.registry;
    if (registry === undefined)
      return reject('article6_authorisation_not_found', `no authorisation ${id.slice(0, 64)}`);
    return platform.article6Writes.confirmAuthorisation(
      registry,
      officeEnvelope(posted, {
        authorisation: id,
        version: version !== undefined && /^\d{1,6}$/.test(version) ? Number(version) : version,
      }),
    );
  },
  assign: (platform, posted) =>
    platform.article6Writes.authoriseUnits(officeEnvelope(posted, assignmentFrom(posted.form))),
  finalise: (platform, posted) =>
    platform.article6Writes.finalise(officeEnvelope(posted, finalisationFrom(posted.form))),
};

const doneWords: Record<string, string> = {
  authorise: 'Authorisation recorded',
  confirm: 'Confirmation recorded',
  assign: 'Credits assigned to the authorisation',
  finalise: 'Period finalised',
};

/**
 * The confirmation form of the version in force, for a user who acts for another Party of the
 * approach that has not confirmed it yet (the core checks the same when it is posted).
 */
function confirmButton(
  session: OfficeSession,
  record: AuthorisationWithVersions,
  approach: CooperativeApproach | undefined,
): Html | '' {
  const current = record.versions.at(-1);
  if (current === undefined || approach === undefined) return '';
  const a = current.authorisation;
  const awaited = approach.parties.some(
    (p) =>
      p !== a.party && !current.confirmedBy.includes(p) && actsForParty(session.actor, approach, p),
  );
  if (!awaited || !session.mayPost('/office/article6/confirm')) return '';
  return html`<form method="post" action="/office/article6/confirm">
    ${csrfField(session)}
    <input type="hidden" name="authorisation" value="${record.id}" />
    <input type="hidden" name="version" value="${String(a.version)}" />
    <button type="submit">Confirm version ${String(a.version)} of ${record.id}</button>
  </form>`;
}

function authorisationsTable(
  session: OfficeSession,
  all: readonly AuthorisationWithVersions[],
  choices: Article6Choices,
): Html {
  const names = choices.names;
  if (all.length === 0) return html`<p>No authorisation is recorded yet.</p>`;
  return table(
    ['Authorisation', 'Party', 'Version in force', 'Purposes', 'Confirmed by', 'Act'],
    all.map((record) => {
      const current = record.versions.at(-1);
      const a = current?.authorisation;
      return [
        html`<a href="${authorisationHref(record.id)}">${record.id}</a>`,
        a === undefined ? '' : partyWord(names, a.party),
        a === undefined ? '' : `${a.version} of ${a.date}`,
        a === undefined ? '' : `${purposesWord(a.purposes)}${a.oimp === null ? '' : `: ${a.oimp}`}`,
        (current?.confirmedBy ?? []).map((p) => partyWord(names, p)).join(', ') || 'nobody yet',
        html`${confirmButton(
            session,
            record,
            choices.approaches.find((x) => x.id === a?.approach),
          )}
          <a href="/office/article6?edit=${record.id}#record-authorisation"
            >Record a new version</a
          >`,
      ];
    }),
  );
}

async function article6Page(
  platform: Platform,
  session: OfficeSession,
  message: Html | null,
  edit?: string,
  request: PageRequest = {},
): Promise<Html> {
  const q = platform.article6.queries;
  const [listed, versions, names, editing, oimp] = await Promise.all([
    q.authorisations({}, request),
    q.latestApproaches(),
    partyNames(platform),
    edit === undefined ? null : q.authorisation(edit),
    q.oimpAuthorisations(),
  ]);
  const choices: Article6Choices = { approaches: versions.map((v) => v.approach), names };
  const current = editing?.versions.at(-1)?.authorisation;
  return page(
    'Article 6.2: authorisations and adjustments',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
      <p>
        Each form acts for your government only: the platform refuses an authorisation,
        confirmation, assignment or finalisation for another Party's. The public sees the result on
        <a href="/article6/authorisations">the authorisations page</a>.
      </p>
      <h2>Authorisations</h2>
      ${
        listed.ok
          ? html`${authorisationsTable(session, listed.value.items, choices)}
            ${pageLinks('/office/article6', listed.value, request.after, limitQuery(request), 'authorisations')}`
          : html`<p class="error">${listed.error.message} (${listed.error.code})</p>`
      }
      <div id="record-authorisation">${authorisationPanel(session, choices, current)}</div>
      ${assignmentPanel(session, oimp)} ${finalisationPanel(session, choices)}`,
  );
}

export function registerOfficeArticle6(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/office/article6', async (c) => {
    const session = officeSession(c);
    if (!mayPost(session, '/office/article6/authorise')) return c.html(forbidden(), 403);
    const edit = c.req.query('edit');
    const valid = edit !== undefined && authorisationIdPattern.test(edit) ? edit : undefined;
    const request = listRequest(c.req.query('after'), c.req.query('limit'));
    if (!request.ok) return c.html(refusedList(request.error, '/office', '/office/article6'), 400);
    return c.html(await article6Page(platform, session, null, valid, request.value));
  });
  app.post('/office/article6/:operation', async (c: Context<AppEnv>) => {
    const name = c.req.param('operation') ?? '';
    const operation = operations[name];
    if (operation === undefined)
      return c.html(page('Not found', '/office', html`<p>No such form.</p>`), 404);
    const posted = await officeForm(c);
    const result = await operation(platform, posted);
    const done = result.ok ? doneText(name, result.value) : '';
    return c.html(
      await article6Page(platform, posted.session, outcome(result, done)),
      result.ok ? 200 : 422,
    );
  });
}

/** What the form did: recorded here (the journal entry), or forwarded to the peer (issue 16). */
function doneText(name: string, value: Recorded): string {
  const again = value.replayed === true ? ' (already recorded: this form was sent before)' : '';
  return 'forwarded' in value
    ? `${forwardedText(value.forwarded)}${again}.`
    : `${doneWords[name] ?? 'Done'}${again}, journal entry ${value.entry.chain}#${value.entry.seq}.`;
}
