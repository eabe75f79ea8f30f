// Content-addressed storage of cycle documents on disk: a file is stored once under its SHA-256
// (documents/ab/abcdef...), written to a temporary name and renamed, so a reader never sees half a
// file. The database row that refers to it is written after; an unreferenced file is harmless.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256OfBytes } from './sha256.ts';

export class DocumentStore {
  constructor(private readonly dir: string) {}

  async put(bytes: Uint8Array): Promise<{ sha256: string; bytes: number }> {
    const sha256 = sha256OfBytes(bytes);
    const folder = join(this.dir, sha256.slice(0, 2));
    const path = join(folder, sha256);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(folder, { recursive: true });
      const temporary = join(folder, `.${randomUUID()}.tmp`);
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    }
    return { sha256, bytes: bytes.byteLength };
  }

  async get(sha256: string): Promise<Uint8Array | null> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
    return readFile(join(this.dir, sha256.slice(0, 2), sha256)).then(
      (b) => new Uint8Array(b),
      () => null,
    );
  }
}
