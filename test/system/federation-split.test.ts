// Two deployments as two server processes on loopback (issue 16), each with its own PostgreSQL
// database and JCM_FEDERATION file: Japan's ("jp", hosting JP) and India's ("in", hosting IN). The
// decisions are recorded on Japan's database and India's issuances on India's by this process (the
// writes a registry's operators make; an issuance decision has no HTTP route), and the servers'
// outbox relays and delivery workers carry the messages. India's server is killed with SIGKILL
// while Japan's delivers a run of notifications, and restarted: every decision is applied there
// exactly once. Japan's server is killed after a decision was committed and before it could be sent
// (India's is down): once both run again, the outbox delivers it. India's issuance is confirmed back,
// and the two exports reconcile clean.
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingLinks } from '../../src/db/federation-store.ts';
import { confirmations } from '../../src/db/peer-issuance-store.ts';
import { outcomeOf } from '../../src/services/public-exports.ts';
import { freshPlatform, type TestDb, type TestPlatform } from '../support/db.ts';
import { mustRun } from '../support/scenario.ts';
import { freePort, startServer, waitReady, type Server } from '../support/server.ts';
import {
  decisionInput,
  deploymentIds,
  newKeys,
  openSide,
  splitConfig,
  splitFile,
  type DeploymentId,
} from '../support/two-deployments.ts';

const keys = newKeys();
const ports = {} as Record<DeploymentId, number>;
const sides = {} as Record<DeploymentId, { platform: TestPlatform; testDb: TestDb }>;
const running = {} as Record<DeploymentId, Server | undefined>;
const children: ChildProcess[] = [];
let dir: string;

async function start(id: DeploymentId): Promise<void> {
  const server = startServer(ports[id], {
    DATABASE_URL: sides[id].testDb.url ?? '',
    JCM_FEDERATION: join(dir, id, 'federation.json'),
    JCM_DEV_TOKEN: `token-${id}`,
  });
  children.push(server.child);
  running[id] = server;
  await waitReady(server);
}

async function kill(id: DeploymentId): Promise<void> {
  const child = running[id]?.child;
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  running[id] = undefined;
}

/** Waits (up to two minutes) until `check` holds; the servers retry with backoff after a kill. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** A write of this process on a side's database, its federation messages put in the outbox. */
async function write(id: DeploymentId, name: 'record_issuance_decision' | 'issue', input: object) {
  const { platform } = sides[id];
  await mustRun(platform, name, input as Record<string, unknown>);
  platform.outbox.poke();
  await platform.outbox.idle();
}

const count = async (id: DeploymentId, table: 'decisions' | 'peer_decisions') =>
  Number(
    (
      await sides[id].platform.db.read((k) =>
        sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(k),
      )
    ).rows[0]?.n,
  );

const acknowledged = async () => (await outgoingLinks(sides.jp.platform.db))[0]?.acknowledged;
/** Japan's link to India has nothing waiting (its accounts' records and the decisions). */
const settled = async () => {
  const link = (await outgoingLinks(sides.jp.platform.db))[0];
  return link !== undefined && link.acknowledged === link.lastSequence;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jcm-split-'));
  for (const id of deploymentIds) ports[id] = await freePort();
  const urls = { jp: `http://127.0.0.1:${ports.jp}`, in: `http://127.0.0.1:${ports.in}` };
  for (const id of deploymentIds) {
    sides[id] = await freshPlatform({ federation: { config: splitConfig(id, urls, keys) } });
    await openSide(sides[id].platform, id);
    await mkdir(join(dir, id));
    await writeFile(
      join(dir, id, 'key.pem'),
      keys[id].export({ type: 'pkcs8', format: 'pem' }).toString(),
      { mode: 0o600 },
    );
    await writeFile(
      join(dir, id, 'federation.json'),
      JSON.stringify(splitFile(id, urls, keys, 'key.pem')),
    );
  }
  await Promise.all(deploymentIds.map(start));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const id of deploymentIds) await sides[id]?.testDb.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('two deployments as two server processes', () => {
  it('applies every notification exactly once when the receiver is killed during delivery', async () => {
    const total = 40;
    for (let i = 1; i <= total; i++)
      await write('jp', 'record_issuance_decision', decisionInput(`D${i}`, 'IN-000004', '2', '1'));
    // Killed as soon as India's server has applied a few of them.
    await until('India applied some', async () => (await count('in', 'peer_decisions')) >= 3);
    await kill('in');
    const applied = await count('in', 'peer_decisions');
    await start('in');
    await until('Japan heard every acknowledgement', settled);
    // The kill came in the middle of the run, and nothing was applied twice or lost.
    expect(applied).toBeLessThan(total);
    expect(await count('in', 'decisions')).toBe(total);
    expect(await count('in', 'peer_decisions')).toBe(total);
    const received = await sides.in.platform.db.read((k) =>
      sql<{ n: bigint; d: bigint }>`SELECT count(*) AS n, count(DISTINCT sequence) AS d
        FROM federation_received WHERE sender = 'jp' AND applied_at IS NOT NULL
        AND kind = 'issuance_notification'`.execute(k),
    );
    expect(received.rows[0]).toEqual({ n: BigInt(total), d: BigInt(total) });
  });

  it('delivers on restart what the sender committed and was killed before sending', async () => {
    await kill('in');
    const before = await acknowledged();
    await write('jp', 'record_issuance_decision', decisionInput('D-late', 'IN-000004', '2', '1'));
    await kill('jp');
    await start('in');
    await start('jp');
    await until(
      'India applied the late decision',
      async () => (await acknowledged()) === (before ?? 0n) + 1n,
    );
    const late = await sides.in.platform.queries.decision('D-late');
    expect(late.ok).toBe(true);
  });

  it('confirms India’s issuance back, and the two exports reconcile clean', async () => {
    await write('in', 'issue', { registry: 'IN', decision: 'D1', line: 2 });
    await write('jp', 'issue', { registry: 'JP', decision: 'D1', line: 1 });
    await until(
      'Japan recorded the confirmation',
      async () => (await confirmations(sides.jp.platform.db)).length === 1,
    );
    const checks = await Promise.all(
      deploymentIds.map((id) => sides[id].platform.exports.checkHere()),
    );
    const outcome = outcomeOf(checks);
    expect(outcome.discrepancies).toEqual([]);
    expect(outcome.exports.map((e) => e.header.registries)).toEqual([['JP'], ['IN']]);
  });
});
