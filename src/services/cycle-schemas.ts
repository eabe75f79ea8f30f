// The wire shape of a project-cycle action (zod), shared by the API, the CLI and the back office. One
// envelope for every action: the item (absent when the action creates one), the documents filed with
// it, and the parts that some actions carry. cycle-input.ts checks that each action gets exactly its
// own parts and turns the envelope into the core's typed action.
import { z } from 'zod';
import { documentTypes, type DocumentType } from '../core/cycle/definition.ts';
import { creditingPeriodSchema, projectDataSchema } from '../core/cycle/project-data.ts';
import { holderKinds } from '../core/cycle/rulebook.ts';
import { organisationKinds } from '../core/cycle/organisations.ts';
import { integerString } from './ledger-schemas.ts';
import { civilDateText as isoDate } from '../core/shared/date-schema.ts';
import { sectoralScopeMax } from '../core/shared/limits.ts';

export { projectDataSchema, type ProjectData } from '../core/cycle/project-data.ts';

/** Largest document accepted in one action (bytes, before base64). */
export const documentBytesMax = 8 * 1024 * 1024;
/** Documents filed with one action. */
export const documentsPerActionMax = 20;

const text = (max: number) => z.string().trim().min(1).max(max);
const orgId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'an organisation id: lower-case letters, digits and -');
const itemId = z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, 'a cycle item id');
const base64 = z
  .string()
  .max(Math.ceil((documentBytesMax * 4) / 3) + 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

export const documentSchema = z
  .object({
    type: z.enum(Object.keys(documentTypes) as [DocumentType, ...DocumentType[]]),
    fileName: text(200),
    mediaType: z
      .string()
      .regex(/^[a-z]+\/[a-z0-9.+-]+$/)
      .max(100),
    /** The public version, base64; the redacted one where the document is confidential. */
    content: base64,
    /** The full version, base64, only for confidential documents (seen by the TPE and the JC). */
    fullContent: base64.optional(),
  })
  .strict();

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
    item: itemId.optional(),
    partnership: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    /** The project of a monitoring report, the monitoring period of an issuance request. */
    parent: itemId.optional(),
    /** Project data: only where the participants submit it or ask to change it. */
    project: projectDataSchema.optional(),
    documents: z.array(documentSchema).max(documentsPerActionMax).default([]),
    /** The adopted Joint Committee decision the action carries out. */
    decision: itemId.optional(),
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
      .object({ item: itemId, action: z.string().max(64), text: text(8000) })
      .strict()
      .optional(),
    method: z.enum(['meeting', 'electronic']).optional(),
    /** For issue_verification: verified reductions per vintage. */
    verified: z.record(z.string().regex(/^\d{4}$/), integerString).optional(),
    /** For a decision to designate a TPE: the terms the Joint Committee decides. */
    designation: z
      .object({
        sectoralScopes: z
          .array(z.number().int().min(1).max(sectoralScopeMax))
          .min(1)
          .max(sectoralScopeMax),
        functions: z
          .array(z.enum(['validation', 'verification']))
          .min(1)
          .max(2),
        validFrom: isoDate,
        validUntil: isoDate,
      })
      .strict()
      .refine((d) => d.validUntil >= d.validFrom, 'validUntil is on or after validFrom')
      .optional(),
    /** For request_renewal: the crediting period asked for. */
    creditingPeriod: creditingPeriodSchema.optional(),
    /** For a monitoring report without its spreadsheet: the monitoring data as JSON. */
    monitoring: z.record(z.string(), z.unknown()).optional(),
    /** The public comments (ids) the secretariat's completeness or the TPE's report refers to. */
    comments: z
      .array(z.string().regex(/^[1-9][0-9]{0,17}$/, 'a comment id'))
      .min(1)
      .max(100)
      .optional(),
    note: z.string().max(4000).default(''),
  })
  .strict();
export type ActionInput = z.output<typeof actionSchema>;

export const organisationSchema = z
  .object({
    id: orgId,
    name: text(300),
    kind: z.enum(organisationKinds),
    country: z.string().regex(/^[A-Z]{2}$/),
    /** Synthetic demo data: only an administrator may set it (decideOrganisation). */
    synthetic: z.boolean().default(false),
  })
  .strict();
export type OrganisationInput = z.output<typeof organisationSchema>;

export const designationSchema = z
  .object({
    organisation: orgId,
    partnership: z.string().regex(/^[A-Z]{2}$/),
    sectoralScopes: z.array(z.number().int().min(1).max(sectoralScopeMax)).min(1).max(15),
    functions: z
      .array(z.enum(['validation', 'verification']))
      .min(1)
      .max(2),
    accreditation: z.enum(['iso_14065', 'cdm_operational_entity']),
    validFrom: isoDate,
    validUntil: isoDate,
    /** The adopted Joint Committee decision (`designate_tpe`) this designation carries out. */
    decision: itemId,
  })
  .strict()
  .refine((d) => d.validUntil >= d.validFrom, 'validUntil is on or after validFrom');
export type DesignationInput = z.output<typeof designationSchema>;
