// The HTTP edge (src/http) refuses bad input the same way on every route, before any route runs:
// JSON routes take only application/json (optionally charset=utf-8), control characters are refused
// in paths, query strings, JSON and form bodies, every route has a body limit, and a 413 closes the
// connection cleanly. Nothing here may answer 500.
import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { requestBodyBytesMax } from '../../src/http/app.ts';
import { createServedApps } from '../../src/http/edge.ts';
import { ReadCache } from '../../src/http/read-cache.ts';
import { listen } from '../../src/http/server.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { snapshot, standardOpening } from '../support/scenario.ts';
import { freePort } from '../support/server.ts';
import { userSession } from '../support/sessions.ts';

const token = 'edge-token';
let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;
let office: { cookie: string; csrf: string };

beforeAll(async () => {
  let clock;
  ({ platform, testDb, clock } = await freshPlatform());
  await standardOpening(platform);
  app = createApp(platform, { devToken: token });
  office = await userSession(platform, clock, 'edge-admin@jcm.example', 'administrator');
});
afterAll(async () => {
  await testDb.drop();
});

const auth = {
  authorization: `Bearer ${token}`,
  'x-jcm-actor': 'edge-test',
  'x-jcm-roles': 'administrator',
};
const transfer = JSON.stringify({
  from: 'JP-000004',
  to: 'JP-000006',
  selection: { quantity: '1' },
});

async function send(
  method: string,
  path: string,
  body: string | undefined,
  headers: Record<string, string>,
) {
  const response = await app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let code: unknown;
  try {
    code = (JSON.parse(text) as Record<string, unknown>)['code'];
  } catch {
    code = undefined;
  }
  return { status: response.status, type: response.headers.get('content-type'), code };
}

const post = (path: string, body: string | undefined, type: string | null) =>
  send('POST', path, body, {
    ...auth,
    'idempotency-key': crypto.randomUUID(),
    ...(type === null ? {} : { 'content-type': type }),
  });

async function firstMethodology(): Promise<string> {
  const list = (await (await app.request('/api/v1/methodologies')).json()) as unknown;
  const first = /"id":"([^"]+)"/.exec(JSON.stringify(list))?.[1];
  expect(first).toBeDefined();
  return first ?? '';
}

describe(`content types on JSON routes on ${testDbKind}`, () => {
  it.each([
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    '*/*',
    'APPLICATION/JSON',
    'application/merge-patch+json',
    'application/json; charset=latin1',
    'application/jsonx',
    null,
  ])('refuses %s with 415 content_type_unsupported and changes nothing', async (type) => {
    const before = await snapshot(platform);
    const answer = await post('/api/v1/transfers', transfer, type);
    expect(answer).toEqual({
      status: 415,
      type: 'application/problem+json',
      code: 'content_type_unsupported',
    });
    expect(await snapshot(platform)).toEqual(before);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
  ])('takes %s', async (type) => {
    expect((await post('/api/v1/transfers', transfer, type)).status).toBe(201);
  });

  it('refuses text/plain on every JSON route of the OpenAPI document with 415', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: object } }>>;
    };
    const jsonRoutes = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(
          ([, op]) => Object.keys(op.requestBody?.content ?? {}).join() === 'application/json',
        )
        .map(([method]) => [method.toUpperCase(), path.replace(/\{[^}]+\}/g, 'JP')] as const),
    );
    expect(jsonRoutes.length).toBeGreaterThan(20);
    const answers = await Promise.all(
      jsonRoutes.map(async ([method, path]) => ({
        route: `${method} ${path}`,
        ...(await send(method, path, '{}', {
          ...auth,
          'x-jcm-roles':
            'administrator,joint_committee:IN,secretariat:IN,government_japan,government_partner:IN',
          'idempotency-key': crypto.randomUUID(),
          'content-type': 'text/plain',
        })),
      })),
    );
    expect(
      answers.filter((a) => a.status !== 415 || a.code !== 'content_type_unsupported'),
    ).toEqual([]);
  });

  it('leaves the monitoring upload its own types', async () => {
    const id = await firstMethodology();
    const answer = await post(`/api/v1/methodologies/${id}/calculate`, 'a,b', 'text/csv');
    expect(answer.status).toBe(422);
    expect(answer.code).not.toBe('content_type_unsupported');
  });

  it.each(['APPLICATION/JSON', 'application/json; charset=latin1', 'application/merge-patch+json'])(
    'refuses %s on the monitoring upload as on every JSON route',
    async (type) => {
      const id = await firstMethodology();
      const answer = await post(`/api/v1/methodologies/${id}/calculate`, '{}', type);
      expect(answer).toMatchObject({ status: 415, code: 'content_type_unsupported' });
    },
  );
});

describe(`estimates with no body on ${testDbKind}`, () => {
  it('answers 400 for POST /methodologies/estimate and /methodologies/{id}/estimate with no body', async () => {
    const first = await firstMethodology();
    for (const path of [
      '/api/v1/methodologies/estimate',
      `/api/v1/methodologies/${first}/estimate`,
    ]) {
      const none = await send('POST', path, undefined, {});
      expect(none, path).toMatchObject({ status: 400, code: 'invalid_request' });
      const empty = await send('POST', path, '', { 'content-type': 'application/json' });
      expect(empty, path).toMatchObject({ status: 400, code: 'malformed_json' });
    }
  });
});

describe(`control characters on ${testDbKind}`, () => {
  const refused = {
    status: 400,
    type: 'application/problem+json',
    code: 'control_character_refused',
  };
  it.each([
    ['POST', '/api/v1/transfer-requests/%00/approve'],
    ['POST', '/api/v1/transfer-requests/%01/reject'],
    ['DELETE', '/api/v1/tokens/%00'],
    ['GET', '/api/v1/cycle/items/%00'],
    ['GET', '/api/v1/accounts/JP-%7F'],
    ['GET', '/projects/%00'],
    ['GET', '/projects/JP%C2%85'],
    ['GET', '/api/v1/methodologies/find?words=%00'],
    ['GET', '/projects?country=%1B'],
  ])('refuses %s %s with 400', async (method, path) => {
    expect(await send(method, path, undefined, auth)).toEqual(refused);
  });

  it('refuses them in the back office path', async () => {
    expect(await send('GET', '/office/items/%00', undefined, { cookie: office.cookie })).toEqual(
      refused,
    );
  });

  it.each([
    ['a string value', { ...JSON.parse(transfer), memo: 'a\u0000b' }],
    ['a nested value', { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '1\u0008' } }],
    ['a key', { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '1' }, 'k\u0000': 1 }],
    ['an array item', { ranges: [[{ deep: ['\u007f'] }]] }],
    ['a C1 control', { from: 'JP-000004\u0085', to: 'JP-000006', selection: { quantity: '1' } }],
  ])('refuses %s in a JSON body and changes nothing', async (_what, body) => {
    const before = await snapshot(platform);
    expect(await post('/api/v1/transfers', JSON.stringify(body), 'application/json')).toEqual(
      refused,
    );
    expect(await snapshot(platform)).toEqual(before);
  });

  it('refuses NUL in the JSON bodies of users, session, organisations and transfer requests', async () => {
    const bodies: [string, object][] = [
      [
        '/api/v1/users',
        { email: 'x\u0000@jcm.example', name: 'X', password: 'p', roles: 'auditor' },
      ],
      ['/api/v1/session', { email: 'x\u0000@jcm.example', password: 'p' }],
      ['/api/v1/organisations', { name: 'Org\u0000', kind: 'tpe' }],
      ['/api/v1/transfer-requests', { from: 'JP-000004\u0000', to: 'JP-000006' }],
    ];
    for (const [path, body] of bodies) {
      expect(await post(path, JSON.stringify(body), 'application/json'), path).toEqual(refused);
    }
  });

  it('takes tab, CR and LF in JSON text', async () => {
    const answer = await post(
      '/api/v1/transfers',
      JSON.stringify({ ...JSON.parse(transfer), from: 'JP-000004\t\r\n' }),
      'application/json',
    );
    expect(answer.status).toBe(400);
    expect(answer.code).not.toBe('control_character_refused');
  });

  it('refuses them in the login form', async () => {
    const page = await app.request('/login');
    const cookie = /jcm_login_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? '';
    expect(cookie).not.toBe('');
    const form = new URLSearchParams({ csrf: cookie, email: 'a\u0000@b.c', password: 'x' });
    expect(
      await send('POST', '/login', form.toString(), {
        cookie: `jcm_login_csrf=${cookie}`,
        'content-type': 'application/x-www-form-urlencoded',
      }),
    ).toEqual(refused);
  });

  it('refuses them in a back-office form', async () => {
    const form = new URLSearchParams({
      csrf: office.csrf,
      email: 'new@jcm.example',
      name: 'x\u0000',
      roles: 'auditor',
    });
    expect(
      await send('POST', '/office/users/add', form.toString(), {
        cookie: office.cookie,
        'content-type': 'application/x-www-form-urlencoded',
      }),
    ).toEqual(refused);
  });
});

describe(`form bodies that cannot be read on ${testDbKind}`, () => {
  it.each([
    ['/login', 'multipart/form-data; boundary=x'],
    ['/login', 'multipart/form-data'],
    ['/office/users/add', 'multipart/form-data; boundary=x'],
    ['/logout', 'multipart/form-data; boundary=x'],
    ['/api/v1/transfer-requests/TR-JP-000001/approve', 'multipart/form-data; boundary=x'],
  ])('POST %s with a broken %s body is 400 invalid_request', async (path, type) => {
    const answer = await send('POST', path, 'not a multipart body', {
      ...(path.startsWith('/api/') ? auth : { cookie: office.cookie }),
      'content-type': type,
    });
    expect(answer).toEqual({
      status: 400,
      type: 'application/problem+json',
      code: 'invalid_request',
    });
  });
});

describe(`forms of anonymous callers on ${testDbKind}`, () => {
  it('are not read: a broken back-office form without a session goes to the login page', async () => {
    const answer = await app.request('/office/users/add', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: 'not a multipart body',
    });
    expect([answer.status, answer.headers.get('location')]).toEqual([303, '/login']);
  });
});

describe(`body limits on ${testDbKind}`, () => {
  it.each([
    ['POST', '/logout'],
    ['POST', '/projects'],
    ['PUT', '/'],
  ])('%s %s refuses a body over the limit with 413', async (method, path) => {
    const answer = await send(method, path, 'x'.repeat(requestBodyBytesMax + 1), {
      cookie: office.cookie,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(answer).toMatchObject({ status: 413, code: 'payload_too_large' });
  });
});

describe(`a 413 on a kept-alive connection on ${testDbKind}`, () => {
  const logged: Record<string, unknown>[] = [];
  const requests: Record<string, unknown>[] = [];
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    const readCache = new ReadCache();
    const served = createServedApps(platform, {
      devToken: token,
      readCache,
      log: (entry) => logged.push(entry),
      requestLog: (entry) => requests.push(entry),
    });
    await new Promise<void>((resolve) => {
      server = listen(served, readCache, port, undefined, resolve);
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('arrives complete with Connection: close, and the server goes on serving', async () => {
    const bytes = 8 * 1024 * 1024;
    // A raw client: the headers, then the whole body as fast as the socket takes it.
    const received = await new Promise<{ text: string; error: string | null }>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      let error: string | null = null;
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('error', (e) => (error = e.message));
      socket.on('close', () => resolve({ text, error }));
      socket.write(
        `POST /logout HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${bytes}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const write = (left: number): void => {
        if (left <= 0 || socket.destroyed) return;
        if (socket.write(chunk)) write(left - chunk.length);
        else socket.once('drain', () => write(left - chunk.length));
      };
      write(bytes);
    });
    expect(received.error).toBeNull();
    expect(received.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(received.text.toLowerCase()).toContain('connection: close');
    const body = received.text.slice(received.text.indexOf('\r\n\r\n') + 4);
    expect(JSON.parse(body)).toMatchObject({ code: 'payload_too_large' });

    // node:http with a keep-alive agent: the 413, then a new request that must succeed.
    const agentAnswers = await new Promise<number[]>((resolve, reject) => {
      const statuses: number[] = [];
      const second = () =>
        httpRequest({ port, host: '127.0.0.1', path: '/health' }, (res) => {
          statuses.push(res.statusCode ?? 0);
          res.resume();
          res.on('end', () => resolve(statuses));
        })
          .on('error', reject)
          .end();
      const first = httpRequest(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/api/v1/methodologies/estimate',
          headers: { 'content-type': 'application/json', connection: 'keep-alive' },
        },
        (res) => {
          statuses.push(res.statusCode ?? 0);
          res.resume();
          res.on('end', second);
        },
      );
      first.on('error', reject);
      first.end('x'.repeat(2 * 1024 * 1024));
    });
    expect(agentAnswers).toEqual([413, 200]);
  });

  /** Sends raw bytes and reads the whole answer until the server closes the connection. */
  const raw = (request: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(text));
      socket.write(request);
    });

  it.each([
    [
      'headers over 16 KB',
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'request_headers_too_large',
    ],
    [
      'a control byte in a header',
      'GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n',
      400,
      'invalid_request',
    ],
    ['a broken request line', 'GARBAGE\r\n\r\n', 400, 'invalid_request'],
    [
      'no Host header',
      'GET /api/v1/registries HTTP/1.1\r\nConnection: close\r\n\r\n',
      400,
      'invalid_request',
    ],
  ])(
    'answers a request node cannot parse (%s) as problem+json',
    async (_what, request, status, code) => {
      const text = await raw(request);
      expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(text.toLowerCase()).toContain('content-type: application/problem+json');
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ status, code });
      expect(await raw('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(
        /^HTTP\/1\.1 200 /,
      );
    },
  );

  it('takes a client that hangs up mid-body for no failure of the server (400, nothing logged)', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /api/v1/methodologies/validate HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nabc',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    const deadline = Date.now() + 10_000;
    const seen = () => requests.find((r) => r['path'] === '/api/v1/methodologies/validate');
    while (seen() === undefined && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen()?.['status']).toBe(400);
    expect(logged).toEqual([]);
  });

  it('answers HEAD with headers only, even when node refuses it', async () => {
    const text = await raw(
      `HEAD /api/v1/registries?a=${'b'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(text.endsWith('\r\n\r\n')).toBe(true);
  });
});
