// The HTTP server's full application: the public-read micro-cache, request ids, security headers,
// request logs and counters, body limits, health, readiness and metrics, then access control
// (access.ts) for the API and the back office, then the API (src/api) and the web (src/web) mounted
// as sub-apps. Errors of both leave through one handler as problem+json with the request id
// (answers.ts). Anonymous public reads take a leaner path with the same answers (edge.ts).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createApi, jsonOperations } from '../api/api.ts';
import { monitoringUploadBytesMax } from '../api/methodology-routes.ts';
import { problem } from '../api/problem.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { officeUploadBytesMax } from '../web/office-routes.ts';
import { createPortal, createWeb } from '../web/web.ts';
import { anonymousScope, apiAccess, loginCsrf, officeAccess, sessionCookies } from './access.ts';
import {
  failed,
  notFound,
  requestIdOf,
  requestLogEntry,
  securityHeaders,
  stampAnswer,
} from './answers.ts';
import type { TrustedProxies } from './client-address.ts';
import { jsonOnly, noControlCharacters } from './edge-input.ts';
import { operationsRoutes, RequestMetrics } from './operations.ts';
import { publicReadsOnReplica } from './public-reads.ts';
import type { ReadCache } from './read-cache.ts';

/** Largest request body accepted (bytes). */
export const requestBodyBytesMax = 256 * 1024;

export interface AppOptions {
  /** The development token, only when the deployment sets JCM_DEV_TOKEN; null: accounts only. */
  readonly devToken: string | null;
  readonly log?: (entry: Record<string, unknown>) => void;
  /** One structured line per request (request id, method, path, status, milliseconds). */
  readonly requestLog?: (entry: Record<string, unknown>) => void;
  /** Public answers are kept here for the server's fast path (read-cache.ts); writes drop them. */
  readonly readCache?: ReadCache;
  /** JCM_TRUSTED_PROXIES: the proxies whose X-Forwarded-For names the client (else the socket does). */
  readonly trustedProxies?: TrustedProxies | null;
}

/** What the full application and the fast path of public reads (edge.ts) share: built once. */
export interface AppParts {
  readonly api: ReturnType<typeof createApi>;
  /** The public portal's pages (the web without the login and the back office). */
  readonly portal: Hono<AppEnv>;
  readonly metrics: RequestMetrics;
}

export function appParts(platform: Platform): AppParts {
  return {
    api: createApi(platform),
    portal: createPortal(platform),
    metrics: new RequestMetrics(),
  };
}

export function createApp(
  platform: Platform,
  options: AppOptions,
  parts: AppParts = appParts(platform),
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  if (options.readCache !== undefined) app.use('*', options.readCache.middleware());
  // A write of this process may have adopted a methodology: the catalogue's next read looks again.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') platform.methodologies.writeFinished();
  });
  app.use('*', (c, next) => {
    c.set('requestId', requestIdOf(c));
    return next();
  });
  app.use('*', securityHeaders());
  app.use('*', async (c, next) => {
    await next();
    stampAnswer(c);
  });
  const requestLog = options.requestLog;
  if (requestLog !== undefined)
    app.use('*', async (c, next) => {
      const started = performance.now();
      await next();
      requestLog(requestLogEntry(c, started));
    });
  bodyLimits(app);
  // Read replica (issue 15, lane R1): anonymous GET and HEAD may read it; everything else the primary.
  app.use('*', publicReadsOnReplica(platform));
  // The scope first: behind a trusted TLS proxy, /health, /ready and /metrics get HSTS too.
  app.use('*', anonymousScope(options.trustedProxies ?? null));
  operationsRoutes(app, platform, {
    readCache: options.readCache,
    metrics: parts.metrics,
    devToken: options.devToken,
  });
  app.use('*', sessionCookies());
  // Authentication and the authorisation matrix run before body validation, so an anonymous or
  // unauthorised caller learns nothing about schemas.
  // A middleware here that acts on an anonymous GET or HEAD must have its paths in edge.ts's
  // fullAppOnly too: the fast path of public reads does not run these.
  app.use('/api/v1/*', apiAccess(platform, options.devToken));
  app.use('/office', officeAccess(platform));
  app.use('/office/*', officeAccess(platform));
  app.use('/logout', officeAccess(platform));
  app.use('/login', loginCsrf());
  app.use('/api/v1/*', jsonOnly(jsonOperations(parts.api)));
  app.use('*', noControlCharacters());
  app.route('/', parts.api);
  app.route('/', createWeb(platform, parts.portal));
  app.notFound(notFound);
  app.onError((error, c) => failed(error, c, options.log));
  return app;
}

/**
 * One body limit for every route: monitoring reports (spreadsheets of thousands of rows) and cycle
 * actions (which carry documents) get a larger one, back-office uploads their own, the login and
 * logout forms a small one, and every other route requestBodyBytesMax.
 */
function bodyLimits(app: Hono<AppEnv>): void {
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => {
        const refused = problem(c, {
          code: 'payload_too_large',
          message: `this request body is limited to ${maxSize} bytes`,
        });
        // The rest of the body is not read: the connection cannot carry another request (server.ts).
        refused.headers.set('connection', 'close');
        return refused;
      },
    });
  const uploadLimit = limit(monitoringUploadBytesMax);
  const officeLimit = limit(officeUploadBytesMax + 64 * 1024);
  const formLimit = limit(16 * 1024);
  const defaultLimit = limit(requestBodyBytesMax);
  app.use('*', (c, next) => {
    // A GET or HEAD has no body in the application (@hono/node-server never reads one for them), and
    // asking hono's bodyLimit would build the full web Request for nothing on every public read.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const path = c.req.path;
    if (/^\/api\/v1\/(methodologies\/[^/]+\/calculate|cycle\/actions\/[a-z_]+)$/.test(path))
      return uploadLimit(c, next);
    if (path.startsWith('/office/')) return officeLimit(c, next);
    if (path === '/login' || path === '/logout') return formLimit(c, next);
    return defaultLimit(c, next);
  });
}
