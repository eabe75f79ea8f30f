// The API tokens page of the back office: every user creates tokens that hold some of their roles
// (the secret is shown once) and revokes them. The accounts service does the checks.
import { html } from 'hono/html';
import { reject } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import { day, page, table, type Html } from './layout.ts';
import type { AdminForm, AdminPage } from './office-admin.ts';
import {
  actionPanel,
  csrfField,
  field,
  fields,
  officeEnvelope,
  officeNav,
  type OfficeSession,
} from './office-session.ts';

type Token = Awaited<ReturnType<Platform['accounts']['listApiTokens']>>[number];

/** The user's tokens, with the form that revokes each one still in use. */
function tokenTable(session: OfficeSession, tokens: readonly Token[]): Html {
  return table(
    ['Token', 'Name', 'Roles', 'Created', 'State'],
    tokens.map((t) => [
      t.id,
      t.name,
      t.scopes,
      day(t.created_at),
      t.revoked_at === null
        ? html`<form method="post" action="/office/tokens/revoke">
            ${csrfField(session)}<input type="hidden" name="id" value="${t.id}" />
            <button type="submit">Revoke ${t.id}</button>
          </form>`
        : `revoked ${day(t.revoked_at)}`,
    ]),
  );
}

/** A new token, with a check box for each of the user's roles it may use. */
function createTokenPanel(session: OfficeSession): Html | '' {
  return actionPanel(
    session,
    `/office/tokens/create`,
    `Create an API token`,
    html`<label for="token-name">Name<input id="token-name" name="name" required /></label>
      <fieldset>
        <legend>Roles it may use</legend>
        ${session.actor.roles.map((r) => {
          const text = Object.values(r).join(':');
          return html`<label for="scope-${text}"
            ><input
              id="scope-${text}"
              type="checkbox"
              name="scopes"
              value="${text}"
              checked
            />${text}</label
          > `;
        })}
      </fieldset>
      <button type="submit">Create</button>`,
  );
}

async function tokensPage(platform: Platform, session: OfficeSession, message: Html | null) {
  const userId = (await platform.accounts.userIdOf(session.actor.id)) ?? '';
  const tokens = await platform.accounts.listApiTokens(userId);
  return page(
    'API tokens',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
      <p>
        Machine clients send a token as <code>Authorization: Bearer …</code>. A token can hold some
        of your roles; revoke it when it is no longer used.
      </p>
      ${tokenTable(session, tokens)} ${createTokenPanel(session)}`,
  );
}

const createToken: AdminForm = async (platform, posted) => {
  const { form } = posted;
  const scopes = fields(form, 'scopes');
  const result =
    scopes.length === 0
      ? reject<{ id: string; token: string | null }>(
          'invalid_request',
          'choose at least one role for the token',
        )
      : await platform.accounts.createApiToken(
          officeEnvelope(posted, { name: field(form, 'name') ?? 'token', scopes }),
        );
  return {
    result,
    done: result.ok
      ? html`<p>
          Your new token (shown once; keep it secret):
          <code class="mono" id="token-secret">${result.value.token}</code>
        </p>`
      : '',
  };
};

const revokeToken: AdminForm = async (platform, posted) => {
  const { form } = posted;
  const result = await platform.accounts.revokeApiToken(
    officeEnvelope(posted, { id: field(form, 'id') ?? '' }),
  );
  return { result, done: `Revoked ${field(form, 'id') ?? ''}.` };
};

export const tokensAdminPage: AdminPage = {
  render: tokensPage,
  may: () => true,
  forms: { create: createToken, revoke: revokeToken },
};
