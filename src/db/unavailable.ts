// Which failures mean "the database cannot be reached now" (answered 503 `database_unavailable`
// with Retry-After, and by the CLI as that code) rather than a defect (500): PostgreSQL shutting
// down, refusing or terminating connections, the network failing under a connection, pg's own
// messages for a connection that ended, and a closed PGlite. Nothing else is classified here: an
// error of a query on a working connection stays a defect.

/** A database closed by this process (PGlite after close): refused work carries this error. */
export class DatabaseClosed extends Error {
  constructor() {
    super('the database is closed');
    this.name = 'DatabaseClosed';
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

/** The socket errors of a connection that could not be made or broke. */
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
  if (error instanceof DatabaseClosed) return true;
  const { code, severity, message, errors, cause } = error as {
    code?: unknown;
    severity?: unknown;
    message?: unknown;
    errors?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string' && (unavailableStates.has(code) || socketCodes.has(code)))
    return true;
  // A FATAL error ends the session (a database that refuses connections, a role or database that
  // is gone): whatever its code, the database is not there for this request.
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  if (typeof message === 'string' && unavailableMessages.some((m) => m.test(message))) return true;
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (Array.isArray(errors) && errors.some((e) => classify(e, depth + 1))) return true;
  return classify(cause, depth + 1);
}
