// What the public transparency portal shows: partnerships, projects with filters (a page at a
// time), one project with its timeline and credits, decisions (a page at a time,
// portal-decisions.ts), registry statistics, progress towards Japan's goals, and the historical
// financed projects. Read-only; every figure comes from the cycle tables or the ledger.
import { sql, type Selectable } from 'kysely';
import type { Db } from './connect.ts';
import type { ProjectData } from '../core/cycle/project-data.ts';
import {
  afterKey,
  mapPage,
  pageLimit,
  pageOf,
  type Page,
  type PageRequest,
} from '../core/shared/page.ts';
import { ok, type Result } from '../core/shared/result.ts';
import { keyAfter } from './page-keys.ts';
import {
  decisionsAbout,
  decisionsPage,
  type DecisionPageRequest,
  type StoredDecision,
} from './portal-decisions.ts';
import type { Schema } from './schema.ts';

export type { DecisionPageRequest };

/**
 * A Joint Committee decision as the portal shows it: what it is about, and whether it is the
 * demo's.
 */
export type DecisionSummary = StoredDecision;

/** The projects of the cycle counted: real ones (and of them registered) and the demo's. */
export interface ProjectCounts {
  readonly real: number;
  readonly registered: number;
  readonly synthetic: number;
}

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
  /**
   * Synthetic demo data: one of its participants is a synthetic organisation (the flag the cycle
   * stores with the item, migration 022).
   */
  readonly synthetic: boolean;
}

/** A project's columns as the portal lists it. */
const projectColumns = ['id', 'reference', 'partnership', 'state', 'data', 'synthetic'] as const;

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

  /**
   * Projects by id, a page at a time, with the filters applied in SQL before the page is cut: the
   * partner country, a sectoral scope among the project's, the programme and the state.
   */
  async projects(
    filter: ProjectFilter = {},
    request: PageRequest = {},
  ): Promise<Result<Page<ProjectSummary>>> {
    const after = afterKey(request, ['text']);
    if (!after.ok) return after;
    const limit = pageLimit(request);
    const rows = await this.db.read((k) => {
      let q = k
        .selectFrom('cycle_items')
        .select(projectColumns)
        .where('machine', '=', 'project')
        .where(keyAfter(['id'], after.value))
        .orderBy('id')
        .limit(limit + 1);
      if (filter.country !== undefined) q = q.where('partnership', '=', filter.country);
      if (filter.status !== undefined) q = q.where('state', '=', filter.status);
      if (filter.programme !== undefined)
        q = q.where(sql<string>`data -> 'project' ->> 'programme'`, '=', filter.programme);
      if (filter.sector !== undefined)
        q = q.where(
          sql<boolean>`data -> 'project' -> 'sectoralScopes' @> ${JSON.stringify([filter.sector])}::jsonb`,
        );
      return q.execute();
    });
    return ok(
      mapPage(
        pageOf(rows, limit, (r) => [r.id]),
        projectSummary,
      ),
    );
  }

  /** The projects with these references (an authorisation's), in no particular order. */
  async projectsByReference(references: readonly string[]): Promise<ProjectSummary[]> {
    if (references.length === 0) return [];
    const rows = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select(projectColumns)
        .where('machine', '=', 'project')
        .where('reference', 'in', [...references])
        .execute(),
    );
    return rows.map(projectSummary);
  }

  /** How many projects the cycle holds: real ones, of them registered, and the demo's. */
  async projectCounts(): Promise<ProjectCounts> {
    // The flag stored with every cycle write (migration 022).
    const rows = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select(['state', 'synthetic'])
        .select(sql<bigint>`count(*)::int8`.as('count'))
        .where('machine', '=', 'project')
        .groupBy(['state', 'synthetic'])
        .execute(),
    );
    const sum = (of: typeof rows) => of.reduce((n, r) => n + Number(r.count), 0);
    const real = rows.filter((r) => !r.synthetic);
    return {
      real: sum(real),
      registered: sum(real.filter((r) => r.state === 'registered')),
      synthetic: sum(rows.filter((r) => r.synthetic)),
    };
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
   * Joint Committee decisions by id, a page at a time (from a cursor, or from a decision's id),
   * each saying whether it is about synthetic demo data, what kind of item it is about and the
   * project that item belongs to (null for idea notes and methodologies).
   */
  decisions(request: DecisionPageRequest = {}): Promise<Result<Page<DecisionSummary>>> {
    return decisionsPage(this.db, request);
  }

  /** The decisions about any of these items (a project and its children), by id. */
  decisionsAbout(items: readonly string[]): Promise<DecisionSummary[]> {
    return decisionsAbout(this.db, items);
  }

  /**
   * The references of the synthetic demo projects, whose credits are the demo's (for rows of the
   * ledger, which know a project by its reference only): the projects flagged when the cycle wrote
   * them (migration 022, src/db/synthetic-flags.ts), read through the partial index that holds only
   * the flagged items, so the cost follows the demo's size, not the registry's history. The flag
   * follows the organisations flagged synthetic: a project is synthetic when one of its
   * participants is.
   */
  async syntheticReferences(): Promise<ReadonlySet<string>> {
    const rows = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select('reference')
        .where('synthetic', '=', true)
        .where('machine', '=', 'project')
        .where('reference', 'is not', null)
        .execute(),
    );
    return new Set(rows.flatMap((r) => (r.reference === null ? [] : [r.reference])));
  }

  /**
   * Credits in the registries by registry and account type, and by vintage, in two parts: the
   * credits of real projects, which the headlines count, and those of synthetic demo projects,
   * which are shown only under their label.
   */
  async statistics(): Promise<{ real: CreditFigures; synthetic: CreditFigures }> {
    const rows = await this.db.read((k) =>
      // Migration 018's registry_totals, kept with every ledger write: no scan of all blocks; each
      // with its project's stored flag (credits of a project the cycle does not hold are real).
      k
        .selectFrom('registry_totals as t')
        .leftJoin('cycle_items as p', (join) =>
          join.onRef('p.reference', '=', 't.project').on('p.machine', '=', 'project'),
        )
        .select([
          't.vintage',
          't.registry_id as registry',
          't.account_type as accountType',
          't.quantity',
        ])
        .select(sql<boolean>`coalesce(p.synthetic, false)`.as('synthetic'))
        .execute(),
    );
    const part = (isSynthetic: boolean) =>
      creditFigures(
        rows
          .filter((r) => r.synthetic === isSynthetic)
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

/** A project's row as the portal lists it, with its stored synthetic flag. */
function projectSummary(
  r: Pick<Selectable<Schema['cycle_items']>, (typeof projectColumns)[number]>,
): ProjectSummary {
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
    synthetic: r.synthetic,
  };
}
