// Japan's deployment ("jp", hosting JP) and India's ("in", hosting IN) as the issue 16 tests run them:
// each with its own Ed25519 key and the other as its peer at a given URL; each records both
// registries (a decision names both) and opens accounts only in its own.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { configOf, type FederationConfig } from '../../src/services/federation-config.ts';
import { publicKeyText } from '../../src/services/federation-signatures.ts';
import type { Platform } from '../../src/services/platform.ts';
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
