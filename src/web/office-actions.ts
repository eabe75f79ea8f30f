// Back office routes of the project cycle: an item's page (office-item-page.ts) and the forms it
// offers, whose posts go through the cycle service with the session's CSRF token (and, on a
// project's page, the double-counting forms: office-double-counting.ts), and /office/new, which
// starts idea notes, methodology proposals and PDDs.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { TransitionRule } from '../core/cycle/definition.ts';
import type { Result } from '../core/shared/result.ts';
import type { ProjectData } from '../services/cycle-schemas.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { page, type Html } from './layout.ts';
import { label, ruleOf, standalone, standaloneRules } from './office-cycle-rules.ts';
import {
  documentFields,
  envelopeFrom,
  formChoices,
  neededDocuments,
  projectFields,
  projectFrom,
  type FormChoices,
} from './office-forms.ts';
import { conclusionFrom, registrationFrom } from './office-double-counting.ts';
import { itemPage } from './office-item-page.ts';
import {
  csrfField,
  officeEnvelope,
  officeForm,
  officeNav,
  officeSession,
  outcome,
  type OfficeSession,
} from './office-session.ts';

type Partner = { alpha2: string; name: string };

/** The form of a submission that starts a new item, with the partnership it belongs to. */
function newForm(
  platform: Platform,
  session: OfficeSession,
  rule: TransitionRule,
  partners: readonly Partner[],
  choices: FormChoices,
  typed?: Record<string, unknown>,
): Html {
  return html`<form
    class="action"
    method="post"
    action="/office/new/${rule.action}"
    enctype="multipart/form-data"
    aria-label="${label(rule.action)}"
  >
    ${csrfField(session)}
    <h2>${label(rule.action)}</h2>
    <label for="${rule.action}-partnership"
      >Partnership<select id="${rule.action}-partnership" name="partnership">
        ${partners.map((p) => html`<option value="${p.alpha2}" ${p.alpha2 === 'IN' ? 'selected' : ''}>${p.name}</option>`)}
      </select></label
    >
    ${rule.action === 'propose_methodology' ? '' : projectFields(rule.action, choices, typed as Partial<ProjectData>)}
    ${documentFields(rule.action, neededDocuments(platform, rule, null, null), new Set())}
    <label for="${rule.action}-note">Note<input id="${rule.action}-note" name="note" /></label>
    <button type="submit">${label(rule.action)}</button>
  </form>`;
}

async function newPage(
  platform: Platform,
  session: OfficeSession,
  message: Html | null,
  typed?: Record<string, unknown>,
): Promise<Html> {
  const choices = await formChoices(platform);
  // The partnerships that exist as records: the cycle refuses a new item of any other.
  const partners: Partner[] = (await platform.partnerships.list()).map((p) => ({
    alpha2: p.code,
    name: p.partner.name,
  }));
  const rules = standaloneRules(session.actor);
  return page(
    'Start a submission',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
    ${rules.length === 0 ? html`<p>None of your roles starts a submission.</p>` : ''}
    ${rules.map((rule) => newForm(platform, session, rule, partners, choices, typed))}`,
  );
}

async function act(
  c: Context<AppEnv>,
  platform: Platform,
  action: string,
  target: { item?: string; parent?: string },
) {
  const posted = await officeForm(c);
  const envelope = await envelopeFrom(posted.form, target);
  const result = await platform.cycle.act(action, officeEnvelope(posted, envelope));
  return { posted, result };
}

export function registerOfficeActions(app: Hono<AppEnv>, platform: Platform): void {
  const notFound = (c: Context<AppEnv>) =>
    c.html(page('Not found', '/office', html`<p>No such item.</p>`), 404);

  app.get('/office/items/:id', async (c) => {
    const shown = await itemPage(platform, c.req.param('id'), officeSession(c), null);
    return shown === null ? notFound(c) : c.html(shown);
  });

  app.post('/office/items/:id/:action', async (c) => {
    const action = c.req.param('action');
    const id = c.req.param('id');
    const starts = ruleOf(action)?.from === null;
    const { posted, result } = await act(
      c,
      platform,
      action,
      starts ? { parent: id } : { item: id },
    );
    const message = outcome(
      result,
      result.ok
        ? `Done: ${label(action)}, ${result.value.item} ${result.value.from === null ? 'created:' : `${label(result.value.from)} →`} ${label(result.value.to)}.`
        : '',
    );
    // A new item (a report, a request, a decision) is shown on its own page.
    const shown = await itemPage(
      platform,
      result.ok && starts ? result.value.item : id,
      posted.session,
      message,
    );
    return shown === null ? notFound(c) : c.html(shown, result.ok ? 200 : 422);
  });

  registerDoubleCountingForms(app, platform, notFound);

  app.get('/office/new', async (c) => {
    return c.html(await newPage(platform, officeSession(c), null));
  });

  app.post('/office/new/:action', async (c) => {
    const action = c.req.param('action');
    if (!standalone.includes(action)) return notFound(c);
    const { posted, result } = await act(c, platform, action, {});
    if (!result.ok)
      return c.html(
        await newPage(
          platform,
          posted.session,
          outcome(result, ''),
          projectFrom(posted.form) as Record<string, unknown>,
        ),
        422,
      );
    const shown = await itemPage(
      platform,
      result.value.item,
      posted.session,
      outcome(result, `Submitted: ${result.value.item} is ${label(result.value.to)}.`),
    );
    return shown === null ? notFound(c) : c.html(shown);
  });
}

/** A posted form of a project's page, and what it did (shown at the top of the page again). */
type ItemForm = (
  platform: Platform,
  posted: Awaited<ReturnType<typeof officeForm>>,
  id: string,
) => Promise<{ result: Result<unknown>; done: string }>;

/** The double-counting forms: a registration elsewhere (or its next version), a conclusion. */
const doubleCountingForms: Readonly<Record<string, ItemForm>> = {
  'external-registrations/record': async (platform, posted, id) => {
    const input = registrationFrom(posted.form, id);
    const service = platform.externalRegistrations;
    const envelope = officeEnvelope(posted, input);
    const result = await ('registration' in input
      ? service.newVersion(envelope)
      : service.record(envelope));
    return {
      result,
      done: result.ok
        ? `Recorded: registration elsewhere ${result.value.id}, version ${result.value.version}.`
        : '',
    };
  },
  'duplicate-flags/conclude': async (platform, posted) => {
    const result = await platform.externalRegistrations.conclude(
      officeEnvelope(posted, conclusionFrom(posted.form)),
    );
    return {
      result,
      done: result.ok ? `Flag ${result.value.id} concluded: ${label(result.value.state)}.` : '',
    };
  },
};

function registerDoubleCountingForms(
  app: Hono<AppEnv>,
  platform: Platform,
  notFound: (c: Context<AppEnv>) => Response | Promise<Response>,
): void {
  for (const [path, handle] of Object.entries(doubleCountingForms))
    app.post(`/office/items/:id/${path}`, async (c) => {
      const id = c.req.param('id');
      if ((await platform.cycleQueries.brief([id])).length === 0) return notFound(c);
      const posted = await officeForm(c);
      const { result, done } = await handle(platform, posted, id);
      const shown = await itemPage(platform, id, posted.session, outcome(result, done));
      return shown === null ? notFound(c) : c.html(shown, result.ok ? 200 : 422);
    });
}
