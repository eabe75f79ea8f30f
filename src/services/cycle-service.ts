// The project cycle's write pipeline: parse the envelope, read the item, compute the actor's roles
// for it, evaluate the guards, decide with the pure transition function, and apply the change, the
// documents, the findings and the event in one transaction. Everything refused changes nothing.
import { documentFileProblem } from '../core/cycle/document-file.ts';
import { parseInput } from './parse-input.ts';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { canonicalJson, type Json } from '../core/shared/canonical-json.ts';
import { parseIdempotencyKey } from '../core/shared/ids.ts';
import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import {
  cycleDefinition,
  type CycleRole,
  type DocumentType,
  type Machine,
} from '../core/cycle/definition.ts';
import { extraDocuments, rulesInForce, type Rulebook } from '../core/cycle/rulebook.ts';
import { decideTransition, guardsFor, type Transition } from '../core/cycle/transition.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { managesRegistry } from '../core/ledger/actor.ts';
import { dateOfInstant, type CivilDate } from '../core/shared/civil-date.ts';
import { ok, reject, type Rejection, type Result } from '../core/shared/result.ts';
import type { Db } from '../db/connect.ts';
import type { DocumentStore } from '../db/document-store.ts';
import type { Schema } from '../db/schema.ts';
import { reportFromShape } from '../formats/example-report.ts';
import { monitoringReportSchema } from '../core/methodology/format.ts';
import { evaluateGuards, type ItemRow } from './cycle-guards.ts';
import {
  actionSchema,
  designationSchema,
  documentBytesMax,
  organisationSchema,
  type ActionInput,
  type ProjectData,
} from './cycle-schemas.ts';
import type { LedgerService } from './ledger-service.ts';
import type { MethodologyCatalogue, MonitoringInput } from './methodology-catalogue.ts';

export interface ActionDone {
  readonly item: string;
  readonly machine: Machine;
  readonly from: string | null;
  readonly to: string;
  readonly due: Transition['due'];
  readonly reference: string | null;
  readonly event: bigint;
}

class Refused extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.message);
  }
}

const refuse = (code: Rejection['code'], message: string): never => {
  throw new Refused({ code, message });
};

interface StoredDocument {
  readonly type: DocumentType;
  readonly fileName: string;
  readonly mediaType: string;
  readonly publicSha256: string;
  readonly fullSha256: string | null;
  readonly bytes: number;
}

export class CycleService {
  constructor(
    private readonly db: Db,
    private readonly documents: DocumentStore,
    private readonly methodologies: MethodologyCatalogue,
    private readonly rulebooks: readonly Rulebook[],
    private readonly ledger: LedgerService,
    private readonly clock: () => string,
  ) {}

  /** Registers an organisation (administrators and secretariats). */
  async registerOrganisation(
    input: z.input<typeof organisationSchema>,
    actor: Actor,
  ): Promise<Result<{ id: string }>> {
    if (!actor.roles.some((r) => r.kind === 'administrator' || r.kind === 'secretariat')) {
      return reject(
        'actor_not_authorised',
        'administrators and secretariats register organisations',
      );
    }
    const parsed = parseInput(organisationSchema, input);
    if (!parsed.ok) return parsed;
    const exists = await this.db.read((k) =>
      k
        .selectFrom('organisations')
        .select('id')
        .where('id', '=', parsed.value.id)
        .executeTakeFirst(),
    );
    if (exists !== undefined)
      return reject('organisation_already_exists', `organisation ${parsed.value.id} exists`);
    await this.db.transaction((trx) =>
      trx
        .insertInto('organisations')
        .values({ ...parsed.value, created_at: this.clock() })
        .execute(),
    );
    return ok({ id: parsed.value.id });
  }

  /** Records a TPE designation of the Joint Committee of a partnership. */
  async designateTpe(
    input: z.input<typeof designationSchema>,
    actor: Actor,
  ): Promise<Result<{ designations: number }>> {
    const parsed = parseInput(designationSchema, input);
    if (!parsed.ok) return parsed;
    const d = parsed.value;
    if (!actor.roles.some((r) => r.kind === 'joint_committee' && r.partnership === d.partnership)) {
      return reject(
        'actor_not_authorised',
        `the Joint Committee of ${d.partnership} designates TPEs`,
      );
    }
    const organisation = await this.db.read((k) =>
      k
        .selectFrom('organisations')
        .select('kind')
        .where('id', '=', d.organisation)
        .executeTakeFirst(),
    );
    if (organisation?.kind !== 'third_party_entity')
      return reject(
        'organisation_not_found',
        `${d.organisation} is not a registered third-party entity`,
      );
    const rows = d.sectoralScopes.flatMap((scope) =>
      d.functions.map((fn) => ({
        organisation_id: d.organisation,
        partnership: d.partnership,
        sectoral_scope: scope,
        function: fn,
        accreditation: d.accreditation,
        valid_from: d.validFrom,
        valid_until: d.validUntil,
        decision_id: d.decision ?? null,
      })),
    );
    await this.db.transaction((trx) => trx.insertInto('tpe_designations').values(rows).execute());
    return ok({ designations: rows.length });
  }

  /**
   * Takes one action. With an idempotency key, a repeated request returns the first result and
   * changes nothing; the same key with another request is refused.
   */
  async act(
    action: string,
    raw: unknown,
    actor: Actor,
    idempotencyKey?: string,
  ): Promise<Result<ActionDone>> {
    const parsed = parseInput(actionSchema, raw);
    if (!parsed.ok) return parsed;
    let requestHash: string;
    try {
      requestHash = createHash('sha256')
        .update(canonicalJson({ action, actor: actor.id, raw: raw as Json }))
        .digest('hex');
    } catch {
      return reject('invalid_request', 'the request holds a number JSON cannot carry (NaN or ±∞)');
    }
    if (idempotencyKey !== undefined) {
      const key = parseIdempotencyKey(idempotencyKey);
      if (!key.ok) return key;
      const earlier = await this.earlierRequest(idempotencyKey);
      if (earlier !== undefined) return replay(earlier, requestHash);
    }
    const done = await this.actOnce(
      action,
      parsed.value,
      actor,
      idempotencyKey === undefined ? null : { key: idempotencyKey, requestHash },
    );
    if (!done.ok && done.error.code === 'cycle_item_changed' && idempotencyKey !== undefined) {
      // A concurrent request with the same key won the race: answer with its result.
      const earlier = await this.earlierRequest(idempotencyKey);
      if (earlier !== undefined) return replay(earlier, requestHash);
    }
    return done;
  }

  private earlierRequest(key: string) {
    return this.db.read((k) =>
      k.selectFrom('cycle_idempotency').selectAll().where('key', '=', key).executeTakeFirst(),
    );
  }

  private async actOnce(
    action: string,
    input: ActionInput,
    actor: Actor,
    idempotency: { key: string; requestHash: string } | null,
  ): Promise<Result<ActionDone>> {
    const now = this.clock();
    const today = dateOfInstant(now) as CivilDate;
    try {
      const stored = await this.storeDocuments(input);
      const prepared = await this.prepare(action, input);
      if (action === 'decide_issuance') {
        // The ledger records the notified decision first (idempotent); see docs/ARCHITECTURE.md.
        await this.db.transaction((trx) =>
          this.apply(trx, action, input, actor, now, today, stored, prepared, true),
        );
        await this.recordLedgerDecision(input, actor);
      }
      const done = await this.db.transaction(async (trx) => {
        const result = await this.apply(
          trx,
          action,
          input,
          actor,
          now,
          today,
          stored,
          prepared,
          false,
        );
        if (idempotency !== null) {
          const inserted = await trx
            .insertInto('cycle_idempotency')
            .values({
              key: idempotency.key,
              request_hash: idempotency.requestHash,
              result: JSON.stringify({ ...result, event: result.event.toString() }),
              at: now,
            })
            .onConflict((oc) => oc.column('key').doNothing())
            .returning('key')
            .executeTakeFirst();
          if (inserted === undefined)
            refuse('cycle_item_changed', 'a request with the same idempotency key came first');
        }
        return result;
      });
      return ok(done);
    } catch (error) {
      if (error instanceof Refused) return { ok: false, error: error.rejection };
      throw error;
    }
  }

  /** Work done before the transaction: the monitoring calculation by the methodology engine. */
  private async prepare(action: string, input: ActionInput): Promise<{ calculation?: unknown }> {
    if (action !== 'submit_monitoring_report' && action !== 'resubmit_monitoring_report') return {};
    const projectId =
      action === 'submit_monitoring_report' ? input.parent : await this.parentOf(input.item);
    const project = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .selectAll()
        .where('id', '=', projectId ?? '')
        .executeTakeFirst(),
    );
    const data = (project?.data as { project?: ProjectData } | undefined)?.project;
    if (data === undefined)
      return refuse('cycle_input_incomplete', 'name the registered project in `parent`');
    const methodology = this.methodologies.get(data.methodology.id, data.methodology.version);
    if (methodology === undefined)
      return refuse(
        'methodology_not_found',
        `${data.methodology.id} v${data.methodology.version} is not in the catalogue`,
      );
    const calculated = await this.methodologies.calculate(methodology, monitoringInputOf(input));
    if (!calculated.ok) {
      throw new Refused({
        code: 'monitoring_report_invalid',
        message: calculated.issues
          .slice(0, 20)
          .map((i) => `${i.where}: ${i.message}`)
          .join('; '),
        details: { issues: calculated.issues.map((i) => `${i.where}: ${i.message} (${i.code})`) },
      });
    }
    return {
      calculation: JSON.parse(
        JSON.stringify(calculated.result, (_k, v: unknown) =>
          typeof v === 'bigint' ? v.toString() : v,
        ),
      ),
    };
  }

  private async parentOf(item: string | undefined): Promise<string | undefined> {
    const row = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select('parent_id')
        .where('id', '=', item ?? '')
        .executeTakeFirst(),
    );
    return row?.parent_id ?? undefined;
  }

  private async storeDocuments(input: ActionInput): Promise<StoredDocument[]> {
    const stored: StoredDocument[] = [];
    for (const d of input.documents) {
      const publicBytes = Buffer.from(d.content, 'base64');
      const fullBytes = d.fullContent === undefined ? null : Buffer.from(d.fullContent, 'base64');
      if (
        publicBytes.byteLength > documentBytesMax ||
        (fullBytes?.byteLength ?? 0) > documentBytesMax
      ) {
        refuse('payload_too_large', `${d.fileName} exceeds ${documentBytesMax} bytes`);
      }
      for (const bytes of fullBytes === null ? [publicBytes] : [publicBytes, fullBytes]) {
        const problem = documentFileProblem(d.fileName, d.mediaType, bytes);
        if (problem !== null) refuse('cycle_document_type_not_accepted', problem);
      }
      const put = await this.documents.put(publicBytes);
      const full = fullBytes === null ? null : await this.documents.put(fullBytes);
      stored.push({
        type: d.type,
        fileName: d.fileName,
        mediaType: d.mediaType,
        publicSha256: put.sha256,
        fullSha256: full?.sha256 ?? null,
        bytes: put.bytes,
      });
    }
    return stored;
  }

  private async recordLedgerDecision(input: ActionInput, actor: Actor): Promise<void> {
    const item = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .selectAll()
        .where('id', '=', input.item ?? '')
        .executeTakeFirst(),
    );
    const data = item?.data as
      | {
          monitoring?: string;
          allocation?: NonNullable<ActionInput['allocation']>;
          verified?: Record<string, string>;
        }
      | undefined;
    const project = await this.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select('reference')
        .where('id', '=', item?.parent_id ?? '')
        .executeTakeFirst(),
    );
    const lines = input.allocation ?? data?.allocation ?? [];
    const result = await this.ledger.execute(
      'record_issuance_decision',
      {
        decision: input.decision ?? '',
        project: project?.reference ?? '',
        verification: {
          reference: data?.monitoring ?? '',
          reductions: Object.entries(data?.verified ?? {}).map(([vintage, quantity]) => ({
            vintage,
            quantity,
          })),
        },
        lines: lines.map((l) => ({
          registry: l.registry,
          account: l.account,
          vintage: l.vintage,
          quantity: l.quantity,
        })),
      },
      actor,
      `cycle-${input.item ?? ''}-decide-issuance`,
    );
    if (!result.ok) throw new Refused(result.error);
  }

  private async apply(
    trx: Transaction<Schema>,
    action: string,
    input: ActionInput,
    actor: Actor,
    now: string,
    today: CivilDate,
    stored: readonly StoredDocument[],
    prepared: { calculation?: unknown },
    dryRun: boolean,
  ): Promise<ActionDone> {
    const item = input.item === undefined ? null : await lockItem(trx, input.item);
    if (input.item !== undefined && item === null)
      refuse('cycle_item_not_found', `no cycle item ${input.item}`);
    const creating =
      item === null
        ? cycleDefinition.find((r) => r.from === null && r.action === action)
        : undefined;
    if (item === null && creating === undefined) {
      if (cycleDefinition.some((r) => r.action === action))
        refuse('cycle_item_required', `${action} acts on an existing item`);
      refuse('cycle_action_unknown', `no cycle action ${action}`);
    }
    const machine = (item?.machine ?? creating?.machine) as Machine;
    const parent = await this.parentItem(trx, machine, item, input);
    const partnership = item?.partnership ?? parent?.partnership ?? input.partnership;
    if (partnership === undefined)
      return refuse('cycle_input_incomplete', 'name the partnership in `partnership`');
    const project = projectOf(item, parent, input);
    const rules = rulesInForce(this.rulebooks, partnership, project?.programme ?? null, today);
    const onFile = new Set<DocumentType>(stored.map((d) => d.type));
    if (item !== null) {
      const rows = await trx
        .selectFrom('cycle_documents')
        .select('type')
        .where('item_id', '=', item.id)
        .execute();
      for (const r of rows) onFile.add(r.type as DocumentType);
    }
    const state = item?.state ?? null;
    const guardOutcomes = await evaluateGuards(guardsFor(machine, state, action), {
      trx,
      item,
      action,
      input,
      project,
      rules,
      today,
      actor,
    });
    const decided = decideTransition({
      machine,
      state,
      action,
      actorRoles: cycleRolesOf(actor, { partnership, project, item, input }),
      documents: onFile,
      extraDocuments: extraDocuments(rules, action),
      guardOutcomes,
      today,
    });
    if (!decided.ok) throw new Refused(decided.error);
    const transition = decided.value;
    if (dryRun)
      return {
        item: item?.id ?? '',
        machine,
        from: state,
        to: transition.to,
        due: transition.due,
        reference: item?.reference ?? null,
        event: 0n,
      };

    const id = item?.id ?? (await newItemId(trx, machine, partnership, parent, today));
    const data = {
      ...(item?.data ?? {}),
      ...(await this.effects(trx, action, input, actor, now, id, item, prepared)),
    };
    const reference =
      action === 'register_project'
        ? await nextCounter(trx, `ref:${partnership}`).then(
            (n) => `${partnership}${String(n).padStart(3, '0')}`,
          )
        : (item?.reference ?? null);
    const due = transition.due;
    if (item === null) {
      await trx
        .insertInto('cycle_items')
        .values({
          id,
          machine,
          partnership,
          parent_id: parent?.id ?? null,
          state: transition.to,
          reference,
          data: JSON.stringify(data),
          due_date: due?.date ?? null,
          due_role: due?.role ?? null,
          due_step: due?.step ?? null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } else {
      await trx
        .updateTable('cycle_items')
        .set({
          state: transition.to,
          reference,
          data: JSON.stringify(data),
          due_date: due?.date ?? null,
          due_role: due?.role ?? null,
          due_step: due?.step ?? null,
          version: sql<number>`version + 1`,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    }
    for (const d of stored) {
      const latest = await trx
        .selectFrom('cycle_documents')
        .select((e) => e.fn.max('version').as('v'))
        .where('item_id', '=', id)
        .where('type', '=', d.type)
        .executeTakeFirst();
      await trx
        .insertInto('cycle_documents')
        .values({
          item_id: id,
          type: d.type,
          version: Number(latest?.v ?? 0) + 1,
          file_name: d.fileName,
          media_type: d.mediaType,
          public_sha256: d.publicSha256,
          full_sha256: d.fullSha256,
          bytes: BigInt(d.bytes),
          uploaded_by: actor.id,
          uploaded_at: now,
        })
        .execute();
    }
    const event = await trx
      .insertInto('cycle_events')
      .values({
        item_id: id,
        action,
        from_state: state,
        to_state: transition.to,
        actor: actor.id,
        at: now,
        payload: JSON.stringify({
          note: input.note,
          documents: stored.map((d) => ({ type: d.type, sha256: d.publicSha256 })),
          ...(input.decision === undefined ? {} : { decision: input.decision }),
          ...(input.finding === undefined ? {} : { finding: input.finding }),
          ...(due === null ? {} : { due }),
        }),
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return {
      item: id,
      machine,
      from: state,
      to: transition.to,
      due,
      reference,
      event: BigInt(event.seq),
    };
  }

  private async parentItem(
    trx: Transaction<Schema>,
    machine: Machine,
    item: ItemRow | null,
    input: ActionInput,
  ): Promise<ItemRow | null> {
    const parentId =
      item?.parent_id ??
      (machine === 'monitoring' || machine === 'issuance' || machine === 'decision'
        ? (input.parent ?? input.subject?.item)
        : undefined);
    if (parentId === undefined || parentId === null) return null;
    const row = await trx
      .selectFrom('cycle_items')
      .selectAll()
      .where('id', '=', parentId)
      .executeTakeFirst();
    if (row === undefined) return refuse('cycle_item_not_found', `no cycle item ${parentId}`);
    // An issuance request belongs to the project of its monitoring period.
    if (machine === 'issuance' && row.machine === 'monitoring' && item === null) {
      const project = await trx
        .selectFrom('cycle_items')
        .selectAll()
        .where('id', '=', row.parent_id ?? '')
        .executeTakeFirst();
      return (project as ItemRow | undefined) ?? null;
    }
    return row as ItemRow;
  }

  /** The item data an action changes, and the rows it touches besides the item. */
  private async effects(
    trx: Transaction<Schema>,
    action: string,
    input: ActionInput,
    actor: Actor,
    now: string,
    id: string,
    item: ItemRow | null,
    prepared: { calculation?: unknown },
  ): Promise<Record<string, unknown>> {
    switch (action) {
      case 'submit_pin':
      case 'submit_pdd':
      case 'resubmit_pdd':
      case 'resubmit_pin':
        if (input.project === undefined)
          return refuse(
            'cycle_input_incomplete',
            `${action} needs the project data in \`project\``,
          );
        return { project: input.project };
      case 'propose_decision':
        if (input.subject === undefined)
          return refuse('cycle_input_incomplete', 'a decision needs its `subject`');
        return { subject: input.subject, confirmations: {} };
      case 'confirm_decision': {
        const confirmations = {
          ...((item?.data.confirmations as Record<string, string> | undefined) ?? {}),
        };
        for (const role of actor.roles) {
          if (role.kind === 'government_japan') confirmations.government_japan = now;
          if (role.kind === 'government_partner' && role.partnership === item?.partnership)
            confirmations.government_partner = now;
        }
        return { confirmations };
      }
      case 'adopt_decision':
        return { adoptedAt: now, method: input.method ?? 'meeting' };
      case 'raise_finding':
      case 'answer_finding':
      case 'close_finding':
        await applyFinding(trx, action, input, actor, now, id);
        return {};
      case 'request_registration':
      case 'resubmit_registration':
        return { allocation: input.allocation };
      case 'submit_monitoring_report':
      case 'resubmit_monitoring_report':
        return { calculation: prepared.calculation };
      case 'issue_verification':
        return { verified: input.verified };
      case 'request_issuance': {
        await trx
          .updateTable('cycle_items')
          .set({ data: sql`data || ${JSON.stringify({ usedBy: id })}::jsonb` })
          .where('id', '=', input.parent ?? '')
          .execute();
        const monitoring = await trx
          .selectFrom('cycle_items')
          .select('data')
          .where('id', '=', input.parent ?? '')
          .executeTakeFirst();
        return {
          monitoring: input.parent,
          allocation: input.allocation,
          verified: (monitoring?.data as { verified?: unknown } | undefined)?.verified,
        };
      }
      case 'resubmit_issuance':
        return input.allocation === undefined ? {} : { allocation: input.allocation };
      case 'withdraw_issuance_request':
        await trx
          .updateTable('cycle_items')
          .set({ data: sql`data - 'usedBy'` })
          .where('id', '=', String(item?.data.monitoring ?? ''))
          .execute();
        return {};
      case 'confirm_issued': {
        const confirmations = {
          ...((item?.data.registryConfirmations as Record<string, string> | undefined) ?? {}),
        };
        for (const role of actor.roles)
          if (role.kind === 'registry_manager') confirmations[role.registry] = now;
        return { registryConfirmations: confirmations };
      }
      case 'approve_methodology':
      case 'approve_methodology_with_revisions': {
        // A first approval is version 1.0; each approved revision raises the major version.
        const previous =
          typeof item?.data.version === 'string' ? Number(item.data.version.split('.')[0]) : 0;
        return {
          version: `${previous + 1}.0`,
          approvedWithRevisions: action === 'approve_methodology_with_revisions',
        };
      }
      case 'decide_issuance':
        return {
          ledgerDecision: input.decision,
          ...(input.allocation === undefined ? {} : { allocation: input.allocation }),
        };
      default:
        return {};
    }
  }
}

/**
 * The monitoring data of a report: the filled monitoring spreadsheet filed with it (XLSX or CSV), or
 * else the JSON in `monitoring`.
 */
function monitoringInputOf(input: ActionInput): MonitoringInput {
  const sheet = input.documents.find((d) => d.type === 'monitoring_spreadsheet');
  if (sheet !== undefined && sheet.mediaType === xlsxMediaType) {
    return { kind: 'xlsx', bytes: new Uint8Array(Buffer.from(sheet.content, 'base64')) };
  }
  if (sheet !== undefined && sheet.mediaType === 'text/csv') {
    return { kind: 'csv', text: Buffer.from(sheet.content, 'base64').toString('utf8') };
  }
  const shape = monitoringReportSchema.safeParse(input.monitoring);
  if (!shape.success) {
    return refuse(
      'cycle_input_incomplete',
      'file the monitoring spreadsheet (XLSX or CSV) or give the data in `monitoring`',
    );
  }
  return { kind: 'report', report: reportFromShape(shape.data, 'monitoring') };
}

const xlsxMediaType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function replay(
  earlier: { request_hash: string; result: unknown },
  requestHash: string,
): Result<ActionDone> {
  if (earlier.request_hash !== requestHash) {
    return reject(
      'idempotency_key_reused_with_different_input',
      'this idempotency key was used for another request; nothing was done',
    );
  }
  const stored = (
    typeof earlier.result === 'string' ? JSON.parse(earlier.result) : earlier.result
  ) as ActionDone & { event: string };
  return ok({ ...stored, event: BigInt(stored.event) });
}

async function lockItem(trx: Transaction<Schema>, id: string): Promise<ItemRow | null> {
  const row = await trx
    .selectFrom('cycle_items')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return (row as ItemRow | undefined) ?? null;
}

async function nextCounter(trx: Transaction<Schema>, key: string): Promise<number> {
  const row = await trx
    .insertInto('cycle_counters')
    .values({ key, value: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: sql<number>`cycle_counters.value + 1` }),
    )
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}

async function newItemId(
  trx: Transaction<Schema>,
  machine: Machine,
  partnership: string,
  parent: ItemRow | null,
  today: CivilDate,
): Promise<string> {
  const three = (n: number) => String(n).padStart(3, '0');
  switch (machine) {
    case 'pin':
      return `${partnership}_PIN${three(await nextCounter(trx, `pin:${partnership}`))}`;
    case 'methodology':
      return `${partnership}_PM${three(await nextCounter(trx, `pm:${partnership}`))}`;
    case 'project':
      return `${partnership}-PRJ${three(await nextCounter(trx, `project:${partnership}`))}`;
    case 'monitoring':
      return `${parent?.id ?? partnership}-MP${await nextCounter(trx, `mp:${parent?.id ?? ''}`)}`;
    case 'issuance':
      return `${parent?.id ?? partnership}-IR${await nextCounter(trx, `ir:${parent?.id ?? ''}`)}`;
    case 'decision':
      return `JC-${partnership}-${today.year}-${three(await nextCounter(trx, `jc:${partnership}:${today.year}`))}`;
  }
}

function projectOf(
  item: ItemRow | null,
  parent: ItemRow | null,
  input: ActionInput,
): ProjectData | null {
  const fromItem = (item?.data as { project?: ProjectData } | undefined)?.project;
  const fromParent = (parent?.data as { project?: ProjectData } | undefined)?.project;
  return input.project ?? fromItem ?? fromParent ?? null;
}

/** The cycle roles an actor holds for this item: participants of its project, its TPE, the bodies of its partnership. */
function cycleRolesOf(
  actor: Actor,
  ctx: {
    partnership: string;
    project: ProjectData | null;
    item: ItemRow | null;
    input: ActionInput;
  },
): CycleRole[] {
  const roles = new Set<CycleRole>();
  const participants = new Set([
    ...(ctx.project?.participantsJapan ?? []),
    ...(ctx.project?.participantsPartner ?? []),
  ]);
  for (const role of actor.roles) {
    switch (role.kind) {
      case 'project_participant':
        // A methodology proposal has no project yet: any participant may propose one.
        if (
          participants.has(role.organisation) ||
          (ctx.project === null && ctx.item?.machine !== 'project')
        )
          roles.add('project_participant');
        break;
      case 'third_party_entity':
        if (ctx.project?.tpe === role.organisation) roles.add('third_party_entity');
        break;
      case 'secretariat':
      case 'joint_committee':
      case 'government_partner':
        if (role.partnership === ctx.partnership) roles.add(role.kind);
        break;
      case 'government_japan':
        roles.add('government_japan');
        break;
      case 'registry_manager': {
        const lines = (ctx.item?.data.allocation as { registry: string }[] | undefined) ?? [];
        if (lines.some((l) => managesRegistry(actor, l.registry as never)))
          roles.add('registry_manager');
        break;
      }
      default:
        break;
    }
  }
  return [...roles];
}

async function applyFinding(
  trx: Transaction<Schema>,
  action: string,
  input: ActionInput,
  actor: Actor,
  now: string,
  itemId: string,
): Promise<void> {
  const finding = input.finding;
  if (action === 'raise_finding') {
    if (finding === undefined || !('kind' in finding))
      return refuse('cycle_input_incomplete', 'raise a finding with `finding: {kind, text}`');
    await trx
      .insertInto('cycle_findings')
      .values({
        item_id: itemId,
        kind: finding.kind,
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
  if (finding === undefined || !('id' in finding))
    return refuse('cycle_input_incomplete', `${action} names the finding with \`finding: {id}\``);
  const row = await trx
    .selectFrom('cycle_findings')
    .selectAll()
    .where('id', '=', BigInt(finding.id))
    .where('item_id', '=', itemId)
    .where('state', '<>', 'closed')
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined)
    return refuse('cycle_finding_not_found', `no open finding ${finding.id} on ${itemId}`);
  if (action === 'answer_finding') {
    if (!('answer' in finding))
      return refuse('cycle_input_incomplete', 'answer a finding with `finding: {id, answer}`');
    await trx
      .updateTable('cycle_findings')
      .set({ state: 'answered', answer: finding.answer })
      .where('id', '=', row.id)
      .execute();
  } else {
    await trx
      .updateTable('cycle_findings')
      .set({ state: 'closed', closed_at: now })
      .where('id', '=', row.id)
      .execute();
  }
}
