// A platform whose database is unavailable (PGlite closed; PostgreSQL at a port where nothing
// listens) answers reads and writes with 503 `database_unavailable` and Retry-After, not 500, and serves
// again when its database is back; the CLI prints the code and exits 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connect.ts';
import { createApp } from '../../src/http/app.ts';
import { createPlatform, type Platform } from '../../src/services/platform.ts';
import { runCli } from '../support/cli.ts';
import { freshDb, testDbKind, type TestDb } from '../support/db.ts';
import { standardOpening } from '../support/scenario.ts';
import { freePort } from '../support/server.ts';
import { switchableDb, type SwitchableDb } from '../support/switchable-db.ts';

const token = 'unavailable-token';
let testDb: TestDb;
let db: SwitchableDb;
let closed: Db;
let platform: Platform;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  testDb = await freshDb();
  db = switchableDb(testDb.db);
  platform = await createPlatform(db, { migrate: false });
  await standardOpening(platform);
  app = createApp(platform, { devToken: token });
  // PostgreSQL: a server where nothing listens (connection refused); PGlite: a closed instance.
  if (testDbKind === 'postgres') {
    const url = new URL(testDb.url ?? '');
    url.port = String(await freePort());
    closed = await openDb({ kind: 'postgres', url: url.toString() });
  } else {
    closed = await openDb({ kind: 'pglite-memory' });
    await closed.close();
  }
});
afterAll(async () => {
  if (testDbKind === 'postgres') await closed.close();
  db.switchTo(testDb.db);
  await platform.outbox.idle();
  await testDb.drop();
});

const headers = {
  'content-type': 'application/json',
  authorization: `Bearer ${token}`,
  'x-jcm-actor': 'unavailable-test',
  'x-jcm-roles': 'registry_manager:JP',
};

function read() {
  return app.request('/api/v1/accounts/JP-000004', { headers });
}

function transfer(key: string) {
  return app.request('/api/v1/transfers', {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': key },
    body: JSON.stringify({ from: 'JP-000004', to: 'JP-000006', selection: { quantity: '1' } }),
  });
}

describe(`a closed database on ${testDbKind}`, () => {
  it('answers a read and a write with 503 database_unavailable and Retry-After', async () => {
    db.switchTo(closed);
    try {
      for (const response of [await read(), await transfer('closed-1')]) {
        const body = (await response.json()) as Record<string, unknown>;
        expect([response.status, body['code']]).toEqual([503, 'database_unavailable']);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect((await app.request('/ready')).status).toBe(503);
      expect((await app.request('/health')).status).toBe(200);
    } finally {
      db.switchTo(testDb.db);
    }
    expect((await read()).status).toBe(200);
    expect((await transfer('closed-1')).status).toBe(201);
  });

  it('makes the CLI print database_unavailable and exit 1', async () => {
    db.switchTo(closed);
    try {
      const human = await runCli(
        { openPlatform: async () => platform },
        'account',
        'show',
        'JP-000004',
      );
      expect(human.exitCode).toBe(1);
      expect(human.err).toMatch(/^error database_unavailable: /);
      const json = await runCli(
        { openPlatform: async () => platform },
        '--json',
        'account',
        'show',
        'JP-000004',
      );
      expect(json.exitCode).toBe(1);
      expect(JSON.parse(json.out)).toMatchObject({ error: { code: 'database_unavailable' } });
    } finally {
      db.switchTo(testDb.db);
    }
  });
});
