// Kysely's view of migration 018's tables (issue 15): the history index (ledger_movements) and the
// aggregates maintained with every ledger write; apart from schema.ts so that each file stays within
// its length. Schema extends this interface.
export interface AggregateTables {
  ledger_movements: {
    chain: string;
    seq: bigint;
    n: number;
    registry_id: string;
    kind: string;
    project: string;
    vintage: number;
    serial_first: bigint;
    serial_last: bigint;
    quantity: bigint;
    from_account: string | null;
    to_account: string | null;
    recorded_at: string;
    purpose: string | null;
    beneficiary: string | null;
    note: string | null;
    year_of_use: number | null;
    reason: string | null;
    cancellation_kind: string | null;
    authorisation: string | null;
  };
  account_holdings: {
    account_id: string;
    project: string;
    vintage: number;
    quantity: bigint;
    blocks: bigint;
  };
  registry_totals: {
    registry_id: string;
    account_type: string;
    project: string;
    vintage: number;
    quantity: bigint;
    blocks: bigint;
  };
  movement_totals: {
    registry_id: string;
    year: number;
    kind: string;
    entries: bigint;
    quantity: bigint;
  };
  /** The synthetic demo's share of movement_totals (migration 022). */
  movement_totals_synthetic: {
    registry_id: string;
    year: number;
    kind: string;
    entries: bigint;
    quantity: bigint;
  };
}
