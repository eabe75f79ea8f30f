// jcm_write_batch also writes the batch's outbox message (issue 15, point 7). The writer wrote it
// with a statement of its own after the function, one more round trip per batch while the chain
// head is locked; now it travels in the function's argument as `outbox` (absent or empty from a
// writer that still sends it apart).
import { sql, type Kysely } from 'kysely';
import { writeBatch as writeBatch021 } from './021-write-plans.ts';
import { replaceOnce } from './replace-once.ts';

const headUpdate = '     UPDATE chains SET head_seq';

const outboxInsert = `     INSERT INTO outbox (topic, payload, created_at, published_at)
       SELECT x.topic, x.payload, x.created_at, NULL
       FROM jsonb_to_recordset(coalesce(batch -> 'outbox', '[]')) AS x (topic text, payload jsonb, created_at timestamptz);
`;

export const writeBatch = replaceOnce(writeBatch021, headUpdate, outboxInsert + headUpdate, '025');

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(writeBatch).execute(db);
}
