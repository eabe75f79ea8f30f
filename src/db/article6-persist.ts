// Writes what a batch's Article 6.2 events and actions add to the tables of migration 015: approach
// and authorisation versions, confirmations, finalised periods, the credits each authorisation covers
// (from the keys `apply` marked in `dirtyCovered`) and the actions derived from each journal entry.
// ledger-persist.ts calls it on its slow path; its fast path hands the same rows to jcm_write_batch.
import type { Transaction } from 'kysely';
import type { Action } from '../core/article6/types.ts';
import type { LedgerEvent } from '../core/ledger/events.ts';
import type { LedgerMovement } from '../core/ledger/movements.ts';
import type { LedgerState } from '../core/ledger/state.ts';
import type { EntryRef } from '../core/ledger/types.ts';
import { assert } from '../core/shared/assert.ts';
import { actionRow, recordText } from './article6-rows.ts';
import type { Schema } from './schema.ts';

export interface EventWrite {
  readonly event: LedgerEvent;
  readonly entry: EntryRef;
  /** The actions derived from the entry (deriveActions, before `apply`), in order. */
  readonly actions: readonly Action[];
  /** The entry's movements (deriveMovements, migration 018's ledger_movements), in order. */
  readonly movements: readonly LedgerMovement[];
}

/** The events that write no rows of their own beyond blocks, covered quantities and actions. */
export function writesOnlyBlocksAndActions(event: LedgerEvent): boolean {
  return (
    event.type === 'credits_moved' ||
    event.type === 'credits_issued' ||
    event.type === 'units_authorised'
  );
}

export function actionRows(events: readonly EventWrite[]): Schema['article6_actions'][] {
  return events.flatMap(({ entry, actions }) =>
    actions.map((action, index) => {
      assert(
        action.entry.chain === entry.chain && action.entry.seq === entry.seq,
        `an action of entry ${entry.chain} ${entry.seq} names entry ${action.entry.chain} ${action.entry.seq}`,
      );
      return actionRow(action, index + 1);
    }),
  );
}

interface CoveredRow {
  readonly id: string;
  readonly quantity: bigint;
}

/** The covered quantity of every authorisation `apply` marked, and forgets the marks. */
export function takeCovered(state: LedgerState, also: readonly string[] = []): CoveredRow[] {
  const ids = new Set([...state.article6.dirtyCovered, ...also]);
  const rows = [...ids].sort().map((id) => {
    const record = state.article6.authorisations.get(id);
    assert(record !== undefined, `covered quantity of unknown authorisation ${id}`);
    assert(record.covered >= 0n, `authorisation ${id} covers ${record.covered} credits`);
    return { id, quantity: record.covered };
  });
  state.article6.dirtyCovered.clear();
  return rows;
}

/**
 * The slow path's Article 6.2 rows, after the journal and before the blocks: the records first, then
 * the covered quantities (every new authorisation gets its row), then the actions, which the
 * database checks against the finalised periods written just before.
 */
export async function writeArticle6Rows(
  trx: Transaction<Schema>,
  state: LedgerState,
  events: readonly EventWrite[],
): Promise<void> {
  const created: string[] = [];
  for (const { event, entry } of events) {
    const at = { chain: entry.chain, seq: entry.seq };
    switch (event.type) {
      case 'approach_recorded': {
        const a = event.approach;
        await trx
          .insertInto('article6_approaches')
          .values({
            partnership: a.partnership,
            version: a.version,
            id: a.id,
            record: recordText(a),
            ...at,
          })
          .execute();
        break;
      }
      case 'authorisation_recorded': {
        const a = event.authorisation;
        await trx
          .insertInto('article6_authorisations')
          .values({
            id: a.id,
            version: a.version,
            party: a.party,
            registry_id: a.registry,
            record: recordText(a),
            ...at,
          })
          .execute();
        if (a.version === 1) created.push(a.id);
        break;
      }
      case 'authorisation_confirmed':
        await trx
          .insertInto('article6_confirmations')
          .values({ id: event.authorisation, version: event.version, party: event.party, ...at })
          .execute();
        break;
      case 'adjustments_finalised': {
        const f = event.finalisation;
        await trx
          .insertInto('article6_finalisations')
          .values({
            party: f.party,
            first_year: f.firstYear,
            last_year: f.lastYear,
            finalised_on: f.date,
            ...at,
          })
          .execute();
        break;
      }
      default:
        break;
    }
  }
  await writeCovered(trx, takeCovered(state, created));
}

async function writeCovered(trx: Transaction<Schema>, rows: CoveredRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('article6_authorisation_covered')
    .values(rows)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({ quantity: eb.ref('excluded.quantity') })),
    )
    .execute();
}

export async function writeActions(
  trx: Transaction<Schema>,
  events: readonly EventWrite[],
): Promise<void> {
  const rows = actionRows(events);
  // At most 22 parameters a row: 2,000 rows stay under PostgreSQL's 65,535 parameters a statement.
  for (let start = 0; start < rows.length; start += 2000)
    await trx
      .insertInto('article6_actions')
      .values(rows.slice(start, start + 2000))
      .execute();
}
