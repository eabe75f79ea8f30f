// A backup of a PGlite database: PGlite's own dump of its data folder (a gzipped tarball), taken in
// one turn of the connection's queue together with the reading of the journal heads, so no write
// falls between them. Works on the open database of a running server (through its API) and on a
// folder opened by the CLI while the server is stopped (the lock file keeps out a second process).
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { readSnapshotState, type SnapshotState } from './backup-snapshot.ts';
import { pgliteExtensions, type Db } from './connect.ts';

export async function dumpPglite(db: Db): Promise<{ state: SnapshotState; tarball: Blob }> {
  if (db.pgliteDump === undefined) throw new Error('dumpPglite needs a PGlite database');
  const { value, tarball } = await db.pgliteDump(readSnapshotState);
  return { state: value, tarball };
}

/** Makes the PGlite data folder `pgdata` (which must not exist yet) from a dump. */
export async function restorePglite(pgdata: string, tarball: Blob): Promise<void> {
  await mkdir(pgdata, { recursive: true });
  const pglite = new PGlite(pgdata, { loadDataDir: tarball, extensions: pgliteExtensions });
  await pglite.waitReady;
  await pglite.close();
}
