// The HTTP server of `jcm serve` (and of the API benchmark): node:http with Hono's request listener
// behind the public-read micro-cache, so that the benchmark measures exactly what is deployed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
    lingerAfterRefusedBody(request, response);
    if (readCache.serve(request, response, served)) return;
    void listener(request, response);
  });
  server.listen(port, onListening);
  return server;
}

/** How long a connection refused for its body's size is read and discarded before it is dropped. */
export const refusedBodyLingerMs = 2000;

/**
 * A 413 is answered before its body is read (it says `Connection: close`: src/http/app.ts). Closing
 * then with the body still arriving would reset the connection, and a reset can destroy the answer
 * before the client reads it. So the server half-closes (its FIN after the answer) and reads and
 * discards what the client still sends, until the client closes or refusedBodyLingerMs have passed
 * ("lingering close", as Apache and nginx do).
 */
function lingerAfterRefusedBody(request: IncomingMessage, response: ServerResponse): void {
  // Before node's own 'finish' handler, which would destroy the socket once the FIN is written.
  response.prependListener('finish', () => {
    if (response.statusCode !== 413 || request.complete) return;
    const socket = request.socket;
    let lingering = false;
    socket.destroySoon = () => {
      if (lingering) return;
      lingering = true;
      socket.end();
      // The application's reader of the body (a web stream that nobody reads) lets go of it.
      request.removeAllListeners('data');
      request.on('data', () => undefined);
      request.resume();
      const timer = setTimeout(() => socket.destroy(), refusedBodyLingerMs);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    };
  });
}
