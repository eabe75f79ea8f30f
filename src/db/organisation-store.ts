// Organisations and TPE designations in the write pipeline: what exists, read under lock (the
// organisation's row serialises designations of one TPE), and the rows a decision adds. The database
// refuses the same organisation twice (primary key) and overlapping designations (exclusion).
import type { Db } from './connect.ts';
import type { Machine } from '../core/cycle/definition.ts';
import type { Designation, ItemData } from '../core/cycle/items.ts';
import type { DesignationState, NewOrganisation } from '../core/cycle/organisations.ts';
import { assert } from '../core/shared/assert.ts';
import { civilDateOf, jsonOf } from './columns.ts';
import type { Tx } from './connect.ts';

export async function organisationExists(tx: Tx, id: string): Promise<boolean> {
  const row = await tx
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds an organisation; false when one with its id came first (a concurrent registration). */
export async function insertOrganisation(
  tx: Tx,
  organisation: NewOrganisation,
  at: string,
): Promise<boolean> {
  const row = await tx
    .insertInto('organisations')
    .values({ ...organisation, created_at: at })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function designationState(
  tx: Tx,
  organisation: string,
  partnership: string,
  decisionId: string,
): Promise<DesignationState> {
  // The decision first, as every cycle action locks a decision before what it is about.
  const decision = await tx
    .selectFrom('cycle_items')
    .select(['id', 'machine', 'partnership', 'parent_id', 'state', 'reference', 'version', 'data'])
    .select('due_date')
    .where('id', '=', decisionId)
    .forUpdate()
    .executeTakeFirst();
  const org = await tx
    .selectFrom('organisations')
    .select('kind')
    .where('id', '=', organisation)
    .forUpdate()
    .executeTakeFirst();
  const rows = await tx
    .selectFrom('tpe_designations')
    .select(['sectoral_scope', 'function', 'valid_from', 'valid_until'])
    .where('organisation_id', '=', organisation)
    .where('partnership', '=', partnership)
    .execute();
  return {
    decision:
      decision === undefined
        ? null
        : {
            id: decision.id,
            machine: decision.machine as Machine,
            partnership: decision.partnership,
            parentId: decision.parent_id,
            state: decision.state,
            reference: decision.reference,
            version: decision.version,
            data: (jsonOf(decision.data) ?? {}) as ItemData,
            dueDate: decision.due_date,
          },
    organisationKind: org?.kind ?? null,
    existing: rows.map((r) => ({
      organisation,
      partnership,
      sectoralScope: r.sectoral_scope,
      function: r.function as Designation['function'],
      validFrom: civilDateOf(r.valid_from),
      validUntil: civilDateOf(r.valid_until),
    })),
  };
}

export async function insertDesignations(
  tx: Tx,
  designations: readonly Designation[],
  details: { accreditation: string; decision: string | null },
): Promise<void> {
  await tx
    .insertInto('tpe_designations')
    .values(
      designations.map((d) => ({
        organisation_id: d.organisation,
        partnership: d.partnership,
        sectoral_scope: d.sectoralScope,
        function: d.function,
        accreditation: details.accreditation,
        valid_from: d.validFrom,
        valid_until: d.validUntil,
        decision_id: details.decision,
      })),
    )
    .execute();
}

/** The decision a designation carried out, marked so that it authorises once. */
export async function markDecisionCarriedOut(
  tx: Tx,
  decision: { readonly id: string; readonly data: ItemData },
): Promise<void> {
  const updated = await tx
    .updateTable('cycle_items')
    .set({ data: JSON.stringify(decision.data) })
    .where('id', '=', decision.id)
    .executeTakeFirst();
  assert(updated.numUpdatedRows === 1n, `decision ${decision.id}, locked when read, exists`);
}

/** The stored organisations among these ids, with their names and countries. */
export async function organisationsByIds(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; name: string; country: string }[]> {
  if (ids.length === 0) return [];
  return db.read((k) =>
    k
      .selectFrom('organisations')
      .select(['id', 'name', 'country'])
      .where('id', 'in', [...ids])
      .execute(),
  );
}
