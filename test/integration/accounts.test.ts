// Real accounts over HTTP: no default credentials, argon2id passwords, a TOTP second factor for the
// roles that need one, session cookies (HttpOnly, SameSite=Strict) with CSRF protection on writes,
// scoped and revocable API tokens, lockout after failed logins and a per-address rate limit.
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { totpCode } from '../../src/services/accounts.ts';
import { runCli } from '../support/cli.ts';
import { operator, standardOpening } from '../support/scenario.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let adminTotp = '';
const adminPassword = 'long enough passphrase 7';

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  app = createApp(platform, { devToken: null });
});
afterAll(async () => {
  await testDb.drop();
});

/** The request's socket, as @hono/node-server hands it to the app (the login rate limit's key). */
const socket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
let address = 0;
async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  address += 1;
  const response = await app.request(
    path,
    {
      method,
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    },
    socket(`10.0.0.${address % 250}`),
  );
  const text = await response.text();
  return {
    status: response.status,
    body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    cookie: response.headers.get('set-cookie'),
  };
}
/**
 * The current code of the authenticator app, at the platform clock's time, in a time step of its own
 * (a code opens one session: the clock moves to the next minute, a later step than any before).
 */
const code = (email: string, uri: string) => {
  clock.advanceToNextMinute();
  return totpCode(email, uri, Date.parse(clock.now()));
};

describe(`accounts on ${testDbKind}`, () => {
  it('has no default credentials: nothing writes before an administrator is created', async () => {
    const anonymous = await call('POST', '/api/v1/organisations', {
      id: 'acme',
      name: 'Acme',
      kind: 'project_participant',
      country: 'JP',
    });
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'unauthenticated']);
    const guessed = await call(
      'POST',
      '/api/v1/organisations',
      {},
      { authorization: 'Bearer dev', 'x-jcm-actor': 'x', 'x-jcm-roles': 'administrator' },
    );
    expect(guessed.status).toBe(401);
    const users = await platform.db.read((k) => k.selectFrom('users').select('id').execute());
    expect(users).toEqual([]);
  });

  it('creates the first administrator from the CLI, with a second factor', async () => {
    process.env['JCM_PASSWORD'] = adminPassword;
    try {
      const created = await runCli(
        { openPlatform: async () => ({ ...platform, close: async () => undefined }) },
        '--json',
        'admin',
        'create',
        'ada@example.org',
        '--name',
        'Ada Admin',
      );
      expect(created.exitCode, created.err).toBe(0);
      adminTotp = (JSON.parse(created.out) as { totpUri: string }).totpUri;
    } finally {
      delete process.env['JCM_PASSWORD'];
    }
    expect(adminTotp).toMatch(/^otpauth:\/\/totp\/JCM%20platform:ada%40example\.org\?/);
    const row = await platform.db.read((k) =>
      k.selectFrom('users').select('password_hash').executeTakeFirstOrThrow(),
    );
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('lets a narrow API token mint only tokens as narrow as itself', async () => {
    const created = await platform.accounts.createUser({
      actor: operator,
      input: {
        email: 'multi@example.org',
        name: 'Multi',
        password: 'a long layered passphrase',
        roles: 'administrator,registry_manager:JP',
      },
    });
    expect(created.ok).toBe(true);
    const narrow = await platform.accounts.issueApiToken({
      actor: operator,
      input: { email: 'multi@example.org', name: 'narrow', scopes: ['registry_manager:JP'] },
    });
    const bearer = { authorization: `Bearer ${narrow.ok ? narrow.value.token : ''}` };
    const wider = await call(
      'POST',
      '/api/v1/tokens',
      { name: 'wider', scopes: ['administrator'] },
      bearer,
    );
    expect([wider.status, wider.body.code]).toEqual([403, 'actor_not_authorised']);
    const same = await call('POST', '/api/v1/tokens', { name: 'same' }, bearer);
    expect(same.status).toBe(201);
    const who = await call('GET', '/api/v1/session', undefined, {
      authorization: `Bearer ${String(same.body.token)}`,
    });
    expect(who.body.roles).toEqual([{ kind: 'registry_manager', registry: 'JP' }]);
  });

  it('logs in with password and code, and protects writes of the session with its CSRF token', async () => {
    expect(
      (
        await call('POST', '/api/v1/session', {
          email: 'ada@example.org',
          password: 'wrong password 123',
        })
      ).body.code,
    ).toBe('login_failed');
    expect(
      (
        await call('POST', '/api/v1/session', {
          email: 'nobody@example.org',
          password: 'wrong password 123',
        })
      ).body.code,
    ).toBe('login_failed');
    expect(
      (await call('POST', '/api/v1/session', { email: 'ada@example.org', password: adminPassword }))
        .body.code,
    ).toBe('login_failed');
    expect(
      (
        await call('POST', '/api/v1/session', {
          email: 'ada@example.org',
          password: adminPassword,
          code: '000000',
        })
      ).body.code,
    ).toBe('login_failed');
    const login = await call('POST', '/api/v1/session', {
      email: 'ada@example.org',
      password: adminPassword,
      code: code('ada@example.org', adminTotp),
    });
    expect(login.status).toBe(200);
    expect(login.cookie).toMatch(
      /^jcm_session=[^;]+; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const cookie = (login.cookie ?? '').split(';')[0] ?? '';
    const csrf = String(login.body.csrfToken);
    const organisation = { id: 'acme', name: 'Acme', kind: 'project_participant', country: 'JP' };
    expect((await call('POST', '/api/v1/organisations', organisation, { cookie })).body.code).toBe(
      'csrf_token_invalid',
    );
    expect(
      (
        await call('POST', '/api/v1/organisations', organisation, {
          cookie,
          'x-csrf-token': 'forged',
        })
      ).body.code,
    ).toBe('csrf_token_invalid');
    expect(
      (await call('POST', '/api/v1/organisations', organisation, { cookie, 'x-csrf-token': csrf }))
        .status,
    ).toBe(201);
    expect((await call('GET', '/api/v1/session', undefined, { cookie })).body.actor).toBe(
      'ada@example.org',
    );

    // An API token limited to one role; revoked, it stops working.
    const token = await call(
      'POST',
      '/api/v1/tokens',
      { name: 'integration', scopes: ['administrator'] },
      { cookie, 'x-csrf-token': csrf },
    );
    expect(token.status).toBe(201);
    const bearer = { authorization: `Bearer ${String(token.body.token)}` };
    expect(
      (await call('POST', '/api/v1/organisations', { ...organisation, id: 'beta' }, bearer)).status,
    ).toBe(201);
    expect(
      (
        await call(
          'POST',
          '/api/v1/tokens',
          { name: 'more', scopes: ['secretariat:IN'] },
          { cookie, 'x-csrf-token': csrf },
        )
      ).body.code,
    ).toBe('actor_not_authorised');
    expect(
      (
        await call('DELETE', `/api/v1/tokens/${String(token.body.id)}`, undefined, {
          cookie,
          'x-csrf-token': csrf,
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('POST', '/api/v1/organisations', { ...organisation, id: 'gamma' }, bearer))
        .status,
    ).toBe(401);

    // Logging out ends the session.
    expect(
      (await call('DELETE', '/api/v1/session', undefined, { cookie, 'x-csrf-token': csrf })).status,
    ).toBe(200);
    expect((await call('GET', '/api/v1/session', undefined, { cookie })).status).toBe(401);
  });

  it('creates users with strong passwords only, and lets participants in without a second factor', async () => {
    const login = await call('POST', '/api/v1/session', {
      email: 'ada@example.org',
      password: adminPassword,
      code: code('ada@example.org', adminTotp),
    });
    const session = {
      cookie: (login.cookie ?? '').split(';')[0] ?? '',
      'x-csrf-token': String(login.body.csrfToken),
    };
    const weak = await call(
      'POST',
      '/api/v1/users',
      {
        email: 'pat@acme.example',
        name: 'Pat',
        password: 'short',
        roles: 'project_participant:acme',
      },
      session,
    );
    expect(weak.body.code).toBe('password_too_weak');
    const made = await call(
      'POST',
      '/api/v1/users',
      {
        email: 'pat@acme.example',
        name: 'Pat',
        password: 'another fine passphrase',
        roles: 'project_participant:acme',
      },
      session,
    );
    expect([made.status, made.body.totpUri]).toEqual([201, null]);
    const pat = await call('POST', '/api/v1/session', {
      email: 'pat@acme.example',
      password: 'another fine passphrase',
    });
    expect(pat.status).toBe(200);
    const patSession = {
      cookie: (pat.cookie ?? '').split(';')[0] ?? '',
      'x-csrf-token': String(pat.body.csrfToken),
    };
    expect(
      (
        await call(
          'POST',
          '/api/v1/users',
          {
            email: 'x@y.example',
            name: 'X',
            password: 'another fine passphrase',
            roles: 'administrator',
          },
          patSession,
        )
      ).body.code,
    ).toBe('actor_not_authorised');
    // A reset by the administrator ends Pat's sessions.
    expect(
      (
        await call(
          'POST',
          '/api/v1/users/password',
          { email: 'pat@acme.example', password: 'a brand new passphrase' },
          session,
        )
      ).status,
    ).toBe(200);
    expect(
      (await call('GET', '/api/v1/session', undefined, { cookie: patSession.cookie })).status,
    ).toBe(401);
  });

  it('locks an account after five failed logins, even against the right password', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect(
        (
          await call('POST', '/api/v1/session', {
            email: 'pat@acme.example',
            password: `wrong passphrase ${i}`,
          })
        ).body.code,
      ).toBe('login_failed');
    }
    const locked = await call('POST', '/api/v1/session', {
      email: 'pat@acme.example',
      password: 'a brand new passphrase',
    });
    // A locked account answers like a wrong password: the answer does not tell it is locked.
    expect([locked.status, locked.body.code]).toEqual([401, 'login_failed']);
    const row = await platform.db.read((k) =>
      k
        .selectFrom('users')
        .select(['failed_logins', 'locked_until'])
        .where('email', '=', 'pat@acme.example')
        .executeTakeFirstOrThrow(),
    );
    expect([row.failed_logins, row.locked_until !== null]).toEqual([5, true]);
  });

  it('lets an administrator log in through the form and run the audit from the back office', async () => {
    const form = await app.request('/login');
    const loginCookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const loginCsrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const body = new URLSearchParams({
      csrf: loginCsrf,
      email: 'ada@example.org',
      password: adminPassword,
      code: code('ada@example.org', adminTotp),
    });
    const login = await app.request(
      '/login',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: loginCookie,
        },
        body: body.toString(),
      },
      socket('10.9.9.9'),
    );
    expect([login.status, login.headers.get('location')]).toEqual([303, '/office']);
    const session = (login.headers.get('set-cookie') ?? '').match(/jcm_session=[^;]+/)?.[0] ?? '';
    const auditPage = await app.request('/office/audit', { headers: { cookie: session } });
    const page = await auditPage.text();
    expect(page).toContain('Journal heads');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const forged = await app.request('/office/audit', {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=forged',
    });
    expect(forged.status).toBe(403);
    const ran = await app.request('/office/audit', {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrf=${encodeURIComponent(csrf)}`,
    });
    expect(await ran.text()).toContain('Audit passed: every invariant holds');
    // An audit that finds a violation is a page that says so, not a server error.
    await standardOpening(platform);
    await platform.db.transaction(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE journal SET actor = 'someone-else' WHERE seq = 1`.execute(trx);
    });
    const failed = await app.request('/office/audit', {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrf=${encodeURIComponent(csrf)}`,
    });
    expect(failed.status).toBe(200);
    expect(await failed.text()).toContain('Audit FAILED');
    // Uploads are limited to spreadsheets.
    const upload = new FormData();
    upload.set('csrf', csrf);
    upload.set('methodology', 'IN_AM001');
    upload.set('file', new File(['not a spreadsheet'], 'notes.txt', { type: 'text/plain' }));
    const refused = await app.request('/office/monitoring', {
      method: 'POST',
      headers: { cookie: session },
      body: upload,
    });
    expect(refused.status).toBe(415);
  });

  it('limits login attempts per address', async () => {
    // 22 attempts, one clock second each, inside one minute.
    clock.advanceToNextMinute();
    const codes: unknown[] = [];
    for (let i = 0; i < 22; i += 1) {
      const response = await app.request(
        '/api/v1/session',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: `someone${i}@example.org`,
            password: 'whatever passphrase',
          }),
        },
        socket('192.0.2.7'),
      );
      codes.push(((await response.json()) as { code: string }).code);
    }
    expect(codes.slice(0, 20).every((c) => c === 'login_failed')).toBe(true);
    expect(codes.slice(20)).toEqual(['login_rate_limited', 'login_rate_limited']);
  });
});
