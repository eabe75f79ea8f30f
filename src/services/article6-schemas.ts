// The wire shapes of the Article 6.2 commands (zod), shared by the API, the CLI and the back office.
// Scalars are checked here; ids of projects, registries and accounts go through the core's parsers in
// article6-input.ts, so each bad value gets its own stable code.
import { z } from 'zod';
import {
  approachIdPattern,
  firstTransferDefinitions,
  partyPattern,
  purposes,
  yearMax,
  yearMin,
} from '../core/article6/types.ts';
import { civilDateText } from '../core/shared/date-schema.ts';
import { integerString, selectionSchema } from './ledger-schemas.ts';

/** A Party, ISO 3166 alpha-3. */
export const partySchema = z.string().regex(partyPattern, 'a Party, ISO 3166 alpha-3 (JPN, IND)');
const party = partySchema;

/** A cooperative approach's id. */
export const approachIdSchema = z
  .string()
  .regex(approachIdPattern, 'a cooperative approach id: CA and four digits');
const year = z.number().int().min(yearMin).max(yearMax);
const text = (max: number) => z.string().trim().min(1).max(max);

/** Authorisations a Party names one by one: the limits on one record. */
export const authorisationProjectsMax = 200;
export const authorisedEntitiesMax = 100;
export const authorisationTermsLengthMax = 4000;

export const authorisationIdPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/** An authorised entity as a Party names it: a platform organisation and its number in its records. */
const authorisedEntityInputSchema = z
  .object({
    organisation: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'an organisation id'),
    identifier: text(64),
  })
  .strict();

/**
 * An authorised entity as a record states it (`AuthorisedEntity`): with the name and country this
 * deployment resolved from its organisation, as a peer's `authorisation_record` carries it.
 */
export const authorisedEntityRecordSchema = authorisedEntityInputSchema
  .extend({
    name: z.string().min(1).max(300),
    country: z.string().regex(/^[A-Z]{2}$/),
  })
  .strict();

export const authorisationInputSchema = z
  .object({
    id: z
      .string()
      .regex(
        authorisationIdPattern,
        'an authorisation id: letters, digits and - (as the AEF writes them)',
      ),
    party,
    approach: approachIdSchema,
    date: civilDateText,
    registry: z.string().max(8),
    projects: z.array(z.string().max(16)).min(1).max(authorisationProjectsMax),
    vintageFirst: year,
    vintageLast: year,
    quantityCap: integerString.nullable().default(null),
    validFrom: civilDateText.nullable().default(null),
    validUntil: civilDateText.nullable().default(null),
    purposes: z
      .array(z.enum(purposes))
      .min(1)
      .max(2)
      .refine((p) => new Set(p).size === p.length, 'each purpose once'),
    oimp: text(120).nullable().default(null),
    firstTransferDefinition: z.enum(firstTransferDefinitions).nullable().default(null),
    authorisedParties: z
      .array(party)
      .min(1)
      .max(10)
      .refine((p) => new Set(p).size === p.length, 'each Party once'),
    /** Platform organisations, each with its identification number in the authorising Party's records. */
    authorisedEntities: z.array(authorisedEntityInputSchema).max(authorisedEntitiesMax).default([]),
    terms: z.string().trim().max(authorisationTermsLengthMax).default(''),
  })
  .strict();
export type AuthorisationInput = z.output<typeof authorisationInputSchema>;

export const confirmationInputSchema = z
  .object({
    authorisation: z.string().regex(authorisationIdPattern),
    version: z.number().int().min(1).max(100_000),
  })
  .strict();

export const authoriseUnitsInputSchema = z
  .object({
    authorisation: z.string().regex(authorisationIdPattern),
    from: z.string().max(16),
    selection: selectionSchema,
  })
  .strict();

export const finalisationInputSchema = z
  .object({ party, firstYear: year, lastYear: year })
  .strict();

export const approachInputSchema = z
  .object({ partnership: z.string().regex(/^[A-Z]{2}$/, 'a partnership code, ISO 3166 alpha-2') })
  .strict();

/** Query of a Party's figures for a year: actions, balance, AEF. */
export const partyYearSchema = z
  .object({
    party,
    year: z.coerce.number().int().min(yearMin).max(yearMax),
  })
  .strict();
