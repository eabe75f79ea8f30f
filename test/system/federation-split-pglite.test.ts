// Two deployments as two server processes on loopback (issue 16), each on its own embedded database
// (a PGlite folder, as `npm start` runs) and JCM_FEDERATION file: Japan's ("jp", hosting JP) and
// India's ("in", hosting IN). A PGlite folder is one process's, so this process writes only while
// the servers are down: it opens both registries and records 120 Joint Committee decisions on
// Japan's folder first; every write after that goes over HTTP. India's server is killed with
// SIGKILL while Japan's delivers the notifications, and restarted: each decision is applied there
// exactly once. India's registry manager then issues a line over HTTP while Japan's server is down,
// and India's server is killed right after that commit: once both run again, India's outbox sends
// the confirmation. The folders are read back after the servers stop. (In the system project for
// its process handling; it needs no PostgreSQL.)
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connect.ts';
import { confirmations } from '../../src/db/peer-issuance-store.ts';
import { configOf } from '../../src/services/federation-config.ts';
import { createPlatform, type Platform } from '../../src/services/platform.ts';
import { mustRun } from '../support/scenario.ts';
import { freePort, startServer, waitReady, type Server } from '../support/server.ts';
import {
  decisionInput,
  deploymentIds,
  newKeys,
  openSide,
  splitFile,
  type DeploymentId,
} from '../support/two-deployments.ts';

const total = 120;
const keys = newKeys();
const ports = {} as Record<DeploymentId, number>;
const urls = {} as Record<DeploymentId, string>;
const running = {} as Record<DeploymentId, Server | undefined>;
let dir: string;

/** This process on a side's folder (only while its server is down). */
async function openFolder<T>(id: DeploymentId, use: (platform: Platform, db: Db) => Promise<T>) {
  const file = splitFile(id, urls, keys, 'key.pem');
  const db = await openDb({ kind: 'pglite', dataDir: join(dir, id, 'data') });
  const platform = await createPlatform(db, {
    referenceDataDir: resolve(import.meta.dirname, '../../data'),
    documentsDir: join(dir, id, 'documents'),
    federation: { config: configOf(file, keys[id]) },
  });
  try {
    return await use(platform, db);
  } finally {
    await platform.close();
  }
}

async function start(id: DeploymentId): Promise<void> {
  const server = startServer(ports[id], {
    JCM_DATA_DIR: join(dir, id, 'data'),
    JCM_FEDERATION: join(dir, id, 'federation.json'),
    JCM_DEV_TOKEN: `token-${id}`,
  });
  running[id] = server;
  await waitReady(server);
}

async function stop(id: DeploymentId, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const child = running[id]?.child;
  running[id] = undefined;
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill(signal);
  await exited;
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    if (await check().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`timed out waiting until ${what}`);
}

const decisionHere = async (id: DeploymentId, decision: string) =>
  (await fetch(`${urls[id]}/api/v1/issuance-decisions/${encodeURIComponent(decision)}`)).ok;

/** Japan's link to India has nothing waiting (its /metrics). */
const nothingWaiting = async (from: DeploymentId, to: DeploymentId) =>
  (await (await fetch(`${urls[from]}/metrics`)).text()).includes(
    `jcm_federation_outbox_waiting{peer="${to}"} 0`,
  );

const count = (db: Db, query: string) =>
  db.read(async (k) => Number((await sql<{ n: string }>`${sql.raw(query)}`.execute(k)).rows[0]?.n));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jcm-split-pglite-'));
  for (const id of deploymentIds) {
    ports[id] = await freePort();
    urls[id] = `http://127.0.0.1:${ports[id]}`;
  }
  for (const id of deploymentIds) {
    await mkdir(join(dir, id, 'data'), { recursive: true });
    await writeFile(
      join(dir, id, 'key.pem'),
      keys[id].export({ type: 'pkcs8', format: 'pem' }).toString(),
      { mode: 0o600 },
    );
    await writeFile(
      join(dir, id, 'federation.json'),
      JSON.stringify(splitFile(id, urls, keys, 'key.pem')),
    );
    await openFolder(id, async (platform) => {
      await openSide(platform, id);
      if (id === 'jp')
        for (let i = 1; i <= total; i++)
          await mustRun(
            platform,
            'record_issuance_decision',
            decisionInput(`P${i}`, 'IN-000004', '2', '1'),
          );
      platform.outbox.poke();
      await platform.outbox.idle();
    });
  }
});
afterAll(async () => {
  for (const id of deploymentIds) await stop(id, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('two deployments as two server processes on PGlite folders', () => {
  it('applies every notification exactly once when the receiver is killed during delivery', async () => {
    await start('in');
    await start('jp');
    await until('India applied some', () => decisionHere('in', 'P3'));
    await stop('in', 'SIGKILL');
    // The kill came in the middle of the run (read from India's folder, its server down).
    const applied = await openFolder('in', (_platform, db) =>
      count(db, 'SELECT count(*) AS n FROM peer_decisions'),
    );
    expect([applied >= 3, applied < total]).toEqual([true, true]);
    await start('in');
    await until('Japan heard every acknowledgement', () => nothingWaiting('jp', 'in'));
    expect(await decisionHere('in', `P${total}`)).toBe(true);
  });

  it('sends on restart the confirmation India committed while Japan was down, India killed after it', async () => {
    await stop('jp', 'SIGTERM');
    const issued = await fetch(`${urls.in}/api/v1/registries/IN/issuances`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer token-in',
        'x-jcm-actor': 'manager-in',
        'x-jcm-roles': 'registry_manager:IN',
        'idempotency-key': 'issue-P1-2',
      },
      body: JSON.stringify({ decision: 'P1', line: 2 }),
    });
    expect(issued.status).toBe(201);
    await stop('in', 'SIGKILL');
    await start('jp');
    await start('in');
    await until('India sent the confirmation', () => nothingWaiting('in', 'jp'));
  });

  it('holds in the folders what the servers did, each message applied once', async () => {
    for (const id of deploymentIds) await stop(id, 'SIGTERM');
    await openFolder('in', async (_platform, db) => {
      expect(await count(db, 'SELECT count(*) AS n FROM peer_decisions')).toBe(total);
      expect(
        await count(
          db,
          `SELECT count(DISTINCT sequence) AS n FROM federation_received WHERE sender = 'jp' AND applied_at IS NOT NULL AND kind = 'issuance_notification'`,
        ),
      ).toBe(total);
      expect(
        await count(
          db,
          `SELECT count(*) AS n FROM federation_received WHERE sender = 'jp' AND kind = 'issuance_notification'`,
        ),
      ).toBe(total);
    });
    await openFolder('jp', async (_platform, db) => {
      const confirmed = await confirmations(db);
      expect(confirmed.map((c) => `${c.decision}#${c.lineNo} ${c.first}-${c.last}`)).toEqual([
        'P1#2 3-3',
      ]);
    });
  });
});
