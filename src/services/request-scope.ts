// What the HTTP edge (src/http) establishes for every request before a route of the API or the web
// runs: who is asking (from an API token, a session or the development token, checked against the
// authorisation matrix and, for cookies, the CSRF token) and the request's id. Routes read it from
// their Hono context as typed variables.
import type { Actor } from '../core/ledger/actor.ts';

export interface RequestScope {
  /** The authenticated actor; null on public reads and before login. */
  actor: Actor | null;
  /** The CSRF token of the session (back-office pages put it in their forms), or of the login form. */
  csrfToken: string | null;
  /** The session cookie's token when the actor came from one (logging out ends that session). */
  sessionToken: string | null;
  /** Whether the authorisation matrix lets the actor post a back-office form (pages show only those). */
  mayPost: (formPath: string) => boolean;
  /** A new session to hand to the browser (set by the login routes; the edge sets the cookie). */
  newSession: { token: string; maxAgeSeconds: number } | null;
  /** The session to end (set by the logout routes; the edge deletes the cookie). */
  endSession: boolean;
  requestId: string;
  /**
   * The client's address for the login rate limit: the socket's, or what a trusted proxy says
   * (src/http/client-address.ts).
   */
  clientAddress: string;
  /**
   * Whether the request came over TLS: its own URL, or `X-Forwarded-Proto: https` from a trusted
   * proxy (the same JCM_TRUSTED_PROXIES), never from the client itself.
   */
  overTls: boolean;
}

export interface AppEnv {
  Variables: RequestScope;
}
