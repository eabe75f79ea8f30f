// The audit's Article 6.2 side: the replay re-derives every entry's actions and compares them, row by
// row and page by page, with article6_actions; the records the journal's Article 6.2 events project
// into (approaches, authorisation versions, confirmations, finalisations, covered quantities, the ITMO
// columns of blocks) are compared with their tables by audit-replay-compare.ts.
//
// The replay runs chain after chain, but a chain's actions are derived from records that other chains
// wrote (an issuance into Japan's registry under an authorisation recorded in India's). The records
// are few, so they are read first from every chain, in the order they were recorded, and the replay
// of each chain sees exactly those recorded before each of its entries, as its writer did.
import { sql, type Kysely } from 'kysely';
import { deriveActions } from '../core/article6/derive-actions.ts';
import type { Action } from '../core/article6/types.ts';
import { apply } from '../core/ledger/apply.ts';
import type { LedgerEvent } from '../core/ledger/events.ts';
import { readEnvelope } from '../core/ledger/journal.ts';
import type { LedgerState } from '../core/ledger/state.ts';
import { entryKey, type EntryRef } from '../core/ledger/types.ts';
import type { ChainId } from '../core/shared/ids.ts';
import { actionRow, recordText } from './article6-rows.ts';
import type { ViolationLog } from './audit-violations.ts';
import type { Schema } from './schema.ts';

export const recordEventTypes = [
  'approach_recorded',
  'authorisation_recorded',
  'authorisation_confirmed',
  'adjustments_finalised',
] as const;

type RecordEvent = Extract<LedgerEvent, { type: (typeof recordEventTypes)[number] }>;

export function isRecordEvent(event: LedgerEvent): event is RecordEvent {
  return (recordEventTypes as readonly string[]).includes(event.type);
}

interface RecordEntry {
  readonly entry: EntryRef;
  readonly recordedAt: string;
  readonly event: RecordEvent;
}

/** The replayed records as the rows of their tables, in the tables' columns. */
export interface ReplayedRecordRows {
  readonly approaches: unknown[][];
  readonly authorisations: unknown[][];
  readonly confirmations: unknown[][];
  readonly finalisations: unknown[][];
}

export class Article6Replay {
  #next = 0;
  readonly #records: RecordEntry[];
  /** `chain#seq` of every record entry. */
  readonly #keys: Set<string>;
  /** Covered quantities carried from one chain to the next (the records are rebuilt per chain). */
  readonly #covered = new Map<string, bigint>();

  private constructor(records: RecordEntry[]) {
    this.#records = records;
    this.#keys = new Set(records.map((r) => entryKey(r.entry)));
  }

  /** Reads every Article 6.2 record entry of every chain, in the order they were recorded. */
  static async read(k: Kysely<Schema>): Promise<Article6Replay> {
    const rows = await k
      .selectFrom('journal')
      .select(['chain', 'seq', 'recorded_at', 'entry'])
      .where('type', 'in', [...recordEventTypes])
      .orderBy('recorded_at')
      .orderBy('chain')
      .orderBy('seq')
      .execute();
    const records: RecordEntry[] = [];
    for (const row of rows) {
      const event = eventOf(row.entry);
      if (event !== null && isRecordEvent(event))
        records.push({
          entry: { chain: row.chain as ChainId, seq: row.seq },
          recordedAt: row.recorded_at,
          event,
        });
    }
    return new Article6Replay(records);
  }

  /** Whether the replay of a chain leaves this entry to the records' own order. */
  owns(entry: EntryRef): boolean {
    return this.#keys.has(entryKey(entry));
  }

  /** Starts a chain from no records (the covered quantities stay: every chain adds to them). */
  startChain(state: LedgerState): void {
    const a6 = state.article6;
    for (const [id, record] of a6.authorisations) this.#covered.set(id, record.covered);
    a6.approaches.clear();
    a6.authorisations.clear();
    a6.finalisations.length = 0;
    a6.dirtyCovered.clear();
    a6.loaded = true;
    this.#next = 0;
  }

  /**
   * Applies the records recorded before the entry at `recordedAt`: earlier in time, or at the same
   * instant on another chain, or earlier on the same chain.
   */
  before(state: LedgerState, entry: EntryRef, recordedAt: string): void {
    for (;;) {
      const r = this.#records[this.#next];
      if (r === undefined) return;
      const sameChain = r.entry.chain === entry.chain;
      const earlier =
        r.recordedAt < recordedAt ||
        (r.recordedAt === recordedAt && (!sameChain || r.entry.seq < entry.seq));
      if (!earlier) return;
      this.#applyRecord(state, r);
    }
  }

  /** Applies every record not applied yet (the end of a chain, and of the replay). */
  finish(state: LedgerState): void {
    for (let r = this.#records[this.#next]; r !== undefined; r = this.#records[this.#next])
      this.#applyRecord(state, r);
  }

  #applyRecord(state: LedgerState, r: RecordEntry): void {
    this.#next += 1;
    apply(state, r.event, r.entry);
    if (r.event.type === 'authorisation_recorded') {
      const record = state.article6.authorisations.get(r.event.authorisation.id);
      const covered = this.#covered.get(r.event.authorisation.id);
      if (record !== undefined && covered !== undefined) record.covered = covered;
    }
    state.article6.dirtyCovered.clear();
  }

  /** The rows each record table should hold. */
  recordRows(): ReplayedRecordRows {
    const rows: ReplayedRecordRows = {
      approaches: [],
      authorisations: [],
      confirmations: [],
      finalisations: [],
    };
    for (const { entry, event } of this.#records) {
      const at = [entry.chain, entry.seq];
      switch (event.type) {
        case 'approach_recorded': {
          const a = event.approach;
          rows.approaches.push([a.partnership, a.version, a.id, recordText(a), ...at]);
          break;
        }
        case 'authorisation_recorded': {
          const a = event.authorisation;
          rows.authorisations.push([a.id, a.version, a.party, a.registry, recordText(a), ...at]);
          break;
        }
        case 'authorisation_confirmed':
          rows.confirmations.push([event.authorisation, event.version, event.party, ...at]);
          break;
        case 'adjustments_finalised': {
          const f = event.finalisation;
          rows.finalisations.push([f.party, f.firstYear, f.lastYear, f.date, ...at]);
          break;
        }
      }
    }
    return rows;
  }
}

function eventOf(text: string): LedgerEvent | null {
  try {
    const event = readEnvelope(text).event as LedgerEvent | undefined;
    return typeof event === 'object' && event !== null ? event : null;
  } catch {
    return null;
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
