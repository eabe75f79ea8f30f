// A project's registrations in other mechanisms: the project a record is about (found by its id or
// its reference, locked so that an issuance of the project waits for the record or the record for
// it), the current version of each registration, the writes of a new registration or version, and
// the public reads with every version.
import type {
  ExternalRegistrationFields,
  Mechanism,
  RecordedProject,
  RecordingDecision,
  RegistrationStatus,
  StoredRegistration,
} from '../core/cycle/external-registrations.ts';
import type { ItemData } from '../core/cycle/items.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { assert } from '../core/shared/assert.ts';
import { isoInstant, jsonOf } from './columns.ts';
import type { Db, Tx } from './connect.ts';
import type { Schema } from './schema.ts';
import type { Kysely } from 'kysely';

type VersionRow = Schema['external_registration_versions'];

/** The project a record is about, by its item id or its registration reference. */
function projectQuery(k: Kysely<Schema>, ref: string) {
  return k
    .selectFrom('cycle_items')
    .select(['id', 'machine', 'partnership', 'data'])
    .where((e) => e.or([e('id', '=', ref), e('reference', '=', ref)]))
    .where('machine', '=', 'project');
}

/**
 * The project of a record, locked FOR NO KEY UPDATE: an issuance of the project reads it FOR SHARE
 * before it reads the registrations, so one of the two waits for the other to commit.
 */
export async function lockRecordedProject(tx: Tx, ref: string): Promise<RecordedProject | null> {
  const row = await projectQuery(tx, ref).forNoKeyUpdate().executeTakeFirst();
  if (row === undefined) return null;
  const data = (jsonOf(row.data) ?? {}) as ItemData;
  return {
    id: row.id,
    machine: row.machine,
    partnership: row.partnership,
    project: data.project ?? null,
  };
}

function fieldsOf(row: VersionRow): ExternalRegistrationFields {
  return {
    mechanism: row.mechanism as Mechanism,
    mechanismName: row.mechanism_name,
    identifier: row.identifier,
    activity: row.activity,
    creditingPeriod: { start: row.crediting_start, end: row.crediting_end },
    status: row.status as RegistrationStatus,
    cancellation:
      row.cancelled_start === null || row.cancelled_end === null
        ? null
        : {
            period: { start: row.cancelled_start, end: row.cancelled_end },
            reference: row.cancellation_reference ?? '',
          },
    evidence: { text: row.evidence, document: row.evidence_document },
  };
}

/** The current version of every registration elsewhere of a project, oldest registration first. */
export async function currentRegistrations(
  k: Kysely<Schema>,
  project: string,
): Promise<StoredRegistration[]> {
  const rows = await k
    .selectFrom('external_registrations as r')
    .innerJoin('external_registration_versions as v', (j) =>
      j.onRef('v.registration_id', '=', 'r.id').onRef('v.version', '=', 'r.version'),
    )
    .selectAll('v')
    .select('r.project_id')
    .where('r.project_id', '=', project)
    .orderBy('r.id')
    .execute();
  return rows.map((row) => ({
    ...fieldsOf(row),
    id: String(row.registration_id),
    project: row.project_id,
    version: row.version,
  }));
}

/** Writes a new registration or the next version of one; returns its id. */
export async function insertRecording(
  tx: Tx,
  decision: RecordingDecision,
  actor: Actor,
  now: string,
): Promise<string> {
  let id: bigint;
  if (decision.registration === null) {
    assert(decision.version === 1, 'a new registration starts at version 1');
    const row = await tx
      .insertInto('external_registrations')
      .values({ project_id: decision.project, version: 1, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = BigInt(row.id);
  } else {
    id = BigInt(decision.registration);
    const moved = await tx
      .updateTable('external_registrations')
      .set({ version: decision.version, updated_at: now })
      .where('id', '=', id)
      .where('version', '=', decision.version - 1)
      .executeTakeFirst();
    assert(moved.numUpdatedRows === 1n, 'the registration was read at its previous version');
  }
  const f = decision.fields;
  await tx
    .insertInto('external_registration_versions')
    .values({
      registration_id: id,
      version: decision.version,
      mechanism: f.mechanism,
      mechanism_name: f.mechanismName,
      identifier: f.identifier,
      activity: f.activity,
      crediting_start: f.creditingPeriod.start,
      crediting_end: f.creditingPeriod.end,
      status: f.status,
      cancelled_start: f.cancellation?.period.start ?? null,
      cancelled_end: f.cancellation?.period.end ?? null,
      cancellation_reference: f.cancellation?.reference ?? null,
      evidence: f.evidence.text,
      evidence_document: f.evidence.document,
      recorded_by: actor.id,
      recorded_role: decision.recordedAs.role,
      recorded_organisation: decision.recordedAs.organisation,
      recorded_at: now,
    })
    .execute();
  return String(id);
}

/** One version of a registration elsewhere as the reads show it, with who recorded it and when. */
export interface RegistrationVersionView extends ExternalRegistrationFields {
  readonly version: number;
  /** Under which role: a participant (with its organisation) or the secretariat. */
  readonly recordedRole: string;
  readonly recordedOrganisation: string | null;
  readonly recordedOrganisationName: string | null;
  readonly recordedAt: string;
}

/** A registration elsewhere: its current version, and every version oldest first. */
export interface RegistrationView extends RegistrationVersionView {
  readonly id: string;
  readonly project: string;
  readonly history: readonly RegistrationVersionView[];
}

/** The registrations elsewhere of a project (by id or reference) with their history, or null. */
export function registrationHistory(
  db: Db,
  ref: string,
): Promise<{ project: string; partnership: string; registrations: RegistrationView[] } | null> {
  return db.read(async (k) => {
    const project = await projectQuery(k, ref).executeTakeFirst();
    if (project === undefined) return null;
    const rows = await k
      .selectFrom('external_registrations as r')
      .innerJoin('external_registration_versions as v', 'v.registration_id', 'r.id')
      .leftJoin('organisations as o', 'o.id', 'v.recorded_organisation')
      .selectAll('v')
      .select(['r.project_id', 'o.name as organisation_name'])
      .where('r.project_id', '=', project.id)
      .orderBy('r.id')
      .orderBy('v.version')
      .execute();
    const byId = new Map<string, RegistrationVersionView[]>();
    for (const row of rows) {
      const id = String(row.registration_id);
      byId.set(id, [
        ...(byId.get(id) ?? []),
        {
          ...fieldsOf(row),
          version: row.version,
          recordedRole: row.recorded_role,
          recordedOrganisation: row.recorded_organisation,
          recordedOrganisationName: row.organisation_name,
          recordedAt: isoInstant(row.recorded_at),
        },
      ]);
    }
    const registrations = [...byId].map(([id, history]) => {
      const current = history.at(-1);
      assert(current !== undefined, 'a registration has a version');
      return { ...current, id, project: project.id, history };
    });
    return { project: project.id, partnership: project.partnership, registrations };
  });
}
