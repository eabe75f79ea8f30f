// Japan's deployment ("jp", hosting JP) and India's ("in", hosting IN) as the issue 16 tests run them:
// each with its own Ed25519 key and the other as its peer; each records both registries (a decision
// names both) and opens accounts only in its own: JP-000004 (holding) and JP-000005 (government) on
// Japan's side, IN-000004 (holding) on India's. `twoDeployments` runs them in one process, each with
// its own database and HTTP app on loopback, linked by their real delivery workers (driven by
// `exchange`, not by timers); the system test runs them as server processes (splitFile).
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp } from '../../src/http/app.ts';
import { configOf, type FederationConfig } from '../../src/services/federation-config.ts';
import { publicKeyText } from '../../src/services/federation-signatures.ts';
import type { Platform } from '../../src/services/platform.ts';
import { freshPlatform, type TestClock, type TestDb, type TestPlatform } from './db.ts';
import { mustRun } from './scenario.ts';

export type DeploymentId = 'jp' | 'in';
export const deploymentIds: readonly DeploymentId[] = ['jp', 'in'];

export function newKeys(): Record<DeploymentId, KeyObject> {
  return {
    jp: generateKeyPairSync('ed25519').privateKey,
    in: generateKeyPairSync('ed25519').privateKey,
  };
}

export const peerOf = (self: DeploymentId): DeploymentId => (self === 'jp' ? 'in' : 'jp');

/** The federation file of `self` (key file `privateKeyFile`, relative to the file). */
export function splitFile(
  self: DeploymentId,
  urls: Record<DeploymentId, string>,
  keys: Record<DeploymentId, KeyObject>,
  privateKeyFile = 'unused',
) {
  const peer = peerOf(self);
  return {
    self,
    registries: [self.toUpperCase()],
    signingKey: { keyId: `${self}-1`, privateKeyFile },
    peers: [
      {
        id: peer,
        url: urls[peer],
        registries: [peer.toUpperCase()],
        keys: [
          {
            keyId: `${peer}-1`,
            publicKey: publicKeyText(createPublicKey(keys[peer])),
            validFrom: '2020-01-01T00:00:00Z',
          },
        ],
      },
    ],
  };
}

export function splitConfig(
  self: DeploymentId,
  urls: Record<DeploymentId, string>,
  keys: Record<DeploymentId, KeyObject>,
): FederationConfig {
  return configOf(splitFile(self, urls, keys), keys[self]);
}

/** The keys of the deployments `twoDeployments` makes. */
export const deploymentKeys = newKeys();

/** Both registries recorded; JP-000004 (and JP-000005) on Japan's side, IN-000004 on India's. */
export async function openSide(platform: Platform, self: DeploymentId): Promise<void> {
  await mustRun(platform, 'open_registry', { registry: 'JP', name: "Japan's registry" });
  await mustRun(platform, 'open_registry', { registry: 'IN', name: "India's registry" });
  const accounts =
    self === 'jp'
      ? [
          ['holding', 'acme'],
          ['government_holding', 'gov-jp'],
        ]
      : [['holding', 'dev']];
  for (const [accountType, holderId] of accounts)
    await mustRun(platform, 'open_account', {
      registry: self.toUpperCase(),
      accountType,
      holderId,
      holderName: holderId,
    });
}

export interface Side {
  readonly platform: TestPlatform;
  readonly testDb: TestDb;
  readonly server: Server;
  /** Where the side's HTTP app answers (its peers' `url`). */
  readonly url: string;
  /** The side's test clock (sessions, times). */
  readonly clock: TestClock;
}
export type Deployments = Record<DeploymentId, Side>;

async function listening(): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

export async function twoDeployments(
  open: (platform: Platform, self: DeploymentId) => Promise<void> = openSide,
): Promise<Deployments> {
  const jp = await listening();
  const india = await listening();
  const urls = { jp: jp.url, in: india.url };
  const sides = {} as Record<DeploymentId, Side>;
  for (const [id, at] of [
    ['jp', jp],
    ['in', india],
  ] as const) {
    const config = splitConfig(id, urls, deploymentKeys);
    const { platform, testDb, clock } = await freshPlatform({ federation: { config } });
    at.server.on('request', getRequestListener(createApp(platform, { devToken: null }).fetch));
    sides[id] = { platform, testDb, clock, server: at.server, url: at.url };
    await open(platform, id);
  }
  // Each side's accounts reach the other (`account_record`) before a test begins: its links start
  // with those messages acknowledged.
  await exchange(sides);
  return sides;
}

export async function closeDeployments(sides: Deployments): Promise<void> {
  for (const side of Object.values(sides)) {
    side.server.close();
    await side.testDb.drop();
  }
}

/**
 * Lets each side's outbox produce its messages and its worker deliver them, until a round changes
 * no link (every message acknowledged, or a link stopped). `deliver` answers how long to wait, not
 * how much it sent, so quiet is read from the links themselves.
 */
export async function exchange(sides: Deployments): Promise<void> {
  let before = '';
  for (let round = 0; round < 8; round++) {
    const links: string[] = [];
    for (const id of ['jp', 'in'] as const) {
      const { platform } = sides[id];
      platform.outbox.poke();
      await platform.outbox.idle();
      const federation = platform.federation;
      if (federation === null) throw new Error('no federation');
      for (const peer of federation.config.peers) await federation.delivery.deliver(peer);
      for (const l of (await federation.links()).outgoing)
        links.push(`${id}>${l.receiver} ${l.lastSequence}/${l.acknowledged}`);
    }
    const after = links.join(' ');
    if (after === before) return;
    before = after;
  }
  throw new Error(`the links did not settle: ${before}`);
}

/** A decision for IN001 with a line for JP-000004 and one for `inAccount` (vintage 2027). */
export function decisionInput(id: string, inAccount = 'IN-000004', jp = '100', india = '50') {
  return {
    decision: id,
    project: 'IN001',
    verification: {
      reference: `V-${id}`,
      reductions: [{ vintage: 2027, quantity: String(BigInt(jp) + BigInt(india)) }],
    },
    lines: [
      { registry: 'JP', account: 'JP-000004', vintage: 2027, quantity: jp },
      { registry: 'IN', account: inAccount, vintage: 2027, quantity: india },
    ],
  };
}

/** Decision `id` for IN001, vintage 2027: 100 to JP-000004 (line 1), 50 to `inAccount` (line 2). */
export const splitDecision = (id: string, inAccount = 'IN-000004') => decisionInput(id, inAccount);
