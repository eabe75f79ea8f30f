// jcm_write_batch finds each block it deletes or updates by a plan that stays bounded whatever the
// statistics say (issue 15, point 7).
//
// PL/pgSQL caches a statement's plan and may keep a generic one, made without the parameters'
// values. A session that planned migration 018's function while `blocks` had no statistics (a new
// database, one restored or not yet analysed) was seen, with auto_explain, to find the block to
// update through the exclusion constraint's GiST index on `project` alone and to filter every block
// of the project by serial: 253 buffers and 0.29 ms for one row at 1,700 blocks, growing with the
// registry. Naming the block's first serial as a point of its range too (`serials @> serial_first`,
// always true of the row sought) makes the GiST index, if chosen, look up that one point; the
// primary key serves the same predicate. Forcing custom plans instead was measured with perf to
// spend 30% of the writer's database time planning (the setting reaches the triggers' and foreign
// keys' queries too).
import { sql, type Kysely } from 'kysely';
import { writeBatch as writeBatch018 } from './018-registry-aggregates.ts';
import { replaceOnce as replaceIn } from './replace-once.ts';

const replaceOnce = (text: string, from: string, to: string) => replaceIn(text, from, to, '021');

const deleteKey =
  'DELETE FROM blocks WHERE project = rec.project AND serial_first = rec.serial_first;';
const updateKey = 'WHERE project = rec.project AND serial_first = rec.serial_first;';
const pointToo = 'AND serials @> rec.serial_first;';

export const writeBatch = replaceOnce(
  replaceOnce(writeBatch018, deleteKey, deleteKey.replace(/;$/, ` ${pointToo}`)),
  `         ${updateKey}`,
  `         ${updateKey.replace(/;$/, ` ${pointToo}`)}`,
);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(writeBatch).execute(db);
}
