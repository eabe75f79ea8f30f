// A partnership as a record: the bilateral document that set it up, its Joint Committee (members of
// both sides, two co-chairs, one per side), secretariat, the two registries, the rulebook it applies
// and its cooperative-approach data under Article 6.2 (placeholders until issue 14). Every fact names
// a source a person can find, or says it is synthetic demo data.
import { z } from 'zod';
import { civilDateText } from '../shared/date-schema.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

/** Where a fact comes from: a document a person can find, or the demo's own invention. */
export const factSourceSchema = z.union([
  z
    .object({
      title: text(300),
      publisher: text(200),
      date: text(40),
      /** The page, slide or paragraph. */
      locator: text(200),
    })
    .strict(),
  z.object({ synthetic: z.literal(true), note: text(300) }).strict(),
]);
export type FactSource = z.output<typeof factSourceSchema>;

export const memberSides = ['japan', 'partner'] as const;
export const memberRoles = ['co_chair', 'member'] as const;

const memberSchema = z
  .object({
    name: text(200),
    side: z.enum(memberSides),
    role: z.enum(memberRoles),
    affiliation: text(300),
  })
  .strict();
export type JointCommitteeMember = z.output<typeof memberSchema>;

/** An approach id as the Article 6.2 reporting assigns it: CA and four digits. */
export const approachIdPattern = /^CA\d{4}$/;
/** Joint Committee members a record may list. */
export const jointCommitteeMembersMax = 40;

const yearNumber = z.number().int().min(2013).max(2100);
const tonnes = z
  .string()
  .regex(/^\d{1,15}$/, 'whole tonnes of CO2 equivalent, as a decimal string');
const yearFigures = z
  .array(z.object({ year: yearNumber, quantity: tonnes }).strict())
  .max(100)
  .refine((f) => new Set(f.map((x) => x.year)).size === f.length, 'one figure a year');

/** A Party's NDC as the approach records it (decision 2/CMA.3, annex, paragraphs 7 and 18). */
const ndcSchema = z
  .object({
    party: z.string().regex(/^[A-Z]{3}$/, 'ISO 3166 alpha-3'),
    kind: z.enum(['single_year', 'multi_year']),
    first_year: yearNumber,
    last_year: yearNumber,
    target_year: yearNumber,
    metric: z.literal('t_co2e'),
    /** What the NDC says, in a line (the target itself may be an intensity). */
    target: text(400),
    method: z.enum(['trajectory', 'budget', 'averaging']),
    trajectory: yearFigures.default([]),
    budget: tonnes.nullable().default(null),
    /** The Party's reported emissions per year; none on the platform means no balance is computed. */
    emissions: yearFigures.default([]),
    source: factSourceSchema,
    method_source: factSourceSchema,
    emissions_source: factSourceSchema.optional(),
  })
  .strict()
  .refine((n) => n.first_year <= n.target_year && n.target_year <= n.last_year, {
    message: 'the target year lies in the implementation period',
  });

const article6Schema = z
  .object({
    /** The Party registry id of each of the partnership's registries (AEF "Party registry ID"). */
    party_registry_ids: z.record(
      z.string().regex(/^[A-Z]{2}$/),
      z.string().regex(/^[A-Z]{3}\d{2}$/, 'alpha-3 and two digits, e.g. JPN01'),
    ),
    description: text(2000),
    environmental_integrity: text(2000),
    sustainable_development: text(2000),
    information_source: factSourceSchema,
    ndcs: z.array(ndcSchema).min(1).max(10),
  })
  .strict();
export type PartnershipArticle6 = z.output<typeof article6Schema>;

export const partnershipSchema = z
  .object({
    code: z.string().regex(/^[A-Z]{2}$/, 'the partner country, ISO 3166 alpha-2'),
    name: text(200),
    partner: z
      .object({
        alpha2: z.string().regex(/^[A-Z]{2}$/),
        alpha3: z.string().regex(/^[A-Z]{3}$/),
        name: text(100),
      })
      .strict(),
    bilateral_document: z
      .object({
        kind: z.enum(['memorandum_of_cooperation', 'bilateral_document']),
        title: text(400),
        signed_on: civilDateText,
        /** The place of signing; null where the source does not state it. */
        signed_in: text(100).nullable(),
        source: factSourceSchema,
      })
      .strict(),
    joint_committee: z
      .object({
        composition: text(600),
        composition_source: factSourceSchema,
        members: z.array(memberSchema).min(2).max(jointCommitteeMembersMax),
        members_source: factSourceSchema,
      })
      .strict(),
    secretariat: z.object({ name: text(300), source: factSourceSchema }).strict(),
    registries: z
      .object({
        japan: z.object({ id: z.literal('JP'), name: text(200), source: factSourceSchema }),
        partner: z.object({
          id: z.string().regex(/^[A-Z]{2}$/),
          name: text(200),
          source: factSourceSchema,
        }),
      })
      .strict(),
    /** The scope of the rulebook the partnership applies (rulebooks/*.yaml), if it has one. */
    rulebook: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .nullable(),
    cooperative_approach: z
      .object({
        /** Assigned by the Article 6.2 reporting; null until then. */
        approach_id: z.string().regex(approachIdPattern, 'CA and four digits').nullable(),
        /** Where the id comes from (or that it is the demo's). */
        approach_id_source: factSourceSchema.optional(),
        /** The approach's Article 6.2 information, where the platform keeps its accounting. */
        article6: article6Schema.optional(),
        /** The Parties participating, ISO 3166 alpha-3. */
        participating_parties: z
          .array(z.string().regex(/^[A-Z]{3}$/, 'ISO 3166 alpha-3'))
          .min(2)
          .max(10),
        source: factSourceSchema,
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const issue of partnershipIssues(p))
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
export type Partnership = z.output<typeof partnershipSchema>;

interface Issue {
  readonly message: string;
  readonly path: (string | number)[];
}

/**
 * The rules a record must keep beyond its shape: the code is the partner's, the partner registry is
 * the partner's, exactly one co-chair per side (ADB: "two appointed co-chairs, one from the partner
 * country and the other from the Government of Japan"), and both countries among the Parties.
 */
export function partnershipIssues(p: {
  code: string;
  partner: { alpha2: string; alpha3: string };
  joint_committee: { members: readonly JointCommitteeMember[] };
  registries: { partner: { id: string } };
  cooperative_approach: { participating_parties: readonly string[] };
}): Issue[] {
  const issues: Issue[] = [];
  if (p.partner.alpha2 !== p.code)
    issues.push({ message: `the partner must be ${p.code}`, path: ['partner', 'alpha2'] });
  if (p.registries.partner.id !== p.code)
    issues.push({
      message: `the partner registry is ${p.code}'s`,
      path: ['registries', 'partner', 'id'],
    });
  for (const side of memberSides) {
    const chairs = p.joint_committee.members.filter(
      (m) => m.side === side && m.role === 'co_chair',
    );
    if (chairs.length !== 1)
      issues.push({
        message: `the Joint Committee has one co-chair of the ${side} side, not ${chairs.length}`,
        path: ['joint_committee', 'members'],
      });
  }
  const parties = p.cooperative_approach.participating_parties;
  for (const party of ['JPN', p.partner.alpha3])
    if (!parties.includes(party))
      issues.push({
        message: `${party} is a participating Party`,
        path: ['cooperative_approach', 'participating_parties'],
      });
  if (new Set(parties).size !== parties.length)
    issues.push({
      message: 'a Party is named twice',
      path: ['cooperative_approach', 'participating_parties'],
    });
  return issues;
}

/** The co-chair of a side (a valid record has exactly one). */
export function coChairOf(
  members: readonly JointCommitteeMember[],
  side: (typeof memberSides)[number],
): JointCommitteeMember | undefined {
  return members.find((m) => m.side === side && m.role === 'co_chair');
}

/** A source as a person reads it: title, publisher, date, page or slide; or the synthetic label. */
export function citation(source: FactSource): string {
  return 'synthetic' in source
    ? `synthetic demo data: ${source.note}`
    : `"${source.title}", ${source.publisher}, ${source.date}, ${source.locator}`;
}
