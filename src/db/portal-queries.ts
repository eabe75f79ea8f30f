// What the public transparency portal shows: partnerships, projects with filters, one project with
// its timeline and credits, decisions, registry statistics, progress towards Japan's goals, and the
// historical financed projects. Read-only; every figure comes from the cycle tables or the ledger.
import { sql } from 'kysely';
import type { Db } from './connect.ts';
import type { ProjectData } from '../core/cycle/project-data.ts';
import type { Synthetic } from '../core/cycle/synthetic.ts';

export type { Synthetic };

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
  /** Synthetic demo data: one of its participants is a synthetic organisation. */
  readonly synthetic: boolean;
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
    const [rows, synthetic] = await Promise.all([
      this.db.read((k) =>
        k
          .selectFrom('cycle_items')
          .select(['id', 'reference', 'partnership', 'state', 'data'])
          .where('machine', '=', 'project')
          .orderBy('id')
          .execute(),
      ),
      this.synthetic(),
    ]);
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
          synthetic: synthetic.items.has(r.id),
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

  /** Credits of a project (by its reference) per vintage, registry and account type (registry_totals). */
  credits(reference: string) {
    return this.db.read((k) =>
      k
        .selectFrom('registry_totals')
        .select(['vintage', 'registry_id as registry', 'account_type as accountType'])
        .select(sql<bigint>`sum(quantity)::int8`.as('quantity'))
        .where('project', '=', reference)
        .groupBy(['vintage', 'registry_id', 'account_type'])
        .orderBy('vintage')
        .orderBy('registry_id')
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

  /**
   * Joint Committee decisions, each saying whether it is about synthetic demo data, what kind of item
   * it is about and the project that item belongs to (null for idea notes and methodologies).
   */
  async decisions() {
    const [rows, synthetic, items] = await Promise.all([
      this.db.read((k) =>
        k
          .selectFrom('cycle_items')
          .select(['id', 'partnership', 'state', 'data', 'updated_at'])
          .where('machine', '=', 'decision')
          .orderBy('id')
          .execute(),
      ),
      this.synthetic(),
      this.db.read((k) =>
        k.selectFrom('cycle_items').select(['id', 'machine', 'parent_id']).execute(),
      ),
    ]);
    const byId = new Map(items.map((i) => [i.id, i]));
    const projectOf = (id: string | undefined): string | null => {
      const item = id === undefined ? undefined : byId.get(id);
      if (item === undefined) return null;
      if (item.machine === 'project') return item.id;
      return item.parent_id === null ? null : projectOf(item.parent_id);
    };
    return rows.map((r) => {
      const subject = (r.data as { subject?: { item?: string } }).subject?.item;
      return {
        ...r,
        synthetic: synthetic.items.has(r.id),
        subjectMachine: subject === undefined ? null : (byId.get(subject)?.machine ?? null),
        subjectProject: projectOf(subject),
      };
    });
  }

  /**
   * Which cycle items and project references are synthetic demo data: the items flagged when the
   * cycle wrote them (migration 022, src/db/synthetic-flags.ts), read through a partial index that
   * holds only them, so the cost follows the demo's size, not the registry's history. The flag
   * follows the organisations flagged synthetic: a project or idea note is synthetic when one of its
   * participants is, a methodology proposal when one of its proposers is, a monitoring period or
   * issuance request when its project is, and a decision when the item it is about is.
   */
  async synthetic(): Promise<Synthetic> {
    const rows = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select(['id', 'machine', 'reference'])
        .where('synthetic', '=', true)
        .execute(),
    );
    return {
      items: new Set(rows.map((r) => r.id)),
      references: new Set(
        rows.flatMap((r) => (r.machine === 'project' && r.reference !== null ? [r.reference] : [])),
      ),
    };
  }

  /**
   * Credits in the registries by registry and account type, and by vintage, in two parts: the
   * credits of real projects, which the headlines count, and those of synthetic demo projects,
   * which are shown only under their label.
   */
  async statistics(): Promise<{ real: CreditFigures; synthetic: CreditFigures }> {
    const [rows, synthetic] = await Promise.all([
      this.db.read((k) =>
        // Migration 018's registry_totals, kept with every ledger write: no scan of all blocks.
        k
          .selectFrom('registry_totals')
          .select([
            'project',
            'vintage',
            'registry_id as registry',
            'account_type as accountType',
            'quantity',
          ])
          .execute(),
      ),
      this.synthetic(),
    ]);
    const part = (isSynthetic: boolean) =>
      creditFigures(
        rows
          .filter((r) => synthetic.references.has(r.project) === isSynthetic)
          .map((r) => ({ ...r, quantity: BigInt(r.quantity) })),
      );
    return { real: part(false), synthetic: part(true) };
  }

  historicalProjects() {
    return this.db.read((k) =>
      k.selectFrom('ref_financed_projects_2019').selectAll().orderBy('no').execute(),
    );
  }
}

/** Issued, retired and cancelled credits, issued into Japan's registry, and the breakdowns. */
export interface CreditFigures {
  /** Credits issued in all registries (held, retired, cancelled or reserved: every block). */
  readonly issued: bigint;
  /** The part issued into Japan's registry. */
  readonly issuedInJapan: bigint;
  readonly retired: bigint;
  readonly cancelled: bigint;
  readonly byAccountType: readonly {
    readonly registry: string;
    readonly accountType: string;
    readonly quantity: bigint;
  }[];
  readonly byVintage: readonly { readonly vintage: number; readonly quantity: bigint }[];
}

interface CreditRow {
  readonly vintage: number;
  readonly registry: string;
  readonly accountType: string;
  readonly quantity: bigint;
}

/** Sums grouped rows into the figures the portal shows (transfers stay within a registry). */
export function creditFigures(rows: readonly CreditRow[]): CreditFigures {
  const sum = (of: readonly CreditRow[]) => of.reduce((total, r) => total + r.quantity, 0n);
  const grouped = <K extends string | number>(key: (r: CreditRow) => K) => {
    const totals = new Map<K, bigint>();
    for (const r of rows) totals.set(key(r), (totals.get(key(r)) ?? 0n) + r.quantity);
    return [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  };
  return {
    issued: sum(rows),
    issuedInJapan: sum(rows.filter((r) => r.registry === 'JP')),
    retired: sum(rows.filter((r) => r.accountType === 'retirement')),
    cancelled: sum(rows.filter((r) => r.accountType === 'cancellation')),
    byAccountType: grouped((r) => `${r.registry}\u0000${r.accountType}`).map(([k, quantity]) => {
      const [registry = '', accountType = ''] = k.split('\u0000');
      return { registry, accountType, quantity };
    }),
    byVintage: grouped((r) => r.vintage).map(([vintage, quantity]) => ({ vintage, quantity })),
  };
}
