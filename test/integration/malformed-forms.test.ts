// Forms whose body cannot be read (found by the fuzz test, issue 12): a back-office form, the login
// form and the logout form posted as multipart/form-data without a boundary, or with a body that is
// not multipart at all, are refused with 400 `invalid_request` as problem+json, and change nothing;
// they used to end in 500 (undici's "Failed to parse body as FormData" thrown by parseBody).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { snapshot, standardOpening } from '../support/scenario.ts';
import { userSession } from '../support/sessions.ts';

let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;
let session: { cookie: string; csrf: string };

beforeAll(async () => {
  let clock;
  ({ platform, testDb, clock } = await freshPlatform());
  await standardOpening(platform);
  app = createApp(platform, { devToken: null });
  session = await userSession(platform, clock, 'forms@fuzz.example', 'administrator');
});
afterAll(async () => {
  await testDb.drop();
});

const unreadable: [string, string][] = [
  ['multipart without a boundary', 'multipart/form-data'],
  ['multipart with a boundary the body lacks', 'multipart/form-data; boundary=nowhere'],
];
const forms = ['/office/registry/transfer', '/office/audit', '/login', '/logout'];

describe(`unreadable forms on ${testDbKind}`, () => {
  it.each(unreadable.flatMap(([name, type]) => forms.map((path) => [name, type, path])))(
    '%s (%s) to %s: 400 invalid_request, nothing changed',
    async (_name, type, path) => {
      const before = await snapshot(platform);
      const response = await app.request(path, {
        method: 'POST',
        headers: {
          'content-type': type,
          cookie: `${session.cookie}; jcm_login_csrf=abc`,
        },
        body: `csrf=${session.csrf}&from=JP-000004&to=JP-000006&quantity=1`,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await response.json()) as { code: string }).code).toBe('invalid_request');
      expect(await snapshot(platform)).toBe(before);
      // The session still works: the form was refused before anything looked at it.
      const office = await app.request('/office', { headers: { cookie: session.cookie } });
      expect(office.status).toBe(200);
    },
  );
});
