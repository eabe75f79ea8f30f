// Crash test: the server runs as a child process on PostgreSQL, clients keep transfers in flight, the
// server is killed with SIGKILL and restarted. Every acknowledged transfer is in the journal, the
// invariants and the hash chains verify, and resending every request with its idempotency key
// applies each exactly once.
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPlatform, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { issueOneLine, mustRun, openJapanAndIndia } from '../support/scenario.ts';
import { freePort, startServer, waitReady, type Server } from '../support/server.ts';

const token = 'crash-test-token';
let port = 0;
const servers: ChildProcess[] = [];
let platform: TestPlatform;
let testDb: TestDb;

function startCrashServer(): Server {
  const server = startServer(port, { DATABASE_URL: testDb.url ?? '', JCM_DEV_TOKEN: token });
  servers.push(server.child);
  return server;
}

function transfer(key: string, to: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/v1/transfers`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-jcm-actor': 'crash-client',
      'x-jcm-roles': 'registry_manager:JP',
      'idempotency-key': key,
    },
    body: JSON.stringify({ from: 'JP-000004', to, selection: { quantity: '1' } }),
  });
}

beforeAll(async () => {
  port = await freePort();
  ({ platform, testDb } = await freshPlatform());
  await openJapanAndIndia(platform);
  await mustRun(platform, 'open_account', {
    registry: 'JP',
    accountType: 'holding',
    holderId: 'src',
    holderName: 'Source',
  });
  await mustRun(platform, 'open_account', {
    registry: 'JP',
    accountType: 'holding',
    holderId: 'dst',
    holderName: 'Destination',
  });
  await issueOneLine(platform, 'D1', 'JP-000004', '1000000');
});
afterAll(async () => {
  for (const child of servers) if (child.exitCode === null) child.kill('SIGKILL');
  await testDb.drop();
});

describe('kill -9 during a load', () => {
  it('loses no acknowledged transfer, keeps the invariants and applies retries once', async () => {
    const sent: string[] = [];
    const acked: string[] = [];
    for (let crash = 0; crash < 2; crash++) {
      const server = startCrashServer();
      await waitReady(server);
      let running = true;
      const clients = Array.from({ length: 8 }, async (_, c) => {
        for (let i = 0; running; i++) {
          const key = `crash${crash}-c${c}-${i}`;
          sent.push(key);
          try {
            const response = await transfer(key, 'JP-000005');
            if (response.status === 201 || response.status === 200) acked.push(key);
            else if (response.status !== 500)
              throw new Error(`unexpected status ${response.status}`);
          } catch (error) {
            if (running) throw error;
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGKILL');
      running = false;
      await exited;
      await Promise.allSettled(clients);
      // The killed process was the server itself: nothing answers on its port any more.
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    }
    console.log(
      `crash test: ${sent.length} transfers sent, ${acked.length} acknowledged before two kill -9`,
    );
    expect(acked.length).toBeGreaterThan(50);
    const keys = await platform.db.read((k) =>
      sql<{
        key: string;
      }>`SELECT idempotency_key AS key FROM journal WHERE chain = 'JP' AND type = 'credits_moved'`.execute(
        k,
      ),
    );
    const journalled = new Set(keys.rows.map((r) => r.key));
    expect(acked.filter((key) => !journalled.has(key))).toEqual([]);
    expect((await platform.audit()).violations).toEqual([]);

    // Retry everything that was sent, acknowledged or not: each key applies exactly once.
    const server = startCrashServer();
    try {
      await waitReady(server);
      for (let start = 0; start < sent.length; start += 16) {
        const statuses = await Promise.all(
          sent
            .slice(start, start + 16)
            .map(async (key) => (await transfer(key, 'JP-000005')).status),
        );
        expect(statuses.every((s) => s === 200 || s === 201)).toBe(true);
      }
    } finally {
      server.child.kill('SIGKILL');
    }
    const moved = await platform.db.read((k) =>
      sql<{
        n: bigint;
      }>`SELECT count(*)::int8 AS n FROM journal WHERE chain = 'JP' AND type = 'credits_moved'`.execute(
        k,
      ),
    );
    expect(moved.rows[0]?.n).toBe(BigInt(sent.length));
    const destination = await platform.queries.account('JP-000005');
    expect(destination.ok && destination.value.balance).toBe(BigInt(sent.length));
    expect((await platform.audit()).violations).toEqual([]);
  });
});
