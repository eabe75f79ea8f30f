// Writes a decided action of the project cycle in its transaction: the document files (to disk,
// content-addressed, before the rows that name them), the counters, the item, the items the action
// touches, the new version of the project data, the finding, the document rows and the event.
import type { CycleAction } from '../core/cycle/actions.ts';
import { decisionOf } from '../core/cycle/actions.ts';
import type { CycleDecision } from '../core/cycle/decide.ts';
import type { ItemChange } from '../core/cycle/effects.ts';
import type { ItemData } from '../core/cycle/items.ts';
import type { Actor } from '../core/ledger/actor.ts';
import type { Tx } from './connect.ts';
import type { DocumentStore } from './document-store.ts';
import { setCounters } from './write-store.ts';

/** A jsonb column as a value, whichever form the driver returns it in. */
export const jsonOf = (value: unknown): unknown =>
  typeof value === 'string' ? (JSON.parse(value) as unknown) : value;

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
  for (const related of decision.effects.related) await changeData(tx, related.id, related.change);
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

function applyChange(data: ItemData, change: ItemChange): ItemData {
  const next: Record<string, unknown> = { ...data, ...change.set };
  for (const key of change.unset) delete next[key];
  return next as ItemData;
}

async function writeItem(tx: Tx, decision: CycleDecision, now: string): Promise<void> {
  const due = decision.transition.due;
  const columns = {
    state: decision.transition.to,
    reference: decision.reference,
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
        data: JSON.stringify(applyChange({}, decision.effects.data)),
        created_at: now,
        ...columns,
      })
      .execute();
    return;
  }
  const row = await tx
    .selectFrom('cycle_items')
    .select('data')
    .where('id', '=', decision.id)
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('cycle_items')
    .set({
      ...columns,
      data: JSON.stringify(
        applyChange((jsonOf(row.data) ?? {}) as ItemData, decision.effects.data),
      ),
    })
    .where('id', '=', decision.id)
    .where('version', '=', decision.version - 1)
    .executeTakeFirstOrThrow();
}

async function changeData(tx: Tx, id: string, change: ItemChange): Promise<void> {
  const row = await tx
    .selectFrom('cycle_items')
    .select('data')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('cycle_items')
    .set({ data: JSON.stringify(applyChange((jsonOf(row.data) ?? {}) as ItemData, change)) })
    .where('id', '=', id)
    .execute();
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
  await tx
    .updateTable('cycle_findings')
    .set(
      finding.kind === 'answer'
        ? { state: 'answered', answer: finding.answer }
        : { state: 'closed', closed_at: now },
    )
    .where('id', '=', finding.id)
    .where('item_id', '=', decision.id)
    .executeTakeFirstOrThrow();
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
const jsonText = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** What the timeline shows of an action: its note, documents, decision, finding and deadline. */
function eventPayload(decision: CycleDecision, action: CycleAction): Record<string, unknown> {
  const { effects, transition } = decision;
  const named = decisionOf(action);
  return {
    note: action.note,
    ...(named === null ? {} : { decision: named }),
    documents: decision.documents.map((d) => ({ type: d.type, sha256: d.sha256 })),
    ...(effects.finding === null ? {} : { finding: effects.finding }),
    ...(effects.projectVersion === null ? {} : { projectVersion: true }),
    ...(effects.related.length === 0 ? {} : { related: effects.related.map((r) => r.id) }),
    ...(transition.due === null ? {} : { due: transition.due }),
  };
}
