// /metrics in Prometheus text format (issue 15): request latency histograms per route pattern, whose
// labels stay as few as the routes under a fuzz of random paths; the ledger writer's batch size and
// time, its queue and the database's connections, which move after a transfer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { unmatchedRoute } from '../../src/http/operations.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { baseSeed, prng } from '../support/prng.ts';
import { standardOpening } from '../support/scenario.ts';

const token = 'test-token';
let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await standardOpening(platform);
  app = createApp(platform, { devToken: token });
});
afterAll(async () => {
  await testDb.drop();
});

/** The samples of /metrics: `name{labels}` -> value. */
async function metrics(): Promise<Map<string, number>> {
  const response = await app.request('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const accountRoute = 'method="GET",route="/api/v1/accounts/:account"';
const latency = 'jcm_http_request_duration_seconds';
const bounds = ['0.0005', '0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25'];

describe(`/metrics on ${testDbKind}`, () => {
  it('counts known requests in the histogram of their route pattern, buckets cumulative', async () => {
    const before = (await metrics()).get(`${latency}_count{${accountRoute}}`) ?? 0;
    for (const account of ['JP-000004', 'JP-000006', 'JP-000004'])
      expect((await app.request(`/api/v1/accounts/${account}`)).status).toBe(200);
    // An account that does not exist is the same route: its pattern, not its path, is the label.
    expect((await app.request('/api/v1/accounts/JP-999999')).status).toBe(404);
    const after = await metrics();
    const count = after.get(`${latency}_count{${accountRoute}}`);
    expect(count).toBe(before + 4);
    expect(after.get(`${latency}_bucket{${accountRoute},le="+Inf"}`)).toBe(count);
    const cumulative = [...bounds, '0.5', '1', '2.5', '5', '10'].map(
      (le) => after.get(`${latency}_bucket{${accountRoute},le="${le}"}`) ?? -1,
    );
    expect(cumulative.every((n, i) => n >= 0 && n >= (cumulative[i - 1] ?? 0))).toBe(true);
    expect(cumulative.at(-1)).toBeLessThanOrEqual(count ?? 0);
    expect(after.get(`${latency}_sum{${accountRoute}}`)).toBeGreaterThan(0);
    expect([...after.keys()].some((k) => k.includes('JP-000004'))).toBe(false);
  });

  it('keeps one label per route pattern under random paths (unknown routes share one)', async () => {
    const seed = baseSeed;
    console.log(`metrics label fuzz seed ${seed} (JCM_SEED=${seed} replays it)`);
    const random = prng(seed);
    const word = () => Math.floor(random() * 2 ** 32).toString(36);
    const prefixes = ['/api/v1/accounts/', '/api/v1/', '/', '/projects/', '/office/', '/static/'];
    const tokens: string[] = [];
    for (let i = 0; i < 300; i += 1) {
      const token = `zz${word()}`;
      tokens.push(token);
      const prefix = prefixes[Math.floor(random() * prefixes.length)] ?? '/';
      const method = random() < 0.8 ? 'GET' : 'POST';
      const response = await app.request(`${prefix}${token}/${word()}?q=${word()}`, { method });
      expect(response.status).toBeLessThan(500);
    }
    const text = await (await app.request('/metrics')).text();
    expect(tokens.filter((t) => text.includes(t))).toEqual([]);
    const routes = new Set(
      [
        ...text.matchAll(
          /^jcm_http_request_duration_seconds_count\{method="[A-Z]+",route="([^"]*)"\}/gm,
        ),
      ].map((m) => m[1]),
    );
    expect(routes.has(unmatchedRoute)).toBe(true);
    // Only patterns (`:param`, `*`) and fixed paths of the application, far fewer than the requests.
    expect(routes.size).toBeLessThan(60);
  });

  it('moves the writer metrics after a transfer and shows the database connections', async () => {
    const before = await metrics();
    const response = await app.request('/api/v1/transfers', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-jcm-actor': 'metrics-test',
        'x-jcm-roles': 'administrator',
        'idempotency-key': crypto.randomUUID(),
      },
      body: JSON.stringify({ from: 'JP-000004', to: 'JP-000006', selection: { quantity: '3' } }),
    });
    expect(response.status).toBe(201);
    const after = await metrics();
    const moved = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(moved('jcm_writer_batch_size_count')).toBe(1);
    expect(moved('jcm_writer_batch_size_sum')).toBe(1);
    expect(moved('jcm_writer_batch_size_bucket{le="1"}')).toBe(1);
    expect(moved('jcm_writer_batch_duration_seconds_count')).toBe(1);
    expect(moved('jcm_writer_batch_duration_seconds_sum')).toBeGreaterThan(0);
    expect(after.get('jcm_writer_queue_depth')).toBe(0);
    expect(
      moved('jcm_http_request_duration_seconds_count{method="POST",route="/api/v1/transfers"}'),
    ).toBe(1);
    if (testDbKind === 'postgres') {
      expect(after.get('jcm_db_pool_connections{state="total"}')).toBeGreaterThan(0);
      expect(after.get('jcm_db_pool_connections{state="waiting"}')).toBe(0);
    } else {
      expect(after.get('jcm_db_pglite_queue_depth')).toBe(0);
    }
  });
});
