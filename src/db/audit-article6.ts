// The audit's Article 6.2 side: the replay re-derives every entry's actions and compares them, row by
// row and page by page, with article6_actions; the records the journal's Article 6.2 events project
// into (approaches, authorisation versions, confirmations, finalisations, covered quantities, the ITMO
// columns of blocks) are compared with their tables by audit-replay-compare.ts.
//
// The replay runs chain after chain, Joint Committee chains first, and an entry's actions are derived
// from the records applied so far. That is what its writer saw: an entry's actions name the version in
// force of an authorisation, whose versions and credits all live on the chain of the authorisation's
// registry (decide-article6.ts, authorise-units.ts), so they replay in their own order; and the
// approach, from a Joint Committee chain replayed before every registry, whose later versions cannot
// change the Parties and registries an action names. A replay by the entries' times across chains
// would follow writers' clocks instead, and a clock a little behind another would break it.
import { sql, type Kysely } from 'kysely';
import { deriveActions } from '../core/article6/derive-actions.ts';
import type { Action } from '../core/article6/types.ts';
import type { LedgerEvent } from '../core/ledger/events.ts';
import type { EntryRef } from '../core/ledger/types.ts';
import { actionRow, recordText } from './article6-rows.ts';
import type { ViolationLog } from './audit-violations.ts';
import type { LedgerState } from '../core/ledger/state.ts';
import type { Schema } from './schema.ts';

/** The replayed records as the rows of their tables, in the tables' columns. */
export interface ReplayedRecordRows {
  readonly approaches: unknown[][];
  readonly authorisations: unknown[][];
  readonly confirmations: unknown[][];
  readonly finalisations: unknown[][];
}

/** Collects the rows the journal's Article 6.2 record events should have written (they are few). */
export class RecordRows implements ReplayedRecordRows {
  readonly approaches: unknown[][] = [];
  readonly authorisations: unknown[][] = [];
  readonly confirmations: unknown[][] = [];
  readonly finalisations: unknown[][] = [];

  add(event: LedgerEvent, entry: EntryRef): void {
    const at = [entry.chain, entry.seq];
    switch (event.type) {
      case 'approach_recorded': {
        const a = event.approach;
        this.approaches.push([a.partnership, a.version, a.id, recordText(a), ...at]);
        break;
      }
      case 'authorisation_recorded': {
        const a = event.authorisation;
        this.authorisations.push([a.id, a.version, a.party, a.registry, recordText(a), ...at]);
        break;
      }
      case 'authorisation_confirmed':
        this.confirmations.push([event.authorisation, event.version, event.party, ...at]);
        break;
      case 'adjustments_finalised': {
        const f = event.finalisation;
        this.finalisations.push([f.party, f.firstYear, f.lastYear, f.date, ...at]);
        break;
      }
      default:
        break;
    }
  }
}

/** The actions replayed for one page of a chain's journal, by entry. */
export class ActionPage {
  readonly #derived = new Map<bigint, readonly Action[]>();

  /** Derives an entry's actions from the state before the event, as the writer did. */
  derive(state: LedgerState, event: LedgerEvent, entry: EntryRef, recordedAt: string): void {
    const actions = deriveActions(state, event, entry, recordedAt);
    if (actions.length > 0) this.#derived.set(entry.seq, actions);
  }

  /**
   * Compares the page's derived actions with the table's rows for the page's entries, column by
   * column, and forgets them.
   */
  async compare(
    k: Kysely<Schema>,
    chain: string,
    seqs: { readonly first: bigint; readonly last: bigint },
    log: ViolationLog,
  ): Promise<void> {
    const stored = await k
      .selectFrom('article6_actions')
      .selectAll()
      .where('chain', '=', chain)
      .where('seq', '>=', seqs.first)
      .where('seq', '<=', seqs.last)
      .orderBy('seq')
      .orderBy('n')
      .execute();
    const expected = new Map<string, Schema['article6_actions']>();
    for (const [seq, actions] of this.#derived)
      actions.forEach((a, index) => expected.set(`${seq}#${index + 1}`, actionRow(a, index + 1)));
    this.#derived.clear();
    for (const row of stored) {
      const key = `${row.seq}#${row.n}`;
      const want = expected.get(key);
      expected.delete(key);
      const at = `chain ${chain} entry ${row.seq} action ${row.n}`;
      if (want === undefined) {
        log.add('article6_actions', {
          invariant: 6,
          message: `${at}: table article6_actions holds an action the replay does not derive`,
        });
        continue;
      }
      const differing = differingColumns(row, want);
      if (differing.length > 0)
        log.add('article6_actions', {
          invariant: 6,
          message: `${at}: ${differing.length === 1 ? 'column' : 'columns'} ${differing.join(', ')} of article6_actions ${differing.length === 1 ? 'differs' : 'differ'} from the replay`,
        });
    }
    for (const key of expected.keys()) {
      const [seq, n] = key.split('#');
      log.add('article6_actions', {
        invariant: 6,
        message: `chain ${chain} entry ${seq} action ${n}: the replay derives an action table article6_actions lacks`,
      });
    }
  }
}

function differingColumns(
  row: Schema['article6_actions'],
  want: Schema['article6_actions'],
): string[] {
  return (Object.keys(want) as (keyof Schema['article6_actions'])[]).filter(
    (column) => String(row[column]) !== String(want[column]),
  );
}

/** Action rows whose journal entry does not exist (the foreign key keeps them out, unless bypassed). */
export function orphanActionsQuery() {
  return sql<{ what: string }>`
    SELECT a.chain || ' ' || lpad(a.seq::text, 19, '0') || ' ' || a.n AS what FROM article6_actions a
    WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.chain = a.chain AND j.seq = a.seq)`;
}
