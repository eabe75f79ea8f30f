// The catalogue entries that Joint Committees adopted through the project cycle: each with the
// proposal it came from, the decision that adopted it and the methodology file as adopted, written in
// the transaction of the approval and read by the catalogue.
import { isoInstant } from './columns.ts';
import type { Db, Tx } from './connect.ts';

export interface MethodologyEntryRow {
  readonly id: string;
  readonly version: string;
  readonly partnership: string;
  readonly item: string;
  readonly decision: string;
  readonly file: string;
  readonly fileSha256: string;
  readonly adoptedAt: string;
}

export async function insertMethodologyEntry(tx: Tx, row: MethodologyEntryRow): Promise<void> {
  await tx
    .insertInto('methodology_entries')
    .values({
      id: row.id,
      version: row.version,
      partnership: row.partnership,
      item_id: row.item,
      decision_id: row.decision,
      file: row.file,
      file_sha256: row.fileSha256,
      adopted_at: row.adoptedAt,
    })
    .execute();
}

/** The keys (`id version`) of the adopted entries, to see whether the catalogue is current. */
export function methodologyEntryKeys(db: Db): Promise<string[]> {
  return db.read(async (k) =>
    (await k.selectFrom('methodology_entries').select(['id', 'version']).execute()).map(
      (r) => `${r.id} ${r.version}`,
    ),
  );
}

/** Adopted entries, all of them or those of some keys. */
export function methodologyEntries(
  db: Db,
  keys?: readonly string[],
): Promise<MethodologyEntryRow[]> {
  return db.read(async (k) => {
    const rows = await k
      .selectFrom('methodology_entries')
      .selectAll()
      .orderBy('id')
      .orderBy('version')
      .execute();
    return rows
      .filter((r) => keys === undefined || keys.includes(`${r.id} ${r.version}`))
      .map((r) => ({
        id: r.id,
        version: r.version,
        partnership: r.partnership,
        item: r.item_id,
        decision: r.decision_id,
        file: r.file,
        fileSha256: r.file_sha256,
        adoptedAt: isoInstant(r.adopted_at),
      }));
  });
}
