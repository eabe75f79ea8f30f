// Which registries a deployment hosts and who its peers are (issue 16): a JSON file named by
// JCM_FEDERATION. Without one the deployment hosts every registry and has no peers (all-in-one, the
// default of `npm start`). The file names this deployment, the key it signs with (a PKCS#8 PEM file
// that stays on this machine: its path is configuration, its content is never logged or answered)
// and each peer: its id, URL, the registries it hosts, and its public keys with their validity, so
// that a key can be rotated (the old one valid until a stated time).
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Peer } from '../core/federation/receive.ts';
import { publicKeyText } from './federation-signatures.ts';
import {
  deploymentIdSchema as deploymentId,
  keyIdSchema as keyId,
  registryIdSchema as registryId,
} from './federation-wire.ts';
import { issuesText } from './parse-input.ts';

const instant = z
  .string()
  .datetime({ offset: true })
  .refine((s) => Number.isFinite(Date.parse(s)));

/**
 * Acknowledgements are not signed: over plain HTTP anyone on the path could swallow a message and
 * acknowledge it. So a peer is reached over TLS, or over http on this machine only (tests, a local
 * TLS-terminating proxy).
 */
function secureOrLoopback(raw: string): boolean {
  const url = new URL(raw);
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  return (
    url.hostname === 'localhost' ||
    url.hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(url.hostname)
  );
}

const peerSchema = z
  .object({
    id: deploymentId,
    url: z
      .string()
      .url()
      .refine(
        secureOrLoopback,
        'an https address (http only to this machine: localhost, 127.0.0.0/8, [::1])',
      ),
    registries: z.array(registryId).min(1),
    keys: z
      .array(
        z
          .object({
            keyId,
            publicKey: z.string().regex(/^[A-Za-z0-9+/=]{40,200}$/, 'SPKI DER, base64'),
            validFrom: instant,
            validUntil: instant.optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const federationFileSchema = z
  .object({
    self: deploymentId,
    registries: z.array(registryId).min(1),
    signingKey: z.object({ keyId, privateKeyFile: z.string().min(1) }).strict(),
    peers: z.array(peerSchema),
  })
  .strict();

export type FederationFile = z.infer<typeof federationFileSchema>;

export interface PeerDeployment extends Peer {
  readonly url: string;
  readonly registries: readonly string[];
}

export interface FederationConfig {
  readonly self: string;
  /** The registries this deployment hosts. */
  readonly registries: readonly string[];
  readonly keyId: string;
  readonly privateKey: KeyObject;
  /** The public key of `privateKey` (SPKI DER, base64), what peers register. */
  readonly publicKey: string;
  readonly peers: readonly PeerDeployment[];
}

/** Checks the file's rules the schema cannot state; the first problem found, or null. */
export function federationFileProblem(file: FederationFile): string | null {
  const ids = file.peers.map((p) => p.id);
  if (ids.includes(file.self)) return `a peer has this deployment's own id ${file.self}`;
  if (new Set(ids).size !== ids.length) return 'two peers have the same id';
  const hosts = [...file.registries, ...file.peers.flatMap((p) => p.registries)];
  const twice = hosts.find((r, i) => hosts.indexOf(r) !== i);
  if (twice !== undefined) return `registry ${twice} is hosted by two deployments`;
  for (const peer of file.peers) {
    const keyIds = peer.keys.map((k) => k.keyId);
    if (new Set(keyIds).size !== keyIds.length) return `peer ${peer.id} lists a key id twice`;
    const inverted = peer.keys.find(
      (k) => k.validUntil !== undefined && Date.parse(k.validUntil) <= Date.parse(k.validFrom),
    );
    if (inverted !== undefined) return `key ${inverted.keyId} of ${peer.id} ends before it begins`;
  }
  return null;
}

/**
 * Reads and checks the file at `path`; the private key's path is relative to the file. Throws with
 * a message naming the problem (never the key's content), which stops the start.
 */
export async function loadFederationConfig(path: string): Promise<FederationConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`JCM_FEDERATION: ${path} is not a readable JSON file (${String(error)})`, {
      cause: error,
    });
  }
  const parsed = federationFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`JCM_FEDERATION: ${path}: ${issuesText(parsed.error)}`);
  const problem = federationFileProblem(parsed.data);
  if (problem !== null) throw new Error(`JCM_FEDERATION: ${path}: ${problem}`);
  const keyPath = resolve(dirname(path), parsed.data.signingKey.privateKeyFile);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(await readFile(keyPath, 'utf8'));
  } catch {
    throw new Error(`JCM_FEDERATION: the signing key ${keyPath} is not a readable PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`JCM_FEDERATION: the signing key ${keyPath} is not an Ed25519 key`);
  return configOf(parsed.data, privateKey);
}

export function configOf(file: FederationFile, privateKey: KeyObject): FederationConfig {
  return {
    self: file.self,
    registries: file.registries,
    keyId: file.signingKey.keyId,
    privateKey,
    publicKey: publicKeyText(createPublicKey(privateKey)),
    peers: file.peers.map((p) => ({
      id: p.id,
      url: p.url.replace(/\/+$/, ''),
      registries: p.registries,
      keys: p.keys.map((k) => ({
        keyId: k.keyId,
        publicKey: k.publicKey,
        validFrom: k.validFrom,
        ...(k.validUntil === undefined ? {} : { validUntil: k.validUntil }),
      })),
    })),
  };
}
