// Reads of the project cycle: items with their timeline (events), findings and documents, lists, and
// each role's inbox of waiting and overdue steps.
import { inbox, type OpenStep } from '../core/cycle/deadlines.ts';
import type { CycleRole, Machine } from '../core/cycle/definition.ts';
import { dateOfClock } from '../core/shared/civil-date.ts';
import {
  afterKey,
  encodeCursor,
  pageLimit,
  pageOf,
  type KeyPart,
  type Page,
  type PageRequest,
} from '../core/shared/page.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { ProjectData } from '../core/cycle/project-data.ts';
import type { ItemData } from '../core/cycle/items.ts';
import type { Db } from './connect.ts';
import { cycleContext, publicNamer } from './public-actors.ts';
import { jsonOf } from './columns.ts';
import { keyAfter } from './page-keys.ts';

/**
 * Batches of `limit + 1` due items an organisation's inbox reads for one page at most: the page's
 * cost is bounded by its size, not by how many steps other organisations have waiting.
 */
export const inboxBatchesMax = 4;

export class CycleQueries {
  constructor(
    private readonly db: Db,
    private readonly clock: () => string,
  ) {}

  async item(id: string): Promise<Result<Record<string, unknown>>> {
    return this.db.read(async (k) => {
      const item = await k
        .selectFrom('cycle_items')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (item === undefined) return reject('cycle_item_not_found', `no cycle item ${id}`);
      const [events, findings, documents, children] = await Promise.all([
        k.selectFrom('cycle_events').selectAll().where('item_id', '=', id).orderBy('seq').execute(),
        k
          .selectFrom('cycle_findings')
          .selectAll()
          .where('item_id', '=', id)
          .orderBy('id')
          .execute(),
        k
          .selectFrom('cycle_documents')
          .select([
            'type',
            'version',
            'file_name',
            'media_type',
            'public_sha256',
            'bytes',
            'uploaded_by',
            'uploaded_at',
          ])
          .select((e) => e('full_sha256', 'is not', null).as('confidential'))
          .where('item_id', '=', id)
          .orderBy('id')
          .execute(),
        k
          .selectFrom('cycle_items')
          .select(['id', 'machine', 'state'])
          .where('parent_id', '=', id)
          .orderBy('id')
          .execute(),
      ]);
      const name = await publicNamer(k, [
        ...events.map((e) => e.actor),
        ...findings.map((f) => f.raised_by),
        ...documents.map((d) => d.uploaded_by),
      ]);
      // A document was filed by the action recorded in the same transaction: same actor, same
      // instant (the drivers give timestamps as Date objects, compared by their time).
      const instant = (t: unknown) => new Date(t as string).getTime();
      const contextAt = (at: unknown, actor: string) => {
        const event = events.find((e) => e.actor === actor && instant(e.at) === instant(at));
        return cycleContext(item.machine, event?.action ?? '', item.partnership);
      };
      return ok({
        ...item,
        timeline: events.map((e) => ({
          ...e,
          actor: name(e.actor, cycleContext(item.machine, e.action, item.partnership)),
        })),
        findings: findings.map((f) => ({
          ...f,
          raised_by: name(f.raised_by, { roles: ['third_party_entity'], scope: item.partnership }),
        })),
        documents: documents.map((d) => ({
          ...d,
          uploaded_by: name(d.uploaded_by, contextAt(d.uploaded_at, d.uploaded_by)),
        })),
        children,
      });
    });
  }

  /** Items of the cycle (filtered) by id, a page at a time. */
  async list(
    filter: {
      machine?: Machine | undefined;
      partnership?: string | undefined;
      state?: string | undefined;
    },
    request: PageRequest = {},
  ) {
    const after = afterKey(request, ['text']);
    if (!after.ok) return after;
    const limit = pageLimit(request);
    const rows = await this.db.read((k) => {
      let q = k
        .selectFrom('cycle_items')
        .select([
          'id',
          'machine',
          'partnership',
          'parent_id',
          'state',
          'reference',
          'due_date',
          'due_role',
          'due_step',
          'updated_at',
        ])
        .where(keyAfter(['id'], after.value))
        .orderBy('id')
        .limit(limit + 1);
      if (filter.machine !== undefined) q = q.where('machine', '=', filter.machine);
      if (filter.partnership !== undefined) q = q.where('partnership', '=', filter.partnership);
      if (filter.state !== undefined) q = q.where('state', '=', filter.state);
      return q.execute();
    });
    return ok(pageOf(rows, limit, (r) => [r.id]));
  }

  /** Items without their history: id, parent and data. */
  brief(ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select(['id', 'parent_id', 'data'])
        .where('id', 'in', ids)
        .execute(),
    );
  }

  /** Joint Committee decisions about an item: their id, state and the action each authorises. */
  async decisionsAbout(itemId: string) {
    const rows = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select(['id', 'state', 'data'])
        .where('machine', '=', 'decision')
        .where('parent_id', '=', itemId)
        .orderBy('id')
        .execute(),
    );
    return rows.map((r) => {
      const data = (jsonOf(r.data) ?? {}) as ItemData;
      return {
        id: r.id,
        state: r.state,
        action: data.subject?.action ?? '',
        text: data.subject?.text ?? '',
        /** The allocation an issuance decision decides. */
        allocation: data.subject?.allocation ?? [],
        carriedOut: data.carriedOutBy !== undefined,
      };
    });
  }

  /** The public version of a document: its type and name, by its SHA-256. */
  publicDocument(sha256: string) {
    return this.db.read((k) =>
      k
        .selectFrom('cycle_documents')
        .select(['media_type', 'file_name'])
        .where('public_sha256', '=', sha256)
        .executeTakeFirst(),
    );
  }

  /** Every version of a project's data, oldest first. */
  projectVersions(itemId: string) {
    return this.db.read((k) =>
      k
        .selectFrom('project_versions')
        .select(['version', 'data', 'action', 'actor', 'at'])
        .where('item_id', '=', itemId)
        .orderBy('version')
        .execute(),
    );
  }

  organisations() {
    return this.db.read((k) =>
      k.selectFrom('organisations').selectAll().orderBy('kind').orderBy('id').execute(),
    );
  }

  designations() {
    return this.db.read((k) =>
      k
        .selectFrom('tpe_designations')
        .selectAll()
        .orderBy('organisation_id')
        .orderBy('partnership')
        .orderBy('sectoral_scope')
        .orderBy('function')
        .execute(),
    );
  }

  /**
   * Waiting and overdue steps of a role (in a partnership), most urgent first: by due date, then
   * item, a page at a time (a due role always has a due date). With an organisation, only the items
   * of its projects, read in batches of `limit + 1` due items until the page is full, but at most
   * inboxBatchesMax of them: a page of an organisation with few steps among many may then hold fewer
   * than `limit` (even none) and a `next` that goes on after the last item read.
   */
  async inbox(
    role: CycleRole,
    partnership: string | undefined,
    organisation?: string,
    request: PageRequest = {},
  ): Promise<Result<Page<ReturnType<typeof inbox>[number]>>> {
    const start = afterKey(request, ['text', 'text']);
    if (!start.ok) return start;
    const limit = pageLimit(request);
    const today = dateOfClock(this.clock());
    type Row = Awaited<ReturnType<typeof this.dueRows>>[number];
    const rows: Row[] = [];
    /** Where reading stopped with more due items to read and the page not full. */
    let readTo: KeyPart[] | null = null;
    for (let after = start.value, batches = 1; ; batches += 1) {
      const batch = await this.dueRows(role, partnership, after, limit + 1);
      const kept =
        organisation === undefined ? batch : await this.concerning(batch, role, organisation);
      rows.push(...kept);
      const last = batch[batch.length - 1];
      if (rows.length > limit || batch.length <= limit || last === undefined) break;
      after = [last.due_date ?? '', last.id];
      if (batches === inboxBatchesMax) {
        readTo = after;
        break;
      }
    }
    const steps: OpenStep[] = rows.slice(0, limit + 1).map((r) => ({
      machine: r.machine as Machine,
      item: r.id,
      state: r.state,
      step: r.due_step ?? '',
      role,
      due: r.due_date,
    }));
    // In the database's order (due date, then id), which the cursor follows.
    const position = new Map(steps.map((step, i) => [step.item, i]));
    const entries = inbox(steps, role, today).sort(
      (a, b) => (position.get(a.item) ?? 0) - (position.get(b.item) ?? 0),
    );
    const page = pageOf(entries, limit, (e) => [e.due ?? '', e.item]);
    return ok(readTo === null ? page : { items: page.items, next: encodeCursor(readTo) });
  }

  /** Items due from a role, by due date and id, after a key (index cycle_items_due_page). */
  private dueRows(
    role: CycleRole,
    partnership: string | undefined,
    after: KeyPart[] | null,
    limit: number,
  ) {
    return this.db.read((k) => {
      let q = k
        .selectFrom('cycle_items')
        .selectAll()
        .where('due_role', '=', role)
        .where('due_date', 'is not', null)
        .where(keyAfter(['due_date', 'id'], after))
        .orderBy('due_date')
        .orderBy('id')
        .limit(limit);
      if (partnership !== undefined) q = q.where('partnership', '=', partnership);
      return q.execute();
    });
  }

  /**
   * The items whose project involves an organisation: as one of its participants, or as its TPE.
   * A monitoring period's project is its parent; an issuance request's, its grandparent.
   */
  private async concerning<R extends { parent_id: string | null; data: unknown }>(
    rows: readonly R[],
    role: CycleRole,
    organisation: string,
  ): Promise<R[]> {
    const projectIn = (data: unknown) => (data as { project?: ProjectData }).project;
    const known = new Map<string, { parent: string | null; project: ProjectData | undefined }>();
    let missing = [...new Set(rows.flatMap((r) => (r.parent_id === null ? [] : [r.parent_id])))];
    for (let depth = 0; depth < 2 && missing.length > 0; depth += 1) {
      const found = await this.brief(missing);
      for (const f of found) known.set(f.id, { parent: f.parent_id, project: projectIn(f.data) });
      missing = found.flatMap((f) =>
        projectIn(f.data) === undefined && f.parent_id !== null && !known.has(f.parent_id)
          ? [f.parent_id]
          : [],
      );
    }
    return rows.filter((r) => {
      let project = projectIn(r.data);
      for (let up = r.parent_id, i = 0; project === undefined && up !== null && i < 2; i += 1) {
        project = known.get(up)?.project;
        up = known.get(up)?.parent ?? null;
      }
      if (project === undefined) return true;
      return role === 'third_party_entity'
        ? project.tpe === organisation
        : [...project.participantsJapan, ...project.participantsPartner].includes(organisation);
    });
  }
}
