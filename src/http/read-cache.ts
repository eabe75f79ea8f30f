// A micro-cache of public reads in front of the application: the answer of a public GET (the API's
// reads and the portal's pages, the same for every visitor) is kept for at most one second and
// dropped at once when this process finishes any write, so a visitor never sees an answer older
// than the last write of this server. A write by another process on the same PostgreSQL database
// (the CLI, a second server) shows within the second. Hits are answered straight from node:http,
// with the stored headers (security headers included) and a fresh request id. Answers over TLS and
// without it are kept apart (HSTS goes only over TLS), by the rule of client-address.ts, which needs
// the trusted proxies that may say a request came over TLS.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Context, Next } from 'hono';
import { overTls } from './actor.ts';
import { hstsValue, securityHeaderValues } from './answers.ts';
import { requestOverTls, type TrustedProxies } from './client-address.ts';
import { anonymous } from './public-reads.ts';

/** How long an answer is served without asking the database again (milliseconds). */
export const readCacheTtlMs = 1000;
/** Answers larger than this are not kept (bytes). */
export const readCacheBodyMax = 512 * 1024;
const entriesMax = 2000;

/** API reads that depend on who asks, or are large files served elsewhere. */
const privateApi = /^\/api\/v1\/(session|cycle\/inbox|transfer-requests|documents\/)/;
/** Portal pages, the same for every visitor (the back office and login are never cached). */
const portalPage =
  /^\/(|partnerships(\/[A-Z]{2})?|projects(\/[^/]+)?|methodologies(\/[^/]+)?|decisions|registry|serial|downloads(\/[^/]+)?|static\/site\.css)$/;

/** The key of an answer: its path and query, and whether it went over TLS (with HSTS) or not. */
export function entryKey(overTls: boolean, path: string): string {
  return `${overTls ? 'https' : 'http'} ${path}`;
}

interface Entry {
  readonly storedAt: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export class ReadCache {
  readonly #entries = new Map<string, Entry>();
  #version = 0;
  hits = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly ttlMs = readCacheTtlMs,
    private readonly trustedProxies: TrustedProxies | null = null,
  ) {}

  /** Whether a request may be answered from (and stored in) the cache. */
  static cacheable(method: string, url: string, hasCredentials: boolean): boolean {
    if (method !== 'GET' || hasCredentials) return false;
    const path = url.split('?')[0] ?? '';
    return path.startsWith('/api/v1/') ? !privateApi.test(path) : portalPage.test(path);
  }

  /**
   * The application's outermost middleware: keeps a cacheable answer with every header the inner
   * middleware set, and drops every kept answer when a write of this process finishes.
   */
  middleware() {
    return async (c: Context, next: Next) => {
      const version = this.version;
      await next();
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        this.invalidate();
        return;
      }
      // A cache that keeps nothing (a time to live of zero or less) does not copy answers either.
      if (this.ttlMs <= 0) return;
      const url = new URL(c.req.url);
      const path = `${url.pathname}${url.search}`;
      const credentials = !anonymous((name) => c.req.header(name));
      if (c.res.status !== 200 || !ReadCache.cacheable(c.req.method, path, credentials)) return;
      const headers: Record<string, string> = {};
      c.res.headers.forEach((value, name) => {
        if (name !== 'x-request-id' && name !== 'set-cookie') headers[name] = value;
      });
      // The fast path of public reads (edge.ts) sets these on node's response, not on c.res.
      Object.assign(headers, securityHeaderValues);
      if (overTls(c)) headers['strict-transport-security'] = hstsValue;
      const body = Buffer.from(await c.res.arrayBuffer());
      c.res = new Response(body, { status: 200, headers: c.res.headers });
      this.store(entryKey(overTls(c), path), version, headers, body);
    };
  }

  /** The version to hand back to `store`: an answer computed across a write is not kept. */
  get version(): number {
    return this.#version;
  }

  /** A write finished: every kept answer may be stale. */
  invalidate(): void {
    this.#version += 1;
    this.#entries.clear();
  }

  store(url: string, version: number, headers: Record<string, string>, body: Buffer): void {
    if (version !== this.#version || body.length > readCacheBodyMax) return;
    if (this.#entries.size >= entriesMax) this.#entries.clear();
    this.#entries.set(url, { storedAt: this.now(), headers, body });
  }

  lookup(url: string): Entry | undefined {
    const entry = this.#entries.get(url);
    if (entry === undefined) return undefined;
    if (this.now() - entry.storedAt > this.ttlMs) {
      this.#entries.delete(url);
      return undefined;
    }
    return entry;
  }

  /**
   * Answers a request from the cache when it can (true), with the stored headers and a fresh request
   * id; otherwise leaves it to the application (false).
   */
  serve(
    request: IncomingMessage,
    response: ServerResponse,
    served: (entry: Record<string, unknown>) => void,
  ): boolean {
    if (this.ttlMs <= 0) return false;
    const url = request.url ?? '';
    const credentials = !anonymous((name) => request.headers[name]);
    if (!ReadCache.cacheable(request.method ?? '', url, credentials)) return false;
    const tls = requestOverTls(
      (request.socket as TLSSocket).encrypted === true,
      request.headers['x-forwarded-proto'] as string | undefined,
      request.socket.remoteAddress ?? '',
      this.trustedProxies,
    );
    const entry = this.lookup(entryKey(tls, url));
    if (entry === undefined) return false;
    const started = performance.now();
    const requestId = randomUUID();
    this.hits += 1;
    response.writeHead(200, { ...entry.headers, 'x-request-id': requestId });
    response.end(entry.body);
    served({
      method: 'GET',
      path: url.split('?')[0] ?? '',
      status: 200,
      requestId,
      cached: true,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
    return true;
  }
}
