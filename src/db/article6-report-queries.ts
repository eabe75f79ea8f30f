// Reads the Article 6.2 reports need beyond article6-queries.ts: a registry's actions around a date
// (the AEF's holdings at 31 December, and the registry's own holdings taken back to that date) and
// the sectoral scopes of projects (the AEF's sectors). Reports, not request paths: their cost grows
// with the registry's Article 6.2 actions, which is why they are bounded.
import { sql } from 'kysely';
import type { Action } from '../core/article6/types.ts';
import type { RegistryId } from '../core/shared/ids.ts';
import { actionFromRow } from './article6-rows.ts';
import type { Db } from './connect.ts';

/** The most actions one report reads; a registry past it needs the report's aggregates (noted). */
export const reportActionsMax = 500_000;

export class Article6ReportQueries {
  constructor(private readonly db: Db) {}

  /** A registry's actions dated up to (`until`) or after (`after`) a date, in entry order. */
  async registryActions(
    registry: RegistryId,
    when: { readonly until: string } | { readonly after: string },
  ): Promise<Action[] | null> {
    const rows = await this.db.read((k) => {
      const q = k
        .selectFrom('article6_actions')
        .selectAll()
        .where('registry_id', '=', registry)
        .orderBy('chain')
        .orderBy('seq')
        .orderBy('n')
        .limit(reportActionsMax + 1);
      return (
        'until' in when
          ? q.where('action_date', '<=', when.until)
          : q.where('action_date', '>', when.after)
      ).execute();
    });
    return rows.length > reportActionsMax ? null : rows.map(actionFromRow);
  }

  /** The sectoral scopes each project's current data declares (by project reference). */
  async projectScopes(refs: readonly string[]): Promise<Map<string, number[]>> {
    if (refs.length === 0) return new Map();
    const rows = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select(['reference', sql<unknown>`data`.as('data')])
        .where('machine', '=', 'project')
        .where('reference', 'in', [...refs])
        .execute(),
    );
    const scopes = new Map<string, number[]>();
    for (const row of rows) {
      const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as {
        project?: { sectoralScopes?: number[] };
      };
      if (row.reference !== null) scopes.set(row.reference, data.project?.sectoralScopes ?? []);
    }
    return scopes;
  }
}
