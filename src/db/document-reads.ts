// The confidential full versions of cycle documents: a document row with what decides who may read
// it (the item's partnership, the TPE of its project, found by walking up to the project), and the
// log of every read (who, in which role, when).
import type { ConfidentialDocument } from '../core/cycle/confidential.ts';
import type { ItemData } from '../core/cycle/items.ts';
import { jsonOf } from './columns.ts';
import type { Tx } from './connect.ts';

export async function confidentialDocument(
  tx: Tx,
  item: string,
  type: string,
  version: number | null,
): Promise<ConfidentialDocument | null> {
  let query = tx
    .selectFrom('cycle_documents')
    .select(['version', 'file_name', 'media_type', 'full_sha256'])
    .where('item_id', '=', item)
    .where('type', '=', type);
  if (version !== null) query = query.where('version', '=', version);
  const row = await query.orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (row === undefined) return null;
  const owner = await tx
    .selectFrom('cycle_items')
    .select(['partnership'])
    .where('id', '=', item)
    .executeTakeFirstOrThrow();
  return {
    item,
    partnership: owner.partnership,
    projectTpe: await projectTpeOf(tx, item),
    type,
    version: row.version,
    fileName: row.file_name,
    mediaType: row.media_type,
    fullSha256: row.full_sha256,
  };
}

/** The TPE the project of an item names: the item's own project data, or its parent's, up the tree. */
async function projectTpeOf(tx: Tx, item: string): Promise<string | null> {
  let id: string | null = item;
  for (let depth = 0; id !== null && depth < 4; depth += 1) {
    const row = await tx
      .selectFrom('cycle_items')
      .select(['parent_id', 'data'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return null;
    const project = (jsonOf(row.data) as ItemData | null)?.project;
    if (project !== undefined) return project.tpe;
    id = row.parent_id;
  }
  return null;
}

export async function logDocumentRead(
  tx: Tx,
  read: { item: string; fullSha256: string; actor: string; role: string; at: string },
): Promise<void> {
  await tx
    .insertInto('document_reads')
    .values({
      item_id: read.item,
      full_sha256: read.fullSha256,
      actor: read.actor,
      role: read.role,
      at: read.at,
    })
    .execute();
}
