// Retiring and cancelling credits in the back office, for account holders and registry managers:
// the retirement form names the purpose and, for a use towards an NDC, the calendar year of use
// (decision 2/CMA.3, annex, paragraph 8(b)); the cancellation form names why (OMGE, voluntary,
// other). Both post to the ledger's commands with the API's schemas, so a refusal carries the same
// stable code; the ledger checks that the user holds the account or manages its registry.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { cancellationKinds } from '../core/article6/types.ts';
import { retirementPurposes } from '../core/ledger/types.ts';
import type { Result } from '../core/shared/result.ts';
import type { Committed } from '../services/ledger-service.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { cancellationKindWords, subtypeWord } from './article6-words.ts';
import { page, type Html } from './layout.ts';
import {
  actionPanel,
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

/** The credits a form names: a quantity, optionally of one project and vintage. */
function selectionFrom(form: OfficeForm) {
  const project = field(form, 'project');
  const vintage = field(form, 'vintage');
  return {
    quantity: field(form, 'quantity') ?? '',
    ...(project === undefined ? {} : { project }),
    ...(vintage === undefined ? {} : { vintage }),
  };
}

/** A year from a text field: a number when it is digits, else the text (the schema names it). */
const yearOf = (text: string | undefined) =>
  text === undefined ? undefined : /^\d{1,6}$/.test(text) ? Number(text) : text;

export function retirementFrom(form: OfficeForm): Record<string, unknown> {
  const yearOfUse = yearOf(field(form, 'yearOfUse'));
  return {
    from: field(form, 'from')?.toUpperCase() ?? '',
    selection: selectionFrom(form),
    purpose: field(form, 'purpose') ?? '',
    beneficiary: field(form, 'beneficiary') ?? '',
    note: field(form, 'note') ?? '',
    ...(yearOfUse === undefined ? {} : { yearOfUse }),
  };
}

export function cancellationFrom(form: OfficeForm): Record<string, unknown> {
  const kind = field(form, 'cancellationKind');
  return {
    from: field(form, 'from')?.toUpperCase() ?? '',
    selection: selectionFrom(form),
    reason: field(form, 'reason') ?? '',
    ...(kind === undefined ? {} : { cancellationKind: kind }),
  };
}

function creditsFields(prefix: string): Html {
  return html`<label for="${prefix}-from"
      >From account<input id="${prefix}-from" name="from" required
    /></label>
    <label for="${prefix}-quantity"
      >Credits<input id="${prefix}-quantity" name="quantity" inputmode="numeric" required
    /></label>
    <label for="${prefix}-project"
      >Project reference (optional)<input id="${prefix}-project" name="project"
    /></label>
    <label for="${prefix}-vintage"
      >Vintage (optional)<input id="${prefix}-vintage" name="vintage" inputmode="numeric"
    /></label>`;
}

function retirementPanel(session: OfficeSession): Html | '' {
  return actionPanel(
    session,
    '/office/retirements/retire',
    'Retire credits',
    html`${creditsFields('retire')}
      <label for="retire-purpose"
        >Purpose<select id="retire-purpose" name="purpose">
          ${retirementPurposes.map((p) => html`<option value="${p}">${subtypeWord(p)}</option>`)}
        </select></label
      >
      <label for="retire-year"
        >Year of use towards the NDC (ITMOs used towards an NDC; the calendar year the use counts
        for)<input id="retire-year" name="yearOfUse" inputmode="numeric"
      /></label>
      <label for="retire-beneficiary"
        >Beneficiary<input id="retire-beneficiary" name="beneficiary" required
      /></label>
      <label for="retire-note">Note<input id="retire-note" name="note" /></label>
      <button type="submit">Retire the credits</button>`,
  );
}

function cancellationPanel(session: OfficeSession): Html | '' {
  return actionPanel(
    session,
    '/office/retirements/cancel',
    'Cancel credits',
    html`${creditsFields('cancel')}
      <label for="cancel-kind"
        >Kind of cancellation (ITMOs)<select id="cancel-kind" name="cancellationKind">
          <option value="">not an ITMO: no kind</option>
          ${cancellationKinds.map((k) => html`<option value="${k}">${cancellationKindWords[k]}</option>`)}
        </select></label
      >
      <label for="cancel-reason">Reason<input id="cancel-reason" name="reason" required /></label>
      <button type="submit">Cancel the credits</button>`,
  );
}

function retirementsPage(session: OfficeSession, message: Html | null): Html {
  return page(
    'Retire or cancel credits',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
      <p>
        Retired and cancelled credits never move again. For ITMOs, a use towards an NDC names the
        calendar year of use, and a cancellation says why: overall mitigation in global emissions
        (OMGE) is the Party's own choice, never deducted automatically.
      </p>
      ${retirementPanel(session)} ${cancellationPanel(session)}`,
  );
}

const operations: Record<
  string,
  (
    platform: Platform,
    posted: { session: OfficeSession; form: OfficeForm },
  ) => Promise<Result<Committed>>
> = {
  retire: (platform, posted) =>
    platform.ledger.execute('retire', officeEnvelope(posted, retirementFrom(posted.form))),
  cancel: (platform, posted) =>
    platform.ledger.execute('cancel', officeEnvelope(posted, cancellationFrom(posted.form))),
};

export function registerOfficeRetirements(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/office/retirements', (c) => {
    const session = officeSession(c);
    if (!mayPost(session, '/office/retirements/retire', '/office/retirements/cancel'))
      return c.html(forbidden(), 403);
    return c.html(retirementsPage(session, null));
  });
  app.post('/office/retirements/:operation', async (c: Context<AppEnv>) => {
    const name = c.req.param('operation') ?? '';
    const operation = operations[name];
    if (operation === undefined)
      return c.html(page('Not found', '/office', html`<p>No such form.</p>`), 404);
    const posted = await officeForm(c);
    const result = await operation(platform, posted);
    const done = result.ok
      ? `${name === 'retire' ? 'Credits retired' : 'Credits cancelled'}, journal entry ${result.value.entry.chain}#${result.value.entry.seq}.`
      : '';
    return c.html(retirementsPage(posted.session, outcome(result, done)), result.ok ? 200 : 422);
  });
}
