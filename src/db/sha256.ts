// SHA-256 from node:crypto: the implementation of the core's hash port, and the hash of files and
// secrets. Lower-case hex everywhere, as the database's digest() gives it.
import { createHash } from 'node:crypto';
import type { Sha256 } from '../core/shared/hash.ts';

export const sha256Hex: Sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

export function sha256OfBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
