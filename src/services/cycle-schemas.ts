// The wire shape of a project-cycle action (zod), shared by the API and the CLI. One envelope for
// every action: the item (absent when the action creates one), the documents filed with it, and the
// parts that some actions carry (a finding, an allocation, the decision it carries out...).
import { z } from 'zod';
import { documentTypes, type DocumentType } from '../core/cycle/definition.ts';
import { holderKinds } from '../core/cycle/rulebook.ts';
import { integerString } from './ledger-schemas.ts';

/** Largest document accepted in one action (bytes, before base64). */
export const documentBytesMax = 8 * 1024 * 1024;
/** Documents filed with one action. */
export const documentsPerActionMax = 20;

const text = (max: number) => z.string().trim().min(1).max(max);
const orgId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'an organisation id: lower-case letters, digits and -');

export const documentSchema = z
  .object({
    type: z.enum(Object.keys(documentTypes) as [DocumentType, ...DocumentType[]]),
    fileName: text(200),
    mediaType: z
      .string()
      .regex(/^[a-z]+\/[a-z0-9.+-]+$/)
      .max(100),
    /** The public version, base64; the redacted one where the document is confidential. */
    content: z.string().max(Math.ceil((documentBytesMax * 4) / 3) + 4),
    /** The full version, base64, only for confidential documents (seen by the TPE and the JC). */
    fullContent: z
      .string()
      .max(Math.ceil((documentBytesMax * 4) / 3) + 4)
      .optional(),
  })
  .strict();

export const projectDataSchema = z
  .object({
    title: text(300),
    location: text(300),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    programme: z.enum([
      'moej_model_project',
      'meti_nedo_demonstration',
      'adb_jfjcm',
      'private_sector_jcm',
      'f_gas',
      'redd_plus',
    ]),
    participantsJapan: z.array(orgId).min(1).max(20),
    participantsPartner: z.array(orgId).min(1).max(20),
    focalPoint: orgId,
    sectoralScopes: z.array(z.number().int().min(1).max(15)).min(1).max(15),
    greenhouseGases: z.array(z.enum(['CO2', 'CH4', 'N2O', 'HFCs', 'PFCs', 'SF6', 'NF3'])).min(1),
    methodology: z.object({ id: z.string().max(20), version: z.string().max(10) }).strict(),
    /** Number on the partner's list of activities eligible for Article 6.2, where it has one. */
    activity: z.string().max(10).optional(),
    tpe: orgId,
    creditingPeriod: z.object({ start: z.string(), end: z.string() }).strict(),
    expectedReductionsPerYear: integerString,
    coBenefits: z.string().max(4000).default(''),
  })
  .strict();
export type ProjectData = z.output<typeof projectDataSchema>;

export const allocationLineSchema = z
  .object({
    holder: z.enum(holderKinds),
    registry: z.string().regex(/^[A-Z]{2}$/),
    account: z.string().max(16),
    vintage: z.number().int().min(2013).max(2100),
    quantity: integerString,
  })
  .strict();

export const actionSchema = z
  .object({
    item: z.string().max(64).optional(),
    partnership: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    /** The project a monitoring period or issuance request belongs to; the subject of a decision. */
    parent: z.string().max(64).optional(),
    project: projectDataSchema.optional(),
    documents: z.array(documentSchema).max(documentsPerActionMax).default([]),
    /** The adopted Joint Committee decision the action carries out. */
    decision: z.string().max(64).optional(),
    finding: z
      .union([
        z.object({ kind: z.enum(['CAR', 'CL', 'FAR']), text: text(4000) }).strict(),
        z.object({ id: integerString, answer: text(4000) }).strict(),
        z.object({ id: integerString }).strict(),
      ])
      .optional(),
    allocation: z.array(allocationLineSchema).min(1).max(100).optional(),
    /** For propose_decision: what the decision is about and which action it authorises. */
    subject: z
      .object({ item: z.string().max(64), action: z.string().max(64), text: text(8000) })
      .strict()
      .optional(),
    method: z.enum(['meeting', 'electronic']).optional(),
    /** For issue_verification: verified reductions per vintage. */
    verified: z.record(z.string().regex(/^\d{4}$/), integerString).optional(),
    /** For submit_monitoring_report: the monitoring data, calculated by the methodology engine. */
    monitoring: z.record(z.string(), z.unknown()).optional(),
    note: z.string().max(4000).default(''),
  })
  .strict();
export type ActionInput = z.output<typeof actionSchema>;

export const organisationSchema = z
  .object({
    id: orgId,
    name: text(300),
    kind: z.enum([
      'project_participant',
      'third_party_entity',
      'secretariat',
      'joint_committee',
      'government',
      'registry',
    ]),
    country: z.string().regex(/^[A-Z]{2}$/),
  })
  .strict();

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const designationSchema = z
  .object({
    organisation: orgId,
    partnership: z.string().regex(/^[A-Z]{2}$/),
    sectoralScopes: z.array(z.number().int().min(1).max(15)).min(1).max(15),
    functions: z
      .array(z.enum(['validation', 'verification']))
      .min(1)
      .max(2),
    accreditation: z.enum(['iso_14065', 'cdm_operational_entity']),
    validFrom: isoDate,
    validUntil: isoDate,
    decision: z.string().max(64).optional(),
  })
  .strict()
  .refine((d) => d.validUntil >= d.validFrom, 'validUntil is on or after validFrom');
