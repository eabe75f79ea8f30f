// The back office's administration pages (users, organisations and TPE designations, API tokens):
// each page's route for those the matrix lets use it, and its forms, which show the page again with
// what happened. The services do the checks; the pages and forms live in their own files.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { PageRequest } from '../core/shared/page.ts';
import type { Result } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import type { Html } from './layout.ts';
import { commentsAdminPage } from './office-comments.ts';
import { organisationsAdminPage } from './office-organisations.ts';
import {
  forbidden,
  officeForm,
  officeSession,
  outcome,
  type OfficeForm,
  type OfficeSession,
} from './office-session.ts';
import { tokensAdminPage } from './office-tokens.ts';
import { listRequest, refusedList } from './page-links.ts';
import { usersAdminPage } from './office-users.ts';

/** A posted form of an administration page, and what it did (shown in the page's status line). */
export type AdminForm = (
  platform: Platform,
  posted: { session: OfficeSession; form: OfficeForm },
) => Promise<{ result: Result<unknown>; done: Html | string }>;

/**
 * An administration page: how it renders (with the page of its list asked for, when it lists a page
 * at a time), who may open it, and its forms by their last segment.
 */
export interface AdminPage {
  readonly render: (
    platform: Platform,
    session: OfficeSession,
    message: Html | null,
    request?: PageRequest,
  ) => Promise<Html>;
  readonly may: (session: OfficeSession) => boolean;
  readonly forms: Readonly<Record<string, AdminForm>>;
}

/** The administration pages by the last segment of their path (/office/users, ...). */
const adminPages: Readonly<Record<string, AdminPage>> = {
  users: usersAdminPage,
  organisations: organisationsAdminPage,
  tokens: tokensAdminPage,
  comments: commentsAdminPage,
};

export function registerOfficeAdmin(app: Hono<AppEnv>, platform: Platform): void {
  for (const [name, { render, may }] of Object.entries(adminPages)) {
    app.get(`/office/${name}`, async (c) => {
      const session = officeSession(c);
      if (!may(session)) return c.html(forbidden(), 403);
      const request = listRequest(c.req.query('after'), c.req.query('limit'));
      if (!request.ok) return c.html(refusedList(request.error, '/office', `/office/${name}`), 400);
      return c.html(await render(platform, session, null, request.value));
    });
  }

  for (const [name, { render, forms }] of Object.entries(adminPages))
    for (const [verb, handle] of Object.entries(forms))
      app.post(`/office/${name}/${verb}`, async (c: Context<AppEnv>) => {
        const posted = await officeForm(c);
        const { result, done } = await handle(platform, posted);
        const message = result.ok ? html`<div role="status">${done}</div>` : outcome(result, '');
        return c.html(await render(platform, posted.session, message), result.ok ? 200 : 422);
      });
}
