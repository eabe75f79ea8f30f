// The files of a backup folder: manifest.json (the journal heads at the snapshot and the SHA-256 of
// every document and of the database file), the database file, and documents/ in the document
// store's own layout (documents/ab/abcdef...). Copying checks every hash on the way in and out.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { reject, ok, type Result } from '../core/shared/result.ts';
import type { SnapshotState } from './backup-snapshot.ts';
import { DocumentStore } from './document-store.ts';
import { sha256OfBytes } from './sha256.ts';

export const manifestFileName = 'manifest.json';
export const backupDocumentsFolder = 'documents';
export const databaseFileNames = { postgres: 'database.dump', pglite: 'pgdata.tar.gz' } as const;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const manifestSchema = z.object({
  format: z.literal('jcm-backup'),
  version: z.literal(1),
  kind: z.enum(['postgres', 'pglite']),
  createdAt: z.string(),
  database: z.object({
    file: z.enum(['database.dump', 'pgdata.tar.gz']),
    sha256: hex64,
    bytes: z.number().int().nonnegative(),
  }),
  chains: z.array(
    z.object({ chain: z.string().min(1), headSeq: z.string().regex(/^\d+$/), headHash: hex64 }),
  ),
  documents: z.array(z.object({ sha256: hex64, bytes: z.number().int().nonnegative() })),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

export async function sha256OfFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Whether a folder is absent or empty (a backup or a restore writes only into such a folder). */
export async function folderIsEmpty(path: string): Promise<boolean> {
  return readdir(path).then(
    (names) => names.length === 0,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return true;
      throw error;
    },
  );
}

function documentPath(root: string, sha256: string): string {
  return join(root, backupDocumentsFolder, sha256.slice(0, 2), sha256);
}

/**
 * Copies the documents the snapshot refers to from the store into the backup, checking each
 * against its hash. Documents are never deleted from the store, so every one the snapshot's rows
 * refer to is there (the row is committed after its file); one that is not is a broken store.
 */
export async function copyDocuments(
  documentsDir: string,
  backupDir: string,
  hashes: readonly string[],
  progress: (done: number) => void,
): Promise<Result<BackupManifest['documents']>> {
  const store = new DocumentStore(documentsDir);
  const copied: { sha256: string; bytes: number }[] = [];
  for (const sha256 of hashes) {
    const bytes = await store.get(sha256);
    if (bytes === null || sha256OfBytes(bytes) !== sha256)
      return reject('backup_document_unreadable', `document ${sha256} is missing or changed`, {
        sha256,
      });
    const path = documentPath(backupDir, sha256);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, bytes);
    copied.push({ sha256, bytes: bytes.byteLength });
    if (copied.length % 100 === 0) progress(copied.length);
  }
  progress(copied.length);
  return ok(copied);
}

export function manifestOf(
  kind: 'postgres' | 'pglite',
  createdAt: string,
  state: SnapshotState,
  database: { sha256: string; bytes: number },
  documents: BackupManifest['documents'],
): BackupManifest {
  return {
    format: 'jcm-backup',
    version: 1,
    kind,
    createdAt,
    database: { file: databaseFileNames[kind], ...database },
    chains: state.chains.map((c) => ({
      chain: c.chain,
      headSeq: c.headSeq.toString(),
      headHash: c.headHash,
    })),
    documents: [...documents],
  };
}

export async function writeManifest(backupDir: string, manifest: BackupManifest): Promise<void> {
  await writeFile(join(backupDir, manifestFileName), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function readManifest(backupDir: string): Promise<Result<BackupManifest>> {
  const text = await readFile(join(backupDir, manifestFileName), 'utf8').catch(() => null);
  if (text === null)
    return reject('backup_manifest_invalid', `no ${manifestFileName} in ${backupDir}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return reject('backup_manifest_invalid', `${manifestFileName} is not JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  return parsed.success
    ? ok(parsed.data)
    : reject('backup_manifest_invalid', `${manifestFileName} is not a jcm backup manifest`);
}

/** Checks the database file and every document of a backup against the manifest, before restoring. */
export async function verifyBackupFiles(
  backupDir: string,
  manifest: BackupManifest,
  progress: (done: number) => void,
): Promise<Result<null>> {
  const databaseFile = join(backupDir, manifest.database.file);
  const database = await stat(databaseFile).then(
    () => sha256OfFile(databaseFile),
    () => null,
  );
  if (database?.sha256 !== manifest.database.sha256)
    return reject(
      'backup_database_file_corrupt',
      database === null
        ? `${manifest.database.file} is missing`
        : `${manifest.database.file} does not match its SHA-256 in the manifest`,
    );
  let done = 0;
  for (const document of manifest.documents) {
    const bytes = await readFile(documentPath(backupDir, document.sha256)).catch(() => null);
    if (bytes === null)
      return reject('backup_document_missing', `document ${document.sha256} is not in the backup`, {
        sha256: document.sha256,
      });
    if (sha256OfBytes(bytes) !== document.sha256)
      return reject(
        'backup_document_corrupt',
        `document ${document.sha256} does not match its hash`,
        {
          sha256: document.sha256,
        },
      );
    if (++done % 100 === 0) progress(done);
  }
  progress(done);
  return ok(null);
}

/** Puts the backup's documents into the (empty) document store of the restored platform. */
export async function installDocuments(
  backupDir: string,
  manifest: BackupManifest,
  documentsDir: string,
): Promise<void> {
  const store = new DocumentStore(documentsDir);
  await mkdir(documentsDir, { recursive: true });
  for (const document of manifest.documents) {
    const stored = await store.put(await readFile(documentPath(backupDir, document.sha256)));
    // Checked already by verifyBackupFiles; a difference now is a file changed under our feet.
    if (stored.sha256 !== document.sha256)
      throw new Error(`document ${document.sha256} changed during the restore`);
  }
}
