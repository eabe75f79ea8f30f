// What each action changes besides the item's state: the item's data, a new version of the project
// data, a finding, other items (the monitoring period an issuance request uses, the decision an
// action carries out) and, for the Joint Committee's issuance decision, the ledger record. One case
// per action, ending in an exhaustiveness check; nothing is taken from the request that the action
// does not itself submit or decide.
import type { Actor } from '../ledger/actor.ts';
import { assert, assertNever } from '../shared/assert.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import type { CycleAction } from './actions.ts';
import type { CycleContext } from './context.ts';
import type { AllocationLineData, Government, ItemData, StoredItem } from './items.ts';
import type { ProjectData } from './project-data.ts';

export interface ItemChange {
  readonly set: Partial<ItemData>;
  readonly unset: readonly (keyof ItemData)[];
}

export type FindingChange =
  | { readonly kind: 'raise'; readonly finding: 'CAR' | 'CL' | 'FAR'; readonly text: string }
  | { readonly kind: 'answer'; readonly id: bigint; readonly answer: string }
  | { readonly kind: 'close'; readonly id: bigint };

/** The issuance decision the ledger records when the Joint Committee decides an issuance. */
export interface LedgerDecisionRecord {
  readonly decision: string;
  readonly project: string;
  readonly verification: {
    readonly reference: string;
    readonly reductions: readonly { readonly vintage: number; readonly quantity: string }[];
  };
  readonly lines: readonly AllocationLineData[];
}

export interface CycleEffects {
  readonly data: ItemChange;
  readonly projectVersion: ProjectData | null;
  readonly finding: FindingChange | null;
  readonly related: readonly { readonly id: string; readonly change: ItemChange }[];
  readonly ledger: LedgerDecisionRecord | null;
  readonly assignReference: boolean;
}

const none: CycleEffects = {
  data: { set: {}, unset: [] },
  projectVersion: null,
  finding: null,
  related: [],
  ledger: null,
  assignReference: false,
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
}

export function effectsOf(input: EffectInput): Result<CycleEffects> {
  const { ctx, action } = input;
  const item = ctx.item;
  switch (action.type) {
    case 'submit_pin':
    case 'submit_pdd':
      return ok({
        ...setting({ project: action.project, projectVersion: 1 }),
        projectVersion: action.project,
      });
    case 'resubmit_pin':
    case 'resubmit_pdd':
    case 'approve_change':
    case 'renew_crediting_period':
      return newProjectVersion(input);
    case 'propose_methodology':
    case 'request_methodology_revision':
      return ok(setting({ proposers: proposersOf(item, input.actor) }));
    case 'submit_monitoring_report':
    case 'resubmit_monitoring_report':
      return ok(setting({ calculation: action.calculation }));
    case 'request_issuance': {
      const monitoring = ctx.monitoring;
      assert(monitoring !== null, 'the monitoring_verified guard found the monitoring period');
      return ok({
        ...setting({
          monitoring: monitoring.id,
          allocation: action.allocation,
          ...(monitoring.data.verified === undefined ? {} : { verified: monitoring.data.verified }),
        }),
        related: [{ id: monitoring.id, change: { set: { usedBy: input.id }, unset: [] } }],
      });
    }
    case 'propose_decision':
      return ok(setting({ subject: action.subject, confirmations: {} }));
    case 'raise_finding':
      return ok({
        ...none,
        finding: { kind: 'raise', finding: action.finding.kind, text: action.finding.text },
      });
    case 'answer_finding':
    case 'close_finding':
      return findingChange(input);
    case 'request_registration':
    case 'resubmit_registration':
      return ok(setting({ allocation: action.allocation }));
    case 'resubmit_issuance':
      return ok(setting(action.allocation === null ? {} : { allocation: action.allocation }));
    case 'decide_issuance':
      return decideIssuance(input);
    case 'issue_verification':
      return ok(
        setting({
          verified: Object.fromEntries(
            Object.entries(action.verified).map(([vintage, quantity]) => [
              vintage,
              quantity.toString(),
            ]),
          ),
        }),
      );
    case 'adopt_decision':
      return ok(setting({ adoptedAt: ctx.now, method: action.method }));
    case 'confirm_decision':
      return ok(setting({ confirmations: confirmationsBy(input) }));
    case 'confirm_issued':
      return ok(setting({ registryConfirmations: registryConfirmationsBy(input) }));
    case 'approve_methodology':
    case 'approve_methodology_with_revisions': {
      // A first approval is version 1.0; each approved revision raises the major version.
      const previous =
        item?.data.version === undefined ? 0 : Number(item.data.version.split('.')[0]);
      return ok(
        carriesOut(
          input,
          setting({
            version: `${previous + 1}.0`,
            approvedWithRevisions: action.type === 'approve_methodology_with_revisions',
          }),
        ),
      );
    }
    case 'register_project':
      return ok(carriesOut(input, { ...none, assignReference: true }));
    case 'record_no_objection':
    case 'record_objection':
    case 'reject_methodology':
    case 'reject_registration':
      return ok(carriesOut(input, none));
    case 'reject_change':
      return ok(carriesOut(input, setting({}, ['proposedChange'])));
    case 'reject_renewal':
      return ok(carriesOut(input, setting({}, ['proposedCreditingPeriod'])));
    case 'request_post_registration_change':
      return ok(setting({ proposedChange: action.project }));
    case 'request_renewal':
      return ok(setting({ proposedCreditingPeriod: action.creditingPeriod }));
    case 'withdraw_issuance_request': {
      const monitoring = item?.data.monitoring;
      assert(monitoring !== undefined, 'an issuance request names its monitoring period');
      return ok({ ...none, related: [{ id: monitoring, change: { set: {}, unset: ['usedBy'] } }] });
    }
    case 'withdraw_pin':
    case 'accept_complete':
    case 'return_incomplete':
    case 'resubmit_methodology':
    case 'close_public_input':
    case 'issue_positive_validation':
    case 'issue_negative_validation':
    case 'return_for_revision':
    case 'withdraw_registration_request':
    case 'withdraw_project':
    case 'issue_negative_verification':
    case 'close_issuance':
    case 'withdraw_decision':
      return ok(none);
    default:
      return assertNever(action, 'cycle action');
  }
}

/** A resubmission, an approved change or a renewed crediting period: the next project version. */
function newProjectVersion(input: EffectInput): Result<CycleEffects> {
  const { ctx, action } = input;
  const item = ctx.item;
  assert(item !== null, `${action.type} acts on an existing item`);
  const current = item.data.project;
  let next: ProjectData;
  let unset: (keyof ItemData)[] = [];
  if (action.type === 'approve_change') {
    assert(
      item.data.proposedChange !== undefined,
      'a project in change review has a proposed change',
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
    next = action.project;
  }
  const effects: CycleEffects = {
    ...setting({ project: next, projectVersion: (item.data.projectVersion ?? 1) + 1 }, unset),
    projectVersion: next,
  };
  // A resubmission needs no decision; an approved change and a renewal carry one out.
  const decided = action.type === 'approve_change' || action.type === 'renew_crediting_period';
  return ok(decided ? carriesOut(input, effects) : effects);
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

function findingChange({ ctx, action }: EffectInput): Result<CycleEffects> {
  if (action.type !== 'answer_finding' && action.type !== 'close_finding')
    return assertNever(action as never, 'finding action');
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

function decideIssuance(input: EffectInput): Result<CycleEffects> {
  const { ctx, action } = input;
  if (action.type !== 'decide_issuance') return assertNever(action as never, 'issuance decision');
  const item = ctx.item;
  const project = ctx.project;
  assert(item !== null && project !== null, 'an issuance request belongs to a project');
  if (project.reference === null)
    return reject('cycle_project_not_registered', `project ${project.id} has no reference`);
  const lines = action.allocation ?? item.data.allocation ?? [];
  const effects = setting({
    ledgerDecision: action.decision,
    ...(action.allocation === null ? {} : { allocation: action.allocation }),
  });
  return ok(
    carriesOut(input, {
      ...effects,
      ledger: {
        decision: action.decision,
        project: project.reference,
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
function registryConfirmationsBy({ ctx, actor }: EffectInput): Record<string, string> {
  const confirmations = { ...(ctx.item?.data.registryConfirmations ?? {}) };
  const registries = new Set((ctx.item?.data.allocation ?? []).map((l) => l.registry));
  for (const role of actor.roles)
    if (role.kind === 'registry_manager' && registries.has(role.registry))
      confirmations[role.registry] = ctx.now;
  return confirmations;
}
