// The fast path of public reads (issue 15, item 6): a second, lean application that the server
// (server.ts) hands GET and HEAD requests without credentials (public-reads.ts decides which). It
// answers them as the full application (app.ts) would, with the same API and portal routes, the
// same request id, security headers, HSTS, request log line, metrics, control-character refusal,
// 404 and error handler (answers.ts) and the read replica's scope; it skips what only callers with
// credentials or a body need (session and token lookup, the authorisation matrix, CSRF, the session
// cookie, body limits, content types), and runs its per-request work in one middleware, not ten.
// A path whose anonymous read does more than that (the back office and login, which redirect or set
// a cookie, the reads restricted to a role, /api/v1/session, the operations routes) goes whole to
// the full application, decided on the path hono routes on, before anything else runs.
import { ServerResponse } from 'node:http';
import { Hono, type Context, type Next } from 'hono';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { setAnonymous } from './access.ts';
import { appParts, createApp, type AppOptions, type AppParts } from './app.ts';
import { failed, notFound, requestIdOf, requestLogEntry, stampNodeAnswer } from './answers.ts';
import { restrictedReadFor } from './authorisation.ts';
import { controlCharacterInUrl } from './edge-input.ts';
import { isPublicRead } from './public-reads.ts';

/** The two applications of one server: the fast path takes the public reads, the full app the rest. */
export interface ServedApps {
  readonly app: Pick<Hono, 'fetch'>;
  readonly edge: Pick<Hono, 'fetch'>;
}

/** Both applications over one platform, sharing their routes and request metrics. */
export function createServedApps(
  platform: Platform,
  options: AppOptions,
): { readonly app: Hono<AppEnv>; readonly edge: Hono<AppEnv> } {
  const parts = appParts(platform);
  const app = createApp(platform, options, parts);
  return { app, edge: createEdge(platform, options, parts, app) };
}

const operationsPaths = new Set(['/health', '/ready', '/metrics']);
const sessionPaths = new Set(['/login', '/logout', '/office', '/api/v1/session']);

/**
 * Whether an anonymous read of this path needs the full application: the middleware of app.ts that
 * acts on it (operations routes, apiAccess on /api/v1/session and the restricted reads, officeAccess,
 * loginCsrf). Every other path's anonymous read passes those middleware untouched.
 */
export function fullAppOnly(path: string): boolean {
  return (
    operationsPaths.has(path) ||
    sessionPaths.has(path) ||
    path.startsWith('/office/') ||
    (path.startsWith('/api/v1/') && restrictedReadFor(path) !== undefined)
  );
}

export function createEdge(
  platform: Platform,
  options: AppOptions,
  parts: AppParts,
  full: Pick<Hono, 'fetch'>,
): Hono<AppEnv> {
  const edge = new Hono<AppEnv>();
  // Anything but a public read of a path the fast path answers goes whole to the full application
  // (server.ts sends only public reads; the check here keeps the fast path safe on its own).
  edge.use('*', async (c, next) =>
    isPublicRead(c.req.method, (name) => c.req.header(name)) && !fullAppOnly(c.req.path)
      ? next()
      : full.fetch(c.req.raw, c.env),
  );
  if (options.readCache !== undefined) edge.use('*', options.readCache.middleware());
  edge.use('*', publicRead(platform, options, parts));
  edge.route('/', parts.api);
  edge.route('/', parts.portal);
  edge.notFound(notFound);
  edge.onError((error, c) => failed(error, c, options.log));
  return edge;
}

/**
 * What app.ts's middleware do for a public read, in one: the request id, the anonymous request
 * variables, the control-character refusal, the replica's scope, then the answer's request id and
 * HSTS, the metrics and the log line.
 */
function publicRead(platform: Platform, options: AppOptions, parts: AppParts) {
  const proxies = options.trustedProxies ?? null;
  const log = options.requestLog;
  return async (c: Context<AppEnv>, next: Next): Promise<void> => {
    const started = performance.now();
    c.set('requestId', requestIdOf(c));
    try {
      setAnonymous(c, proxies);
      const refused = controlCharacterInUrl(c);
      if (refused === null) await platform.publicReads(next);
      else c.res = refused;
    } catch (error) {
      // A failure of this middleware itself (the routes' own are answered inside next()): answered
      // here, so that its answer is stamped, logged and counted like any other.
      c.res = failed(error instanceof Error ? error : new Error(String(error)), c, options.log);
    }
    stampNodeAnswer(c, nodeResponse(c));
    parts.metrics.observe(c, started);
    log?.(requestLogEntry(c, started));
  };
}

/** Node's response, when @hono/node-server serves the request (its bindings), else undefined. */
function nodeResponse(c: Context<AppEnv>): ServerResponse | undefined {
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing instanceof ServerResponse ? outgoing : undefined;
}
