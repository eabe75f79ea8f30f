// Which requests are public reads: GET and HEAD without credentials (no Authorization header, no
// cookie). One predicate decides it for the three that ask: the read replica's scope (such a read
// may be boundedly stale, docs/OPERATIONS.md "Read replica"), the server's fast path for them
// (edge.ts) and the micro-cache (read-cache.ts). A request with credentials reads the primary, so
// a writer (an API token, a back-office session) always reads its own writes, and so does every
// read of a write (any other method). Without a replica the scope changes nothing.
import type { MiddlewareHandler } from 'hono';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';

/** A request's header by its lower-case name (node's `request.headers[name]`, hono's `c.req.header`). */
export type HeaderOf = (name: 'authorization' | 'cookie') => string | undefined;

/** Whether a request carries no credentials: neither an Authorization header nor a cookie. */
export function anonymous(header: HeaderOf): boolean {
  return header('authorization') === undefined && header('cookie') === undefined;
}

/** Whether a request is a public read: GET or HEAD, anonymous. */
export function isPublicRead(method: string | undefined, header: HeaderOf): boolean {
  return (method === 'GET' || method === 'HEAD') && anonymous(header);
}

/** The full application's marking of public reads (the fast path marks its own: edge.ts). */
export function publicReadsOnReplica(platform: Platform): MiddlewareHandler<AppEnv> {
  return (c, next) =>
    isPublicRead(c.req.method, (name) => c.req.header(name)) ? platform.publicReads(next) : next();
}
