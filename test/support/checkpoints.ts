// The deployment the checkpoint tests sign as: `jp`, hosting JP and IN, with a fresh Ed25519 key and
// no peers (an all-in-one deployment that signs its registries).
import { generateKeyPairSync } from 'node:crypto';
import { configOf, type FederationConfig } from '../../src/services/federation-config.ts';

export function signingDeployment(): FederationConfig {
  return configOf(
    {
      self: 'jp',
      registries: ['JP', 'IN'],
      signingKey: { keyId: 'jp-2028', privateKeyFile: 'unused' },
      peers: [],
    },
    generateKeyPairSync('ed25519').privateKey,
  );
}
