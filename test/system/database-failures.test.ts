// The database failing under the server: PostgreSQL terminates the server's connections again and
// again while clients read and send idempotent transfers, and later refuses connections altogether.
// The server keeps serving; every answer is 2xx, 4xx or 503 `database_unavailable` with Retry-After
// (never a 500, never a socket closed without an answer); every acknowledged transfer is in the
// journal exactly once, resending every key applies each once, and the audit passes.
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connect.ts';
import { freshPlatform, type TestDb, type TestPlatform } from '../support/db.ts';
import { adminUrl } from '../support/postgres-urls.ts';
import { issueOneLine, mustRun, openJapanAndIndia } from '../support/scenario.ts';
import { freePort, startServer, waitReady } from '../support/server.ts';

const token = 'database-failures-token';
const headers = {
  authorization: `Bearer ${token}`,
  'x-jcm-actor': 'db-failure-client',
  'x-jcm-roles': 'registry_manager:JP',
};
let base = '';
let child: ChildProcess;
let platform: TestPlatform;
let testDb: TestDb;
let admin: Db;
let dbName = '';

function transfer(key: string): Promise<Response> {
  return fetch(`${base}/api/v1/transfers`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ from: 'JP-000004', to: 'JP-000005', selection: { quantity: '1' } }),
  });
}

function read(): Promise<Response> {
  return fetch(`${base}/api/v1/accounts/JP-000005`, { headers });
}

/** Terminates every connection to the test database but the admin's own; how many it ended. */
async function terminateAll(): Promise<number> {
  const result = await admin.exclusive((k) =>
    sql<{ ended: boolean }>`SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
      WHERE datname = ${dbName} AND pid <> pg_backend_pid()`.execute(k),
  );
  return result.rows.filter((r) => r.ended).length;
}

interface Seen {
  readonly status: number;
  readonly code: unknown;
  readonly retryAfter: string | null;
}

async function seen(response: Response): Promise<Seen> {
  const text = await response.text();
  let code: unknown;
  try {
    code = (JSON.parse(text) as { code?: unknown }).code;
  } catch {
    code = undefined;
  }
  return { status: response.status, code, retryAfter: response.headers.get('retry-after') };
}

/** An answer the server may give while its database fails: 2xx, 4xx, or 503 with its code. */
function acceptable(s: Seen): boolean {
  if (s.status >= 200 && s.status < 500) return true;
  return s.status === 503 && s.code === 'database_unavailable' && s.retryAfter !== null;
}

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  dbName = new URL(testDb.url ?? '').pathname.slice(1);
  admin = await openDb({ kind: 'postgres', url: adminUrl, poolSize: 1 });
  await openJapanAndIndia(platform);
  for (const holderId of ['src', 'dst'])
    await mustRun(platform, 'open_account', {
      registry: 'JP',
      accountType: 'holding',
      holderId,
      holderName: holderId,
    });
  await issueOneLine(platform, 'D1', 'JP-000004', '1000000');
  const server = startServer(await freePort(), {
    DATABASE_URL: testDb.url ?? '',
    JCM_DEV_TOKEN: token,
  });
  child = server.child;
  base = `http://127.0.0.1:${server.port}`;
  await waitReady(server);
});
afterAll(async () => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  await admin
    ?.exclusive((k) => sql.raw(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).execute(k))
    .catch(() => undefined);
  await admin?.close();
  await testDb?.drop();
});

describe('PostgreSQL terminating the server connections under load', () => {
  it('keeps serving, answers 503 at worst, loses no acknowledged transfer and applies none twice', async () => {
    const sent: string[] = [];
    const acked: string[] = [];
    const answers: Seen[] = [];
    const dropped: string[] = [];
    let running = true;
    const clients = Array.from({ length: 6 }, async (_, c) => {
      for (let i = 0; running; i++) {
        const key = `kill-c${c}-${i}`;
        const writing = c % 3 !== 0;
        if (writing) sent.push(key);
        try {
          const answer = await seen(await (writing ? transfer(key) : read()));
          answers.push(answer);
          if (writing && answer.status >= 200 && answer.status < 300) acked.push(key);
        } catch (error) {
          dropped.push(String(error));
          if (child.exitCode !== null) return;
        }
      }
    });
    // Rounds of terminations until enough connections were killed under enough acknowledged
    // writes (a loaded machine serves fewer requests a round), within a generous deadline.
    let terminated = 0;
    const deadline = Date.now() + 120_000;
    for (
      let round = 0;
      (round < 16 || terminated <= 10 || acked.length <= 10) &&
      Date.now() < deadline &&
      child.exitCode === null;
      round++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      terminated += await terminateAll();
    }
    running = false;
    await Promise.all(clients);
    const statuses = new Map<string, number>();
    for (const a of answers) {
      const label = `${a.status}${a.status >= 500 ? ` ${String(a.code)}` : ''}`;
      statuses.set(label, (statuses.get(label) ?? 0) + 1);
    }
    console.log(
      `database failures: ${terminated} connections terminated, ${sent.length} transfers sent, ${acked.length} acknowledged, answers ${JSON.stringify([...statuses])}`,
    );
    expect(child.exitCode, 'the server process exited').toBeNull();
    expect(terminated).toBeGreaterThan(10);
    expect(dropped).toEqual([]);
    expect(answers.filter((a) => !acceptable(a))).toEqual([]);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(acked.length).toBeGreaterThan(10);

    // Every acknowledged transfer is in the journal, and no key more than once.
    const journalled = await platform.db.read((k) =>
      sql<{
        key: string;
        n: bigint;
      }>`SELECT idempotency_key AS key, count(*)::int8 AS n FROM journal
        WHERE chain = 'JP' AND type = 'credits_moved' GROUP BY idempotency_key`.execute(k),
    );
    const count = new Map(journalled.rows.map((r) => [r.key, r.n]));
    expect(acked.filter((key) => count.get(key) !== 1n)).toEqual([]);
    expect(journalled.rows.filter((r) => r.n !== 1n)).toEqual([]);

    // Resending every key (answered or not) applies each exactly once.
    for (let start = 0; start < sent.length; start += 12) {
      const statuses = await Promise.all(
        sent.slice(start, start + 12).map(async (key) => (await transfer(key)).status),
      );
      expect(statuses.filter((s) => s !== 200 && s !== 201)).toEqual([]);
    }
    const moved = await platform.db.read((k) =>
      sql<{ n: bigint }>`SELECT count(*)::int8 AS n FROM journal
        WHERE chain = 'JP' AND type = 'credits_moved'`.execute(k),
    );
    expect(moved.rows[0]?.n).toBe(BigInt(sent.length));
    const destination = await platform.queries.account('JP-000005');
    expect(destination.ok && destination.value.balance).toBe(BigInt(sent.length));
    expect((await platform.audit()).violations).toEqual([]);
  });
});

describe('PostgreSQL refusing connections', () => {
  it('answers reads and writes with 503 database_unavailable and Retry-After, then recovers', async () => {
    await admin.exclusive((k) =>
      sql.raw(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`).execute(k),
    );
    await terminateAll();
    try {
      for (const answer of [await seen(await read()), await seen(await transfer('refused-1'))]) {
        expect(answer).toMatchObject({ status: 503, code: 'database_unavailable' });
        expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      }
      expect((await fetch(`${base}/ready`)).status).toBe(503);
      expect((await fetch(`${base}/health`)).status).toBe(200);
    } finally {
      await admin.exclusive((k) =>
        sql.raw(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).execute(k),
      );
    }
    expect((await read()).status).toBe(200);
    expect([200, 201]).toContain((await transfer('refused-1')).status);
  });
});
