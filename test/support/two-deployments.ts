// Two deployments in one process (issue 16): Japan's ("jp", hosting JP) and India's ("in", hosting
// IN), each with its own database and HTTP app on loopback, each the other's peer, linked by their
// real delivery workers (driven by `exchange`, not by timers). Each records both registries (a
// decision names both) and opens accounts only in its own: JP-000004 (holding) and JP-000005
// (government) on Japan's side, IN-000004 (holding) on India's.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp } from '../../src/http/app.ts';
import { configOf, type FederationConfig } from '../../src/services/federation-config.ts';
import { publicKeyText } from '../../src/services/federation-signatures.ts';
import { freshPlatform, type TestDb, type TestPlatform } from './db.ts';
import { mustRun } from './scenario.ts';

export const deploymentKeys = {
  jp: generateKeyPairSync('ed25519').privateKey,
  in: generateKeyPairSync('ed25519').privateKey,
};
export type DeploymentId = keyof typeof deploymentKeys;

const publicOf = (key: KeyObject) => publicKeyText(createPublicKey(key));

function configFor(self: DeploymentId, urls: Record<DeploymentId, string>): FederationConfig {
  const peer: DeploymentId = self === 'jp' ? 'in' : 'jp';
  return configOf(
    {
      self,
      registries: [self.toUpperCase()],
      signingKey: { keyId: `${self}-1`, privateKeyFile: 'unused' },
      peers: [
        {
          id: peer,
          url: urls[peer],
          registries: [peer.toUpperCase()],
          keys: [
            {
              keyId: `${peer}-1`,
              publicKey: publicOf(deploymentKeys[peer]),
              validFrom: '2020-01-01T00:00:00Z',
            },
          ],
        },
      ],
    },
    deploymentKeys[self],
  );
}

export interface Side {
  readonly platform: TestPlatform;
  readonly testDb: TestDb;
  readonly server: Server;
  /** Where the side's HTTP app answers (its peers' `url`). */
  readonly url: string;
}
export type Deployments = Record<DeploymentId, Side>;

async function listening(): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

export async function twoDeployments(): Promise<Deployments> {
  const jp = await listening();
  const india = await listening();
  const urls = { jp: jp.url, in: india.url };
  const sides = {} as Record<DeploymentId, Side>;
  for (const [id, at] of [
    ['jp', jp],
    ['in', india],
  ] as const) {
    const { platform, testDb } = await freshPlatform({
      federation: { config: configFor(id, urls) },
    });
    at.server.on('request', getRequestListener(createApp(platform, { devToken: null }).fetch));
    sides[id] = { platform, testDb, server: at.server, url: at.url };
    await mustRun(platform, 'open_registry', { registry: 'JP', name: "Japan's registry" });
    await mustRun(platform, 'open_registry', { registry: 'IN', name: "India's registry" });
  }
  for (const [holder, accountType] of [
    ['acme', 'holding'],
    ['gov-jp', 'government_holding'],
  ] as const)
    await mustRun(sides.jp.platform, 'open_account', {
      registry: 'JP',
      accountType,
      holderId: holder,
      holderName: holder,
    });
  await mustRun(sides.in.platform, 'open_account', {
    registry: 'IN',
    accountType: 'holding',
    holderId: 'dev',
    holderName: 'Developer',
  });
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

/** Decision `id` for IN001, vintage 2027: 100 to JP-000004 (line 1), 50 to `inAccount` (line 2). */
export const splitDecision = (id: string, inAccount = 'IN-000004') => ({
  decision: id,
  project: 'IN001',
  verification: { reference: `V-${id}`, reductions: [{ vintage: 2027, quantity: '150' }] },
  lines: [
    { registry: 'JP', account: 'JP-000004', vintage: 2027, quantity: '100' },
    { registry: 'IN', account: inAccount, vintage: 2027, quantity: '50' },
  ],
});
