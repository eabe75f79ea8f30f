// What every answer of the server carries, whichever of its two applications built it (the full
// application, app.ts, or the fast path of public reads, edge.ts): the request id, the security
// headers, HSTS behind TLS, the request log line, the 404 and the one error handler (problem+json
// with the request id). Defined once here so that the two cannot drift apart.
import type { ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { httpExceptionCode, problem } from '../api/problem.ts';
import { InvariantViolation } from '../core/shared/assert.ts';
import { databaseUnavailableRejection, isDatabaseUnavailable } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { overTls } from './actor.ts';

type Log = (entry: Record<string, unknown>) => void;

/** A request id the client sent that may be kept (hono's requestId rules), else a new one. */
const requestIdLengthMax = 255;
const requestIdRefused = /[^\w\-=]/;

export function requestIdOf(c: Context): string {
  const sent = c.req.header('x-request-id');
  return sent === undefined ||
    sent === '' ||
    sent.length > requestIdLengthMax ||
    requestIdRefused.test(sent)
    ? crypto.randomUUID()
    : sent;
}

/**
 * The security headers of every answer. No inline script or style anywhere: the portal's pages use
 * one stylesheet and no JavaScript. HSTS is added only behind TLS (stampAnswer). As a record, so
 * that the fast path (edge.ts) and the micro-cache (read-cache.ts) can hand them to node:http as
 * they are, without building web Headers for each answer.
 */
export const securityHeaderValues: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const securityHeaderEntries = Object.entries(securityHeaderValues);

/** HSTS, for an answer over TLS (directly, or from a trusted proxy that says so). */
export const hstsValue = 'max-age=31536000; includeSubDomains';

/** The security headers set on the answer after the handler, replacing any the handler set. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    secureAnswer(c);
  };
}

function secureAnswer(c: Context): void {
  const headers = c.res.headers;
  for (const [name, value] of securityHeaderEntries) headers.set(name, value);
  headers.delete('x-powered-by');
}

/**
 * The fast path's stamp (edge.ts): the security headers, the request id and HSTS set on node's
 * response, which node:http merges with the Response's own when it writes the head. Setting them on
 * the Response instead would turn its plain header record into web Headers (validated and sorted
 * on every set, then copied back into a record for node): about a fifth of a public read's CPU
 * time. Without a node response (a test's app.request) they go on the Response as in the full
 * application. A header the handler set itself would win here; none of these is set by any route.
 */
export function stampNodeAnswer(c: Context<AppEnv>, outgoing: ServerResponse | undefined): void {
  if (outgoing === undefined) {
    secureAnswer(c);
    stampAnswer(c);
    return;
  }
  for (const [name, value] of securityHeaderEntries) outgoing.setHeader(name, value);
  outgoing.setHeader('x-request-id', c.get('requestId'));
  if (overTls(c)) outgoing.setHeader('strict-transport-security', hstsValue);
}

/**
 * After the handler: the request id on every answer (those built as plain Responses too: JSON with
 * bigints, problems, files), and HSTS only behind TLS (a trusted proxy terminating TLS says so).
 */
export function stampAnswer(c: Context<AppEnv>): void {
  setHeader(c, 'x-request-id', c.get('requestId'));
  if (overTls(c)) setHeader(c, 'strict-transport-security', hstsValue);
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

/** The request's log line (request id, method, path, status, milliseconds since `started`). */
export function requestLogEntry(c: Context<AppEnv>, started: number): Record<string, unknown> {
  return {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
  };
}

/** A request no route answers. */
export function notFound(c: Context<AppEnv>): Response {
  return problem(c, {
    code: 'not_found',
    message: `no route ${c.req.method} ${new URL(c.req.url).pathname}`,
  });
}

/** The one error handler: a failure of any route or middleware as problem+json. */
export function failed(error: Error, c: Context<AppEnv>, log: Log | undefined): Response {
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
function databaseUnavailable(c: Context<AppEnv>, error: Error, log: Log | undefined): Response {
  log?.({ requestId: c.get('requestId'), databaseUnavailable: error.message });
  return problem(c, databaseUnavailableRejection(null));
}
