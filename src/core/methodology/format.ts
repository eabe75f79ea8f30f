// The methodology file format: what a Joint Committee approves. The zod schema checks the shape;
// compile.ts checks the meaning (symbols, cycles, units, outputs, ranges). docs/methodology.schema.json
// is generated from this schema, so the two never drift.
import { z } from 'zod';
import { sectoralScopeMax } from '../shared/limits.ts';

const decimalText = z
  .string()
  .regex(
    /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/,
    'must be a decimal number written as text',
  )
  .max(64);

const symbol = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]{0,39}$/,
    'a symbol starts with a letter and has letters, digits and _',
  );

const text = (max: number) => z.string().min(1).max(max);

const range = z
  .object({ min: decimalText.optional(), max: decimalText.optional() })
  .strict()
  .describe('Allowed values, inclusive; either bound may be left out.');

const source = text(500).describe(
  'Where the value comes from, or "illustrative, to be set by the Joint Committee".',
);

export const parameterSchema = z
  .object({
    symbol,
    description: text(500),
    unit: text(40),
    kind: z
      .enum(['fixed', 'monitored'])
      .describe('fixed ex ante (a default value with its source) or monitored ex post'),
    per: z
      .enum(['project', 'monitoring_point'])
      .describe('one value for the project, or one per monitoring point'),
    monitoring_option: z
      .enum(['A', 'B', 'C'])
      .optional()
      .describe('monitored only: A public data, B invoices or transaction records, C measurement'),
    default: decimalText.optional().describe('fixed only: the default value'),
    source: source.optional(),
    range: range.optional(),
  })
  .strict();

export const equationSchema = z
  .object({
    symbol,
    expression: text(2000),
    unit: text(40),
    description: text(500),
  })
  .strict();

export const sizeInputSchema = z
  .object({ symbol, description: text(500), unit: text(40), range: range.optional() })
  .strict();

export const assumptionSchema = z
  .object({ symbol, description: text(500), value: decimalText, unit: text(40), source })
  .strict();

export const estimateSchema = z
  .object({
    inputs: z.array(sizeInputSchema).min(1).max(20),
    assumptions: z.array(assumptionSchema).max(40).default([]),
    monitored: z
      .record(symbol, text(2000))
      .describe(
        'an expression for one year of each monitored parameter, from inputs and assumptions',
      ),
  })
  .strict();

export const exampleSchema = z
  .object({
    description: text(2000),
    monitoring_points: z.array(z.string().min(1).max(40)).min(1).max(100),
    periods: z
      .array(
        z.object({ id: z.string().min(1).max(40), start: z.string(), end: z.string() }).strict(),
      )
      .min(1)
      .max(24),
    fixed: z.record(symbol, z.union([decimalText, z.record(z.string(), decimalText)])).default({}),
    monitored: z.record(z.string(), z.record(z.string(), z.record(symbol, decimalText))),
  })
  .strict();

/** One entry of a partner's list of activities eligible for Article 6.2 that a methodology serves. */
export const servedActivitySchema = z
  .object({
    activity: z
      .string()
      .regex(/^\d{1,3}$/, "the entry's number on the partner's list, e.g. '1'")
      .describe("the entry's number on the partner's list of activities eligible for Article 6.2"),
    credits: text(1000).describe(
      'what the methodology credits under this entry (e.g. only the stored component)',
    ),
  })
  .strict();

export const eligibleActivitiesSchema = z
  .record(
    z.string().regex(/^[A-Z]{2}$/),
    z
      .array(servedActivitySchema)
      .max(20)
      .refine(
        (served) => new Set(served.map((s) => s.activity)).size === served.length,
        'each entry of the list is named once',
      ),
  )
  .default({})
  .describe(
    "By partner country: the entries of that partner's list of activities eligible for Article 6.2 " +
      'that the methodology serves, each with what it credits; an empty list says it serves none.',
  );

export const methodologySchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Z]{2}_AM\d{3}$/, 'a methodology id is {alpha-2}_AM{three digits}, e.g. IN_AM001'),
    version: z.string().regex(/^\d+\.\d+$/, 'a version is {major}.{minor}, e.g. 1.0'),
    title: text(300),
    // illustrative: modelled on an approved methodology, its defaults not set by a Joint Committee;
    // approved: adopted by a Joint Committee decision.
    status: z.enum(['draft', 'illustrative', 'approved', 'superseded']),
    summary: text(4000),
    partner_countries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
    sectoral_scopes: z.array(z.number().int().min(1).max(sectoralScopeMax)).min(1),
    greenhouse_gases: z.array(z.enum(['CO2', 'CH4', 'N2O', 'HFCs', 'PFCs', 'SF6', 'NF3'])).min(1),
    keywords: z.array(z.string().min(2).max(40)).min(1).max(40),
    modelled_on: text(500).optional(),
    eligibility: z
      .array(
        z
          .object({
            id: z.string().regex(/^C\d{1,2}$/),
            text: text(2000),
            condition: text(500).optional(),
            source: source.optional(),
          })
          .strict(),
      )
      .min(1)
      .max(20),
    eligible_activities: eligibleActivitiesSchema,
    parameters: z.array(parameterSchema).min(1).max(100),
    equations: z.array(equationSchema).min(1).max(100),
    outputs: z
      .object({
        reference_emissions: symbol,
        project_emissions: symbol,
        emission_reductions: symbol,
      })
      .strict(),
    crediting: z
      .object({
        discount_factor: z.object({ value: decimalText, source }).strict().optional(),
        reserve_share: z.object({ value: decimalText, source }).strict().optional(),
      })
      .strict()
      .default({}),
    estimate: estimateSchema,
    example: exampleSchema,
  })
  .strict();

/** A monitoring report as JSON: shaped like a worked example, without its description. */
export const monitoringReportSchema = exampleSchema.omit({ description: true });

export type MethodologyFile = z.output<typeof methodologySchema>;
export type ParameterDef = z.output<typeof parameterSchema>;
export type ServedActivity = z.output<typeof servedActivitySchema>;
export type EquationDef = z.output<typeof equationSchema>;
export type ExampleDef = z.output<typeof exampleSchema>;

/** The JSON Schema of the methodology format, served by the API and written to docs/. */
export function methodologyJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://jcm.example/schemas/methodology.schema.json',
    title: 'JCM methodology',
    ...(z.toJSONSchema(methodologySchema, { io: 'input' }) as Record<string, unknown>),
  };
}
