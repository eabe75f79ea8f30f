// The reports Japan's registry publishes, read from the aggregates of migration 018 (maintained in
// the ledger's own transaction, recounted by the audit), never from a scan of the blocks:
// holdings per entity account (account_holdings), amount per account type (registry_totals) and
// the annual transaction summary (movement_totals). The synthetic demo's share of the annual summary
// is kept apart in movement_totals_synthetic (migration 022), so that the service can take it out.
import { sql, type Kysely } from 'kysely';
import type { RegistryId } from '../core/shared/ids.ts';
import { pageOf, type KeyPart, type Page } from '../core/shared/page.ts';
import type { Db } from './connect.ts';
import type { Schema } from './schema.ts';

type K = Kysely<Schema>;
const withAggregates = (k: Kysely<Schema>): K => k;

export interface HoldingRow {
  readonly account: string;
  readonly holder: string;
  readonly accountType: string;
  readonly status: string;
  readonly project: string;
  readonly vintage: number;
  readonly quantity: bigint;
  readonly blocks: bigint;
}

export interface AccountTypeRow {
  readonly registry: string;
  readonly accountType: string;
  readonly project: string;
  readonly quantity: bigint;
  readonly blocks: bigint;
}

export interface AnnualRow {
  readonly registry: string;
  readonly year: number;
  readonly kind: string;
  readonly entries: bigint;
  readonly quantity: bigint;
}

export const holdingKey = ['text', 'text', 'int4'] as const;

export class RegistryReportQueries {
  constructor(private readonly db: Db) {}

  async registryExists(id: RegistryId): Promise<boolean> {
    const row = await this.db.read((k) =>
      k.selectFrom('registries').select('id').where('id', '=', id).executeTakeFirst(),
    );
    return row !== undefined;
  }

  /** Holdings per account of a registry, by account, project and vintage (the key's order). */
  holdings(
    registry: RegistryId,
    after: readonly KeyPart[] | null,
    limit: number,
  ): Promise<Page<HoldingRow>> {
    return this.db.read(async (raw) => {
      let q = withAggregates(raw)
        .selectFrom('account_holdings as h')
        .innerJoin('accounts as a', 'a.id', 'h.account_id')
        .select([
          'h.account_id',
          'a.holder_name',
          'a.type',
          'a.status',
          'h.project',
          'h.vintage',
          'h.quantity',
          'h.blocks',
        ])
        .where('a.registry_id', '=', registry);
      if (after !== null)
        q = q.where(
          sql<boolean>`(h.account_id, h.project, h.vintage) > (${after[0] as string}, ${after[1] as string}, ${Number(after[2])}::int4)`,
        );
      const rows = await q
        .orderBy('h.account_id')
        .orderBy('h.project')
        .orderBy('h.vintage')
        .limit(limit + 1)
        .execute();
      const items = rows.map((r) => ({
        account: r.account_id,
        holder: r.holder_name,
        accountType: r.type,
        status: r.status,
        project: r.project,
        vintage: r.vintage,
        quantity: BigInt(r.quantity),
        blocks: BigInt(r.blocks),
      }));
      return pageOf(items, limit, (h) => [h.account, h.project, BigInt(h.vintage)]);
    });
  }

  /** Credits per registry, account type and project (the project tells the demo's part apart). */
  accountTypes(registry: RegistryId | null): Promise<AccountTypeRow[]> {
    return this.db.read(async (raw) => {
      let q = withAggregates(raw)
        .selectFrom('registry_totals')
        .select(['registry_id', 'account_type', 'project'])
        .select(sql<bigint>`sum(quantity)::int8`.as('quantity'))
        .select(sql<bigint>`sum(blocks)::int8`.as('blocks'))
        .groupBy(['registry_id', 'account_type', 'project']);
      if (registry !== null) q = q.where('registry_id', '=', registry);
      const rows = await q
        .orderBy('registry_id')
        .orderBy('account_type')
        .orderBy('project')
        .execute();
      return rows
        .filter((r) => BigInt(r.quantity) !== 0n)
        .map((r) => ({
          registry: r.registry_id,
          accountType: r.account_type,
          project: r.project,
          quantity: BigInt(r.quantity),
          blocks: BigInt(r.blocks),
        }));
    });
  }

  /** Entries and credits per registry, year and kind of movement. */
  annual(registry: RegistryId | null): Promise<AnnualRow[]> {
    return this.db.read(async (raw) => {
      let q = withAggregates(raw)
        .selectFrom('movement_totals')
        .select(['registry_id', 'year', 'kind', 'entries', 'quantity']);
      if (registry !== null) q = q.where('registry_id', '=', registry);
      const rows = await q.orderBy('registry_id').orderBy('year').orderBy('kind').execute();
      return rows.map(annualRow);
    });
  }

  /**
   * The synthetic demo's share of the same figures (migration 022's movement_totals_synthetic, kept
   * with every movement): its credits, and the entries that moved nothing but its credits.
   */
  annualSynthetic(registry: RegistryId | null): Promise<AnnualRow[]> {
    return this.db.read(async (raw) => {
      let q = withAggregates(raw)
        .selectFrom('movement_totals_synthetic')
        .select(['registry_id', 'year', 'kind', 'entries', 'quantity']);
      if (registry !== null) q = q.where('registry_id', '=', registry);
      const rows = await q.orderBy('registry_id').orderBy('year').orderBy('kind').execute();
      return rows.map(annualRow);
    });
  }
}

function annualRow(r: {
  registry_id: string;
  year: number;
  kind: string;
  entries: bigint;
  quantity: bigint;
}): AnnualRow {
  return {
    registry: r.registry_id,
    year: Number(r.year),
    kind: r.kind,
    entries: BigInt(r.entries),
    quantity: BigInt(r.quantity),
  };
}
