// What every back-office page starts with: the session (or the way to the login form), the posted
// form checked against the session's CSRF token, the office's own navigation and the outcome line of
// an action. Pages and forms live in office-*.ts.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { assert } from '../core/shared/assert.ts';
import type { Actor, Role } from '../core/ledger/actor.ts';
import { errorCodes } from '../core/shared/error-codes.ts';
import type { Rejection } from '../core/shared/result.ts';
import type { AppEnv } from '../services/request-scope.ts';
import type { WriteEnvelope } from '../services/write-pipeline.ts';
import { page, type Html } from './layout.ts';

export interface OfficeSession {
  readonly actor: Actor;
  readonly csrfToken: string;
  /** Whether the authorisation matrix lets the user post a form (the edge enforces the same). */
  readonly mayPost: (formPath: string) => boolean;
}
export type OfficeForm = Record<string, string | File | (string | File)[]>;

/** The session of a back-office page (the edge sends anyone without one to the login form). */
export function officeSession(c: Context<AppEnv>): OfficeSession {
  const actor = c.get('actor');
  const csrfToken = c.get('csrfToken');
  assert(actor !== null && csrfToken !== null, `the edge found the session of ${c.req.path}`);
  return { actor, csrfToken, mayPost: c.get('mayPost') };
}

/**
 * A posted form with its session. The edge has checked the session's CSRF token and the office's
 * row of the authorisation matrix before the route runs.
 */
export async function officeForm(
  c: Context<AppEnv>,
): Promise<{ session: OfficeSession; form: OfficeForm }> {
  return { session: officeSession(c), form: await c.req.parseBody({ all: true }) };
}

/**
 * The write envelope of a posted form: its idempotency key comes with the form (a second press of
 * the same form is answered, not done twice), or a new one when the form has none.
 */
export function officeEnvelope<I>(
  posted: { session: OfficeSession; form: OfficeForm },
  input: I,
): WriteEnvelope<I> {
  const key = field(posted.form, 'idempotency_key');
  return {
    actor: posted.session.actor,
    idempotencyKey:
      key !== undefined && /^office-[0-9a-f-]{36}$/.test(key) ? key : `office-${randomUUID()}`,
    input,
  };
}

/** One text field of a form, trimmed; absent when empty. */
export function field(form: OfficeForm, name: string): string | undefined {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/** Every value of a repeated field (check boxes), without empty ones. */
export function fields(form: OfficeForm, name: string): string[] {
  const value = form[name];
  return (Array.isArray(value) ? value : [value]).filter(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
}

/** Whether the matrix lets the user post one of these forms (a page shows to those who may). */
export function mayPost(session: OfficeSession, ...formPaths: string[]): boolean {
  return formPaths.some((path) => session.mayPost(path));
}

export function hasRole(actor: Actor, ...kinds: Role['kind'][]): boolean {
  return actor.roles.some((r) => kinds.includes(r.kind));
}

export function forbidden(): Html {
  return page(
    'Not allowed',
    '/office',
    html`<p role="alert">Your roles do not allow this page, or the form expired.</p>`,
  );
}

/** The hidden fields of every form: the session's CSRF token and this form's idempotency key. */
export function csrfField(session: OfficeSession): Html {
  return html`<input type="hidden" name="csrf" value="${session.csrfToken}" /><input
      type="hidden"
      name="idempotency_key"
      value="office-${randomUUID()}"
    />`;
}

/** What happened, for the top of the page: a status line, or the refusal with its code. */
export function outcome(
  result: { ok: true } | { ok: false; error: Rejection },
  done: string,
): Html {
  return result.ok
    ? html`<p role="status">${done}</p>`
    : html`<div role="alert">
        <p>${errorCodes[result.error.code]} (${result.error.code})</p>
        ${
          Array.isArray(result.error.details?.['issues'])
            ? html`<ul>
                ${(result.error.details['issues'] as readonly string[]).map((i) => html`<li>${i}</li>`)}
              </ul>`
            : html`<p>${result.error.message}</p>`
        }
      </div>`;
}

/**
 * A form of the back office in its panel (heading, CSRF token, fields), or nothing when the
 * authorisation matrix does not let the user post it.
 */
export function actionPanel(
  session: OfficeSession,
  action: string,
  title: string,
  fields: Html,
  level: 2 | 3 = 2,
): Html | '' {
  if (!session.mayPost(action)) return '';
  const heading = level === 2 ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`;
  return html`<form class="action" method="post" action="${action}" aria-label="${title}">
    ${csrfField(session)} ${heading} ${fields}
  </form>`;
}

/** The back office's links, by role: what this user can open. */
export function officeNav(session: OfficeSession): Html {
  const { actor } = session;
  const links: [string, string, boolean][] = [
    ['/office', 'Inbox', true],
    [
      '/office/new',
      'Start a submission',
      hasRole(
        actor,
        'project_participant',
        'government_japan',
        'government_partner',
        'joint_committee',
      ),
    ],
    ['/office/monitoring', 'Check a monitoring spreadsheet', true],
    ['/office/registry', 'Registry operations', mayPost(session, '/office/registry/issue')],
    [
      '/office/retirements',
      'Retire or cancel credits',
      mayPost(session, '/office/retirements/retire'),
    ],
    ['/office/article6', 'Article 6.2', mayPost(session, '/office/article6/authorise')],
    [
      '/office/transfers',
      'Transfers out of government accounts',
      mayPost(session, '/office/transfers/x/approve'),
    ],
    [
      '/office/organisations',
      'Organisations and TPEs',
      mayPost(session, '/office/organisations/add', '/office/organisations/designate'),
    ],
    ['/office/comments', 'Public comments', mayPost(session, '/office/comments/publish')],
    ['/office/users', 'Users', mayPost(session, '/office/users/add')],
    ['/office/tokens', 'API tokens', true],
    ['/office/audit', 'Audit', mayPost(session, '/office/audit')],
    ['/office/reconcile', 'Reconciliation', mayPost(session, '/office/reconcile')],
  ];
  return html`<nav aria-label="Back office" class="office">
    ${links.filter(([, , shown]) => shown).map(([href, label]) => html`<a href="${href}">${label}</a> `)}
    <form method="post" action="/logout">
      ${csrfField(session)}<button type="submit">Log out</button>
    </form>
  </nav>`;
}
