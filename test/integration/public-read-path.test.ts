// The fast path of public reads (src/http/edge.ts) against the full application, both behind real
// node:http servers over one platform with the micro-cache off: an anonymous GET or HEAD of a public
// URL takes the fast path and gets the full application's answer (status, security headers, body;
// problem bodies apart from their request ids), bad input included; a request with a cookie or an
// Authorization header, and an anonymous read of a path that needs more (the back office, the
// login, the reads restricted to a role), is answered by the full application; the fast path's
// requests are logged and counted.
import type { Server } from 'node:http';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inPublicReads } from '../../src/db/replica.ts';
import { appParts, createApp } from '../../src/http/app.ts';
import { securityHeaderValues } from '../../src/http/answers.ts';
import { createEdge, fullAppOnly, type ServedApps } from '../../src/http/edge.ts';
import { ReadCache } from '../../src/http/read-cache.ts';
import { listen } from '../../src/http/server.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import type { AppEnv } from '../../src/services/request-scope.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { freePort } from '../support/server.ts';
import { userSession } from '../support/sessions.ts';

const devToken = 'public-read-path-token';
let platform: TestPlatform;
let testDb: TestDb;
let office: { cookie: string; csrf: string };
const servers: Server[] = [];
/** The deployed composition (fast path for public reads), and the full application for everything. */
let fast = '';
let full = '';
/** Which application each request of `fast` reached, in order ('edge', then 'full' if handed on). */
let reached: string[] = [];
const logged: Record<string, unknown>[] = [];

/** An application whose fetch notes its name in `reached` first. */
function noting(name: string, app: Pick<Hono, 'fetch'>): Pick<Hono, 'fetch'> {
  return {
    fetch: (request: Request, env?: unknown) => {
      reached.push(name);
      return app.fetch(request, env);
    },
  };
}

async function serve(apps: ServedApps, readCache: ReadCache): Promise<string> {
  const port = await freePort();
  await new Promise<void>((resolve) => {
    servers.push(listen(apps, readCache, port, undefined, resolve));
  });
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  let clock;
  ({ platform, testDb, clock } = await freshPlatform());
  await seedDemo(platform);
  office = await userSession(platform, clock, 'path-admin@jcm.example', 'administrator');
  // A time to live of -1: the cache keeps nothing, so that every read reaches an application.
  const readCache = new ReadCache(undefined, -1);
  const options = {
    devToken,
    readCache,
    requestLog: (entry: Record<string, unknown>) => logged.push(entry),
  };
  const parts = appParts(platform);
  const app = noting('full', createApp(platform, options, parts));
  fast = await serve(
    { app, edge: noting('edge', createEdge(platform, options, parts, app)) },
    readCache,
  );
  const only = createApp(platform, options);
  full = await serve({ app: only, edge: only }, readCache);
});
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await testDb.drop();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The parts of an answer both paths must agree on: the request id (its own per request) aside. */
async function ask(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { redirect: 'manual', ...init });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'date' && name !== 'x-request-id' && name !== 'keep-alive') headers[name] = value;
  });
  expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const text = await response.text();
  return { status: response.status, headers, body: withoutRequestId(text) };
}

/** A problem's body without its request id (each answer has its own); any other body as it is. */
function withoutRequestId(text: string): string {
  if (!text.startsWith('{"type"')) return text;
  const { requestId, ...rest } = JSON.parse(text) as Record<string, unknown>;
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  return JSON.stringify(rest);
}

/** Asks the deployed server, noting which application answered. */
async function askFast(path: string, init: Parameters<typeof ask>[2] = {}) {
  reached = [];
  const answer = await ask(fast, path, init);
  return { answer, reached: [...reached] };
}

const publicUrls = [
  '/api/v1/methodologies',
  '/api/v1/registries',
  '/api/v1/registries/JP/accounts',
  '/api/v1/registries/JP/accounts?limit=2',
  '/api/v1/cycle/items',
  '/api/openapi.json',
  '/',
  '/projects',
  '/registry',
  '/methodologies',
  '/decisions',
  '/public-input',
  '/static/site.css',
  // A percent-encoded letter is read as the letter (JP), by both.
  '/api/v1/registries/%4AP/accounts',
];

/** Other answers, bad input and unknown routes, each with the status the full application gives. */
const refusedUrls: [string, number][] = [
  ['/favicon.ico', 204],
  ['/nope', 404],
  ['/api/v1/nope', 404],
  ['/api/v1/accounts/XX-000000', 404],
  ['/api/v1/registries/JP/accounts?limit=abc', 400],
  ['/api/v1/registries/JP/accounts?limit=0', 400],
  ['/api/v1/registries/JP/accounts?limit=501', 400],
  ['/api/v1/registries/JP/accounts?after=not-a-cursor', 400],
  ['/api/v1/registries?x=%00', 400],
  ['/api/v1/registries?x=%1B', 400],
  ['/projects/%01', 400],
  ['/%00', 400],
  ['/projects?after=%7F', 400],
  [`/${'a'.repeat(8000)}`, 404],
  [`/api/v1/registries?q=${'b'.repeat(8000)}`, 200],
];

describe(`the fast path of public reads on ${testDbKind}`, () => {
  it.each(publicUrls)('answers GET %s as the full application does', async (path) => {
    const { answer, reached: by } = await askFast(path);
    expect(by).toEqual(['edge']);
    expect(answer.status).toBe(200);
    for (const [name, value] of Object.entries(securityHeaderValues))
      expect(answer.headers[name], name).toBe(value);
    expect(answer).toEqual(await ask(full, path));
  });

  it.each(refusedUrls)(
    'answers GET %s with %i as the full application does',
    async (path, status) => {
      const { answer, reached: by } = await askFast(path);
      expect(by).toEqual(['edge']);
      expect(answer.status).toBe(status);
      expect(answer).toEqual(await ask(full, path));
    },
  );

  it('answers HEAD with the same status and headers and no body', async () => {
    for (const path of ['/api/v1/registries', '/', '/nope']) {
      const { answer, reached: by } = await askFast(path, { method: 'HEAD' });
      expect(by).toEqual(['edge']);
      expect(answer.body).toBe('');
      expect(answer).toEqual(await ask(full, path, { method: 'HEAD' }));
    }
  });

  it('hands anonymous reads that need more to the full application, whole', async () => {
    const cases: [string, number][] = [
      ['/office', 303],
      ['/office/items', 303],
      // The path hono routes on (decoded) decides, not the bytes sent.
      ['/offic%65', 303],
      ['/login', 200],
      ['/api/v1/session', 401],
      ['/api/v1/comments', 401],
      ['/health', 200],
      ['/ready', 200],
    ];
    for (const [path, status] of cases) {
      const { answer, reached: by } = await askFast(path);
      expect(by, path).toEqual(['edge', 'full']);
      expect(answer.status, path).toBe(status);
    }
    // The login form's double-submit cookie is still set.
    const login = await fetch(`${fast}/login`);
    expect(login.headers.get('set-cookie')).toMatch(/^jcm_login_csrf=/);
  });

  it('leaves requests with a cookie or an Authorization header, and writes, to the full application', async () => {
    const session = await askFast('/api/v1/session', { headers: { cookie: office.cookie } });
    expect(session.reached).toEqual(['full']);
    expect(session.answer.status).toBe(200);
    expect(JSON.parse(session.answer.body)).toMatchObject({ actor: expect.any(String) });
    const page = await askFast('/office', { headers: { cookie: office.cookie } });
    expect(page.reached).toEqual(['full']);
    expect(page.answer.status).toBe(200);
    // A bad token on a read that needs one is refused, as before.
    const refused = await askFast('/api/v1/comments', {
      headers: { authorization: 'Bearer jcm_tok_not-a-token' },
    });
    expect(refused.reached).toEqual(['full']);
    expect(refused.answer.status).toBe(401);
    expect(JSON.parse(refused.answer.body)).toMatchObject({ code: 'unauthenticated' });
    // Even an empty cookie header counts as credentials: one predicate for all (public-reads.ts).
    expect((await askFast('/api/v1/registries', { headers: { cookie: '' } })).reached).toEqual([
      'full',
    ]);
    const write = await askFast('/api/v1/registries', { method: 'POST' });
    expect(write.reached).toEqual(['full']);
    expect(write.answer.status).toBe(401);
  });

  it('logs and counts its requests as the full application does', async () => {
    logged.length = 0;
    const response = await fetch(`${fast}/api/v1/registries?logged=1`);
    const id = response.headers.get('x-request-id');
    await response.text();
    expect(logged).toEqual([
      {
        requestId: id,
        method: 'GET',
        path: '/api/v1/registries',
        status: 200,
        ms: expect.any(Number),
      },
    ]);
    // A request id the client sent is kept, by both.
    const sent = await fetch(`${fast}/api/v1/registries`, {
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(sent.headers.get('x-request-id')).toBe('abc-123');
    const metrics = await (await fetch(`${fast}/metrics`)).text();
    const line =
      /jcm_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/registries"\} (\d+)/.exec(
        metrics,
      );
    expect(Number(line?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('routes every GET of the full application in the fast path, or hands it on', () => {
    const gets = (app: Hono<AppEnv>) =>
      new Set(app.routes.filter((r) => r.method === 'GET').map((r) => r.path));
    const parts = appParts(platform);
    const edge = gets(createEdge(platform, { devToken }, parts, createApp(platform, { devToken })));
    const missing = [...gets(createApp(platform, { devToken }, parts))].filter(
      (path) => !edge.has(path) && !fullAppOnly(path.replace(/:[^/]+/g, 'x')),
    );
    // A page of the web outside the portal (src/web/web.ts) needs a path in fullAppOnly.
    expect(missing).toEqual([]);
    expect(edge.size).toBeGreaterThan(50);
  });

  it('enters no replica scope without a replica', async () => {
    expect(await platform.publicReads(async () => inPublicReads())).toBe(false);
  });
});
