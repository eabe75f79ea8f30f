// The server as `jcm serve` runs it (node:http, the read cache, the application): a repeated public
// read comes from the cache with the same body, the security headers and its own request id; a write
// through the API shows in the next read at once; callers with credentials always reach the
// application; /metrics counts the hits.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServedApps } from '../../src/http/edge.ts';
import { listen } from '../../src/http/server.ts';
import { ReadCache } from '../../src/http/read-cache.ts';
import { parseTrustedProxies } from '../../src/http/client-address.ts';
import { operator } from '../support/scenario.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import type { Platform } from '../../src/services/platform.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import { freePort } from '../support/server.ts';

let platform: Platform;
let testDb: TestDb;
let server: Server;
let base = '';
let token = '';
const readCache = new ReadCache();

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await seedDemo(platform);
  const user = await platform.accounts.createUser({
    actor: operator,
    input: {
      email: 'manager@jcm.example',
      name: 'Manager',
      password: 'a long enough passphrase',
      roles: 'registry_manager:JP',
    },
  });
  if (!user.ok) throw new Error(user.error.message);
  const created = await platform.accounts.issueApiToken({
    actor: operator,
    input: { email: 'manager@jcm.example', name: 'test' },
  });
  if (!created.ok) throw new Error(created.error.message);
  token = created.value.token ?? '';
  const port = await freePort();
  const apps = createServedApps(platform, { devToken: null, readCache });
  await new Promise<void>((resolve) => {
    server = listen(apps, readCache, port, undefined, resolve);
  });
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await testDb.drop();
});

const accounts = async (headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}/api/v1/registries/JP/accounts`, { headers });
  return { response, body: await response.text() };
};

describe(`the read cache in front of the application on ${testDbKind}`, () => {
  it('answers a repeated public read from the cache with the same body and headers', async () => {
    const hitsBefore = readCache.hits;
    const first = await accounts();
    const second = await accounts();
    expect(second.body).toBe(first.body);
    expect(readCache.hits).toBe(hitsBefore + 1);
    for (const answer of [first, second]) {
      expect(answer.response.headers.get('content-security-policy')).toContain(
        "frame-ancestors 'none'",
      );
      expect(answer.response.headers.get('content-type')).toBe('application/json');
    }
    const ids = [first, second].map((a) => a.response.headers.get('x-request-id'));
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/jcm_http_read_cache_hits_total [1-9]/);
  });

  it('shows a write in the very next read', async () => {
    await accounts();
    const opened = await fetch(`${base}/api/v1/registries/JP/accounts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': 'read-cache-open-1',
      },
      body: JSON.stringify({
        accountType: 'holding',
        holderId: 'cache-test',
        holderName: 'Cache Test KK (test)',
      }),
    });
    expect(opened.status).toBe(201);
    expect((await accounts()).body).toContain('Cache Test KK (test)');
  });

  it('never answers a caller with credentials from the cache', async () => {
    await accounts();
    const hitsBefore = readCache.hits;
    await accounts({ authorization: `Bearer ${token}` });
    await accounts({ cookie: 'jcm_session=whatever' });
    expect(readCache.hits).toBe(hitsBefore);
  });
});

describe(`the read cache behind a trusted TLS proxy on ${testDbKind}`, () => {
  const proxiedCache = new ReadCache(undefined, undefined, parseTrustedProxies('127.0.0.1'));
  let proxiedServer: Server;
  let proxiedBase = '';
  beforeAll(async () => {
    const port = await freePort();
    const apps = createServedApps(platform, {
      devToken: null,
      readCache: proxiedCache,
      trustedProxies: parseTrustedProxies('127.0.0.1'),
    });
    await new Promise<void>((resolve) => {
      proxiedServer = listen(apps, proxiedCache, port, undefined, resolve);
    });
    proxiedBase = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => proxiedServer.close(resolve));
  });

  it('keeps the answers over TLS (with HSTS) apart from the others', async () => {
    const read = async (proto: string | null) => {
      const hits = proxiedCache.hits;
      const response = await fetch(`${proxiedBase}/api/v1/registries`, {
        headers: proto === null ? {} : { 'x-forwarded-proto': proto },
      });
      await response.arrayBuffer();
      return {
        hsts: response.headers.get('strict-transport-security') !== null,
        cached: proxiedCache.hits > hits,
      };
    };
    proxiedCache.invalidate();
    expect(await read('https')).toEqual({ hsts: true, cached: false });
    // A plain request must not get the HSTS answer kept for the TLS one, nor the other way round.
    expect(await read(null)).toEqual({ hsts: false, cached: false });
    expect(await read('http')).toEqual({ hsts: false, cached: true });
    expect(await read('https')).toEqual({ hsts: true, cached: true });
  });
});
