// Evaluates the guards of a cycle action from the database, the rulebook in force and the ledger:
// each guard is true or says why it fails. Only the guards the transition needs are evaluated.
import type { Transaction } from 'kysely';
import type { Guard } from '../core/cycle/definition.ts';
import type { Actor } from '../core/ledger/actor.ts';
import {
  activityEligible,
  checkAllocation,
  confirmationRequired,
  type AllocationLine,
  type ConfirmationSubject,
  type RulesInForce,
} from '../core/cycle/rulebook.ts';
import {
  dayNumber,
  formatCivilDate,
  parseCivilDate,
  type CivilDate,
} from '../core/shared/civil-date.ts';
import type { Schema } from '../db/schema.ts';
import type { ActionInput, ProjectData } from './cycle-schemas.ts';

export interface ItemRow {
  readonly id: string;
  readonly machine: string;
  readonly partnership: string;
  readonly parent_id: string | null;
  readonly state: string;
  readonly reference: string | null;
  readonly data: Record<string, unknown>;
  readonly due_date: string | null;
  readonly due_step: string | null;
}

export interface GuardContext {
  readonly trx: Transaction<Schema>;
  readonly item: ItemRow | null;
  readonly action: string;
  readonly input: ActionInput;
  readonly project: ProjectData | null;
  readonly rules: RulesInForce;
  readonly today: CivilDate;
  readonly actor: Actor;
}

type Outcome = true | { readonly message: string };
const fail = (message: string): Outcome => ({ message });

/** Which government confirmation a decision needs, by the action it authorises. */
export const confirmationSubjectOf: Readonly<Record<string, ConfirmationSubject>> = {
  register_project: 'registration',
  reject_registration: 'registration',
  renew_crediting_period: 'crediting_period',
  decide_issuance: 'issuance',
};

export function allocationOf(input: ActionInput, item: ItemRow | null): AllocationLine[] {
  const lines = (input.allocation ??
    (item?.data.allocation as ActionInput['allocation']) ??
    []) as NonNullable<ActionInput['allocation']>;
  return lines.map((l) => ({ holder: l.holder, quantity: BigInt(l.quantity) }));
}

export async function evaluateGuards(
  guards: readonly Guard[],
  ctx: GuardContext,
): Promise<Partial<Record<Guard, Outcome>>> {
  const outcomes: Partial<Record<Guard, Outcome>> = {};
  for (const guard of guards) outcomes[guard] = await evaluate(guard, ctx);
  return outcomes;
}

async function evaluate(guard: Guard, ctx: GuardContext): Promise<Outcome> {
  const { trx, item, input } = ctx;
  switch (guard) {
    case 'public_input_elapsed': {
      const due = item?.due_date === null || item === null ? null : parseCivilDate(item.due_date);
      if (due === null) return fail('no public input period is running');
      return dayNumber(ctx.today) > dayNumber(due)
        ? true
        : fail(`public input runs until ${formatCivilDate(due)}`);
    }
    case 'no_open_findings': {
      const open = await trx
        .selectFrom('cycle_findings')
        .select(['id', 'kind'])
        .where('item_id', '=', item?.id ?? '')
        .where('kind', 'in', ['CAR', 'CL'])
        .where('state', '<>', 'closed')
        .execute();
      return open.length === 0
        ? true
        : fail(`${open.map((f) => `${f.kind} ${String(f.id)}`).join(', ')} still open`);
    }
    case 'tpe_designated': {
      const project = ctx.project;
      if (project === null) return fail('the project names no TPE');
      const today = formatCivilDate(ctx.today);
      const rows = await trx
        .selectFrom('tpe_designations')
        .select('sectoral_scope')
        .where('organisation_id', '=', project.tpe)
        .where('partnership', '=', item?.partnership ?? input.partnership ?? '')
        .where(
          'function',
          '=',
          ctx.action === 'submit_pdd' || ctx.action === 'resubmit_pdd'
            ? 'validation'
            : 'verification',
        )
        .where('valid_from', '<=', today)
        .where('valid_until', '>=', today)
        .execute();
      const covered = new Set(rows.map((r) => r.sectoral_scope));
      const missing = project.sectoralScopes.filter((s) => !covered.has(s));
      return missing.length === 0
        ? true
        : fail(
            `${project.tpe} is not designated for sectoral scope ${missing.join(', ')} on ${today}`,
          );
    }
    case 'activity_eligible': {
      const result = activityEligible(ctx.rules, ctx.project?.activity ?? null);
      return result.ok ? true : fail(result.error.message);
    }
    case 'allocation_meets_rulebook': {
      const lines = allocationOf(input, item);
      if (lines.length === 0) return fail('no credit allocation is given');
      const result = checkAllocation(ctx.rules, lines);
      return result.ok ? true : fail(result.error.message);
    }
    case 'decision_adopted': {
      if (input.decision === undefined) return fail('name the adopted decision in `decision`');
      const decision = await trx
        .selectFrom('cycle_items')
        .selectAll()
        .where('id', '=', input.decision)
        .executeTakeFirst();
      const subject = (
        decision?.data as { subject?: { item?: string; action?: string } } | undefined
      )?.subject;
      if (decision === undefined || decision.machine !== 'decision')
        return fail(`no decision ${input.decision}`);
      if (decision.state !== 'adopted') return fail(`decision ${decision.id} is ${decision.state}`);
      if (subject?.item !== item?.id || subject?.action !== ctx.action) {
        return fail(
          `decision ${decision.id} authorises ${subject?.action ?? '?'} of ${subject?.item ?? '?'}`,
        );
      }
      return true;
    }
    case 'confirmations_complete': {
      // On a decision: its own confirmations; on an action carrying out a decision: that decision's.
      const decisionRow =
        item?.machine === 'decision'
          ? item
          : input.decision === undefined
            ? undefined
            : ((await trx
                .selectFrom('cycle_items')
                .selectAll()
                .where('id', '=', input.decision)
                .executeTakeFirst()) as ItemRow | undefined);
      if (decisionRow === undefined) return fail('no decision is named');
      const data = decisionRow.data as {
        subject?: { action?: string };
        confirmations?: Record<string, string>;
      };
      const subject = confirmationSubjectOf[data.subject?.action ?? ''];
      if (subject === undefined || !confirmationRequired(ctx.rules, subject)) return true;
      const missing = ['government_japan', 'government_partner'].filter(
        (g) => data.confirmations?.[g] === undefined,
      );
      return missing.length === 0
        ? true
        : fail(`${subject} needs prior confirmation; missing: ${missing.join(', ')}`);
    }
    case 'monitoring_verified': {
      const monitoring = await trx
        .selectFrom('cycle_items')
        .selectAll()
        .where('id', '=', input.parent ?? '')
        .executeTakeFirst();
      if (monitoring === undefined || monitoring.machine !== 'monitoring')
        return fail('name the monitoring period in `parent`');
      if (monitoring.state !== 'verified')
        return fail(`monitoring period ${monitoring.id} is ${monitoring.state}`);
      const used = (monitoring.data as { usedBy?: string }).usedBy;
      return used === undefined
        ? true
        : fail(`monitoring period ${monitoring.id} is used by ${used}`);
    }
    case 'registries_confirmed': {
      const lines = (item?.data.allocation as { registry: string }[] | undefined) ?? [];
      const confirmed =
        (item?.data.registryConfirmations as Record<string, string> | undefined) ?? {};
      const missing = [...new Set(lines.map((l) => l.registry))].filter(
        (r) => confirmed[r] === undefined,
      );
      return missing.length === 0 ? true : fail(`${missing.join(', ')} has not confirmed`);
    }
    case 'project_registered': {
      const project = await trx
        .selectFrom('cycle_items')
        .select(['state', 'machine'])
        .where('id', '=', input.parent ?? item?.parent_id ?? '')
        .executeTakeFirst();
      if (project === undefined || project.machine !== 'project')
        return fail('name the project in `parent`');
      return project.state === 'registered' ? true : fail(`the project is ${project.state}`);
    }
    case 'verified_within_calculated': {
      const calculated = new Map(
        (
          (
            item?.data.calculation as
              { vintages?: { vintage: number; credits: string }[] } | undefined
          )?.vintages ?? []
        ).map((v) => [String(v.vintage), BigInt(v.credits)]),
      );
      const verified = Object.entries(input.verified ?? {});
      if (verified.length === 0)
        return fail('give the verified reductions per vintage in `verified`');
      for (const [vintage, quantity] of verified) {
        const limit = calculated.get(vintage) ?? 0n;
        if (BigInt(quantity) > limit)
          return fail(`vintage ${vintage}: ${quantity} verified, ${limit} calculated`);
      }
      return true;
    }
    case 'registry_lines_issued':
    case 'all_lines_issued': {
      const ledgerDecision = (item?.data as { ledgerDecision?: string } | undefined)
        ?.ledgerDecision;
      if (ledgerDecision === undefined) return fail('the issuance has no ledger decision');
      // Read through this transaction: on PGlite a second connection would wait for this one.
      const lines = await trx
        .selectFrom('decision_lines')
        .leftJoin('issuances', (j) =>
          j
            .onRef('issuances.decision_id', '=', 'decision_lines.decision_id')
            .onRef('issuances.line_no', '=', 'decision_lines.line_no'),
        )
        .select(['decision_lines.line_no', 'decision_lines.registry_id', 'issuances.seq'])
        .where('decision_lines.decision_id', '=', ledgerDecision)
        .execute();
      if (lines.length === 0) return fail(`no ledger decision ${ledgerDecision}`);
      const mine = (registry: string) =>
        ctx.actor.roles.some((r) => r.kind === 'registry_manager' && r.registry === registry);
      const waiting = lines.filter(
        (l) => l.seq === null && (guard === 'all_lines_issued' || mine(l.registry_id)),
      );
      return waiting.length === 0
        ? true
        : fail(`lines ${waiting.map((l) => l.line_no).join(', ')} are not issued yet`);
    }
  }
}
