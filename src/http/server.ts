// The HTTP server of `jcm serve` (and of the API benchmarks): node:http with Hono's request listeners
// behind the public-read micro-cache, so that the benchmarks measure exactly what is deployed. A
// public read (public-reads.ts) the cache cannot answer goes to the fast path (edge.ts), everything
// else to the full application (app.ts).
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { problemDocument } from '../api/problem.ts';
import type { ServedApps } from './edge.ts';
import { isPublicRead } from './public-reads.ts';
import type { ReadCache } from './read-cache.ts';

export function listen(
  apps: ServedApps,
  readCache: ReadCache,
  port: number,
  requestLog: ((entry: Record<string, unknown>) => void) | undefined,
  onListening: () => void,
): Server {
  const listener = getRequestListener(apps.app.fetch);
  const edgeListener = getRequestListener(apps.edge.fetch);
  const served = requestLog ?? (() => undefined);
  // Node's own refusal of an HTTP/1.1 request without Host is an empty 400; the same refusal here
  // carries its problem+json (RFC 9112 section 3.2: such a request is answered 400).
  const server = createServer({ requireHostHeader: false }, (request, response) => {
    if (request.headers.host === undefined && request.httpVersion === '1.1') {
      const body = JSON.stringify(
        problemDocument('invalid_request', 'an HTTP/1.1 request needs a Host header'),
      );
      response.writeHead(400, {
        'content-type': 'application/problem+json',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    lingerAfterRefusedBody(request, response);
    if (readCache.serve(request, response, served)) return;
    if (isPublicRead(request.method, (name) => request.headers[name]))
      void edgeListener(request, response);
    else void listener(request, response);
  });
  server.on('clientError', answerClientError);
  server.listen(port, onListening);
  return server;
}

/**
 * A request node's parser refuses before the application sees it (headers over 16 KB, a control
 * byte in the request line or a header, a request that did not arrive in time): answered as
 * problem+json with a stable code, like every other refusal, then the connection is closed.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const code =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'request_headers_too_large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request_timeout'
        : 'invalid_request';
  const document = problemDocument(code, `the server could not read this request (${error.code})`);
  const body = JSON.stringify(document);
  // An answer to HEAD has no body (the request line, if it was read, says which method it was).
  const head = (error as { rawPacket?: Buffer }).rawPacket?.subarray(0, 5).toString() === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${document.status} ${STATUS_CODES[document.status] ?? ''}\r\n` +
      `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${head ? '' : body}`,
  );
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
    // Node's resOnFinish (lib/_http_server.js) ends a `Connection: close` answer with
    // socket.destroySoon(); replaced for this one socket only. Should a Node release stop calling
    // it, the connection closes as before (the edge test of the 413 shows it).
    if (typeof socket.destroySoon !== 'function') return;
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
