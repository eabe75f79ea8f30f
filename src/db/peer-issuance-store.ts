// Issuance between deployments in the database (migration 027, issue 16): which registries peers
// host, the decisions recorded here on a peer's notification, the confirmations peers sent of what
// they issued, and the journal entries a committed batch wrote (read by the message producer).
import type { Selectable } from 'kysely';
import { readEnvelope, type JournalEnvelope } from '../core/ledger/journal.ts';
import type { LineConfirmation } from '../core/federation/issuance.ts';
import type { AllocationLine } from '../core/ledger/types.ts';
import type { Db, Tx } from './connect.ts';
import { allocationLineFromRow } from './ledger-rows.ts';
import type { Schema } from './schema.ts';

/** Makes `federation_hosted_elsewhere` say what JCM_FEDERATION says (nothing, all-in-one). */
export async function syncHostedElsewhere(
  db: Db,
  rows: readonly { readonly registry: string; readonly deployment: string }[],
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.deleteFrom('federation_hosted_elsewhere').execute();
    if (rows.length > 0)
      await trx
        .insertInto('federation_hosted_elsewhere')
        .values(rows.map((r) => ({ registry_id: r.registry, deployment: r.deployment })))
        .execute();
  });
}

export async function recordPeerDecision(
  tx: Tx,
  decision: string,
  sender: string,
  now: string,
): Promise<void> {
  await tx
    .insertInto('peer_decisions')
    .values({ decision_id: decision, sender, received_at: now })
    .execute();
}

/** The peer that notified a decision recorded here, or undefined when it was decided here. */
export async function peerDecisionSender(
  tx: Pick<Tx, 'selectFrom'>,
  decision: string,
): Promise<string | undefined> {
  const row = await tx
    .selectFrom('peer_decisions')
    .select('sender')
    .where('decision_id', '=', decision)
    .executeTakeFirst();
  return row?.sender;
}

/** A decision's allocation lines as stored here, by line number. */
export async function decisionLines(tx: Tx, decision: string): Promise<AllocationLine[]> {
  const rows = await tx
    .selectFrom('decision_lines')
    .selectAll()
    .where('decision_id', '=', decision)
    .orderBy('line_no')
    .execute();
  return rows.map(allocationLineFromRow);
}

/** A peer's confirmation of a line it issued, as received (core/federation/issuance.ts). */
export type Confirmation = LineConfirmation;

export async function confirmationOf(
  tx: Tx,
  decision: string,
  lineNo: number,
): Promise<Confirmation | undefined> {
  const r = await tx
    .selectFrom('issuance_confirmations')
    .selectAll()
    .where('decision_id', '=', decision)
    .where('line_no', '=', lineNo)
    .executeTakeFirst();
  return r === undefined ? undefined : confirmationFromRow(r);
}

export async function recordConfirmation(tx: Tx, c: Confirmation, now: string): Promise<void> {
  await tx
    .insertInto('issuance_confirmations')
    .values({
      decision_id: c.decision,
      line_no: c.lineNo,
      registry_id: c.registry,
      sender: c.sender,
      serial_first: c.first,
      serial_last: c.last,
      entry_chain: c.entry.chain,
      entry_seq: c.entry.seq,
      entry_hash: c.entry.hash,
      received_at: now,
    })
    .execute();
}

/** The confirmations received, by decision and line (for the operators and the tests). */
export async function confirmations(db: Db): Promise<Confirmation[]> {
  const rows = await db.read((k) =>
    k
      .selectFrom('issuance_confirmations')
      .selectAll()
      .orderBy('decision_id')
      .orderBy('line_no')
      .execute(),
  );
  return rows.map(confirmationFromRow);
}

function confirmationFromRow(r: Selectable<Schema['issuance_confirmations']>): Confirmation {
  return {
    decision: r.decision_id,
    lineNo: r.line_no,
    registry: r.registry_id,
    sender: r.sender,
    first: r.serial_first,
    last: r.serial_last,
    entry: { chain: r.entry_chain, seq: r.entry_seq, hash: r.entry_hash },
  };
}

/** An account opened in a registry a peer hosts, as the peer stated it. */
export interface PeerAccount {
  readonly id: string;
  readonly registry: string;
  readonly type: string;
  readonly holder: string;
}

/** The peer accounts of these ids (the ones this deployment does not keep). */
export async function peerAccounts(
  tx: Pick<Tx, 'selectFrom'>,
  ids: readonly string[],
): Promise<(PeerAccount & { readonly sender: string })[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .selectFrom('peer_accounts')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    registry: r.registry_id,
    type: r.type,
    holder: r.holder_id,
    sender: r.sender,
  }));
}

/** Records a peer's account; false when it was recorded already (the caller compares). */
export async function recordPeerAccount(
  tx: Tx,
  sender: string,
  a: PeerAccount,
  now: string,
): Promise<boolean> {
  const inserted = await tx
    .insertInto('peer_accounts')
    .values({
      id: a.id,
      registry_id: a.registry,
      type: a.type,
      holder_id: a.holder,
      sender,
      received_at: now,
    })
    .onConflict((c) => c.doNothing())
    .executeTakeFirst();
  return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** This deployment's accounts of `registries`, by id after `after`, `limit` at a time. */
export async function hostedAccounts(
  tx: Pick<Tx, 'selectFrom'>,
  registries: readonly string[],
  after: string,
  limit: number,
): Promise<PeerAccount[]> {
  if (registries.length === 0) return [];
  const rows = await tx
    .selectFrom('accounts')
    .select(['id', 'registry_id', 'type', 'holder_id'])
    .where('registry_id', 'in', [...registries])
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    registry: r.registry_id,
    type: r.type,
    holder: r.holder_id,
  }));
}

/** Entries `first`..`last` of a chain, with their hashes, in order. */
export async function journalRange(
  tx: Tx,
  chain: string,
  first: bigint,
  last: bigint,
): Promise<{ envelope: JournalEnvelope; hash: string }[]> {
  const rows = await tx
    .selectFrom('journal')
    .select(['entry', 'hash'])
    .where('chain', '=', chain)
    .where('seq', '>=', first)
    .where('seq', '<=', last)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ envelope: readEnvelope(r.entry), hash: r.hash }));
}
