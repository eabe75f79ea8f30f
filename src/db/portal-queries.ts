// What the public transparency portal shows: partnerships, projects with filters, one project with
// its timeline and credits, decisions, registry statistics, progress towards Japan's goals, and the
// historical financed projects. Read-only; every figure comes from the cycle tables or the ledger.
import { sql } from 'kysely';
import type { Db } from './connect.ts';
import type { ProjectData } from '../core/cycle/project-data.ts';

export interface ProjectFilter {
  readonly country?: string | undefined;
  readonly sector?: number | undefined;
  readonly programme?: string | undefined;
  readonly status?: string | undefined;
}

export interface ProjectSummary {
  readonly id: string;
  readonly reference: string | null;
  readonly partnership: string;
  readonly state: string;
  readonly title: string;
  readonly programme: string;
  readonly sectoralScopes: readonly number[];
  readonly methodology: string;
  readonly expectedPerYear: string;
  readonly latitude: number;
  readonly longitude: number;
}

export class PortalQueries {
  constructor(private readonly db: Db) {}

  partnerships() {
    return this.db.read((k) =>
      k
        .selectFrom('ref_partner_countries')
        .selectAll()
        .orderBy('signed_on')
        .orderBy('name')
        .execute(),
    );
  }

  async projects(filter: ProjectFilter = {}): Promise<ProjectSummary[]> {
    const rows = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select(['id', 'reference', 'partnership', 'state', 'data'])
        .where('machine', '=', 'project')
        .orderBy('id')
        .execute(),
    );
    return rows
      .map((r) => {
        const p = (r.data as { project: ProjectData }).project;
        return {
          id: r.id,
          reference: r.reference,
          partnership: r.partnership,
          state: r.state,
          title: p.title,
          programme: p.programme,
          sectoralScopes: p.sectoralScopes,
          methodology: `${p.methodology.id} v${p.methodology.version}`,
          expectedPerYear: p.expectedReductionsPerYear,
          latitude: p.latitude,
          longitude: p.longitude,
        };
      })
      .filter(
        (p) =>
          (filter.country === undefined || p.partnership === filter.country) &&
          (filter.sector === undefined || p.sectoralScopes.includes(filter.sector)) &&
          (filter.programme === undefined || p.programme === filter.programme) &&
          (filter.status === undefined || p.state === filter.status),
      );
  }

  /** Credits of a project (by its reference) per vintage, registry and account type. */
  credits(reference: string) {
    return this.db.read((k) =>
      k
        .selectFrom('blocks')
        .innerJoin('accounts', 'accounts.id', 'blocks.account_id')
        .select([
          'blocks.vintage',
          'blocks.registry_id as registry',
          'accounts.type as accountType',
        ])
        .select(sql<bigint>`sum(blocks.serial_last - blocks.serial_first + 1)::int8`.as('quantity'))
        .where('blocks.project', '=', reference)
        .groupBy(['blocks.vintage', 'blocks.registry_id', 'accounts.type'])
        .orderBy('blocks.vintage')
        .orderBy('blocks.registry_id')
        .execute(),
    );
  }

  /** Verified reductions per vintage of a project's monitoring periods (what the JC may issue). */
  async verified(projectItem: string) {
    const rows = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select(['id', 'state', 'data'])
        .where('parent_id', '=', projectItem)
        .where('machine', '=', 'monitoring')
        .execute(),
    );
    const byVintage = new Map<number, bigint>();
    for (const r of rows) {
      for (const [vintage, quantity] of Object.entries(
        (r.data as { verified?: Record<string, string> }).verified ?? {},
      )) {
        byVintage.set(Number(vintage), (byVintage.get(Number(vintage)) ?? 0n) + BigInt(quantity));
      }
    }
    return [...byVintage]
      .sort(([a], [b]) => a - b)
      .map(([vintage, quantity]) => ({ vintage, quantity }));
  }

  decisions() {
    return this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select(['id', 'partnership', 'state', 'data', 'updated_at'])
        .where('machine', '=', 'decision')
        .orderBy('id')
        .execute(),
    );
  }

  /** Credits in the registries by registry and account type, and by vintage. */
  async statistics() {
    const [byAccountType, byVintage] = await Promise.all([
      this.db.read((k) =>
        k
          .selectFrom('blocks')
          .innerJoin('accounts', 'accounts.id', 'blocks.account_id')
          .select(['blocks.registry_id as registry', 'accounts.type as accountType'])
          .select(
            sql<bigint>`sum(blocks.serial_last - blocks.serial_first + 1)::int8`.as('quantity'),
          )
          .groupBy(['blocks.registry_id', 'accounts.type'])
          .orderBy('blocks.registry_id')
          .orderBy('accounts.type')
          .execute(),
      ),
      this.db.read((k) =>
        k
          .selectFrom('blocks')
          .select(['vintage'])
          .select(sql<bigint>`sum(serial_last - serial_first + 1)::int8`.as('quantity'))
          .groupBy('vintage')
          .orderBy('vintage')
          .execute(),
      ),
    ]);
    const issued = byAccountType.reduce((sum, r) => sum + BigInt(r.quantity), 0n);
    const retired = byAccountType
      .filter((r) => r.accountType === 'retirement')
      .reduce((sum, r) => sum + BigInt(r.quantity), 0n);
    const cancelled = byAccountType
      .filter((r) => r.accountType === 'cancellation')
      .reduce((sum, r) => sum + BigInt(r.quantity), 0n);
    return { issued, retired, cancelled, byAccountType, byVintage };
  }

  historicalProjects() {
    return this.db.read((k) =>
      k.selectFrom('ref_financed_projects_2019').selectAll().orderBy('no').execute(),
    );
  }
}
