// The authorisation matrix, walked whole: every write route of the OpenAPI document has a row; for
// every protected row, each role outside it is refused by the matrix (403) and each role inside it
// passes the matrix; nobody unauthenticated passes; malformed bodies on every write route answer 4xx
// problem+json; and none of these requests changes anything.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { authorisationMatrix, officeMatrix, publicReads } from '../../src/http/authorisation.ts';
import { userSession } from '../support/sessions.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';

const token = 'matrix-token';
let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  app = createApp(platform, { devToken: token });
});
afterAll(async () => {
  await testDb.drop();
});

const sampleRoles = [
  'administrator',
  'registry_manager:JP',
  'account_holder:acme',
  'project_participant:acme',
  'third_party_entity:verita',
  'secretariat:IN',
  'joint_committee:IN',
  'government_partner:IN',
  'government_japan',
];
const concrete = (path: string) =>
  path
    .replace('{registry}', 'JP')
    .replace('{account}', 'JP-000004')
    .replace('{action}', 'submit_pdd')
    .replace('{id}', 'x');

async function send(method: string, path: string, roles: string | null, body = '{}') {
  const response = await app.request(concrete(path), {
    method,
    headers: {
      'content-type': 'application/json',
      ...(roles === null
        ? {}
        : { authorization: `Bearer ${token}`, 'x-jcm-actor': 'matrix', 'x-jcm-roles': roles }),
    },
    ...(method === 'DELETE' ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (text.startsWith('{') ? JSON.parse(text) : {}) as { code?: string; detail?: string },
  };
}

async function snapshot() {
  return platform.db.read(async (k) => {
    const r = await sql<{
      t: string;
    }>`SELECT concat_ws('|', (SELECT count(*) FROM journal), (SELECT count(*) FROM cycle_events), (SELECT count(*) FROM organisations), (SELECT count(*) FROM users), (SELECT count(*) FROM api_tokens), (SELECT count(*) FROM tpe_designations)) AS t`.execute(
      k,
    );
    return r.rows[0]?.t;
  });
}

describe(`the authorisation matrix on ${testDbKind}`, () => {
  it('lists every write route of the API, and only those', async () => {
    const document = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const writes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((m) => m !== 'get')
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(writes.sort()).toEqual(authorisationMatrix.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('refuses each role outside a row, lets each role inside it through, and nobody unauthenticated', async () => {
    const before = await snapshot();
    const wrong: string[] = [];
    for (const row of authorisationMatrix) {
      const anonymous = await send(row.method, row.path, null);
      if (row.allowed === 'public' ? anonymous.status === 401 : anonymous.status !== 401)
        wrong.push(`${row.method} ${row.path} anonymous ${anonymous.status}`);
      if (row.allowed === 'public' || row.allowed === 'authenticated') continue;
      for (const roles of sampleRoles) {
        const answer = await send(row.method, row.path, roles);
        const byMatrix =
          answer.status === 403 &&
          (answer.body.detail ?? '').startsWith(`${row.method} ${row.path} is for`);
        const inside = row.allowed.includes(roles.split(':')[0] as never);
        if (byMatrix === inside)
          wrong.push(
            `${row.method} ${row.path} as ${roles}: ${answer.status} ${answer.body.code ?? ''}`,
          );
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('answers malformed bodies on every write route with 4xx problem+json and changes nothing', async () => {
    const before = await snapshot();
    for (const row of authorisationMatrix.filter((r) => r.method === 'POST')) {
      const roles =
        row.allowed === 'public' || row.allowed === 'authenticated'
          ? 'administrator'
          : `${row.allowed[0] ?? 'administrator'}${row.allowed[0] === 'administrator' || row.allowed[0] === 'government_japan' ? '' : row.allowed[0] === 'registry_manager' ? ':JP' : row.allowed[0] === 'account_holder' || row.allowed[0] === 'project_participant' ? ':acme' : row.allowed[0] === 'third_party_entity' ? ':verita' : ':IN'}`;
      for (const body of ['{', '[]', '{"unexpected": true}', 'null']) {
        const answer = await send('POST', row.path, roles, body);
        expect(answer.status, `${row.path} ${body}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${row.path} ${body}`).toBeLessThan(500);
        expect(answer.type, `${row.path} ${body}`).toBe('application/problem+json');
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe(`the back office's rows of the matrix on ${testDbKind}`, () => {
  const verbs: Record<string, string> = { transfers: 'approve', tokens: 'create', users: 'add' };
  const sample = (path: string) =>
    path
      .replace('{id}', 'x')
      .replace('{action}', 'submit_pdd')
      .replace('{verb}', verbs[path.split('/')[2] ?? ''] ?? 'x');
  /** A route (`:param`) or a row (`{param}`) as a pattern, and as one concrete path. */
  const patternOf = (path: string) =>
    new RegExp(`^${path.replace(/:[a-z]+|\{[a-z]+\}/g, '[^/]+')}$`);
  const concreteOf = (path: string) => sample(path).replace(/:[a-z]+/g, 'x');
  const meet = (a: string, b: string) =>
    patternOf(a).test(concreteOf(b)) || patternOf(b).test(concreteOf(a));

  it('has a row for every form of the back office, and only for those', () => {
    const routes = app.routes
      .filter((r) => r.method === 'POST' && r.path.startsWith('/office'))
      .map((r) => r.path);
    const uncovered = routes.filter((r) => !officeMatrix.some((row) => meet(r, row.path)));
    const unrouted = officeMatrix.filter((row) => !routes.some((r) => meet(r, row.path)));
    expect([uncovered, unrouted.map((r) => r.path)]).toEqual([[], []]);
    expect(routes.length).toBeGreaterThanOrEqual(8);
  });

  it('refuses each role outside a row and lets each role inside it through', async () => {
    const sessions = new Map<string, { cookie: string; csrf: string }>();
    for (const [i, roles] of sampleRoles.entries())
      sessions.set(roles, await userSession(platform, clock, `office-${i}@matrix.example`, roles));
    const before = await snapshot();
    const wrong: string[] = [];
    for (const row of officeMatrix) {
      for (const roles of sampleRoles) {
        const session = sessions.get(roles)!;
        const body = new FormData();
        body.set('csrf', session.csrf);
        const response = await app.request(sample(row.path), {
          method: 'POST',
          headers: { cookie: session.cookie },
          body,
        });
        const refused =
          response.status === 403 && (await response.text()).includes('Your roles do not allow');
        const inside =
          row.allowed === 'authenticated' ||
          (row.allowed !== 'public' && row.allowed.includes(roles.split(':')[0] as never));
        if (refused === inside) wrong.push(`${row.path} as ${roles}: ${response.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe(`the public reads of the matrix on ${testDbKind}`, () => {
  it('are routes of the OpenAPI document that anyone reaches without a login', async () => {
    const document = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const row of publicReads) {
      expect(document.paths[row.path]?.['get'], row.path).toBeDefined();
      const path = row.path.replace('{chain}', 'JP').replace('{seq}', '1');
      const anonymous = await app.request(path);
      expect([401, 403], `${row.path} ${anonymous.status}`).not.toContain(anonymous.status);
      expect(anonymous.status, row.path).toBeLessThan(500);
    }
  });
});
