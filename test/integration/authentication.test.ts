// The login controls of issue 12, over HTTP on PGlite and PostgreSQL: an API token limited to some
// roles mints no wider token and creates no user; the login rate limit is keyed on the socket's
// address (X-Forwarded-For only from configured proxies); a TOTP code opens one session only, even
// when several logins race with it; every failed login answers alike and counts; a password reset
// revokes the user's API tokens.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { parseTrustedProxies } from '../../src/http/client-address.ts';
import { totpCode } from '../../src/services/accounts.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { operator } from '../support/scenario.ts';
import { sessionsOf } from '../support/sessions.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let proxied: ReturnType<typeof createApp>;
const password = 'a long layered passphrase';

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  app = createApp(platform, { devToken: null });
  proxied = createApp(platform, {
    devToken: null,
    trustedProxies: parseTrustedProxies('192.0.2.1, 10.1.0.0/16'),
  });
});
afterAll(async () => {
  await testDb.drop();
});

/** What @hono/node-server hands the app: the request's socket (the server's seam, used in tests). */
const socket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
let nextAddress = 0;
/** A fresh direct client, so that tests other than the rate limit's never meet it. */
const direct = () => `198.18.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  options: { from?: string; via?: typeof app } = {},
) {
  const response = await (options.via ?? app).request(
    path,
    {
      method,
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    },
    socket(options.from ?? direct()),
  );
  const text = await response.text();
  return {
    status: response.status,
    body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
  };
}

async function newUser(email: string, roles: string, secondFactor = false) {
  const created = await platform.accounts.createUser({
    actor: operator,
    input: { email, name: email, password, roles, secondFactor },
  });
  if (!created.ok) throw new Error(created.error.message);
  return created.value.totpUri ?? '';
}

const codeAt = (email: string, uri: string, ms: number) => totpCode(email, uri, ms);
const failedLogins = (email: string) =>
  platform.db.read((k) =>
    k
      .selectFrom('users')
      .select(['failed_logins', 'locked_until'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow(),
  );

describe(`token scope on ${testDbKind}`, () => {
  it('a token limited to one role mints no wider token and creates no user', async () => {
    await newUser('multi@example.org', 'administrator,registry_manager:JP');
    const narrow = await platform.accounts.issueApiToken({
      actor: operator,
      input: { email: 'multi@example.org', name: 'narrow', scopes: ['registry_manager:JP'] },
    });
    if (!narrow.ok) throw new Error(narrow.error.message);
    const bearer = { authorization: `Bearer ${narrow.value.token ?? ''}` };
    for (const scopes of [['administrator'], ['administrator', 'registry_manager:JP']]) {
      const wider = await call('POST', '/api/v1/tokens', { name: 'wider', scopes }, bearer);
      expect([wider.status, wider.body.code]).toEqual([403, 'actor_not_authorised']);
    }
    // Without scopes, the new token carries the narrow token's roles, not the user's.
    const same = await call('POST', '/api/v1/tokens', { name: 'same' }, bearer);
    expect(same.status).toBe(201);
    const minted = { authorization: `Bearer ${String(same.body.token)}` };
    const who = await call('GET', '/api/v1/session', undefined, minted);
    expect(who.body.roles).toEqual([{ kind: 'registry_manager', registry: 'JP' }]);
    // Neither the narrow token nor the one it minted creates a user, an administrator or any other.
    for (const credential of [bearer, minted]) {
      for (const roles of ['administrator', 'registry_manager:JP', 'project_participant:acme']) {
        const made = await call(
          'POST',
          '/api/v1/users',
          { email: `x${randomUUID().slice(0, 8)}@example.org`, name: 'X', password, roles },
          credential,
        );
        expect([made.status, made.body.code]).toEqual([403, 'actor_not_authorised']);
      }
      const reset = await call(
        'POST',
        '/api/v1/users/password',
        { email: 'multi@example.org', password: 'another fine passphrase' },
        credential,
      );
      expect([reset.status, reset.body.code]).toEqual([403, 'actor_not_authorised']);
    }
    // A token with no role mints nothing with a role.
    const none = await call('POST', '/api/v1/tokens', { name: 'none', scopes: [] }, bearer);
    expect(none.status).toBe(201);
    const fromNone = await call(
      'POST',
      '/api/v1/tokens',
      { name: 'again', scopes: ['registry_manager:JP'] },
      { authorization: `Bearer ${String(none.body.token)}` },
    );
    expect([fromNone.status, fromNone.body.code]).toEqual([403, 'actor_not_authorised']);
    const users = await platform.db.read((k) => k.selectFrom('users').select('email').execute());
    expect(users.map((u) => u.email)).toEqual(['multi@example.org']);
  });
});

describe(`login rate limit on ${testDbKind}`, () => {
  const attempt = (from: string, headers: Record<string, string> = {}, via = app) =>
    call(
      'POST',
      '/api/v1/session',
      { email: `nobody${randomUUID().slice(0, 6)}@example.org`, password },
      headers,
      { from, via },
    ).then((r) => r.body.code);

  it('keys on the socket: a spoofed X-Forwarded-For does not escape it', async () => {
    clock.advanceToNextMinute();
    const codes = [];
    for (let i = 0; i < 22; i += 1)
      codes.push(await attempt('192.0.2.7', { 'x-forwarded-for': `203.0.113.${i}` }));
    expect(codes.slice(0, 20).every((c) => c === 'login_failed')).toBe(true);
    expect(codes.slice(20)).toEqual(['login_rate_limited', 'login_rate_limited']);
  });

  it('gives two direct clients two buckets', async () => {
    clock.advanceToNextMinute();
    for (let i = 0; i < 21; i += 1) await attempt('192.0.2.8');
    expect(await attempt('192.0.2.8')).toBe('login_rate_limited');
    expect(await attempt('192.0.2.9')).toBe('login_failed');
    expect(await attempt('::ffff:192.0.2.10')).toBe('login_failed');
  });

  it('trusts X-Forwarded-For from a configured proxy: the right-most address not a proxy', async () => {
    clock.advanceToNextMinute();
    const codes = [];
    // The client prepends what it likes; the proxies append what they saw.
    for (let i = 0; i < 21; i += 1)
      codes.push(
        await attempt(
          '192.0.2.1',
          { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.50, 10.1.7.7` },
          proxied,
        ),
      );
    expect(codes.slice(0, 20).every((c) => c === 'login_failed')).toBe(true);
    expect(codes[20]).toBe('login_rate_limited');
    // Another client behind the same proxy has its own bucket.
    expect(await attempt('192.0.2.1', { 'x-forwarded-for': '203.0.113.51' }, proxied)).toBe(
      'login_failed',
    );
    // From a socket that is not a proxy the header counts for nothing: the socket is the client.
    expect(await attempt('192.0.2.77', { 'x-forwarded-for': '203.0.113.50' }, proxied)).toBe(
      'login_failed',
    );
  });
});

describe(`second factor on ${testDbKind}`, () => {
  it('believes X-Forwarded-Proto only from a configured proxy (Secure cookies, HSTS)', async () => {
    const login = async (via: typeof app, from: string) => {
      const answer = await via.request(
        '/login',
        { headers: { 'x-forwarded-proto': 'https' } },
        socket(from),
      );
      return {
        secure: /;\s*Secure/i.test(answer.headers.get('set-cookie') ?? ''),
        hsts: answer.headers.get('strict-transport-security') !== null,
      };
    };
    expect(await login(app, direct())).toEqual({ secure: false, hsts: false });
    expect(await login(proxied, direct())).toEqual({ secure: false, hsts: false });
    expect(await login(proxied, '192.0.2.1')).toEqual({ secure: true, hsts: true });
  });

  it('sends HSTS on the operations routes too, behind a trusted TLS proxy only', async () => {
    const hsts = async (via: typeof app, path: string, from: string) =>
      (
        await via.request(path, { headers: { 'x-forwarded-proto': 'https' } }, socket(from))
      ).headers.get('strict-transport-security') !== null;
    for (const path of ['/health', '/ready', '/metrics']) {
      expect({ path, hsts: await hsts(proxied, path, '192.0.2.1') }).toEqual({ path, hsts: true });
      expect({ path, hsts: await hsts(proxied, path, direct()) }).toEqual({ path, hsts: false });
      expect({ path, hsts: await hsts(app, path, '192.0.2.1') }).toEqual({ path, hsts: false });
    }
  });

  it('opens one session per code, and refuses an older code after a newer one', async () => {
    const email = 'twice@example.org';
    const uri = await newUser(email, 'registry_manager:JP', true);
    const at = Date.parse(clock.now());
    const body = { email, password, code: codeAt(email, uri, at) };
    expect((await call('POST', '/api/v1/session', body)).status).toBe(200);
    const again = await call('POST', '/api/v1/session', body);
    expect([again.status, again.body.code]).toEqual([401, 'login_failed']);
    // The next time step's code works once; the one before it, still inside the window, does not.
    const next = { ...body, code: codeAt(email, uri, at + 30_000) };
    expect((await call('POST', '/api/v1/session', next)).status).toBe(200);
    const older = await call('POST', '/api/v1/session', body);
    expect(older.body.code).toBe('login_failed');
  });

  it('gives exactly one session to concurrent logins with one code', async () => {
    const email = 'race@example.org';
    const uri = await newUser(email, 'registry_manager:JP', true);
    const code = codeAt(email, uri, Date.parse(clock.now()));
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => call('POST', '/api/v1/session', { email, password, code })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401]);
    expect(await sessionsOf(platform, email)).toHaveLength(1);
  });
});

describe(`uniform login answers on ${testDbKind}`, () => {
  /** The problem without what differs per request (its id and instance). */
  const shape = (body: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(body).filter(([key]) => key !== 'requestId' && key !== 'instance'),
    );

  it('answers alike for every failure and counts each, the right password without a code too', async () => {
    const email = 'same@example.org';
    const uri = await newUser(email, 'registry_manager:JP', true);
    const attempts = [
      { email: 'unknown@example.org', password },
      { email, password: 'a wrong passphrase 1' },
      { email, password },
      { email, password, code: '000000' },
      {
        email,
        password: 'a wrong passphrase 2',
        code: codeAt(email, uri, Date.parse(clock.now())),
      },
    ];
    const answers = [];
    for (const attempt of attempts) answers.push(await call('POST', '/api/v1/session', attempt));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    const first = shape(answers[0]?.body ?? {});
    expect(first.code).toBe('login_failed');
    for (const answer of answers) expect(shape(answer.body)).toEqual(first);
    expect((await failedLogins(email)).failed_logins).toBe(4);
    // The fifth failure locks the account; then even the right password and code answer alike.
    await call('POST', '/api/v1/session', { email, password });
    const row = await failedLogins(email);
    expect([row.failed_logins, row.locked_until !== null]).toEqual([5, true]);
    const locked = await call('POST', '/api/v1/session', {
      email,
      password,
      code: codeAt(email, uri, Date.parse(clock.now())),
    });
    expect([locked.status, shape(locked.body)]).toEqual([401, first]);
    expect((await failedLogins(email)).failed_logins).toBe(5);
  });

  it('the login form answers alike too, and always asks for the code', async () => {
    const email = 'form@example.org';
    await newUser(email, 'registry_manager:JP', true);
    const from = direct();
    const post = async (fields: Record<string, string>) => {
      const form = await app.request('/login', {}, socket(from));
      const page = await form.text();
      expect(page).toContain('name="code"');
      const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const response = await app.request(
        '/login',
        {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf, ...fields }).toString(),
        },
        socket(from),
      );
      const text = await response.text();
      return { status: response.status, alert: /role="alert"[^>]*>([^<]*)</.exec(text)?.[1] };
    };
    const answers = [
      await post({ email: 'unknown-form@example.org', password }),
      await post({ email, password: 'a wrong passphrase 1' }),
      await post({ email, password }),
      await post({ email, password, code: '000000' }),
      await post({ email, password: 'a wrong passphrase 2' }),
      await post({ email, password }),
    ];
    expect(answers.every((a) => a.status === 401 && a.alert === answers[0]?.alert)).toBe(true);
    expect((await failedLogins(email)).failed_logins).toBe(5);
  });
});

describe(`password reset on ${testDbKind}`, () => {
  it("revokes the user's API tokens with the sessions", async () => {
    const email = 'reset@example.org';
    await newUser(email, 'project_participant:acme');
    const issued = await platform.accounts.issueApiToken({
      actor: operator,
      input: { email, name: 'before the reset' },
    });
    if (!issued.ok) throw new Error(issued.error.message);
    const bearer = { authorization: `Bearer ${issued.value.token ?? ''}` };
    expect((await call('GET', '/api/v1/session', undefined, bearer)).status).toBe(200);
    const reset = await platform.accounts.resetPassword({
      actor: operator,
      input: { email, password: 'a brand new passphrase' },
    });
    expect(reset.ok).toBe(true);
    const after = await call('GET', '/api/v1/session', undefined, bearer);
    expect([after.status, after.body.code]).toEqual([401, 'unauthenticated']);
    const tokens = await platform.accounts.listApiTokens(
      (await platform.accounts.userIdOf(email)) ?? '',
    );
    expect(tokens.every((t) => t.revoked_at !== null)).toBe(true);
  });
});
