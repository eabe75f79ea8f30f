// Which requests may read the replica (DATABASE_READ_URL, docs/OPERATIONS.md "Read replica"): the
// public ones, GET and HEAD without credentials (no Authorization header, no cookie), whose answer
// may be boundedly stale. A request with credentials reads the primary, so a writer (an API token,
// a back-office session) always reads its own writes, and so does every read of a write (any other
// method). Without a replica the scope changes nothing.
import type { MiddlewareHandler } from 'hono';
import { publicReads } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';

export function publicReadsOnReplica(): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const method = c.req.method;
    const anonymous =
      c.req.header('authorization') === undefined && c.req.header('cookie') === undefined;
    return (method === 'GET' || method === 'HEAD') && anonymous ? publicReads(next) : next();
  };
}
