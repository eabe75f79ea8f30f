// The read replica (DATABASE_READ_URL, docs/OPERATIONS.md "Read replica") on the real streaming
// replica scripts/ensure-replica.sh keeps on 127.0.0.1:5433 (JCM_TEST_REPLICA_URL elsewhere). Two
// servers over one test database: A with a generous staleness bound, whose primary is reached through
// a TCP proxy the test can cut; B with a short bound. With the replica's replay paused, A answers a
// public read from the replica (the primary already has the write) while the writer reads its own
// write; B falls back to the primary once its bound is passed; after replay resumes both serve from
// the replica again; with A's primary cut, A's /ready answers 503 naming the primary while its
// public reads go on from the replica. The shared PostgreSQL server is never stopped.
import type { ChildProcess } from 'node:child_process';
import { createServer, connect, type Server as NetServer, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connect.ts';
import { lsnValue, primaryReads, publicReads } from '../../src/db/replica.ts';
import { freshPlatform, type TestDb, type TestPlatform } from '../support/db.ts';
import { adminUrl } from '../support/postgres-urls.ts';
import { issueOneLine, mustRun, openJapanAndIndia } from '../support/scenario.ts';
import { freePort, startServer, waitReady } from '../support/server.ts';

const replicaAdminUrl =
  process.env['JCM_TEST_REPLICA_URL'] ?? 'postgres://postgres@127.0.0.1:5433/postgres';
const token = 'read-replica-token';
const writer = {
  authorization: `Bearer ${token}`,
  'x-jcm-actor': 'replica-writer',
  'x-jcm-roles': 'registry_manager:JP',
};

let platform: TestPlatform;
let testDb: TestDb;
let replicaAdmin: Db;
let proxy: Proxy;
const children: ChildProcess[] = [];
let a = '';
let b = '';
let asked = 0;

/** A TCP proxy to the primary that the test can cut (closing every connection) and restore. */
interface Proxy {
  readonly port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
}

async function tcpProxy(host: string, targetPort: number): Promise<Proxy> {
  const sockets = new Set<Socket>();
  let server: NetServer | undefined;
  const port = await freePort();
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(targetPort, host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', resolve);
    });
  await listen();
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (server === undefined) resolve();
        else server.close(() => resolve());
      }),
    restore: listen,
  };
}

function databaseOn(serverUrl: string, name: string, port?: number): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (port !== undefined) url.port = String(port);
  return url.toString();
}

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`waited a minute for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface ReplicaBody {
  state: string;
  serving: boolean;
  stalenessMs: number | null;
  maxLagMs: number;
  primaryReachable: boolean;
  readsOnReplica: number;
  readsOnPrimary: number;
}
interface ReadyBody {
  status: string;
  unreachable: string[];
  replica: ReplicaBody;
}

/** An administrator (the development token naming the role): /ready tells only them its details. */
const operations = {
  authorization: `Bearer ${token}`,
  'x-jcm-actor': 'replica-operator',
  'x-jcm-roles': 'administrator',
};

async function ready(base: string): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`${base}/ready`, { headers: operations });
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

/** JP-000005's balance as a public (anonymous) read, past the micro-cache (a query it has not seen). */
async function publicBalance(base: string): Promise<string> {
  asked++;
  const response = await fetch(`${base}/api/v1/accounts/JP-000005?asked=${asked}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { balance: string }).balance;
}

async function writerBalance(base: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/accounts/JP-000005`, { headers: writer });
  expect(response.status).toBe(200);
  return ((await response.json()) as { balance: string }).balance;
}

function transfer(base: string, key: string): Promise<Response> {
  return fetch(`${base}/api/v1/transfers`, {
    method: 'POST',
    headers: { ...writer, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ from: 'JP-000004', to: 'JP-000005', selection: { quantity: '1' } }),
  });
}

const replay = (action: 'pause' | 'resume') =>
  replicaAdmin.exclusive((k) => sql.raw(`SELECT pg_wal_replay_${action}()`).execute(k));

async function serve(env: Record<string, string>): Promise<string> {
  const server = startServer(await freePort(), { JCM_DEV_TOKEN: token, ...env });
  children.push(server.child);
  await waitReady(server);
  return `http://127.0.0.1:${server.port}`;
}

beforeAll(async () => {
  replicaAdmin = await openDb({ kind: 'postgres', url: replicaAdminUrl, poolSize: 1 });
  const recovery = await replicaAdmin.exclusive((k) =>
    sql<{ standby: boolean }>`SELECT pg_is_in_recovery() AS standby`.execute(k),
  );
  expect(recovery.rows[0]?.standby, `${replicaAdminUrl} is no standby`).toBe(true);
  ({ platform, testDb } = await freshPlatform());
  const name = new URL(testDb.url ?? '').pathname.slice(1);
  await openJapanAndIndia(platform);
  for (const holderId of ['src', 'dst'])
    await mustRun(platform, 'open_account', {
      registry: 'JP',
      accountType: 'holding',
      holderId,
      holderName: holderId,
    });
  await issueOneLine(platform, 'D1', 'JP-000004', '1000');
  await until('the test database on the replica', async () => {
    const found = await replicaAdmin.exclusive((k) =>
      sql`SELECT 1 FROM pg_database WHERE datname = ${name}`.execute(k),
    );
    return found.rows.length === 1;
  });
  const primary = new URL(adminUrl);
  proxy = await tcpProxy(primary.hostname, Number(primary.port || '5432'));
  const readUrl = databaseOn(replicaAdminUrl, name);
  const check = { JCM_READ_CHECK_MS: '100', DATABASE_READ_URL: readUrl };
  [a, b] = await Promise.all([
    serve({
      ...check,
      DATABASE_URL: databaseOn(adminUrl, name, proxy.port),
      JCM_READ_MAX_LAG_MS: '60000',
    }),
    serve({ ...check, DATABASE_URL: testDb.url ?? '', JCM_READ_MAX_LAG_MS: '1000' }),
  ]);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await replicaAdmin?.exclusive((k) => sql`SELECT pg_wal_replay_resume()`.execute(k));
  await replicaAdmin?.close();
  await proxy?.cut();
  await testDb?.drop();
});

describe('a read replica behind DATABASE_READ_URL', () => {
  it('serves public reads from the replica and a writer its own writes from the primary', async () => {
    for (const base of [a, b])
      await until('the replica serving', async () => (await ready(base)).body.replica.serving);
    // Anyone else learns the status only, not the deployment's replica.
    expect(await (await fetch(`${a}/ready`)).json()).toEqual({ status: 'ready' });
    const before = (await ready(a)).body.replica;
    expect(await publicBalance(a)).toBe('0');
    expect((await ready(a)).body.replica.readsOnReplica).toBeGreaterThan(before.readsOnReplica);

    await replay('pause');
    try {
      expect((await transfer(a, 'replica-1')).status).toBe(201);
      // The writer (with credentials) reads the primary: its own write, at once.
      expect(await writerBalance(a)).toBe('1');
      // The public read comes from the paused replica: the primary has the write, the answer not.
      expect(await publicBalance(a)).toBe('0');

      // B's bound (1 s) is passed while replay is paused: /ready says so, public reads go to the
      // primary and see the write; the server stays ready (the primary answers).
      await until('B to find the replica lagging', async () => {
        const { body } = await ready(b);
        return body.replica.state === 'lagging';
      });
      const lagging = await ready(b);
      expect(lagging.status).toBe(200);
      expect(lagging.body).toMatchObject({
        status: 'ready',
        unreachable: [],
        replica: { state: 'lagging', serving: false, primaryReachable: true, maxLagMs: 1000 },
      });
      expect(lagging.body.replica.stalenessMs).toBeGreaterThan(1000);
      expect(await publicBalance(b)).toBe('1');
      expect((await ready(b)).body.replica.readsOnPrimary).toBeGreaterThan(
        lagging.body.replica.readsOnPrimary,
      );
    } finally {
      await replay('resume');
    }
    for (const base of [a, b])
      await until('the replica caught up', async () => {
        const { body } = await ready(base);
        return body.replica.state === 'streaming' && body.replica.serving;
      });
    // Caught up, the replica serves again (A: its generous bound keeps this free of timing; B's
    // bound of 1 s may be passed again on a loaded machine, so B is only seen streaming above).
    const caughtUp = (await ready(a)).body.replica;
    expect(await publicBalance(a)).toBe('1');
    expect((await ready(a)).body.replica.readsOnReplica).toBeGreaterThan(caughtUp.readsOnReplica);
  });

  it("reports the primary's loss in /ready with 503 while the replica serves public reads", async () => {
    await proxy.cut();
    try {
      const lost = await ready(a);
      expect(lost.status).toBe(503);
      expect(lost.body).toMatchObject({
        status: 'not_ready',
        unreachable: ['primary'],
        replica: { primaryReachable: false, serving: true },
      });
      expect(await publicBalance(a)).toBe('1');
      const refused = await transfer(a, 'replica-2');
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { code: string }).code).toBe('database_unavailable');
      // B reaches the primary directly: it stays ready.
      expect((await ready(b)).status).toBe(200);
      const anonymous = await fetch(`${a}/ready`);
      expect(anonymous.status).toBe(503);
      expect(await anonymous.json()).toEqual({ status: 'not_ready' });
    } finally {
      await proxy.restore();
    }
    await until('A ready again', async () => (await ready(a)).status === 200);
    expect((await ready(a)).body).toMatchObject({ status: 'ready', unreachable: [] });
  });
});

describe('the Db port with a read side', () => {
  it('reads the replica only inside a public read, and the primary for everything else', async () => {
    const name = new URL(testDb.url ?? '').pathname.slice(1);
    const db = await openDb({
      kind: 'postgres',
      url: testDb.url ?? '',
      readUrl: databaseOn(replicaAdminUrl, name),
      replica: { maxLagMs: 60_000, checkMs: 100, statementTimeoutMs: 5000 },
    });
    try {
      const standby = () =>
        db.read(async (k) => {
          const result = await sql<{
            standby: boolean;
          }>`SELECT pg_is_in_recovery() AS standby`.execute(k);
          return result.rows[0]?.standby;
        });
      // Just opened, the replica may be behind a primary position sampled a moment ago (the shared
      // server is busy): until a check finds it caught up, public reads go to the primary.
      await until('the replica serving', () =>
        Promise.resolve(db.replica?.status().serving === true),
      );
      expect(await publicReads(standby)).toBe(true);
      expect(await standby()).toBe(false);
      expect(await publicReads(() => primaryReads(standby))).toBe(false);
      expect(
        await publicReads(() =>
          db.transaction(async (trx) => {
            const result = await sql<{
              standby: boolean;
            }>`SELECT pg_is_in_recovery() AS standby`.execute(trx);
            return result.rows[0]?.standby;
          }),
        ),
      ).toBe(false);
      expect(db.replica?.status()).toMatchObject({ state: 'streaming', serving: true });
    } finally {
      await db.close();
    }
  });

  it('orders WAL positions as numbers', () => {
    expect(lsnValue('0/0')).toBe(0n);
    expect(lsnValue('1/0')).toBe(1n << 32n);
    expect(lsnValue('0/FFFFFFFF') < lsnValue('1/0')).toBe(true);
    expect(lsnValue('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
  });
});
