// Who is asking. In order: an API token (`Authorization: Bearer jcm_tok_...`, its scopes as roles), a
// session cookie (`jcm_session`, with the session's CSRF token in `X-CSRF-Token` on every write),
// or, only when the deployment configured one (JCM_DEV_TOKEN), the development token with the actor
// and roles named in headers. Without any of them, writes are refused.
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { AppEnv } from '../services/request-scope.ts';
import { getCookie } from 'hono/cookie';
import { parseRoles, type Actor } from '../core/ledger/actor.ts';
import { reject, ok, type Result } from '../core/shared/result.ts';
import type { Accounts } from '../services/accounts.ts';

export const sessionCookie = 'jcm_session';

/** Compares two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether the request came over TLS, directly or through a trusted proxy that says so (decided by
 * anonymousScope in access.ts; before it, as for /health, only the request's own URL counts).
 */
export function overTls(c: Context): boolean {
  const decided = (c as Context<AppEnv>).get('overTls') as boolean | undefined;
  return decided ?? new URL(c.req.url).protocol === 'https:';
}

export interface Session {
  readonly actor: Actor;
  readonly csrfToken: string;
  readonly token: string;
}

/** The actor and CSRF token of the request's session cookie, if it holds a live session. */
export async function sessionOf(c: Context, accounts: Accounts): Promise<Session | null> {
  const token = getCookie(c, sessionCookie);
  if (token === undefined || token === '') return null;
  const session = await accounts.sessionActor(token);
  return session === null ? null : { ...session, token };
}

export interface Authenticated {
  readonly actor: Actor;
  /** The session cookie's token when the actor came from a session. */
  readonly sessionToken: string | null;
}

export async function actorFromRequest(
  c: Context,
  accounts: Accounts,
  devToken: string | null,
): Promise<Result<Authenticated>> {
  const header = c.req.header('authorization') ?? '';
  const bearer = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (bearer.startsWith('jcm_tok_')) {
    const actor = await accounts.tokenActor(bearer);
    return actor === null
      ? reject('unauthenticated', 'the API token is unknown or revoked')
      : ok({ actor, sessionToken: null });
  }
  if (bearer !== '') {
    if (devToken === null || !sameSecret(bearer, devToken))
      return reject('unauthenticated', 'the bearer token is not valid');
    const id = (c.req.header('x-jcm-actor') ?? '').trim();
    if (!/^[A-Za-z0-9._:@-]{1,64}$/.test(id)) {
      return reject(
        'invalid_request',
        'X-JCM-Actor names the acting person or system (1-64 of [A-Za-z0-9._:@-])',
      );
    }
    const actor = parseRoles(id, c.req.header('x-jcm-roles') ?? '');
    return actor.ok ? ok({ actor: actor.value, sessionToken: null }) : actor;
  }
  if ((getCookie(c, sessionCookie) ?? '') !== '') {
    const session = await sessionOf(c, accounts);
    if (session === null) return reject('unauthenticated', 'the session has ended; log in again');
    if (
      c.req.method !== 'GET' &&
      c.req.method !== 'HEAD' &&
      !sameSecret(c.req.header('x-csrf-token') ?? '', session.csrfToken)
    ) {
      return reject('csrf_token_invalid', 'send the session CSRF token in X-CSRF-Token');
    }
    return ok({ actor: session.actor, sessionToken: session.token });
  }
  return reject(
    'unauthenticated',
    'log in (POST /api/v1/session) or send Authorization: Bearer <API token>',
  );
}
