// Organisations and TPE designations in the write pipeline: what exists, read under lock (the
// organisation's row serialises designations of one TPE), and the rows a decision adds. The database
// refuses the same organisation twice (primary key) and overlapping designations (exclusion).
import type { Designation } from '../core/cycle/items.ts';
import type { NewOrganisation } from '../core/cycle/organisations.ts';
import { civilDateOf } from './columns.ts';
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
): Promise<{ organisationKind: string | null; existing: Designation[] }> {
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
