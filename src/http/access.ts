// The edge's access control, shared by the API and the web: every API write authenticated (API token,
// session with its CSRF header, or the development token) and checked against the authorisation
// matrix before its body is read; every back-office page behind a session, every posted form checked
// against the session's CSRF token and the office's rows of the matrix; the login form's
// double-submit CSRF token; and the session cookie set or deleted for the routes that log in and out.
import type { Context, Next } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import { problem } from '../api/problem.ts';
import type { Actor } from '../core/ledger/actor.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { loginPage } from '../web/login-routes.ts';
import { forbidden } from '../web/office-session.ts';
import { formOrRefusal } from './edge-input.ts';
import { actorFromRequest, overTls, sameSecret, sessionCookie, sessionOf } from './actor.ts';
import { clientAddress, contextOverTls, type TrustedProxies } from './client-address.ts';
import { matrixRowFor, officeRowFor, permits, restrictedReadFor } from './authorisation.ts';

type Ctx = Context<AppEnv>;
const loginCsrfCookie = 'jcm_login_csrf';

/** The matrix's answer for a back-office form, as the pages ask it. */
function mayPostFor(actor: Actor | null) {
  return (formPath: string) => {
    const row = officeRowFor(formPath);
    return row !== undefined && permits(row, actor);
  };
}

/** What an anonymous caller may post in the back office: no form (mayPostFor(null), made once). */
const anonymousMayPost = mayPostFor(null);

/**
 * Sets the request variables before anyone is authenticated, and the client's address: for the full
 * application (anonymousScope) and the fast path of public reads (edge.ts) alike.
 */
export function setAnonymous(c: Ctx, trustedProxies: TrustedProxies | null): void {
  c.set('clientAddress', clientAddress(c, trustedProxies));
  c.set('overTls', contextOverTls(c, trustedProxies));
  c.set('actor', null);
  c.set('csrfToken', null);
  c.set('sessionToken', null);
  c.set('newSession', null);
  c.set('endSession', false);
  c.set('mayPost', anonymousMayPost);
}

/** Request variables before anyone is authenticated, and the client's address. */
export function anonymousScope(trustedProxies: TrustedProxies | null) {
  return async (c: Ctx, next: Next) => {
    setAnonymous(c, trustedProxies);
    await next();
  };
}

/** Authenticates and authorises every API write; `GET /api/v1/session` says who is logged in. */
export function apiAccess(platform: Platform, devToken: string | null) {
  return async (c: Ctx, next: Next) => {
    const read = c.req.method === 'GET' || c.req.method === 'HEAD';
    if (read && c.req.path === '/api/v1/session') {
      const who = await actorFromRequest(c, platform.accounts, null);
      if (who.ok) c.set('actor', who.value.actor);
    }
    // A read is public unless `restrictedReads` lists it; then it is checked like a write.
    const row = read ? restrictedReadFor(c.req.path) : matrixRowFor(c.req.method, c.req.path);
    if (read && row === undefined) return next();
    // A write the matrix does not list is refused: a new route must be placed in the matrix.
    if (row === undefined)
      return problem(c, { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` });
    if (row.allowed === 'public') return next();
    const who = await actorFromRequest(c, platform.accounts, devToken);
    if (!who.ok) return problem(c, who.error);
    if (!permits(row, who.value.actor)) {
      return problem(c, {
        code: 'actor_not_authorised',
        message: `${row.method} ${row.path} is for ${[row.allowed].flat().join(', ')}`,
      });
    }
    c.set('actor', who.value.actor);
    c.set('sessionToken', who.value.sessionToken);
    return next();
  };
}

/**
 * The back office: a page needs a session (else the login form); a posted form also needs the
 * session's CSRF token and a row of the office matrix that lets one of the user's roles post it.
 * Logging out needs the CSRF token only.
 */
export function officeAccess(platform: Platform) {
  return async (c: Ctx, next: Next) => {
    const session = await sessionOf(c, platform.accounts);
    const logout = c.req.path === '/logout';
    if (session === null) return c.redirect(logout ? '/' : '/login', 303);
    c.set('actor', session.actor);
    c.set('csrfToken', session.csrfToken);
    c.set('sessionToken', session.token);
    c.set('mayPost', mayPostFor(session.actor));
    if (c.req.method !== 'POST') return next();
    const form = await formOrRefusal(c);
    if (form instanceof Response) return form;
    const csrf = form['csrf'];
    if (typeof csrf !== 'string' || !sameSecret(csrf, session.csrfToken))
      return logout ? c.redirect('/', 303) : c.html(forbidden(), 403);
    if (!logout && !mayPostFor(session.actor)(c.req.path)) return c.html(forbidden(), 403);
    return next();
  };
}

/** The login form's double-submit token: a cookie and a form field that must agree. */
export function loginCsrf() {
  return async (c: Ctx, next: Next) => {
    if (c.req.method === 'GET') {
      const csrf = randomBytes(18).toString('base64url');
      setCookie(c, loginCsrfCookie, csrf, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: overTls(c),
        path: '/login',
      });
      c.set('csrfToken', csrf);
      return next();
    }
    const form = await formOrRefusal(c);
    if (form instanceof Response) return form;
    const expected = getCookie(c, loginCsrfCookie) ?? '';
    const csrf = form['csrf'];
    if (expected === '' || typeof csrf !== 'string' || !sameSecret(csrf, expected)) {
      const email = typeof form['email'] === 'string' ? form['email'] : '';
      return c.html(loginPage(expected, 'The form expired; please try again.', email), 403);
    }
    c.set('csrfToken', expected);
    await next();
    if (c.get('newSession') !== null) deleteCookie(c, loginCsrfCookie, { path: '/login' });
  };
}

/** Sets the session cookie a login route asked for, or deletes the one a logout route ended. */
export function sessionCookies() {
  return async (c: Ctx, next: Next) => {
    await next();
    const started = c.get('newSession');
    if (started !== null) {
      setCookie(c, sessionCookie, started.token, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: overTls(c),
        path: '/',
        maxAge: started.maxAgeSeconds,
      });
    }
    if (c.get('endSession')) deleteCookie(c, sessionCookie, { path: '/' });
  };
}
