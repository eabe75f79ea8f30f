// Which failures mean "the database cannot be reached now" (answered 503 `database_unavailable`
// with Retry-After, and by the CLI as that code) rather than a defect (500): PostgreSQL shutting
// down, refusing or terminating connections, the network failing under a connection, pg's own
// messages for a connection that ended, a closed PGlite, and a public read the replica cancelled at
// its statement timeout. Nothing else is classified here: an error of a query on a working
// connection stays a defect.

import type { Rejection } from '../core/shared/result.ts';

/** A database closed by this process (PGlite after close): refused work carries this error. */
export class DatabaseClosed extends Error {
  constructor() {
    super('the database is closed');
    this.name = 'DatabaseClosed';
  }
}

/**
 * A public read the replica cancelled at its statement timeout (JCM_READ_STATEMENT_TIMEOUT_MS,
 * replica.ts): answered as the database being unavailable now (503 with Retry-After), not read
 * again on the primary, which the timeout is there to spare as much as the replica.
 */
export class ReplicaReadTimedOut extends Error {
  constructor(timeoutMs: number, cause: unknown) {
    super(`the read replica gave up on a read after ${timeoutMs} ms`, { cause });
    this.name = 'ReplicaReadTimedOut';
  }
}

/**
 * PostgreSQL's SQLSTATEs for a server that is going away or refusing sessions: admin shutdown,
 * crash shutdown, cannot connect now (starting up, shutting down), too many connections, and the
 * connection exception class 08.
 */
const unavailableStates = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/**
 * The socket errors of a connection that could not be made or broke: node's system errors, which
 * name their system call (a client hanging up on a request body is an ECONNRESET too, without one,
 * and is no sign of the database).
 */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** pg's and pg-pool's messages for a connection that ended or never came (they carry no code). */
const unavailableMessages = [
  /^Connection terminated/,
  /is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^driver has already been destroyed$/,
  /^PGlite is closed$/,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  return classify(error, 0);
}

function classify(error: unknown, depth: number): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  if (error instanceof DatabaseClosed || error instanceof ReplicaReadTimedOut) return true;
  const { code, syscall, severity, message, errors, cause } = error as {
    code?: unknown;
    syscall?: unknown;
    severity?: unknown;
    message?: unknown;
    errors?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string' && unavailableStates.has(code)) return true;
  if (typeof code === 'string' && socketCodes.has(code) && typeof syscall === 'string') return true;
  // A FATAL error ends the session (a database that refuses connections): the database is not there
  // for this request. Not a wrong password or a database that does not exist (classes 28 and 3D):
  // those are the deployment's configuration, which waiting will not mend.
  if ((severity === 'FATAL' || severity === 'PANIC') && !/^(28|3D)/.test(String(code))) return true;
  if (typeof message === 'string' && unavailableMessages.some((m) => m.test(message))) return true;
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (Array.isArray(errors) && errors.some((e) => classify(e, depth + 1))) return true;
  return classify(cause, depth + 1);
}

/** Seconds a client is asked to wait before sending again while the database is unavailable. */
export const databaseRetryAfterSeconds = 2;

/**
 * The one refusal for a database that cannot be reached: retryable, with Retry-After (the HTTP
 * answer) and, for the operator's command line, the reason (never shown to a web client).
 */
export function databaseUnavailableRejection(reason: string | null): Rejection {
  return {
    code: 'database_unavailable',
    message:
      reason === null
        ? 'the database cannot be reached now; send the request again later'
        : `the database cannot be reached (${reason}); try again when it is up`,
    details: { retryAfterSeconds: databaseRetryAfterSeconds },
  };
}
