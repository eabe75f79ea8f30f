// Ed25519 for messages between deployments and for checkpoints (issue 16), from node:crypto: a
// deployment's key pair, the signature of an envelope or a checkpoint's text, and the check the receiver's decision takes as a function
// (core/federation/receive.ts). Private keys stay in the deployment that made them: they are read
// from its key file and never written to a log, a message or an answer.
import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import {
  signingText,
  type MessageEnvelope,
  type SignedMessage,
} from '../core/federation/messages.ts';

export interface DeploymentKeyPair {
  /** SPKI DER, base64: what peers register. */
  readonly publicKey: string;
  readonly privateKey: KeyObject;
}

export function newDeploymentKeyPair(): DeploymentKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKeyText(publicKey), privateKey };
}

export function publicKeyText(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

export function signEnvelope(
  envelope: MessageEnvelope,
  keyId: string,
  privateKey: KeyObject,
): SignedMessage {
  return { envelope, keyId, signature: signText(signingText(envelope), privateKey) };
}

/** The Ed25519 signature of `text` (UTF-8), base64: of an envelope, or of a checkpoint. */
export function signText(text: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
}

/** Whether `signature` (base64) is an Ed25519 signature of `text` by `publicKey` (SPKI DER, base64). */
export function verifyEd25519(publicKey: string, text: string, signature: string): boolean {
  try {
    const key = createPublicKey({
      key: Buffer.from(publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    const bytes = Buffer.from(signature, 'base64');
    if (bytes.length !== 64) return false;
    return verify(null, Buffer.from(text, 'utf8'), key, bytes);
  } catch {
    return false;
  }
}
