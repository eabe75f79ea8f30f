// Account and user management in the back office: administrators add users (the authenticator secret
// is shown once), reset passwords, disable and enable users; administrators and secretariats register
// organisations and the Joint Committee designates third-party entities; every user manages their
// own API tokens (the secret is shown once). The services do the checks; these are the forms.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { reject, type Result } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import { day, instant, page, table, type Html } from './layout.ts';
import {
  actionPanel,
  csrfField,
  field,
  fields,
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
import type { AppEnv } from '../services/request-scope.ts';

const roleHelp =
  'Comma-separated, e.g. project_participant:example-solar-in, third_party_entity:example-verification, secretariat:IN, joint_committee:IN, government_partner:IN, government_japan, registry_manager:JP, account_holder:example-trading-jp, administrator';

async function usersPage(platform: Platform, session: OfficeSession, message: Html | null) {
  const users = await platform.accounts.listUsers();
  return page(
    'Users',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
    ${table(
      ['Email', 'Name', 'Organisation', 'Roles', 'Second factor', 'State', 'Change'],
      users.map((u) => [
        u.email,
        u.name,
        u.organisation_id ?? '',
        u.roles.join(', '),
        u.second_factor ? 'yes' : 'no',
        u.disabled
          ? 'disabled'
          : u.locked_until === null
            ? 'active'
            : `locked until ${instant(u.locked_until)}`,
        html`<form method="post" action="/office/users/${u.disabled ? 'enable' : 'disable'}">
          ${csrfField(session)}<input type="hidden" name="email" value="${u.email}" />
          <button type="submit">${u.disabled ? 'Enable' : 'Disable'} ${u.email}</button>
        </form>`,
      ]),
    )}
    ${actionPanel(
      session,
      `/office/users/add`,
      `Add a user`,
      html`<label for="new-email"
          >Email<input id="new-email" name="email" type="email" required
        /></label>
        <label for="new-name">Name<input id="new-name" name="name" required /></label>
        <label for="new-roles"
          >Roles<input id="new-roles" name="roles" aria-describedby="roles-help"
        /></label>
        <p id="roles-help" class="note">${roleHelp}</p>
        <label for="new-organisation"
          >Organisation id (optional)<input id="new-organisation" name="organisation"
        /></label>
        <label for="new-password"
          >First password (at least 12 characters)<input
            id="new-password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
        /></label>
        <label for="new-totp"
          ><input id="new-totp" name="totp" type="checkbox" value="yes" />Enrol an authenticator
          even where the roles do not need one</label
        >
        <button type="submit">Add the user</button>`,
    )}
    ${actionPanel(
      session,
      `/office/users/reset`,
      `Reset a password`,
      html`<label for="reset-email"
          >Email<input id="reset-email" name="email" type="email" required
        /></label>
        <label for="reset-password"
          >New password<input
            id="reset-password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
        /></label>
        <button type="submit">Reset the password and end the user's sessions</button>`,
    )}`,
  );
}

async function organisationsPage(platform: Platform, session: OfficeSession, message: Html | null) {
  const [organisations, designations] = await Promise.all([
    platform.cycleQueries.organisations(),
    platform.cycleQueries.designations(),
  ]);
  const jc = session.actor.roles.flatMap((r) =>
    r.kind === 'joint_committee' ? [r.partnership] : [],
  );
  return page(
    'Organisations and third-party entities',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
      <h2>Organisations</h2>
      ${table(
        ['Id', 'Name', 'Kind', 'Country'],
        organisations.map((o) => [o.id, o.name, o.kind.replaceAll('_', ' '), o.country]),
      )}
      <h2>TPE designations</h2>
      ${table(
        ['TPE', 'Partnership', 'Scope', 'Function', 'Valid'],
        designations.map((d) => [
          d.organisation_id,
          d.partnership,
          String(d.sectoral_scope),
          d.function,
          `${d.valid_from} to ${d.valid_until}`,
        ]),
      )}
      ${actionPanel(
        session,
        `/office/organisations/add`,
        `Register an organisation`,
        html`<label for="org-id"
            >Id (lower-case letters, digits and -)<input id="org-id" name="id" required
          /></label>
          <label for="org-name">Name<input id="org-name" name="name" required /></label>
          <label for="org-kind"
            >Kind<select id="org-kind" name="kind">
              ${['project_participant', 'third_party_entity', 'secretariat', 'joint_committee', 'government', 'registry'].map((k) => html`<option value="${k}">${k.replaceAll('_', ' ')}</option>`)}
            </select></label
          >
          <label for="org-country"
            >Country (two letters)<input id="org-country" name="country" required maxlength="2"
          /></label>
          <button type="submit">Register</button>`,
      )}
      ${actionPanel(
        session,
        `/office/organisations/designate`,
        `Designate a third-party entity`,
        html`<label for="tpe-org"
            >Organisation id<input id="tpe-org" name="organisation" required
          /></label>
          <label for="tpe-partnership"
            >Partnership<select id="tpe-partnership" name="partnership">
              ${jc.map((p) => html`<option>${p}</option>`)}
            </select></label
          >
          <label for="tpe-scopes"
            >Sectoral scopes (numbers, comma-separated)<input
              id="tpe-scopes"
              name="scopes"
              required
          /></label>
          <fieldset>
            <legend>Functions</legend>
            <label for="tpe-validation"
              ><input
                id="tpe-validation"
                type="checkbox"
                name="functions"
                value="validation"
                checked
              />validation</label
            >
            <label for="tpe-verification"
              ><input
                id="tpe-verification"
                type="checkbox"
                name="functions"
                value="verification"
                checked
              />verification</label
            >
          </fieldset>
          <label for="tpe-accreditation"
            >Accreditation<select id="tpe-accreditation" name="accreditation">
              <option value="iso_14065">ISO 14065</option>
              <option value="cdm_operational_entity">CDM operational entity</option>
            </select></label
          >
          <label for="tpe-from"
            >Valid from<input id="tpe-from" name="validFrom" type="date" required
          /></label>
          <label for="tpe-until"
            >Valid until<input id="tpe-until" name="validUntil" type="date" required
          /></label>
          <label for="tpe-decision"
            >Decision (optional)<input id="tpe-decision" name="decision"
          /></label>
          <button type="submit">Designate</button>`,
      )}`,
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
      ${table(
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
      )}
      ${actionPanel(
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
      )}`,
  );
}

type Handler = (posted: {
  session: OfficeSession;
  form: OfficeForm;
}) => Promise<{ result: Result<unknown>; done: Html | string }>;

export function registerOfficeAdmin(app: Hono<AppEnv>, platform: Platform): void {
  const pages = {
    users: { render: usersPage, may: (s: OfficeSession) => mayPost(s, '/office/users/add') },
    organisations: {
      render: organisationsPage,
      may: (s: OfficeSession) =>
        mayPost(s, '/office/organisations/add', '/office/organisations/designate'),
    },
    tokens: { render: tokensPage, may: () => true },
  } as const;

  for (const [name, { render, may }] of Object.entries(pages)) {
    app.get(`/office/${name}`, async (c) => {
      const session = officeSession(c);
      if (!may(session)) return c.html(forbidden(), 403);
      return c.html(await render(platform, session, null));
    });
  }

  const post = (name: keyof typeof pages, verb: string, handle: Handler) =>
    app.post(`/office/${name}/${verb}`, async (c: Context<AppEnv>) => {
      const posted = await officeForm(c);
      const { result, done } = await handle(posted);
      const message = result.ok ? html`<div role="status">${done}</div>` : outcome(result, '');
      return c.html(
        await pages[name].render(platform, posted.session, message),
        result.ok ? 200 : 422,
      );
    });

  post('users', 'add', async (posted) => {
    const { form } = posted;
    const organisation = field(form, 'organisation');
    const result = await platform.accounts.createUser(
      officeEnvelope(posted, {
        email: field(form, 'email') ?? '',
        name: field(form, 'name') ?? '',
        password: String(form['password'] ?? ''),
        roles: field(form, 'roles') ?? '',
        ...(organisation === undefined ? {} : { organisation }),
        secondFactor: field(form, 'totp') === 'yes',
      }),
    );
    return {
      result,
      done: result.ok
        ? html`<p>Added ${field(form, 'email')}.</p>
            ${
              result.value.totpUri === null
                ? ''
                : html`<p>
                    Give the user this authenticator key (shown once; it is needed at every login):
                    <code class="mono" id="totp-uri">${result.value.totpUri}</code>
                  </p>`
            }`
        : '',
    };
  });
  post('users', 'reset', async (posted) => {
    const { form } = posted;
    const result = await platform.accounts.resetPassword(
      officeEnvelope(posted, {
        email: field(form, 'email') ?? '',
        password: String(form['password'] ?? ''),
      }),
    );
    return {
      result,
      done: `New password set for ${field(form, 'email') ?? ''}; their sessions ended.`,
    };
  });
  for (const verb of ['disable', 'enable'] as const)
    post('users', verb, async (posted) => {
      const { form } = posted;
      const result = await platform.accounts.setDisabled(
        officeEnvelope(posted, { email: field(form, 'email') ?? '', disabled: verb === 'disable' }),
      );
      return { result, done: `${field(form, 'email') ?? ''} is ${verb}d.` };
    });

  post('organisations', 'add', async (posted) => {
    const { form } = posted;
    const result = await platform.organisations.register(
      officeEnvelope(posted, {
        id: field(form, 'id') ?? '',
        name: field(form, 'name') ?? '',
        kind: field(form, 'kind') ?? '',
        country: (field(form, 'country') ?? '').toUpperCase(),
      }),
    );
    return { result, done: `Registered ${field(form, 'id') ?? ''}.` };
  });
  post('organisations', 'designate', async (posted) => {
    const { form } = posted;
    const decision = field(form, 'decision');
    const result = await platform.organisations.designate(
      officeEnvelope(posted, {
        organisation: field(form, 'organisation') ?? '',
        partnership: field(form, 'partnership') ?? '',
        sectoralScopes: (field(form, 'scopes') ?? '')
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number),
        functions: fields(form, 'functions') as never,
        accreditation: (field(form, 'accreditation') ?? '') as never,
        validFrom: field(form, 'validFrom') ?? '',
        validUntil: field(form, 'validUntil') ?? '',
        ...(decision === undefined ? {} : { decision }),
      }),
    );
    return { result, done: `Designated ${field(form, 'organisation') ?? ''}.` };
  });

  post('tokens', 'create', async (posted) => {
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
  });
  post('tokens', 'revoke', async (posted) => {
    const { form } = posted;
    const result = await platform.accounts.revokeApiToken(
      officeEnvelope(posted, { id: field(form, 'id') ?? '' }),
    );
    return { result, done: `Revoked ${field(form, 'id') ?? ''}.` };
  });
}
