// The HTTP server of `jcm serve` (and of the API benchmark): node:http with Hono's request listener
// behind the public-read micro-cache, so that the benchmark measures exactly what is deployed.
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { ReadCache } from './read-cache.ts';

export function listen(
  app: Pick<Hono, 'fetch'>,
  readCache: ReadCache,
  port: number,
  requestLog: ((entry: Record<string, unknown>) => void) | undefined,
  onListening: () => void,
): Server {
  const listener = getRequestListener(app.fetch);
  const served = requestLog ?? (() => undefined);
  const server = createServer((request, response) => {
    if (readCache.serve(request, response, served)) return;
    void listener(request, response);
  });
  server.listen(port, onListening);
  return server;
}
