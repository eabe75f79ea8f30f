// Writes what a batch of commands changed: journal entries, the rows their events create, and the net
// difference between the blocks in memory and in the database. Multi-row statements keep a batch of
// many commands to a handful of round trips.
import { sql, type Transaction } from 'kysely';
import { canonicalJson, type Json } from '../core/shared/canonical-json.ts';
import type { LedgerState } from '../core/ledger/state.ts';
import type { Block } from '../core/ledger/types.ts';
import {
  actionRows,
  takeCovered,
  writeActions,
  writeArticle6Rows,
  writesOnlyBlocksAndActions,
  type EventWrite,
} from './article6-persist.ts';
import { itmoColumns, sameItmo } from './article6-rows.ts';
import { applyAggregates, HoldingDeltas, movementRow } from './aggregate-rows.ts';
import type { LedgerLoader } from './ledger-loader.ts';
import type { Schema } from './schema.ts';
import { addToOutbox, type OutboxMessage } from './write-store.ts';

export interface PendingWrites {
  journal: Schema['journal'][];
  idempotency: Schema['idempotency'][];
  /** Each entry's event with the Article 6.2 actions derived from it. */
  events: EventWrite[];
  /** Messages that leave through the outbox when these writes commit, with the time they carry. */
  outbox: { readonly message: OutboxMessage; readonly at: string }[];
}

export function emptyWrites(): PendingWrites {
  return { journal: [], idempotency: [], events: [], outbox: [] };
}

/** JSON for the database, bigints as decimal strings (jsonb_to_recordset reads them into int8). */
function jsonText(value: unknown): string {
  return canonicalJson(value as Json);
}

export interface ChainHead {
  readonly chain: string;
  readonly seq: bigint;
  readonly hash: string;
}

/**
 * Writes everything pending; with `head`, also moves the chain head. When the batch only moved,
 * issued or authorised credits (the common case), everything goes to the database function
 * `jcm_write_batch` (migrations 003 and 015) as one jsonb argument: one round trip with plans cached
 * per connection. Such a batch writes blocks, the covered quantities of existing authorisations,
 * actions and its outbox messages besides its journal entries; the Article 6.2 records take the
 * slow path.
 */
export async function flush(
  trx: Transaction<Schema>,
  state: LedgerState,
  loader: LedgerLoader,
  writes: PendingWrites,
  head?: ChainHead,
): Promise<void> {
  const simple =
    state.dirty.registries.size === 0 &&
    state.dirty.accounts.size === 0 &&
    writes.events.every((e) => writesOnlyBlocksAndActions(e.event));
  if (simple && head !== undefined && writes.journal.length > 0) {
    const { deletes, updates, inserts, holdings } = blockChanges(state, loader);
    const { issuances, reversals } = eventRows(writes.events);
    const batch = {
      chain: head.chain,
      head_seq: head.seq,
      head_hash: head.hash,
      journal: writes.journal,
      idempotency: writes.idempotency,
      deletes: deletes.map((b) => ({ project: b.project, serial_first: b.serials.first })),
      updates: updates.map(blockRow),
      inserts: inserts.map(blockRow),
      issuances,
      reversals,
      covered: takeCovered(state),
      actions: actionRows(writes.events),
      // Migration 018: the aggregates, written by jcm_apply_aggregates inside the function.
      holdings,
      movements: movementRows(writes.events),
      // Migration 025: the outbox messages, in the same round trip.
      outbox: writes.outbox.map(({ message, at }) => ({
        topic: message.topic,
        payload: message.payload,
        created_at: at,
      })),
    };
    await sql`SELECT jcm_write_batch(${jsonText(batch)}::jsonb)`.execute(trx);
  } else {
    if (writes.journal.length > 0) await trx.insertInto('journal').values(writes.journal).execute();
    await writeRegistriesAndAccounts(trx, state);
    await writeEventRows(trx, writes.events);
    await writeArticle6Rows(trx, state, writes.events);
    const holdings = await writeBlocks(trx, state, loader);
    await writeActions(trx, writes.events);
    await applyAggregates(trx, holdings, movementRows(writes.events));
    if (writes.idempotency.length > 0)
      await trx.insertInto('idempotency').values(writes.idempotency).execute();
    for (const { message, at } of writes.outbox) await addToOutbox(trx, [message], at);
    if (head !== undefined && head.seq > 0n) {
      await trx
        .updateTable('chains')
        .set({ head_seq: head.seq, head_hash: head.hash })
        .where('id', '=', head.chain)
        .execute();
    }
  }
  writes.journal = [];
  writes.idempotency = [];
  writes.events = [];
  writes.outbox = [];
}

async function writeRegistriesAndAccounts(
  trx: Transaction<Schema>,
  state: LedgerState,
): Promise<void> {
  const registries = [...state.dirty.registries]
    .map((id) => state.registries.get(id))
    .filter((r) => r !== undefined);
  if (registries.length > 0) {
    await trx
      .insertInto('registries')
      .values(
        registries.map((r) => ({
          id: r.id,
          name: r.name,
          kind: r.kind,
          account_sequence: r.accountSequence,
          retirement_account: r.retirementAccount,
          cancellation_account: r.cancellationAccount,
          reserve_account: r.reserveAccount,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({ account_sequence: eb.ref('excluded.account_sequence') })),
      )
      .execute();
  }
  const accounts = [...state.dirty.accounts]
    .map((id) => state.accounts.get(id))
    .filter((a) => a !== undefined);
  if (accounts.length > 0) {
    await trx
      .insertInto('accounts')
      .values(
        accounts.map((a) => ({
          id: a.id,
          registry_id: a.registry,
          type: a.type,
          status: a.status,
          holder_id: a.holderId,
          holder_name: a.holderName,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({ status: eb.ref('excluded.status') })),
      )
      .execute();
  }
  state.dirty.registries.clear();
  state.dirty.accounts.clear();
}

function eventRows(events: PendingWrites['events']): {
  issuances: Schema['issuances'][];
  reversals: Schema['reversals'][];
} {
  const issuances: Schema['issuances'][] = [];
  const reversals: Schema['reversals'][] = [];
  for (const { event, entry } of events) {
    if (event.type === 'credits_issued') {
      issuances.push({
        decision_id: event.decision,
        line_no: event.lineNo,
        registry_id: event.registry,
        chain: entry.chain,
        seq: entry.seq,
      });
    } else if (event.type === 'credits_moved' && event.reverses !== undefined) {
      reversals.push({
        chain: event.reverses.chain,
        reversed_seq: event.reverses.seq,
        reversing_seq: entry.seq,
      });
    }
  }
  return { issuances, reversals };
}

async function writeEventRows(
  trx: Transaction<Schema>,
  events: PendingWrites['events'],
): Promise<void> {
  for (const { event, entry } of events) {
    if (event.type === 'issuance_decision_recorded') {
      const d = event.decision;
      await trx
        .insertInto('decisions')
        .values({
          id: d.id,
          project: d.project,
          partner: d.project.slice(0, 2),
          verification_reference: d.verificationReference,
          serial_first: d.serials.first,
          serial_last: d.serials.last,
          chain: entry.chain,
          seq: entry.seq,
        })
        .execute();
      await trx
        .insertInto('verified_reductions')
        .values(
          d.verifiedReductions.map((r) => ({
            decision_id: d.id,
            vintage: r.vintage,
            quantity: r.quantity,
          })),
        )
        .execute();
      await trx
        .insertInto('decision_lines')
        .values(
          d.lines.map((l) => ({
            decision_id: d.id,
            line_no: l.lineNo,
            registry_id: l.registry,
            account_id: l.account,
            vintage: l.vintage,
            quantity: l.quantity,
            serial_first: l.serials.first,
            serial_last: l.serials.last,
            reserve: l.reserve,
          })),
        )
        .execute();
    }
  }
  const { issuances, reversals } = eventRows(events);
  if (issuances.length > 0) await trx.insertInto('issuances').values(issuances).execute();
  if (reversals.length > 0) await trx.insertInto('reversals').values(reversals).execute();
}

/** Writes the blocks' changes; returns their net change of holdings (migration 018). */
async function writeBlocks(
  trx: Transaction<Schema>,
  state: LedgerState,
  loader: LedgerLoader,
): Promise<ReturnType<HoldingDeltas['rows']>> {
  const { deletes, updates, inserts, holdings } = blockChanges(state, loader);
  await deleteBlocks(trx, deletes);
  if (updates.length > 0) await updateBlocksSql(updates).execute(trx);
  if (inserts.length > 0) await trx.insertInto('blocks').values(inserts.map(blockRow)).execute();
  return holdings;
}

function movementRows(events: PendingWrites['events']): Schema['ledger_movements'][] {
  return events.flatMap((e) => e.movements.map(movementRow));
}

/**
 * One UPDATE for every block whose key stays but whose content changed (a split keeps its first
 * serial; a moved piece that starts the block takes the block's key into the new account).
 */
function updateBlocksSql(updates: readonly Block[]) {
  const rows = updates.map((b) => {
    const i = itmoColumns(b.itmo);
    return sql`(${b.project}::text, ${b.serials.first}::int8, ${b.serials.last}::int8, ${b.vintage}::int4, ${b.registry}::text, ${b.account}::text, ${b.entry.chain}::text, ${b.entry.seq}::int8, ${i.itmo_approach}::text, ${i.itmo_authorisation}::text, ${i.itmo_first_party}::text, ${i.itmo_first_transferred}::boolean)`;
  });
  return sql`UPDATE blocks AS b SET serial_last = v.serial_last, vintage = v.vintage, registry_id = v.registry_id, account_id = v.account_id, entry_chain = v.entry_chain, entry_seq = v.entry_seq,
      itmo_approach = v.itmo_approach, itmo_authorisation = v.itmo_authorisation, itmo_first_party = v.itmo_first_party, itmo_first_transferred = v.itmo_first_transferred
    FROM (VALUES ${sql.join(rows)}) AS v (project, serial_first, serial_last, vintage, registry_id, account_id, entry_chain, entry_seq, itmo_approach, itmo_authorisation, itmo_first_party, itmo_first_transferred)
    WHERE b.project = v.project AND b.serial_first = v.serial_first`;
}

/**
 * The net difference between the blocks in memory and in the database, and the change of holdings
 * it makes; marks them written.
 */
function blockChanges(
  state: LedgerState,
  loader: LedgerLoader,
): {
  deletes: Block[];
  updates: Block[];
  inserts: Block[];
  holdings: ReturnType<HoldingDeltas['rows']>;
} {
  const deletes: Block[] = [];
  const updates: Block[] = [];
  const inserts: Block[] = [];
  const deltas = new HoldingDeltas();
  for (const key of state.dirty.blocks) {
    const before = loader.memory.persistedBlocks.get(key);
    const after = state.blocks.get(key);
    if (before !== undefined) deltas.add(before, -1n);
    if (after !== undefined) deltas.add(after, 1n);
    if (before !== undefined && after !== undefined) {
      if (!sameBlock(before, after)) updates.push(after);
    } else if (before !== undefined) {
      deletes.push(before);
    } else if (after !== undefined) {
      inserts.push(after);
    }
    // A deleted block leaves no entry: "absent" and "no row" mean the same here, and the map stays bounded.
    if (after === undefined) loader.memory.persistedBlocks.delete(key);
    else loader.memory.persistedBlocks.set(key, after);
  }
  state.dirty.blocks.clear();
  return { deletes, updates, inserts, holdings: deltas.rows() };
}

/** Blocks that no longer exist under their key (rare: a movement always keeps a block's first serial). */
async function deleteBlocks(trx: Transaction<Schema>, deletes: readonly Block[]): Promise<void> {
  const byProject = new Map<string, bigint[]>();
  for (const block of deletes)
    byProject.set(block.project, [...(byProject.get(block.project) ?? []), block.serials.first]);
  for (const [project, firsts] of byProject) {
    await trx
      .deleteFrom('blocks')
      .where('project', '=', project)
      .where('serial_first', 'in', firsts)
      .execute();
  }
}

function blockRow(b: Block): Schema['blocks'] {
  return {
    project: b.project,
    serial_first: b.serials.first,
    serial_last: b.serials.last,
    vintage: b.vintage,
    registry_id: b.registry,
    account_id: b.account,
    entry_chain: b.entry.chain,
    entry_seq: b.entry.seq,
    ...itmoColumns(b.itmo),
  };
}

function sameBlock(a: Block, b: Block): boolean {
  return (
    a.serials.last === b.serials.last &&
    a.account === b.account &&
    a.vintage === b.vintage &&
    a.entry.chain === b.entry.chain &&
    a.entry.seq === b.entry.seq &&
    sameItmo(a.itmo, b.itmo)
  );
}
