// The wire shapes of the registry's commands and queries (zod), shared by the API (validation and the
// OpenAPI document) and the CLI. Scalars stay strings here; `ledger-input.ts` turns them into branded
// ids and bigints with the core's parsers, so each bad value gets its own stable code.
import { z } from 'zod';
import { retirementPurposes } from '../core/ledger/types.ts';
import { cancellationKinds, yearMax, yearMin } from '../core/article6/types.ts';
import { textLengthMax } from '../core/shared/limits.ts';

const text = z.string().trim().min(1).max(textLengthMax);
/** Quantities and serials travel as decimal strings; plain JSON integers are accepted when exact. */
export const integerString = z.union([z.string().max(64), z.number()]).transform((v) => String(v));

export const selectionSchema = z.union([
  z
    .object({
      quantity: integerString,
      project: z.string().max(16).optional(),
      vintage: z.union([z.number(), z.string()]).optional(),
    })
    .strict(),
  z
    .object({
      ranges: z
        .array(
          z
            .object({ project: z.string().max(16), first: integerString, last: integerString })
            .strict(),
        )
        .min(1)
        .max(1000),
    })
    .strict(),
  z.object({ blocks: z.array(z.string().max(120)).min(1).max(1000) }).strict(),
]);

export const commandSchemas = {
  open_registry: z.object({ registry: z.string().max(8), name: text }).strict(),
  open_account: z
    .object({
      registry: z.string().max(8),
      accountType: z.enum(['holding', 'government_holding']),
      holderId: z.string().trim().min(1).max(64),
      holderName: text,
    })
    .strict(),
  freeze_account: z.object({ account: z.string().max(16), reason: text }).strict(),
  unfreeze_account: z.object({ account: z.string().max(16), reason: text }).strict(),
  close_account: z.object({ account: z.string().max(16), reason: text }).strict(),
  record_issuance_decision: z
    .object({
      decision: z.string().max(80),
      project: z.string().max(16),
      verification: z
        .object({
          reference: z.string().trim().min(1).max(64),
          reductions: z
            .array(
              z
                .object({ vintage: z.union([z.number(), z.string()]), quantity: integerString })
                .strict(),
            )
            .min(1)
            .max(50),
        })
        .strict(),
      lines: z
        .array(
          z
            .object({
              registry: z.string().max(8),
              account: z.string().max(16),
              vintage: z.union([z.number(), z.string()]),
              quantity: integerString,
            })
            .strict(),
        )
        .max(1000),
      serialFirst: integerString.optional(),
    })
    .strict(),
  issue: z
    .object({
      registry: z.string().max(8),
      decision: z.string().max(80),
      line: z.number().int().min(1).max(100_000),
    })
    .strict(),
  transfer: z
    .object({ from: z.string().max(16), to: z.string().max(16), selection: selectionSchema })
    .strict(),
  retire: z
    .object({
      from: z.string().max(16),
      selection: selectionSchema,
      purpose: z
        .string()
        .max(64)
        .describe(`one of ${retirementPurposes.join(', ')}`),
      beneficiary: text,
      note: z.string().max(textLengthMax).default(''),
      /** Article 6.2: the calendar year of use towards an NDC, required for ITMOs used so. */
      yearOfUse: z.number().int().min(yearMin).max(yearMax).optional(),
    })
    .strict(),
  cancel: z
    .object({
      from: z.string().max(16),
      selection: selectionSchema,
      reason: text,
      /** Article 6.2: why ITMOs are cancelled (omge, voluntary, other). */
      cancellationKind: z.enum(cancellationKinds).optional(),
    })
    .strict(),
  release: z.object({ to: z.string().max(16), selection: selectionSchema, reason: text }).strict(),
  reverse: z.object({ registry: z.string().max(8), seq: integerString, reason: text }).strict(),
} as const;

export type CommandName = keyof typeof commandSchemas;
export type CommandInput<N extends CommandName = CommandName> = z.output<
  (typeof commandSchemas)[N]
>;
export type SelectionInput = z.output<typeof selectionSchema>;
