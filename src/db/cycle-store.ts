// The project cycle's store: loads what an action is decided on inside its transaction (the item and
// every item the action writes locked FOR UPDATE, the items it only reads FOR SHARE, in a fixed
// order), and writes the decision: the item, its documents (files first, rows after), findings,
// project data versions, the items the action touches, the counters and the event.
import {
  decisionOf,
  designatesTpe,
  itemOf,
  parentOf,
  submittedProject,
  type CycleAction,
} from '../core/cycle/actions.ts';
import type { CycleContext } from '../core/cycle/context.ts';
import { allocationOf } from '../core/cycle/guards.ts';
import type { CycleDecision } from '../core/cycle/decide.ts';
import type { DocumentType, Machine } from '../core/cycle/definition.ts';
import { countersFor } from '../core/cycle/item-ids.ts';
import type {
  Designation,
  ItemData,
  LedgerLine,
  StoredFinding,
  StoredItem,
} from '../core/cycle/items.ts';
import { listedActivities, type Rulebook } from '../core/cycle/rulebook.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { dateOfClock } from '../core/shared/civil-date.ts';
import type { Db, Tx } from './connect.ts';
import type { DocumentStore } from './document-store.ts';
import { civilDateOf, jsonOf } from './columns.ts';
import { commentIdsOf } from './comment-store.ts';
import { persistCycleDecision } from './cycle-persist.ts';
import { lockCounters } from './write-store.ts';
import { accountsOf } from './allocation-accounts.ts';
import type { Schema } from './schema.ts';

type Lock = 'update' | 'share';

const itemColumns = [
  'id',
  'machine',
  'partnership',
  'parent_id',
  'state',
  'reference',
  'version',
  'data',
  'due_date',
] as const;

type ItemRow = Pick<Schema['cycle_items'], (typeof itemColumns)[number]>;

function storedItem(row: ItemRow): StoredItem {
  return {
    id: row.id,
    machine: row.machine as Machine,
    partnership: row.partnership,
    parentId: row.parent_id,
    state: row.state,
    reference: row.reference,
    version: row.version,
    data: (jsonOf(row.data) ?? {}) as ItemData,
    dueDate: row.due_date,
  };
}

async function lockItem(tx: Tx, id: string | null, lock: Lock): Promise<StoredItem | null> {
  if (id === null) return null;
  const query = tx.selectFrom('cycle_items').select(itemColumns).where('id', '=', id);
  const row = await (lock === 'update' ? query.forUpdate() : query.forShare()).executeTakeFirst();
  return row === undefined ? null : storedItem(row);
}

/** A PIN or a project carries the project data; a monitoring period, request or decision hangs under one. */
const isProject = (item: StoredItem | null) =>
  item?.machine === 'project' || item?.machine === 'pin';

export class CycleStore {
  constructor(
    private readonly documents: DocumentStore,
    private readonly rulebooks: readonly Rulebook[],
    /** Ids of the catalogue's files, which adopted entries do not reuse. */
    private readonly catalogueIds: () => readonly string[] = () => [],
  ) {}

  /** Everything the action is decided on, read inside its transaction with its rows locked. */
  async load(tx: Tx, action: CycleAction, now: string): Promise<CycleContext> {
    const today = dateOfClock(now);
    const report =
      action.type === 'submit_monitoring_report' || action.type === 'resubmit_monitoring_report';
    const { decision, item, parent, monitoring, project } = await lockRows(tx, action, report);
    const otherMonitoring = report ? await monitoringOf(tx, parent, item) : [];
    const projectData = submittedProject(action) ?? project?.data.project ?? null;
    const partnership =
      item?.partnership ??
      parent?.partnership ??
      ('partnership' in action ? (action.partnership ?? '') : '');
    const counterKeys = countersFor(
      action,
      item,
      parent,
      isProject(project) ? project : null,
      today,
    ).map((c) => c.key);
    const [
      findings,
      documentsOnFile,
      designations,
      organisations,
      allocationAccounts,
      ledgerLines,
      counters,
      methodologyFile,
    ] = await Promise.all([
      findingsOf(tx, item),
      documentTypesOf(tx, item),
      designationsOf(tx, projectData?.tpe ?? null, partnership),
      organisationKinds(tx, [
        ...(projectData === null
          ? []
          : [
              ...projectData.participantsJapan,
              ...projectData.participantsPartner,
              projectData.tpe,
            ]),
        // A decision to designate a TPE is about that organisation.
        ...(action.type === 'propose_decision' && designatesTpe(action)
          ? [action.subject.item]
          : []),
      ]),
      accountsOf(
        tx,
        [
          ...allocationOf(action, item, decision),
          ...(action.type === 'propose_decision' ? (action.allocation ?? []) : []),
        ].map((l) => l.account),
      ),
      ledgerLinesOf(tx, item?.data.ledgerDecision ?? null),
      lockCounters(tx, counterKeys),
      item?.machine === 'methodology' ? latestDocument(tx, item.id, 'methodology_file') : null,
    ]);
    return {
      item,
      parent,
      project: isProject(project) ? project : null,
      monitoring,
      decision,
      findings,
      documentsOnFile,
      designations,
      organisations,
      allocationAccounts,
      ledgerLines,
      otherMonitoring,
      counters,
      rulebooks: this.rulebooks,
      catalogueIds: this.catalogueIds(),
      commentIds:
        action.comments === undefined || item === null
          ? new Set<string>()
          : await commentIdsOf(tx, item.id),
      methodologyFile,
      now,
      today,
    };
  }

  /**
   * Writes a decided action. The document files go to disk first (content-addressed, so a rollback
   * leaves at most an unreferenced file), and only when the action was accepted and is not a dry run.
   */
  persist(
    tx: Tx,
    decision: CycleDecision,
    action: CycleAction,
    files: readonly { readonly content: Uint8Array; readonly fullContent: Uint8Array | null }[],
    actor: Actor,
    now: string,
    dryRun: boolean,
  ): Promise<void> {
    return persistCycleDecision(tx, this.documents, {
      decision,
      action,
      files,
      actor,
      now,
      dryRun,
    });
  }

  /** The bytes of a stored document, by its SHA-256 (a methodology proposal's file, on approval). */
  documentBytes(sha256: string): Promise<Uint8Array | null> {
    return this.documents.get(sha256);
  }

  /** The methodology the stored project of a monitoring report names (read before the transaction). */
  /** The partnership of a stored item (it never changes), or null; and whether it lists activities. */
  itemPartnership = async (db: Db, id: string): Promise<string | null> =>
    (
      await db.read((k) =>
        k.selectFrom('cycle_items').select('partnership').where('id', '=', id).executeTakeFirst(),
      )
    )?.partnership ?? null;
  listedActivities = (partnership: string): readonly string[] | null =>
    listedActivities(this.rulebooks, partnership);

  projectMethodology(db: Db, of: { parent?: string; item?: string }) {
    return db.read(async (k) => {
      const start =
        of.parent ??
        (
          await k
            .selectFrom('cycle_items')
            .select('parent_id')
            .where('id', '=', of.item ?? '')
            .executeTakeFirst()
        )?.parent_id;
      if (start === undefined || start === null) return null;
      const row = await k
        .selectFrom('cycle_items')
        .select('data')
        .where('id', '=', start)
        .executeTakeFirst();
      const project = (jsonOf(row?.data) as ItemData | undefined)?.project;
      return project === undefined ? null : project.methodology;
    });
  }
}

/**
 * The items an action reads, each locked: FOR UPDATE what it writes, FOR SHARE what it only reads.
 * A decision is locked before the item it is about: an action on a decision locks it (as its item)
 * before its subject, so no two actions lock the same rows in opposite orders.
 */
async function lockRows(tx: Tx, action: CycleAction, report: boolean) {
  const decision = await lockItem(tx, decisionOf(action), 'update');
  const item = await lockItem(tx, itemOf(action), 'update');
  // Written, so locked to update: the monitoring period a new issuance request uses; the project of
  // a monitoring report (its reports are checked against each other one at a time).
  const parent = await lockItem(
    tx,
    item?.parentId ?? parentOf(action),
    action.type === 'request_issuance' || report ? 'update' : 'share',
  );
  const monitoring =
    action.type === 'request_issuance'
      ? parent
      : item?.machine === 'issuance'
        ? await lockItem(
            tx,
            item.data.monitoring ?? null,
            action.type === 'withdraw_issuance_request' || action.type === 'reject_issuance'
              ? 'update'
              : 'share',
          )
        : null;
  const project = isProject(item)
    ? item
    : isProject(parent)
      ? parent
      : await lockItem(tx, parent?.parentId ?? null, 'share');
  return { decision, item, parent, monitoring, project };
}

/** The other monitoring reports of a project (their calculated periods). */
async function monitoringOf(
  tx: Tx,
  project: StoredItem | null,
  except: StoredItem | null,
): Promise<StoredItem[]> {
  if (project === null) return [];
  const rows = await tx
    .selectFrom('cycle_items')
    .select(itemColumns)
    .where('parent_id', '=', project.id)
    .where('machine', '=', 'monitoring')
    .where('id', '<>', except?.id ?? '')
    .execute();
  return rows.map(storedItem);
}

async function findingsOf(tx: Tx, item: StoredItem | null): Promise<StoredFinding[]> {
  if (item === null) return [];
  const rows = await tx
    .selectFrom('cycle_findings')
    .select(['id', 'kind', 'state'])
    .where('item_id', '=', item.id)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => ({
    id: BigInt(r.id),
    kind: r.kind as StoredFinding['kind'],
    state: r.state as StoredFinding['state'],
  }));
}

async function documentTypesOf(tx: Tx, item: StoredItem | null): Promise<Set<DocumentType>> {
  if (item === null) return new Set();
  const rows = await tx
    .selectFrom('cycle_documents')
    .select('type')
    .distinct()
    .where('item_id', '=', item.id)
    .execute();
  return new Set(rows.map((r) => r.type as DocumentType));
}

/** The public SHA-256 of the latest version of an item's document of a type, or null. */
export async function latestDocument(
  tx: Tx,
  item: string,
  type: DocumentType,
): Promise<string | null> {
  const row = await tx
    .selectFrom('cycle_documents')
    .select('public_sha256')
    .where('item_id', '=', item)
    .where('type', '=', type)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.public_sha256 ?? null;
}

async function designationsOf(
  tx: Tx,
  organisation: string | null,
  partnership: string,
): Promise<Designation[]> {
  if (organisation === null) return [];
  const rows = await tx
    .selectFrom('tpe_designations')
    .select([
      'organisation_id',
      'partnership',
      'sectoral_scope',
      'function',
      'valid_from',
      'valid_until',
    ])
    .where('organisation_id', '=', organisation)
    .where('partnership', '=', partnership)
    .execute();
  return rows.map((r) => ({
    organisation: r.organisation_id,
    partnership: r.partnership,
    sectoralScope: r.sectoral_scope,
    function: r.function as Designation['function'],
    validFrom: civilDateOf(r.valid_from),
    validUntil: civilDateOf(r.valid_until),
  }));
}

async function organisationKinds(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('organisations')
    .select(['id', 'kind'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.kind]));
}

async function ledgerLinesOf(tx: Tx, decision: string | null): Promise<LedgerLine[]> {
  if (decision === null) return [];
  const rows = await tx
    .selectFrom('decision_lines')
    .leftJoin('issuances', (j) =>
      j
        .onRef('issuances.decision_id', '=', 'decision_lines.decision_id')
        .onRef('issuances.line_no', '=', 'decision_lines.line_no'),
    )
    .select(['decision_lines.line_no', 'decision_lines.registry_id', 'issuances.seq'])
    .where('decision_lines.decision_id', '=', decision)
    .orderBy('decision_lines.line_no')
    .execute();
  return rows.map((r) => ({ lineNo: r.line_no, registry: r.registry_id, issued: r.seq !== null }));
}
