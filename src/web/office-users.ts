// The users page of the back office: administrators add users (the authenticator secret is shown
// once), reset passwords, and disable and enable users. The accounts service does the checks.
import { html } from 'hono/html';
import type { Platform } from '../services/platform.ts';
import { instant, page, table, type Html } from './layout.ts';
import type { AdminForm, AdminPage } from './office-admin.ts';
import {
  actionPanel,
  csrfField,
  field,
  mayPost,
  officeEnvelope,
  officeNav,
  type OfficeSession,
} from './office-session.ts';

const roleHelp =
  'Comma-separated, e.g. project_participant:example-solar-in, third_party_entity:example-verification, secretariat:IN, joint_committee:IN, government_partner:IN, government_japan, registry_manager:JP, account_holder:example-trading-jp, administrator';

type User = Awaited<ReturnType<Platform['accounts']['listUsers']>>[number];

/** Every user, with the form that disables or enables them. */
function userTable(session: OfficeSession, users: readonly User[]): Html {
  return table(
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
  );
}

function addUserPanel(session: OfficeSession): Html | '' {
  return actionPanel(
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
        ><input id="new-totp" name="totp" type="checkbox" value="yes" />Enrol an authenticator even
        where the roles do not need one</label
      >
      <button type="submit">Add the user</button>`,
  );
}

function resetPasswordPanel(session: OfficeSession): Html | '' {
  return actionPanel(
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
      <button type="submit">
        Reset the password, end the user's sessions and revoke their API tokens
      </button>`,
  );
}

async function usersPage(platform: Platform, session: OfficeSession, message: Html | null) {
  const users = await platform.accounts.listUsers();
  return page(
    'Users',
    '/office',
    html`${officeNav(session)} ${message ?? ''} ${userTable(session, users)}
    ${addUserPanel(session)} ${resetPasswordPanel(session)}`,
  );
}

const addUser: AdminForm = async (platform, posted) => {
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
};

const resetPassword: AdminForm = async (platform, posted) => {
  const { form } = posted;
  const result = await platform.accounts.resetPassword(
    officeEnvelope(posted, {
      email: field(form, 'email') ?? '',
      password: String(form['password'] ?? ''),
    }),
  );
  return {
    result,
    done: `New password set for ${field(form, 'email') ?? ''}; their sessions ended and their API tokens were revoked.`,
  };
};

const setDisabled =
  (verb: 'disable' | 'enable'): AdminForm =>
  async (platform, posted) => {
    const { form } = posted;
    const result = await platform.accounts.setDisabled(
      officeEnvelope(posted, { email: field(form, 'email') ?? '', disabled: verb === 'disable' }),
    );
    return { result, done: `${field(form, 'email') ?? ''} is ${verb}d.` };
  };

export const usersAdminPage: AdminPage = {
  render: usersPage,
  may: (s) => mayPost(s, '/office/users/add'),
  forms: {
    add: addUser,
    reset: resetPassword,
    disable: setDisabled('disable'),
    enable: setDisabled('enable'),
  },
};
