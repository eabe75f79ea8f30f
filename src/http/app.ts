// The HTTP server's composition: the public-read micro-cache, request ids, security headers, request
// logs and counters, body limits, health, readiness and metrics, then access control (access.ts) for
// the API and the back office, then the API (src/api) and the web (src/web) mounted as sub-apps.
// Errors of both leave through one handler as problem+json with the request id.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { createApi, jsonOperations } from '../api/api.ts';
import { monitoringUploadBytesMax } from '../api/methodology-routes.ts';
import { httpExceptionCode, problem } from '../api/problem.ts';
import { InvariantViolation } from '../core/shared/assert.ts';
import {
  databaseUnavailableRejection,
  isDatabaseUnavailable,
  type Platform,
} from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { officeUploadBytesMax } from '../web/office-routes.ts';
import { createWeb } from '../web/web.ts';
import { anonymousScope, apiAccess, loginCsrf, officeAccess, sessionCookies } from './access.ts';
import { overTls } from './actor.ts';
import type { TrustedProxies } from './client-address.ts';
import { jsonOnly, noControlCharacters } from './edge-input.ts';
import { operationsRoutes, RequestMetrics } from './operations.ts';
import { publicReadsOnReplica } from './public-reads.ts';
import { ReadCache } from './read-cache.ts';

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

export function createApp(platform: Platform, options: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  if (options.readCache !== undefined) app.use('*', options.readCache.middleware());
  // A write of this process may have adopted a methodology: the catalogue's next read looks again.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') platform.methodologies.writeFinished();
  });
  app.use('*', requestId());
  // No inline script or style anywhere: the portal's pages use one stylesheet and no JavaScript.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      strictTransportSecurity: false,
      referrerPolicy: 'same-origin',
    }),
  );
  app.use('*', async (c, next) => {
    await next();
    // Answers built as plain Responses (JSON with bigints, problems, files) carry the id too.
    setHeader(c, 'x-request-id', c.get('requestId'));
    // HSTS only behind TLS (a proxy terminating TLS says so in X-Forwarded-Proto).
    if (overTls(c))
      setHeader(c, 'strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
  if (options.requestLog !== undefined) app.use('*', requestLogger(options.requestLog));
  bodyLimits(app);
  // Read replica (issue 15, lane R1): anonymous GET and HEAD may read it; everything else the primary.
  app.use('*', publicReadsOnReplica(platform));
  operationsRoutes(app, platform, {
    readCache: options.readCache,
    metrics: new RequestMetrics(),
    devToken: options.devToken,
  });
  app.use('*', anonymousScope(options.trustedProxies ?? null));
  app.use('*', sessionCookies());
  // Authentication and the authorisation matrix run before body validation, so an anonymous or
  // unauthorised caller learns nothing about schemas.
  app.use('/api/v1/*', apiAccess(platform, options.devToken));
  app.use('/office', officeAccess(platform));
  app.use('/office/*', officeAccess(platform));
  app.use('/logout', officeAccess(platform));
  app.use('/login', loginCsrf());
  const api = createApi(platform);
  app.use('/api/v1/*', jsonOnly(jsonOperations(api)));
  app.use('*', noControlCharacters());
  app.route('/', api);
  app.route('/', createWeb(platform));
  app.notFound((c) =>
    problem(c, {
      code: 'not_found',
      message: `no route ${c.req.method} ${new URL(c.req.url).pathname}`,
    }),
  );
  app.onError((error, c) => failed(error, c, options.log));
  return app;
}

/**
 * Sets a header of the answer in place. Hono's c.header() after the handler rebuilds the Response
 * around its body as a stream (so node then reads the stream back) on every request; the headers of
 * a Response the application built are mutable, so only an immutable one (none is expected) takes
 * that path.
 */
function setHeader(c: Context<AppEnv>, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}

function requestLogger(log: (entry: Record<string, unknown>) => void) {
  return async (c: Context<AppEnv>, next: () => Promise<void>) => {
    const started = performance.now();
    await next();
    log({
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
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

function failed(
  error: Error,
  c: Context<AppEnv>,
  log: ((entry: Record<string, unknown>) => void) | undefined,
): Response {
  if (isDatabaseUnavailable(error)) return databaseUnavailable(c, error, log);
  // A library's HTTPException (a body that is not JSON, a type it does not take): its own status.
  if (error instanceof HTTPException && error.status < 500) {
    const code = httpExceptionCode(error.status, error.message);
    const message =
      code === 'malformed_json' ? 'the request body is not valid JSON' : error.message;
    return problem(c, { code, message });
  }
  // The client hung up before its body arrived in full (node's 'aborted'): nobody reads the answer,
  // and it is no failure of the server.
  if (clientHungUp(error)) {
    return problem(c, {
      code: 'request_incomplete',
      message: 'the request body ended before its declared length',
    });
  }
  log?.({
    requestId: c.get('requestId'),
    error: error.stack ?? String(error),
    invariant: error instanceof InvariantViolation,
  });
  return problem(c, {
    code: 'internal_error',
    message: 'an unexpected failure; nothing was changed',
  });
}

/** Node's error for a request whose client closed the connection before its body was complete. */
function clientHungUp(error: Error): boolean {
  return error.message === 'aborted' && (error as { code?: unknown }).code === 'ECONNRESET';
}

/** The database down or ending connections: a retryable 503 with Retry-After, logged without a stack. */
function databaseUnavailable(
  c: Context<AppEnv>,
  error: Error,
  log: ((entry: Record<string, unknown>) => void) | undefined,
): Response {
  log?.({ requestId: c.get('requestId'), databaseUnavailable: error.message });
  return problem(c, databaseUnavailableRejection(null));
}
