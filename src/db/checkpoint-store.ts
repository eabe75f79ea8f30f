// Signed checkpoints in the database (migration 026, issue 16). A checkpoint is made with its
// registry's chain head locked FOR NO KEY UPDATE: the ledger's writer locks it FOR UPDATE, so no
// batch of that chain commits between reading the head and reading the totals, and the rows a chain
// owns (its registry's blocks, hence its totals) change only through it. Not FOR SHARE: two
// checkpoints of a registry made at once would both read the same last one and commit in either
// order, the later `at` before the earlier; locked alike, the second reads the first.
import type { ChainHead, RegistryTotal } from '../core/federation/checkpoints.ts';
import type { KeyPart, Page } from '../core/shared/page.ts';
import { pageOf } from '../core/shared/page.ts';
import type { Db, Tx } from './connect.ts';
import { keyAfter } from './page-keys.ts';

/** A checkpoint as stored: the signed text and the signature, with the columns a reader needs. */
export interface StoredCheckpoint {
  readonly id: bigint;
  readonly registry: string;
  readonly deployment: string;
  readonly at: string;
  /** The text the signature covers (canonical JSON of the checkpoint). */
  readonly body: string;
  readonly keyId: string;
  readonly publicKey: string;
  readonly signature: string;
}

export interface CheckpointSnapshot {
  /** Whether the registry exists here. */
  readonly registryExists: boolean;
  readonly head: ChainHead | null;
  readonly totals: RegistryTotal[];
  readonly previous: StoredCheckpoint | undefined;
  /** The journal's hash at the previous checkpoint's head now (undefined when that entry is gone). */
  readonly hashAtPrevious: string | undefined;
  /** The journal's hash at the head's number (undefined when there is no such entry). */
  readonly hashAtHead: string | undefined;
}

type Row = {
  id: bigint;
  registry_id: string;
  deployment: string;
  at: string;
  body: string;
  key_id: string;
  public_key: string;
  signature: string;
};

const stored = (r: Row): StoredCheckpoint => ({
  id: r.id,
  registry: r.registry_id,
  deployment: r.deployment,
  at: r.at,
  body: r.body,
  keyId: r.key_id,
  publicKey: r.public_key,
  signature: r.signature,
});

const columns = [
  'id',
  'registry_id',
  'deployment',
  'at',
  'body',
  'key_id',
  'public_key',
  'signature',
] as const;

/** Reads what a registry's next checkpoint is made of, its chain head locked FOR NO KEY UPDATE. */
export async function checkpointSnapshot(tx: Tx, registry: string): Promise<CheckpointSnapshot> {
  const exists = await tx
    .selectFrom('registries')
    .select('id')
    .where('id', '=', registry)
    .executeTakeFirst();
  // A registry's journal chain has the registry's id.
  const head = await tx
    .selectFrom('chains')
    .select(['id', 'head_seq', 'head_hash'])
    .where('id', '=', registry)
    .forNoKeyUpdate()
    .executeTakeFirst();
  const totals = await tx
    .selectFrom('registry_totals')
    .select(['account_type', 'project', 'vintage', 'quantity'])
    .where('registry_id', '=', registry)
    .orderBy('account_type')
    .orderBy('project')
    .orderBy('vintage')
    .execute();
  const previous = await tx
    .selectFrom('checkpoints')
    .select([...columns, 'head_seq'])
    .where('registry_id', '=', registry)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const hashAt = async (seq: bigint | undefined) =>
    seq === undefined
      ? undefined
      : (
          await tx
            .selectFrom('journal')
            .select('hash')
            .where('chain', '=', registry)
            .where('seq', '=', seq)
            .executeTakeFirst()
        )?.hash;
  const hashAtPrevious = await hashAt(previous?.head_seq);
  const hashAtHead = await hashAt(head?.head_seq);
  return {
    registryExists: exists !== undefined,
    head:
      head === undefined || head.head_seq < 1n
        ? null
        : { chain: head.id, seq: head.head_seq, hash: head.head_hash },
    totals: totals.map((t) => ({
      accountType: t.account_type,
      project: t.project,
      vintage: t.vintage,
      quantity: t.quantity,
    })),
    previous: previous === undefined ? undefined : stored(previous),
    hashAtPrevious,
    hashAtHead,
  };
}

export async function insertCheckpoint(
  tx: Tx,
  checkpoint: Omit<StoredCheckpoint, 'id'> & { readonly head: ChainHead },
): Promise<bigint> {
  const row = await tx
    .insertInto('checkpoints')
    .values({
      registry_id: checkpoint.registry,
      deployment: checkpoint.deployment,
      at: checkpoint.at,
      head_seq: checkpoint.head.seq,
      head_hash: checkpoint.head.hash,
      body: checkpoint.body,
      key_id: checkpoint.keyId,
      public_key: checkpoint.publicKey,
      signature: checkpoint.signature,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A registry's checkpoints (or every registry's), oldest first, a page at a time by id. */
export async function checkpointPage(
  db: Db,
  registry: string | undefined,
  after: readonly KeyPart[] | null,
  limit: number,
): Promise<Page<StoredCheckpoint>> {
  const rows = await db.read((k) => {
    let query = k
      .selectFrom('checkpoints')
      .select(columns)
      .where(keyAfter(['id'], after));
    if (registry !== undefined) query = query.where('registry_id', '=', registry);
    return query
      .orderBy('id')
      .limit(limit + 1)
      .execute();
  });
  return pageOf(rows.map(stored), limit, (c) => [c.id]);
}
