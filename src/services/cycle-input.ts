// From the wire envelope to the core's typed action: each action takes exactly its own parts (a part
// it does not take is refused, so nobody can slip project data or a decision into an action that
// must use the stored ones), the documents are decoded, checked and hashed, and a monitoring report
// is calculated by the methodology engine with the methodology of the stored project.
import { Buffer } from 'node:buffer';
import type { CycleAction, CycleActionType, FiledDocument } from '../core/cycle/actions.ts';
import {
  commentingActions,
  decisionActions,
  designateTpe,
  plainActions,
} from '../core/cycle/actions.ts';
import { documentFileProblem } from '../core/cycle/document-file.ts';
import type { AllocationLineData, CalculationData, DesignationTerms } from '../core/cycle/items.ts';
import { monitoringReportSchema } from '../core/methodology/format.ts';
import { jsonText } from '../core/shared/json-text.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import { sha256OfBytes } from '../db/sha256.ts';
import { reportFromShape } from '../formats/example-report.ts';
import { actionSchema, documentBytesMax, type ActionInput } from './cycle-schemas.ts';
import type { MethodologyCatalogue, MonitoringInput } from './methodology-catalogue.ts';
import { checkFiledMethodologies } from './methodology-adoption.ts';
import { parseInput } from './parse-input.ts';

type Part =
  | 'item'
  | 'partnership'
  | 'parent'
  | 'project'
  | 'allocation'
  | 'decision'
  | 'finding'
  | 'subject'
  | 'method'
  | 'verified'
  | 'monitoring'
  | 'creditingPeriod'
  | 'comments'
  | 'designation';

interface Parts {
  readonly required: readonly Part[];
  readonly optional?: readonly Part[];
}

/** The parts of the envelope each action takes; every other part is refused. */
export const actionParts: Readonly<Record<CycleActionType, Parts>> = {
  submit_pin: { required: ['partnership', 'project'] },
  submit_pdd: { required: ['partnership', 'project'] },
  resubmit_pin: { required: ['item', 'project'] },
  resubmit_pdd: { required: ['item', 'project'] },
  propose_methodology: { required: ['partnership'] },
  submit_monitoring_report: { required: ['parent'], optional: ['monitoring'] },
  resubmit_monitoring_report: { required: ['item'], optional: ['monitoring'] },
  request_issuance: { required: ['parent', 'allocation'] },
  // A decision hangs under its subject; `parent`, if given, must name the same item.
  // An issuance decision may decide another allocation than the one requested.
  // A decision to designate a TPE also takes `partnership` and `designation` (designationParts).
  propose_decision: { required: ['subject'], optional: ['parent', 'allocation'] },
  raise_finding: { required: ['item', 'finding'] },
  answer_finding: { required: ['item', 'finding'] },
  close_finding: { required: ['item', 'finding'] },
  request_registration: { required: ['item', 'allocation'] },
  resubmit_registration: { required: ['item', 'allocation'] },
  resubmit_issuance: { required: ['item'], optional: ['allocation'] },
  // The allocation is the one the adopted decision decided.
  decide_issuance: { required: ['item', 'decision'] },
  issue_verification: { required: ['item', 'verified'] },
  adopt_decision: { required: ['item'], optional: ['method'] },
  request_post_registration_change: { required: ['item', 'project'] },
  request_reference_assessment: { required: ['item', 'project'] },
  request_renewal: { required: ['item', 'creditingPeriod'] },
  ...Object.fromEntries(decisionActions.map((a) => [a, { required: ['item', 'decision'] }])),
  ...Object.fromEntries(plainActions.map((a) => [a, { required: ['item'] }])),
  // The secretariat's completeness and the TPE's validation report may refer to public comments.
  ...Object.fromEntries(
    commentingActions.map((a) => [a, { required: ['item'], optional: ['comments'] }]),
  ),
} as unknown as Record<CycleActionType, Parts>;

/** A decoded document: what the core sees, and the bytes the store writes after the decision. */
export interface DocumentFile {
  readonly filed: FiledDocument;
  readonly content: Uint8Array;
  readonly fullContent: Uint8Array | null;
}

export interface ParsedCycleAction {
  readonly action: CycleAction;
  readonly files: readonly DocumentFile[];
}

/** What parsing needs to read: the catalogue, and the methodology of a monitoring report's project. */
export interface CycleInputDeps {
  readonly methodologies: MethodologyCatalogue;
  /** The stored project data of a monitoring report (by its project, or by the report itself). */
  projectMethodology(parentOrItem: {
    parent?: string;
    item?: string;
  }): Promise<{ id: string; version: string } | null>;
  /**
   * Whether a partnership has a record (partnerships/*.yaml, stored at start and not written by any
   * command afterwards, so this read may run before the action's transaction without a race).
   */
  partnershipKnown(code: string): Promise<boolean>;
  /** The partnership of a stored item (it never changes), for actions on an existing item. */
  itemPartnership(id: string): Promise<string | null>;
  /** The activities the partnership's rulebook lists as eligible for Article 6.2, or null. */
  listedActivities(partnership: string): readonly string[] | null;
}

export async function parseCycleAction(
  name: string,
  raw: unknown,
  deps: CycleInputDeps,
): Promise<Result<ParsedCycleAction>> {
  const parts = (actionParts as Record<string, Parts | undefined>)[name];
  if (parts === undefined)
    return reject('cycle_action_unknown', `no cycle action ${name.slice(0, 64)}`);
  const parsed = parseInput(actionSchema, raw);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const shape = checkParts(name as CycleActionType, parts, input);
  if (!shape.ok) return shape;
  // A new item belongs to a partnership that exists as a record, not to any two letters.
  if (input.partnership !== undefined && !(await deps.partnershipKnown(input.partnership)))
    return reject(
      'partnership_not_found',
      `no partnership ${input.partnership} has a record on this platform`,
    );
  const files = decodeDocuments(input);
  if (!files.ok) return files;
  const filed = await checkFiledMethodologies(files.value, input, deps);
  if (!filed.ok) return filed;
  const common = {
    documents: files.value.map((f) => f.filed),
    note: input.note,
    ...(input.comments === undefined ? {} : { comments: input.comments }),
  };
  const action = await typedAction(name as CycleActionType, input, deps);
  if (!action.ok) return action;
  return ok({
    action: { ...common, ...action.value } as unknown as CycleAction,
    files: files.value,
  });
}

function checkParts(name: CycleActionType, parts: Parts, input: ActionInput): Result<true> {
  const allowed = new Set<Part>([
    ...parts.required,
    ...(parts.optional ?? []),
    ...(name === 'propose_decision' && input.subject?.action === designateTpe
      ? (['partnership', 'designation'] as const)
      : []),
  ]);
  const given = (Object.keys(input) as (keyof ActionInput)[]).filter(
    (k) => k !== 'documents' && k !== 'note' && input[k] !== undefined,
  ) as Part[];
  const foreign = given.filter((p) => !allowed.has(p));
  if (foreign.length > 0) {
    return reject(
      'invalid_request',
      `${name} does not take ${foreign.map((p) => `\`${p}\``).join(', ')}: ${
        foreign.includes('project')
          ? 'the stored project data applies'
          : foreign.includes('item')
            ? 'it creates a new item'
            : 'this part belongs to other actions'
      }`,
    );
  }
  const missing = parts.required.filter((p) => input[p] === undefined);
  if (missing.length > 0) {
    if (missing.includes('item') && parts.required.length > 0)
      return reject('cycle_item_required', `${name} acts on an existing item: name it in \`item\``);
    return reject(
      'cycle_input_incomplete',
      `${name} needs ${missing.map((p) => `\`${p}\``).join(', ')}`,
    );
  }
  if (
    name === 'propose_decision' &&
    input.parent !== undefined &&
    input.parent !== input.subject?.item
  )
    return reject('invalid_request', '`parent` and `subject.item` name different items');
  if (
    name === 'propose_decision' &&
    input.allocation !== undefined &&
    input.subject?.action !== 'decide_issuance'
  )
    return reject('invalid_request', 'only an issuance decision decides an allocation');
  return name === 'propose_decision' ? designationParts(input) : ok(true);
}

/**
 * A decision to designate a TPE is about an organisation, not a cycle item: it names the partnership
 * and the terms (and no `parent`); no other decision names either.
 */
function designationParts(input: ActionInput): Result<true> {
  // Other decisions were refused these parts by checkParts, as parts of other actions.
  if (input.subject?.action !== designateTpe) return ok(true);
  if (input.parent !== undefined)
    return reject('invalid_request', `a decision to ${designateTpe} has no \`parent\``);
  if (input.partnership === undefined || input.designation === undefined)
    return reject(
      'cycle_input_incomplete',
      `a decision to ${designateTpe} needs \`partnership\` and \`designation\``,
    );
  return ok(true);
}

function decodeDocuments(input: ActionInput): Result<DocumentFile[]> {
  const files: DocumentFile[] = [];
  for (const d of input.documents) {
    const content = new Uint8Array(Buffer.from(d.content, 'base64'));
    const full =
      d.fullContent === undefined ? null : new Uint8Array(Buffer.from(d.fullContent, 'base64'));
    if (content.byteLength > documentBytesMax || (full?.byteLength ?? 0) > documentBytesMax)
      return reject('payload_too_large', `${d.fileName} exceeds ${documentBytesMax} bytes`);
    for (const bytes of full === null ? [content] : [content, full]) {
      const problem = documentFileProblem(d.fileName, d.mediaType, bytes);
      if (problem !== null) return reject('cycle_document_type_not_accepted', problem);
    }
    files.push({
      filed: {
        type: d.type,
        fileName: d.fileName,
        mediaType: d.mediaType,
        sha256: sha256OfBytes(content),
        fullSha256: full === null ? null : sha256OfBytes(full),
        bytes: content.byteLength,
      },
      content,
      fullContent: full,
    });
  }
  return ok(files);
}

type ActionParts = Omit<CycleAction, 'documents' | 'note'>;

/** The action's own parts, typed; the required ones are known to be present. */
async function typedAction(
  type: CycleActionType,
  input: ActionInput,
  deps: CycleInputDeps,
): Promise<Result<ActionParts>> {
  const allocation = (input.allocation ?? null) as readonly AllocationLineData[] | null;
  switch (type) {
    case 'submit_monitoring_report':
    case 'resubmit_monitoring_report': {
      const calculation = await calculate(type, input, deps);
      if (!calculation.ok) return calculation;
      return ok({
        type,
        ...(type === 'submit_monitoring_report' ? { parent: input.parent } : { item: input.item }),
        calculation: calculation.value,
      } as unknown as ActionParts);
    }
    case 'raise_finding':
    case 'answer_finding':
    case 'close_finding':
      return findingAction(type, input);
    case 'issue_verification':
      return ok({
        type,
        item: input.item,
        verified: Object.fromEntries(
          Object.entries(input.verified ?? {}).map(([v, q]) => [v, BigInt(q)]),
        ),
      } as ActionParts);
    case 'adopt_decision':
      return ok({ type, item: input.item, method: input.method ?? 'meeting' } as ActionParts);
    case 'resubmit_issuance':
      return ok({ type, item: input.item, allocation } as ActionParts);
    case 'propose_decision':
      return ok({
        type,
        subject: input.subject,
        allocation,
        ...(input.partnership === undefined ? {} : { partnership: input.partnership }),
        ...(input.designation === undefined
          ? {}
          : { designation: designationTerms(input.designation) }),
      } as ActionParts);
    default:
      // Every other action is its type and the parts checkParts let through.
      return ok({
        type,
        ...Object.fromEntries(
          Object.entries(input).filter(
            ([k, v]) => k !== 'documents' && k !== 'note' && k !== 'comments' && v !== undefined,
          ),
        ),
      } as ActionParts);
  }
}

/** Terms compared as sets: scopes and functions sorted, each once. */
export function designationTerms(d: {
  readonly sectoralScopes: readonly number[];
  readonly functions: readonly ('validation' | 'verification')[];
  readonly validFrom: string;
  readonly validUntil: string;
}): DesignationTerms {
  return {
    sectoralScopes: [...new Set(d.sectoralScopes)].sort((a, b) => a - b),
    functions: [...new Set(d.functions)].sort(),
    validFrom: d.validFrom,
    validUntil: d.validUntil,
  };
}

function findingAction(
  type: 'raise_finding' | 'answer_finding' | 'close_finding',
  input: ActionInput,
): Result<ActionParts> {
  const finding = input.finding;
  if (type === 'raise_finding') {
    return finding !== undefined && 'kind' in finding
      ? ok({ type, item: input.item, finding } as ActionParts)
      : reject('cycle_input_incomplete', 'raise a finding with `finding: {kind, text}`');
  }
  if (finding === undefined || !('id' in finding))
    return reject('cycle_input_incomplete', `${type} names the finding with \`finding: {id}\``);
  if (type === 'answer_finding' && !('answer' in finding))
    return reject('cycle_input_incomplete', 'answer a finding with `finding: {id, answer}`');
  return ok({
    type,
    item: input.item,
    finding:
      'answer' in finding
        ? { id: BigInt(finding.id), answer: finding.answer }
        : { id: BigInt(finding.id) },
  } as ActionParts);
}

/**
 * The monitoring data of a report (the filed spreadsheet, XLSX or CSV, or else the JSON in
 * `monitoring`) calculated with the methodology of the stored project. The decision checks that
 * the project still names that methodology.
 */
async function calculate(
  type: 'submit_monitoring_report' | 'resubmit_monitoring_report',
  input: ActionInput,
  deps: CycleInputDeps,
): Promise<Result<CalculationData>> {
  const named = await deps.projectMethodology(
    type === 'submit_monitoring_report'
      ? { parent: input.parent ?? '' }
      : { item: input.item ?? '' },
  );
  // No project to calculate with: the decision refuses the action for what it acts on (an item not
  // found, or one that takes no monitoring report), in the cycle's order of refusals.
  if (named === null) return ok({});
  await deps.methodologies.refresh();
  const methodology = deps.methodologies.get(named.id, named.version);
  if (methodology === undefined)
    return reject('methodology_not_found', `${named.id} v${named.version} is not in the catalogue`);
  const data = monitoringInputOf(input);
  if (!data.ok) return data;
  const calculated = await deps.methodologies.calculate(methodology, data.value);
  // A file refused as a whole (too large, too many rows, the workers busy) keeps its own code.
  if (!calculated.ok && calculated.refused !== undefined)
    return { ok: false, error: calculated.refused };
  if (!calculated.ok) {
    return reject(
      'monitoring_report_invalid',
      calculated.issues
        .slice(0, 20)
        .map((i) => `${i.where}: ${i.message}`)
        .join('; '),
      { issues: calculated.issues.map((i) => `${i.where}: ${i.message} (${i.code})`) },
    );
  }
  return ok(JSON.parse(jsonText(calculated.result)) as CalculationData);
}

const xlsxMediaType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function monitoringInputOf(input: ActionInput): Result<MonitoringInput> {
  const sheet = input.documents.find((d) => d.type === 'monitoring_spreadsheet');
  if (sheet !== undefined && sheet.mediaType === xlsxMediaType)
    return ok({ kind: 'xlsx', bytes: new Uint8Array(Buffer.from(sheet.content, 'base64')) });
  if (sheet !== undefined && sheet.mediaType === 'text/csv')
    return ok({ kind: 'csv', text: Buffer.from(sheet.content, 'base64').toString('utf8') });
  const shape = monitoringReportSchema.safeParse(input.monitoring);
  if (!shape.success)
    return reject(
      'cycle_input_incomplete',
      'file the monitoring spreadsheet (XLSX or CSV) or give the data in `monitoring`',
    );
  return ok({ kind: 'report', report: reportFromShape(shape.data, 'monitoring') });
}
