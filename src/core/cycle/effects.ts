// What each action changes besides the item's state: the item's data, a new version of the project
// data, a finding, other items (the monitoring period an issuance request uses, the decision an
// action carries out) and, for the Joint Committee's issuance decision, the ledger record. One entry
// per action in a table the compiler checks for completeness; nothing is taken from the request that
// the action does not itself submit or decide.
import type { Actor } from '../ledger/actor.ts';
import { assert } from '../shared/assert.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import type { CycleAction, CycleActionType } from './actions.ts';
import type { CycleContext } from './context.ts';
import { allocationRegistries, managesRegistryAsManager } from './guards.ts';
import type { Government, ItemData, StoredItem } from './items.ts';
import type { ProjectData } from './project-data.ts';
import type { CycleEffects } from './effect-types.ts';

export * from './effect-types.ts';

const none: CycleEffects = {
  data: { set: {}, unset: [] },
  projectVersion: null,
  finding: null,
  related: [],
  ledger: null,
  assignReference: false,
  catalogueEntry: null,
};
const setting = (set: Partial<ItemData>, unset: (keyof ItemData)[] = []): CycleEffects => ({
  ...none,
  data: { set, unset },
});

export interface EffectInput {
  readonly ctx: CycleContext;
  readonly action: CycleAction;
  readonly actor: Actor;
  /** The id of the item acted on (new or existing). */
  readonly id: string;
  /** The ids the action's counters gave out (a new item's, a reference, a catalogue id). */
  readonly numbered?: readonly string[];
}

type ActionOf<T extends CycleActionType> = CycleAction & { readonly type: T };
type Effect<T extends CycleActionType> = (
  input: EffectInput & { readonly action: ActionOf<T> },
) => Result<CycleEffects>;

const submitted: Effect<'submit_pin' | 'submit_pdd'> = ({ action }) =>
  ok({
    ...setting({ project: action.project, projectVersion: 1 }),
    projectVersion: action.project,
  });
const proposers: Effect<'propose_methodology' | 'request_methodology_revision'> = ({
  ctx,
  actor,
}) => ok(setting({ proposers: proposersOf(ctx.item, actor) }));
const calculated: Effect<'submit_monitoring_report' | 'resubmit_monitoring_report'> = ({
  action,
}) => ok(setting({ calculation: action.calculation }));
const allocated: Effect<'request_registration' | 'resubmit_registration'> = ({ action }) =>
  ok(setting({ allocation: action.allocation }));
const nothing: Effect<CycleActionType> = () => ok(none);
const decided: Effect<CycleActionType> = (input) => ok(carriesOut(input, none));

/**
 * What each action changes, one entry per action: the table's type makes the compiler refuse a
 * table that forgets an action (the exhaustiveness check of this dispatch).
 */
const effectsByAction: { readonly [T in CycleActionType]: Effect<T> } = {
  submit_pin: submitted,
  submit_pdd: submitted,
  resubmit_pin: newProjectVersion,
  resubmit_pdd: newProjectVersion,
  approve_change: newProjectVersion,
  approve_reassessment: newProjectVersion,
  renew_crediting_period: newProjectVersion,
  propose_methodology: proposers,
  request_methodology_revision: proposers,
  submit_monitoring_report: calculated,
  resubmit_monitoring_report: calculated,
  request_issuance: issuanceRequested,
  propose_decision: decisionProposed,
  raise_finding: ({ action }) =>
    ok({
      ...none,
      finding: { kind: 'raise', finding: action.finding.kind, text: action.finding.text },
    }),
  answer_finding: findingChange,
  close_finding: findingChange,
  request_registration: allocated,
  resubmit_registration: allocated,
  resubmit_issuance: ({ action }) =>
    ok(setting(action.allocation === null ? {} : { allocation: action.allocation })),
  decide_issuance: decideIssuance,
  issue_verification: ({ action }) =>
    ok(
      setting({
        verified: Object.fromEntries(
          Object.entries(action.verified).map(([vintage, quantity]) => [
            vintage,
            quantity.toString(),
          ]),
        ),
      }),
    ),
  adopt_decision: ({ ctx, action }) => ok(setting({ adoptedAt: ctx.now, method: action.method })),
  confirm_decision: (input) => ok(setting({ confirmations: confirmationsBy(input) })),
  confirm_issued: (input) => ok(setting({ registryConfirmations: registryConfirmationsBy(input) })),
  approve_methodology: methodologyApproved,
  approve_methodology_with_revisions: methodologyApproved,
  register_project: (input) => ok(carriesOut(input, { ...none, assignReference: true })),
  record_no_objection: decided,
  record_objection: decided,
  reject_methodology: decided,
  reject_registration: decided,
  reject_change: (input) => ok(carriesOut(input, setting({}, ['proposedChange']))),
  reject_reassessment: (input) => ok(carriesOut(input, setting({}, ['proposedChange']))),
  reject_renewal: (input) => ok(carriesOut(input, setting({}, ['proposedCreditingPeriod']))),
  request_post_registration_change: ({ action }) => ok(setting({ proposedChange: action.project })),
  request_reference_assessment: ({ action }) => ok(setting({ proposedChange: action.project })),
  request_renewal: ({ action }) => ok(setting({ proposedCreditingPeriod: action.creditingPeriod })),
  withdraw_issuance_request: (input) => ok(monitoringReleased(input)),
  // A rejected request frees its monitoring period for a new request on revised documents.
  reject_issuance: (input) => ok(carriesOut(input, monitoringReleased(input))),
  withdraw_pin: nothing,
  accept_complete: nothing,
  return_incomplete: nothing,
  resubmit_methodology: nothing,
  close_public_input: nothing,
  issue_positive_validation: nothing,
  issue_negative_validation: nothing,
  return_for_revision: nothing,
  withdraw_registration_request: nothing,
  withdraw_project: nothing,
  issue_negative_verification: nothing,
  close_issuance: nothing,
  withdraw_decision: nothing,
};

export function effectsOf(input: EffectInput): Result<CycleEffects> {
  const effect = effectsByAction[input.action.type] as Effect<CycleActionType>;
  return effect(input);
}

/** A decision about the subject as it is now; an issuance decision fixes the allocation it decides. */
function decisionProposed({
  ctx,
  action,
}: EffectInput & { action: ActionOf<'propose_decision'> }): Result<CycleEffects> {
  if (action.designation !== undefined)
    return ok(
      setting({
        subject: { ...action.subject, version: 0, designation: action.designation },
        confirmations: {},
      }),
    );
  const subject = ctx.parent;
  assert(subject !== null, 'the subject_awaits_decision guard found the subject');
  const allocation =
    action.subject.action === 'decide_issuance'
      ? (action.allocation ?? subject.data.allocation)
      : undefined;
  return ok(
    setting({
      subject: {
        ...action.subject,
        version: subject.version,
        ...(allocation === undefined ? {} : { allocation }),
      },
      confirmations: {},
    }),
  );
}

function issuanceRequested({
  ctx,
  action,
  id,
}: EffectInput & { action: ActionOf<'request_issuance'> }): Result<CycleEffects> {
  const monitoring = ctx.monitoring;
  assert(monitoring !== null, 'the monitoring_verified guard found the monitoring period');
  return ok({
    ...setting({
      monitoring: monitoring.id,
      allocation: action.allocation,
      ...(monitoring.data.verified === undefined ? {} : { verified: monitoring.data.verified }),
    }),
    related: [{ id: monitoring.id, change: { set: { usedBy: id }, unset: [] } }],
  });
}

// A first approval is version 1.0 of the partnership's next catalogue id, a revision the next major
// version of the same id: the proposal's methodology file becomes that entry, with the decision.
function methodologyApproved(
  input: EffectInput & {
    action: ActionOf<'approve_methodology' | 'approve_methodology_with_revisions'>;
  },
): Result<CycleEffects> {
  const { ctx, action, id } = input;
  const item = ctx.item;
  assert(item !== null, 'an approval acts on a proposal');
  const catalogueId = item.data.catalogueId ?? input.numbered?.at(-1);
  assert(catalogueId !== undefined, 'a first approval has a catalogue counter');
  if (ctx.methodologyFile === null)
    return reject('cycle_documents_missing', `${id} has no methodology file to adopt`);
  const version = item.data.version;
  const next = `${(version === undefined ? 0 : Number(version.split('.')[0])) + 1}.0`;
  return ok({
    ...carriesOut(
      input,
      setting({
        version: next,
        catalogueId,
        approvedWithRevisions: action.type === 'approve_methodology_with_revisions',
      }),
    ),
    catalogueEntry: {
      id: catalogueId,
      version: next,
      partnership: item.partnership,
      item: id,
      decision: action.decision,
      adoptedAt: ctx.decision?.data.adoptedAt ?? ctx.now,
      fileSha256: ctx.methodologyFile,
    },
  });
}

/**
 * A resubmission, an approved change or re-assessment of reference emissions, or a renewed crediting
 * period: the next project version.
 */
function newProjectVersion(
  input: EffectInput & {
    action: ActionOf<
      | 'resubmit_pin'
      | 'resubmit_pdd'
      | 'approve_change'
      | 'approve_reassessment'
      | 'renew_crediting_period'
    >;
  },
): Result<CycleEffects> {
  const { ctx, action } = input;
  const item = ctx.item;
  assert(item !== null, `${action.type} acts on an existing item`);
  const current = item.data.project;
  let next: ProjectData;
  let unset: (keyof ItemData)[] = [];
  if (action.type === 'approve_change' || action.type === 'approve_reassessment') {
    assert(
      item.data.proposedChange !== undefined,
      'a project in change or re-assessment review has a proposed change',
    );
    next = item.data.proposedChange;
    unset = ['proposedChange'];
  } else if (action.type === 'renew_crediting_period') {
    assert(current !== undefined, 'a registered project has its data');
    assert(item.data.proposedCreditingPeriod !== undefined, 'a renewal review has a period');
    next = { ...current, creditingPeriod: item.data.proposedCreditingPeriod };
    unset = ['proposedCreditingPeriod'];
  } else {
    assert('project' in action, `${action.type} submits project data`);
    next = (action as ActionOf<'resubmit_pin' | 'resubmit_pdd'>).project;
  }
  const effects: CycleEffects = {
    ...setting({ project: next, projectVersion: (item.data.projectVersion ?? 1) + 1 }, unset),
    projectVersion: next,
  };
  // A resubmission needs no decision; an approved change and a renewal carry one out.
  const decided = action.type !== 'resubmit_pin' && action.type !== 'resubmit_pdd';
  return ok(decided ? carriesOut(input, effects) : effects);
}

/** The monitoring period an issuance request used may be requested again. */
function monitoringReleased({ ctx }: EffectInput): CycleEffects {
  const monitoring = ctx.item?.data.monitoring;
  assert(monitoring !== undefined, 'an issuance request names its monitoring period');
  return { ...none, related: [{ id: monitoring, change: { set: {}, unset: ['usedBy'] } }] };
}

/** The decision an action carries out is marked with it, so that it authorises only once. */
function carriesOut(input: EffectInput, effects: CycleEffects): CycleEffects {
  const decision = input.ctx.decision;
  assert(
    decision !== null,
    `the decision_adopted guard of ${input.action.type} found the decision`,
  );
  return {
    ...effects,
    related: [
      ...effects.related,
      {
        id: decision.id,
        change: { set: { carriedOutBy: `${input.id}:${input.action.type}` }, unset: [] },
      },
    ],
  };
}

function proposersOf(item: StoredItem | null, actor: Actor): string[] {
  const mine = actor.roles.flatMap((r) =>
    r.kind === 'project_participant' ? [r.organisation] : [],
  );
  return [...new Set([...(item?.data.proposers ?? []), ...mine])].sort();
}

function findingChange({
  ctx,
  action,
}: EffectInput & { action: ActionOf<'answer_finding' | 'close_finding'> }): Result<CycleEffects> {
  const open = ctx.findings.find((f) => f.id === action.finding.id && f.state !== 'closed');
  if (open === undefined)
    return reject(
      'cycle_finding_not_found',
      `no open finding ${action.finding.id} on ${ctx.item?.id ?? ''}`,
    );
  return ok({
    ...none,
    finding:
      action.type === 'answer_finding'
        ? { kind: 'answer', id: open.id, answer: action.finding.answer }
        : { kind: 'close', id: open.id },
  });
}

function decideIssuance(
  input: EffectInput & { action: ActionOf<'decide_issuance'> },
): Result<CycleEffects> {
  const { ctx, action } = input;
  const item = ctx.item;
  const project = ctx.project;
  assert(item !== null && project !== null, 'an issuance request belongs to a project');
  if (project.reference === null)
    return reject('cycle_project_not_registered', `project ${project.id} has no reference`);
  // The allocation is the one the decision decided, which both governments confirmed.
  const lines = ctx.decision?.data.subject?.allocation ?? item.data.allocation ?? [];
  const effects = setting({ ledgerDecision: action.decision, allocation: lines });
  return ok(
    carriesOut(input, {
      ...effects,
      ledger: {
        decision: action.decision,
        project: project.reference,
        methodology: project.data.project?.methodology ?? null,
        verification: {
          reference: item.data.monitoring ?? '',
          reductions: Object.entries(item.data.verified ?? {}).map(([vintage, quantity]) => ({
            vintage: Number(vintage),
            quantity,
          })),
        },
        lines,
      },
    }),
  );
}

/** Each government the actor speaks for confirms the decision now. */
function confirmationsBy({ ctx, actor }: EffectInput): Partial<Record<Government, string>> {
  const confirmations = { ...(ctx.item?.data.confirmations ?? {}) };
  for (const role of actor.roles) {
    if (role.kind === 'government_japan') confirmations.government_japan = ctx.now;
    if (role.kind === 'government_partner' && role.partnership === ctx.item?.partnership)
      confirmations.government_partner = ctx.now;
  }
  return confirmations;
}

/** Each registry of the allocation that the actor manages confirms its lines issued now. */
function registryConfirmationsBy({ ctx, action, actor }: EffectInput): Record<string, string> {
  const confirmations = { ...(ctx.item?.data.registryConfirmations ?? {}) };
  for (const registry of allocationRegistries(action, ctx.item))
    if (managesRegistryAsManager(actor, registry)) confirmations[registry] = ctx.now;
  return confirmations;
}
