// The data of a project (or of an idea note): what the participants submit with the PDD, stored as
// versions, and the only source of the project's participants, TPE, programme and methodology when
// the cycle decides who may act on it.
import { z } from 'zod';
import { civilDateText as isoDate } from '../shared/date-schema.ts';
import { sectoralScopeMax } from '../shared/limits.ts';

export const organisationIdPattern = /^[a-z0-9][a-z0-9-]{1,62}$/;
const text = (max: number) => z.string().trim().min(1).max(max);
const orgId = z
  .string()
  .regex(organisationIdPattern, 'an organisation id: lower-case letters, digits and -');
const integerString = z.string().regex(/^\d{1,19}$/, 'a whole number as a decimal string');

export const programmes = [
  'moej_model_project',
  'meti_nedo_demonstration',
  'adb_jfjcm',
  'private_sector_jcm',
  'f_gas',
  'redd_plus',
] as const;
export const greenhouseGases = ['CO2', 'CH4', 'N2O', 'HFCs', 'PFCs', 'SF6', 'NF3'] as const;

export const creditingPeriodSchema = z
  .object({ start: isoDate, end: isoDate })
  .strict()
  .refine((p) => p.end >= p.start, 'the crediting period ends on or after its start');

/**
 * The periods of a CCS or CCUS project (IN_AM006): injection, and the end of the termination
 * period (the termination preparatory and post-project termination periods) through which
 * monitoring continues.
 */
export const storagePeriodsSchema = z
  .object({ injectionStart: isoDate, injectionEnd: isoDate, terminationEnd: isoDate })
  .strict()
  .refine((p) => p.injectionEnd >= p.injectionStart, 'injection ends on or after its start')
  .refine((p) => p.terminationEnd >= p.injectionEnd, 'the termination period ends after injection');

export const projectDataSchema = z
  .object({
    title: text(300),
    location: text(300),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    programme: z.enum(programmes),
    participantsJapan: z.array(orgId).min(1).max(20),
    participantsPartner: z.array(orgId).min(1).max(20),
    focalPoint: orgId,
    sectoralScopes: z.array(z.number().int().min(1).max(sectoralScopeMax)).min(1).max(15),
    greenhouseGases: z.array(z.enum(greenhouseGases)).min(1),
    methodology: z.object({ id: z.string().max(20), version: z.string().max(10) }).strict(),
    /** Number on the partner's list of activities eligible for Article 6.2, where it has one. */
    activity: z.string().max(10).optional(),
    tpe: orgId,
    creditingPeriod: creditingPeriodSchema,
    /** For a project applying a CCS or CCUS methodology only (ccs-periods.ts). */
    storage: storagePeriodsSchema.optional(),
    expectedReductionsPerYear: integerString,
    coBenefits: z.string().max(4000).default(''),
  })
  .strict();
export type ProjectData = z.output<typeof projectDataSchema>;
export type CreditingPeriod = z.output<typeof creditingPeriodSchema>;

/** Every organisation the project names as a participant, on either side. */
export function participantsOf(project: ProjectData): readonly string[] {
  return [...project.participantsJapan, ...project.participantsPartner];
}
