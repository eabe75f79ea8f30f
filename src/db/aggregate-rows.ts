// The rows a batch adds to the aggregates of migration 018: its movements (ledger_movements, and
// through them movement_totals) and the net change of its blocks per account, project and vintage
// (account_holdings and registry_totals). Both write paths hand them to jcm_apply_aggregates.
import { sql, type Transaction } from 'kysely';
import type { LedgerMovement } from '../core/ledger/movements.ts';
import { rangeSize } from '../core/ledger/serial-range.ts';
import type { Block } from '../core/ledger/types.ts';
import { canonicalJson, type Json } from '../core/shared/canonical-json.ts';
import type { Schema } from './schema.ts';

export function movementRow(m: LedgerMovement): Schema['ledger_movements'] {
  return {
    chain: m.chain,
    seq: m.seq,
    n: m.n,
    registry_id: m.registry,
    kind: m.kind,
    project: m.project,
    vintage: m.vintage,
    serial_first: m.first,
    serial_last: m.last,
    quantity: m.quantity,
    from_account: m.from,
    to_account: m.to,
    recorded_at: m.recordedAt,
    purpose: m.purpose,
    beneficiary: m.beneficiary,
    note: m.note,
    year_of_use: m.yearOfUse,
    reason: m.reason,
    cancellation_kind: m.cancellationKind,
    authorisation: m.authorisation,
  };
}

export interface HoldingDelta {
  readonly account_id: string;
  readonly project: string;
  readonly vintage: number;
  readonly quantity: bigint;
  readonly blocks: bigint;
}

/** Net holdings changes of blocks replaced (`before`) by others (`after`); zero changes left out. */
export class HoldingDeltas {
  readonly #deltas = new Map<string, { row: HoldingDelta; quantity: bigint; blocks: bigint }>();

  add(block: Block, sign: 1n | -1n): void {
    const key = `${block.account}|${block.project}|${block.vintage}`;
    let delta = this.#deltas.get(key);
    if (delta === undefined) {
      const row = { account_id: block.account, project: block.project, vintage: block.vintage };
      delta = { row: { ...row, quantity: 0n, blocks: 0n }, quantity: 0n, blocks: 0n };
      this.#deltas.set(key, delta);
    }
    delta.quantity += sign * rangeSize(block.serials);
    delta.blocks += sign;
  }

  rows(): HoldingDelta[] {
    return [...this.#deltas.values()]
      .filter((d) => d.quantity !== 0n || d.blocks !== 0n)
      .map((d) => ({ ...d.row, quantity: d.quantity, blocks: d.blocks }));
  }
}

/** The aggregates' rows as jsonb_to_recordset reads them (bigints as decimal strings). */
export function aggregateJson(rows: readonly object[]): string {
  return canonicalJson(rows as unknown as Json);
}

/** The slow path's call: the same database function the fast path calls inside jcm_write_batch. */
export async function applyAggregates(
  trx: Transaction<Schema>,
  holdings: readonly HoldingDelta[],
  movements: readonly Schema['ledger_movements'][],
): Promise<void> {
  if (holdings.length === 0 && movements.length === 0) return;
  await sql`SELECT jcm_apply_aggregates(${aggregateJson(holdings)}::jsonb, ${aggregateJson(movements)}::jsonb)`.execute(
    trx,
  );
}
