// Per-partnership rulebooks (and programme rulebooks such as the MOEJ model projects): versioned
// rules with effective dates, the version in force on a day, and the checks they imply: extra
// documents, prior confirmation of decisions by the governments, eligible activities and the
// allocation of credits. A violation names the rule and its version.
import { z } from 'zod';
import { dayNumber, parseCivilDate, type CivilDate } from '../shared/civil-date.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { documentTypes, type DocumentType } from './definition.ts';

const documentType = z.enum(Object.keys(documentTypes) as [DocumentType, ...DocumentType[]]);
export const holderKinds = [
  'government_japan',
  'government_partner',
  'participant_japan',
  'participant_partner',
  'other',
] as const;
export type HolderKind = (typeof holderKinds)[number];
export const confirmationSubjects = [
  'registration',
  'crediting_period',
  'allocation',
  'issuance',
] as const;
export type ConfirmationSubject = (typeof confirmationSubjects)[number];

const share = z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'a share is a decimal between 0 and 1');

export const ruleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      id: z.string(),
      text: z.string(),
      kind: z.literal('prior_confirmation'),
      subjects: z.array(z.enum(confirmationSubjects)).min(1),
    })
    .strict(),
  z
    .object({
      id: z.string(),
      text: z.string(),
      kind: z.literal('eligible_activities'),
      list: z.string(),
      activities: z.array(z.string()).min(1),
    })
    .strict(),
  z
    .object({
      id: z.string(),
      text: z.string(),
      kind: z.literal('extra_documents'),
      action: z.string(),
      documents: z.array(documentType).min(1),
    })
    .strict(),
  z
    .object({
      id: z.string(),
      text: z.string(),
      kind: z.literal('minimum_share'),
      holder: z.enum(holderKinds),
      share,
    })
    .strict(),
  z
    .object({
      id: z.string(),
      text: z.string(),
      kind: z.literal('no_allocation'),
      holder: z.enum(holderKinds),
    })
    .strict(),
]);
export type Rule = z.output<typeof ruleSchema>;

export const rulebookSchema = z
  .object({
    scope: z.union([
      z.object({ partnership: z.string().regex(/^[A-Z]{2}$/) }).strict(),
      z.object({ programme: z.string().regex(/^[a-z_]+$/) }).strict(),
    ]),
    name: z.string().min(1),
    versions: z
      .array(
        z
          .object({
            version: z.string().regex(/^\d+\.\d+$/),
            effective_from: z
              .string()
              .refine((t) => parseCivilDate(t) !== null, 'a date YYYY-MM-DD'),
            source: z.string().min(3),
            rules: z.array(ruleSchema),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type Rulebook = z.output<typeof rulebookSchema>;

export interface RulesInForce {
  /** `IN v1.0`, `moej_model_project v1.0`: where each rule comes from. */
  readonly sources: readonly string[];
  readonly rules: readonly (Rule & { readonly from: string })[];
}

/** The version of a rulebook in force on a day: the latest whose effective date is not after it. */
export function versionInForce(rulebook: Rulebook, day: CivilDate) {
  const today = dayNumber(day);
  return [...rulebook.versions]
    .filter((v) => dayNumber(parseCivilDate(v.effective_from) as CivilDate) <= today)
    .sort((a, b) => a.effective_from.localeCompare(b.effective_from))
    .at(-1);
}

/** The rules that apply to a project of a partnership and financing programme on a day. */
export function rulesInForce(
  rulebooks: readonly Rulebook[],
  partnership: string,
  programme: string | null,
  day: CivilDate,
): RulesInForce {
  const applicable = rulebooks.filter((r) =>
    'partnership' in r.scope
      ? r.scope.partnership === partnership
      : r.scope.programme === programme,
  );
  const sources: string[] = [];
  const rules: (Rule & { from: string })[] = [];
  for (const book of applicable) {
    const version = versionInForce(book, day);
    if (version === undefined) continue;
    const from = `${'partnership' in book.scope ? book.scope.partnership : book.scope.programme} v${version.version}`;
    sources.push(from);
    rules.push(...version.rules.map((r) => ({ ...r, from })));
  }
  return { sources, rules };
}

/**
 * The activities a rulebook of the partnership lists as eligible (in any version), or null when none
 * of its rulebooks has such a list.
 */
export function listedActivities(
  rulebooks: readonly Rulebook[],
  partnership: string,
): readonly string[] | null {
  const lists = rulebooks
    .filter((r) => 'partnership' in r.scope && r.scope.partnership === partnership)
    .flatMap((r) => r.versions.flatMap((v) => v.rules))
    .flatMap((rule) => (rule.kind === 'eligible_activities' ? [rule.activities] : []));
  return lists.length === 0 ? null : [...new Set(lists.flat())];
}

export function extraDocuments(rules: RulesInForce, action: string): DocumentType[] {
  return rules.rules.flatMap((r) =>
    r.kind === 'extra_documents' && r.action === action ? r.documents : [],
  );
}

export function confirmationRequired(rules: RulesInForce, subject: ConfirmationSubject): boolean {
  return rules.rules.some((r) => r.kind === 'prior_confirmation' && r.subjects.includes(subject));
}

/** What a methodology serves of each partner's eligible-activity list (its `eligible_activities`). */
export type ServedActivities = Readonly<
  Record<string, readonly { readonly activity: string; readonly credits: string }[]>
>;

/** The methodology a project applies, with what it declares it serves (null: not in the catalogue). */
export interface AppliedMethodology {
  readonly id: string;
  readonly version: string;
  readonly served: ServedActivities | null;
}

/**
 * Whether a project's activity is eligible, and tied to its methodology; true when no rule in force
 * restricts activities. Checked in this order: the activity is on the partner's list; the
 * methodology is known; it serves at least one entry of the list; it serves this activity.
 */
export function activityEligible(
  rules: RulesInForce,
  partnership: string,
  activity: string | null,
  methodology: AppliedMethodology | null,
): Result<true> {
  for (const r of rules.rules) {
    if (r.kind !== 'eligible_activities') continue;
    const where = { rule: r.id, rulebook: r.from };
    if (activity === null || !r.activities.includes(activity)) {
      return reject('cycle_activity_not_eligible', `rule ${r.id} (${r.from}): ${r.text}`, where);
    }
    const named =
      methodology === null ? 'no methodology' : `${methodology.id} v${methodology.version}`;
    if (methodology?.served === null || methodology === null) {
      return reject(
        'cycle_methodology_serves_no_eligible_activity',
        `rule ${r.id} (${r.from}): ${named} is not in the catalogue, so it serves no entry of the list`,
        where,
      );
    }
    const served = (methodology.served[partnership] ?? []).filter((s) =>
      r.activities.includes(s.activity),
    );
    if (served.length === 0) {
      return reject(
        'cycle_methodology_serves_no_eligible_activity',
        `rule ${r.id} (${r.from}): ${named} serves none of the activities on the list (${r.list})`,
        where,
      );
    }
    if (!served.some((s) => s.activity === activity)) {
      return reject(
        'cycle_methodology_does_not_serve_activity',
        `rule ${r.id} (${r.from}): the project declares activity ${activity}, but ${named} serves ${served.map((s) => s.activity).join(', ')}`,
        where,
      );
    }
  }
  return ok(true);
}

export interface AllocationLine {
  readonly holder: HolderKind;
  readonly quantity: bigint;
}

/** Checks an allocation against every allocation rule in force; the first violation is returned. */
export function checkAllocation(
  rules: RulesInForce,
  lines: readonly AllocationLine[],
): Result<true> {
  const total = lines.reduce((sum, l) => sum + l.quantity, 0n);
  for (const r of rules.rules) {
    const held = lines
      .filter((l) => 'holder' in r && l.holder === r.holder)
      .reduce((sum, l) => sum + l.quantity, 0n);
    if (r.kind === 'no_allocation' && held > 0n) {
      return reject(
        'allocation_rule_violated',
        `rule ${r.id} (${r.from}): ${r.text}; ${held} credits are allocated to ${r.holder}`,
        { rule: r.id, rulebook: r.from },
      );
    }
    if (r.kind === 'minimum_share') {
      // held / total >= share, in exact integers: held * 10^k >= total * (share * 10^k).
      const [whole = '0', fraction = ''] = r.share.split('.');
      const scale = 10n ** BigInt(fraction.length);
      const numerator = BigInt(whole) * scale + BigInt(fraction === '' ? '0' : fraction);
      if (held * scale < total * numerator) {
        return reject(
          'allocation_rule_violated',
          `rule ${r.id} (${r.from}): ${r.text}; ${held} of ${total} credits go to ${r.holder}`,
          { rule: r.id, rulebook: r.from },
        );
      }
    }
  }
  return ok(true);
}
