// Writes a decided action of the project cycle in its transaction: the document files (to disk,
// content-addressed, before the rows that name them), the counters, the item, the items the action
// touches and their synthetic flags, the new version of the project data, the finding, the document
// rows and the event.
import type { CycleAction } from '../core/cycle/actions.ts';
import { decisionOf } from '../core/cycle/actions.ts';
import type { CycleDecision } from '../core/cycle/decide.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { assert } from '../core/shared/assert.ts';
import { jsonText } from '../core/shared/json-text.ts';
import type { Tx } from './connect.ts';
import type { DocumentStore } from './document-store.ts';
import { storeSyntheticFlags } from './synthetic-flags.ts';
import { setCounters } from './write-store.ts';

export interface DecidedAction {
  readonly decision: CycleDecision;
  readonly action: CycleAction;
  readonly files: readonly {
    readonly content: Uint8Array;
    readonly fullContent: Uint8Array | null;
  }[];
  readonly actor: Actor;
  readonly now: string;
  readonly dryRun: boolean;
}

export async function persistCycleDecision(
  tx: Tx,
  documents: DocumentStore,
  { decision, action, files, actor, now, dryRun }: DecidedAction,
): Promise<void> {
  if (!dryRun)
    for (const f of files) {
      await documents.put(f.content);
      if (f.fullContent !== null) await documents.put(f.fullContent);
    }
  await setCounters(tx, decision.counters);
  await writeItem(tx, decision, now);
  await writeRelated(tx, decision.related);
  await storeSyntheticFlags(tx, {
    item: {
      id: decision.id,
      machine: decision.machine,
      parent_id: decision.parentId,
      reference: decision.reference,
      data: decision.data,
    },
    created: decision.created,
    related: decision.related.map((r) => r.id),
  });
  if (decision.effects.projectVersion !== null) {
    await tx
      .insertInto('project_versions')
      .values({
        item_id: decision.id,
        version: decision.effects.data.set.projectVersion ?? 1,
        data: JSON.stringify(decision.effects.projectVersion),
        action: decision.transition.rule.action,
        actor: actor.id,
        at: now,
      })
      .execute();
  }
  await writeFinding(tx, decision, actor, now);
  await writeDocuments(tx, decision, actor, now);
  await tx
    .insertInto('cycle_events')
    .values({
      item_id: decision.id,
      action: decision.transition.rule.action,
      from_state: decision.transition.from,
      to_state: decision.transition.to,
      actor: actor.id,
      at: now,
      payload: jsonText(eventPayload(decision, action)),
    })
    .execute();
}

async function writeItem(tx: Tx, decision: CycleDecision, now: string): Promise<void> {
  const due = decision.transition.due;
  const columns = {
    state: decision.transition.to,
    reference: decision.reference,
    data: JSON.stringify(decision.data),
    due_date: due?.date ?? null,
    due_role: due?.role ?? null,
    due_step: due?.step ?? null,
    version: decision.version,
    updated_at: now,
  };
  if (decision.created) {
    await tx
      .insertInto('cycle_items')
      .values({
        id: decision.id,
        machine: decision.machine,
        partnership: decision.partnership,
        parent_id: decision.parentId,
        created_at: now,
        ...columns,
      })
      .execute();
    return;
  }
  // The row is locked since it was read: it is still at the version the decision was taken on.
  const updated = await tx
    .updateTable('cycle_items')
    .set(columns)
    .where('id', '=', decision.id)
    .where('version', '=', decision.version - 1)
    .executeTakeFirst();
  assert(updated.numUpdatedRows === 1n, `${decision.id} is at version ${decision.version - 1}`);
}

async function writeRelated(tx: Tx, related: CycleDecision['related']): Promise<void> {
  for (const { id, data } of related) {
    const updated = await tx
      .updateTable('cycle_items')
      .set({ data: JSON.stringify(data) })
      .where('id', '=', id)
      .executeTakeFirst();
    assert(updated.numUpdatedRows === 1n, `${id}, which the action changes, exists`);
  }
}

async function writeFinding(
  tx: Tx,
  decision: CycleDecision,
  actor: Actor,
  now: string,
): Promise<void> {
  const finding = decision.effects.finding;
  if (finding === null) return;
  if (finding.kind === 'raise') {
    await tx
      .insertInto('cycle_findings')
      .values({
        item_id: decision.id,
        kind: finding.finding,
        text: finding.text,
        state: 'open',
        answer: null,
        raised_by: actor.id,
        raised_at: now,
        closed_at: null,
      })
      .execute();
    return;
  }
  const updated = await tx
    .updateTable('cycle_findings')
    .set(
      finding.kind === 'answer'
        ? { state: 'answered', answer: finding.answer }
        : { state: 'closed', closed_at: now },
    )
    .where('id', '=', finding.id)
    .where('item_id', '=', decision.id)
    .executeTakeFirst();
  assert(updated.numUpdatedRows === 1n, `finding ${finding.id} of ${decision.id} was found open`);
}

async function writeDocuments(
  tx: Tx,
  decision: CycleDecision,
  actor: Actor,
  now: string,
): Promise<void> {
  for (const d of decision.documents) {
    const latest = await tx
      .selectFrom('cycle_documents')
      .select((e) => e.fn.max('version').as('v'))
      .where('item_id', '=', decision.id)
      .where('type', '=', d.type)
      .executeTakeFirst();
    await tx
      .insertInto('cycle_documents')
      .values({
        item_id: decision.id,
        type: d.type,
        version: Number(latest?.v ?? 0) + 1,
        file_name: d.fileName,
        media_type: d.mediaType,
        public_sha256: d.sha256,
        full_sha256: d.fullSha256,
        bytes: BigInt(d.bytes),
        uploaded_by: actor.id,
        uploaded_at: now,
      })
      .execute();
  }
}

/** JSON text for a jsonb column, bigints (finding ids) as decimal strings. */

/** What the timeline shows of an action: its note, documents, decision, finding and deadline. */
function eventPayload(decision: CycleDecision, action: CycleAction): Record<string, unknown> {
  const { effects, transition } = decision;
  const named = decisionOf(action);
  return {
    note: action.note,
    ...(action.comments === undefined ? {} : { comments: action.comments }),
    ...(named === null ? {} : { decision: named }),
    documents: decision.documents.map((d) => ({ type: d.type, sha256: d.sha256 })),
    ...(effects.finding === null ? {} : { finding: effects.finding }),
    // The version of the project data the action made (a submission, resubmission, approved change,
    // renewal or re-assessment), so that the timeline shows each version where it began.
    ...(effects.projectVersion === null
      ? {}
      : { projectVersion: effects.data.set.projectVersion ?? 1 }),
    ...(effects.related.length === 0 ? {} : { related: effects.related.map((r) => r.id) }),
    ...(transition.due === null ? {} : { due: transition.due }),
  };
}
