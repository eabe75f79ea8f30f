// What the double-counting guards of the cycle read in the action's transaction (the project's
// registrations elsewhere, its possible duplicates and, for a registration request, the other
// projects of the JCM), the flags a registration request raises, a flag locked for the secretariat's
// conclusion, and the reads of a project's flags.
import type { CycleAction } from '../core/cycle/actions.ts';
import type { CycleContext } from '../core/cycle/context.ts';
import {
  closedProjectStates,
  flaggingActions,
  type CandidateProject,
  type Conclusion,
  type DoubleCountingFacts,
  type DuplicateGrounds,
  type FlagState,
  type RaisedFlag,
  type StoredFlag,
} from '../core/cycle/double-counting.ts';
import type { ItemData } from '../core/cycle/items.ts';
import { assert } from '../core/shared/assert.ts';
import { isoInstant, jsonOf } from './columns.ts';
import type { Db, Tx } from './connect.ts';
import { currentRegistrations } from './external-registration-store.ts';

/**
 * The facts of the double-counting guards, read after the cycle store has locked the action's rows
 * (the project among them), so that a registration elsewhere recorded meanwhile is either committed
 * and seen, or waits for this action.
 */
export async function doubleCountingFacts(
  tx: Tx,
  action: CycleAction,
  ctx: CycleContext,
): Promise<DoubleCountingFacts> {
  const project = ctx.project?.machine === 'project' ? ctx.project : null;
  if (project === null) return { registrations: [], flags: [], candidates: [] };
  const [registrations, flags, candidates] = await Promise.all([
    currentRegistrations(tx, project.id),
    storedFlags(tx, project.id),
    flaggingActions.includes(action.type) ? candidateProjects(tx, project.id) : [],
  ]);
  return { registrations, flags, candidates };
}

async function storedFlags(tx: Tx, project: string): Promise<StoredFlag[]> {
  const rows = await tx
    .selectFrom('duplicate_flags as f')
    .innerJoin('cycle_items as i', 'i.id', 'f.project_id')
    .select(['f.id', 'f.project_id', 'f.other_project_id', 'f.state', 'i.partnership'])
    .where('f.project_id', '=', project)
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    project: r.project_id,
    other: r.other_project_id,
    partnership: r.partnership,
    state: r.state as FlagState,
  }));
}

/** Every other project of the JCM (any partnership) not withdrawn or rejected, with its data. */
async function candidateProjects(tx: Tx, except: string): Promise<CandidateProject[]> {
  const rows = await tx
    .selectFrom('cycle_items')
    .select(['id', 'state', 'data'])
    .where('machine', '=', 'project')
    .where('id', '<>', except)
    .where('state', 'not in', [...closedProjectStates])
    .orderBy('id')
    .execute();
  return rows.flatMap((r) => {
    const project = ((jsonOf(r.data) ?? {}) as ItemData).project;
    return project === undefined ? [] : [{ id: r.id, state: r.state, project }];
  });
}

/** Stores the flags a registration request raised (a pair flagged before keeps its conclusion). */
export async function insertFlags(
  tx: Tx,
  project: string,
  flags: readonly RaisedFlag[],
  now: string,
): Promise<void> {
  if (flags.length === 0) return;
  await tx
    .insertInto('duplicate_flags')
    .values(
      flags.map((f) => ({
        project_id: project,
        other_project_id: f.other,
        grounds: JSON.stringify(f.grounds),
        raised_at: now,
        state: 'open',
        reason: null,
        concluded_by: null,
        concluded_at: null,
      })),
    )
    .onConflict((c) => c.columns(['project_id', 'other_project_id']).doNothing())
    .execute();
}

/** A flag locked for its conclusion, with the partnership of the flagged project; or null. */
export async function lockFlag(tx: Tx, id: bigint): Promise<StoredFlag | null> {
  const row = await tx
    .selectFrom('duplicate_flags as f')
    .innerJoin('cycle_items as i', 'i.id', 'f.project_id')
    .select(['f.id', 'f.project_id', 'f.other_project_id', 'f.state', 'i.partnership'])
    .where('f.id', '=', id)
    .forUpdate('f')
    .executeTakeFirst();
  return row === undefined
    ? null
    : {
        id: String(row.id),
        project: row.project_id,
        other: row.other_project_id,
        partnership: row.partnership,
        state: row.state as FlagState,
      };
}

export async function concludeFlag(
  tx: Tx,
  id: bigint,
  conclusion: Conclusion,
  actor: string,
  now: string,
): Promise<void> {
  const done = await tx
    .updateTable('duplicate_flags')
    .set({
      state: conclusion.conclusion,
      reason: conclusion.reason,
      concluded_by: actor,
      concluded_at: now,
    })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  assert(done.numUpdatedRows === 1n, 'the flag was locked open');
}

/** A possible duplicate as the secretariat reads it. */
export interface FlagView {
  readonly id: string;
  readonly project: string;
  readonly partnership: string;
  readonly other: string;
  readonly otherTitle: string | null;
  readonly otherState: string;
  readonly otherReference: string | null;
  readonly grounds: DuplicateGrounds;
  readonly raisedAt: string;
  readonly state: FlagState;
  readonly reason: string | null;
  readonly concludedBy: string | null;
  readonly concludedAt: string | null;
}

/** The possible duplicates flagged on a project, oldest first. */
export function flagsOfProject(db: Db, project: string): Promise<FlagView[]> {
  return db.read(async (k) => {
    const rows = await k
      .selectFrom('duplicate_flags as f')
      .innerJoin('cycle_items as p', 'p.id', 'f.project_id')
      .innerJoin('cycle_items as o', 'o.id', 'f.other_project_id')
      .selectAll('f')
      .select([
        'p.partnership',
        'o.state as other_state',
        'o.reference as other_reference',
        'o.data as other_data',
      ])
      .where('f.project_id', '=', project)
      .orderBy('f.id')
      .execute();
    return rows.map((r) => ({
      id: String(r.id),
      project: r.project_id,
      partnership: r.partnership,
      other: r.other_project_id,
      otherTitle: ((jsonOf(r.other_data) ?? {}) as ItemData).project?.title ?? null,
      otherState: r.other_state,
      otherReference: r.other_reference,
      grounds: jsonOf(r.grounds) as DuplicateGrounds,
      raisedAt: isoInstant(r.raised_at),
      state: r.state as FlagState,
      reason: r.reason,
      concludedBy: r.concluded_by,
      concludedAt: r.concluded_at === null ? null : isoInstant(r.concluded_at),
    }));
  });
}
