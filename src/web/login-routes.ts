// Logging in and out of the back office: the login form (email, password and, where the roles need
// it, the authenticator code) and the logout button. The edge (src/http/access.ts) checks the login
// form's double-submit CSRF token and the logout form's session token, and sets or deletes the
// session cookie these routes ask for.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { sessionHours } from '../core/accounts/policy.ts';
import { errorCodes } from '../core/shared/error-codes.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { page, type Html } from './layout.ts';

export function loginPage(csrf: string, message: string | null, email = ''): Html {
  return page(
    'Log in',
    '/login',
    html`${message === null ? '' : html`<p role="alert" class="synthetic">${message}</p>`}
      <form class="filters" method="post" action="/login">
        <input type="hidden" name="csrf" value="${csrf}" />
        <label for="email"
          >Email<input
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value="${email}"
        /></label>
        <label for="password"
          >Password<input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
        /></label>
        <label for="code"
          >Authenticator code (if your account has one)<input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
        /></label>
        <button type="submit">Log in</button>
      </form>`,
  );
}

export function registerLogin(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/login', (c) => c.html(loginPage(c.get('csrfToken') ?? '', null)));

  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const csrf = c.get('csrfToken') ?? '';
    const email = String(form['email'] ?? '');
    const code = String(form['code'] ?? '');
    const result = await platform.accounts.login(
      email,
      String(form['password'] ?? ''),
      code === '' ? undefined : code,
      c.get('clientAddress'),
    );
    if (!result.ok) return c.html(loginPage(csrf, errorCodes[result.error.code], email), 401);
    c.set('newSession', { token: result.value.token, maxAgeSeconds: sessionHours * 3600 });
    return c.redirect('/office', 303);
  });

  app.post('/logout', async (c) => {
    const token = c.get('sessionToken');
    if (token !== null) await platform.accounts.logout(token);
    c.set('endSession', true);
    return c.redirect('/', 303);
  });
}
