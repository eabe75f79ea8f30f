// /ready tells anyone whether the server is ready, and only an administrator (an API token or a
// session with the role, or the development token naming it) which database answers; credentials
// that do not authenticate get the status, never a 401. (With a read replica, its state is among the
// details: test/system/read-replica.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { operator } from '../support/scenario.ts';
import { userSession } from '../support/sessions.ts';

const devToken = 'ready-token';
let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;
let office: { cookie: string; csrf: string };
let adminToken = '';

beforeAll(async () => {
  let clock;
  ({ platform, testDb, clock } = await freshPlatform());
  app = createApp(platform, { devToken });
  office = await userSession(platform, clock, 'ready-admin@jcm.example', 'administrator');
  const created = await platform.accounts.issueApiToken({
    actor: operator,
    input: { email: 'ready-admin@jcm.example', name: 'probe' },
  });
  if (!created.ok) throw new Error(created.error.message);
  adminToken = created.value.token ?? '';
});
afterAll(async () => {
  await testDb.drop();
});

async function ready(headers: Record<string, string> = {}) {
  const response = await app.request('/ready', { headers });
  return { status: response.status, body: (await response.json()) as unknown };
}

const developer = (roles: string) => ({
  authorization: `Bearer ${devToken}`,
  'x-jcm-actor': 'ops',
  'x-jcm-roles': roles,
});

describe(`/ready on ${testDbKind}`, () => {
  it.each([
    ['anyone', {}],
    ['a registry manager', developer('registry_manager:JP')],
    ['an unknown API token', { authorization: 'Bearer jcm_tok_unknown' }],
    ['a wrong development token', { ...developer('administrator'), authorization: 'Bearer no' }],
    ['an ended session', { cookie: 'jcm_session=not-a-session' }],
  ])('tells %s the status only', async (_, headers) => {
    expect(await ready(headers)).toEqual({ status: 200, body: { status: 'ready' } });
  });

  // Functions: the token and the session exist only once beforeAll has run.
  it.each([
    ['the development token', () => developer('administrator')],
    ['an API token', () => ({ authorization: `Bearer ${adminToken}` })],
    ['a session', () => ({ cookie: office.cookie })],
  ])('tells an administrator with %s which database answers', async (_, headers) => {
    expect(await ready(headers())).toEqual({
      status: 200,
      body: { status: 'ready', database: testDbKind },
    });
  });
});
