// The Agreed Electronic Format described as data (article6/aef.yaml): its five tables, their columns in
// template order with the template's labels, types, when a column must be filled, the values it may
// take and which columns the UNFCCC's platform fills. The schema here is the one place that says what
// such a description may contain; building, checking, exporting and documenting the AEF all read it.
import { z } from 'zod';
import { assert } from '../shared/assert.ts';
import { parseCivilDate } from '../shared/civil-date.ts';
import { civilDateText } from '../shared/date-schema.ts';

/** The AEF's tables, in the order of the template (decision 2/CMA.3, annex, paragraph 20). */
export const aefTableKeys = [
  'submission',
  'authorizations',
  'actions',
  'holdings',
  'authorized_entities',
] as const;
export type AefTableKey = (typeof aefTableKeys)[number];

/**
 * What a column holds: free text; a date in the description's date format; a calendar year; a whole
 * number; a quantity of tCO2e (a whole number, at least 1); a value of the column's list; an ITMO
 * identifier (itmo-id.ts); a JCM credit written as a block id (block-id.ts).
 */
export const aefFieldTypes = [
  'text',
  'date',
  'year',
  'integer',
  'quantity',
  'code',
  'itmo_id',
  'unit_id',
] as const;
export type AefFieldType = (typeof aefFieldTypes)[number];

export const aefPresences = ['required', 'conditional', 'optional'] as const;
export const aefDateFormats = ['dd/mm/yyyy', 'yyyy-mm-dd'] as const;
export type AefDateFormat = (typeof aefDateFormats)[number];

/** When a column applies: another column of the row holds one of the listed codes; or all/any of several. */
export type AefCondition =
  | { readonly field: string; readonly in: readonly string[] }
  | { readonly all: readonly AefCondition[] }
  | { readonly any: readonly AefCondition[] };

/** Most fields of a table and values of a list a description may hold (a limit on everything). */
export const aefFieldsPerTableMax = 60;
export const aefValuesPerFieldMax = 200;

const key = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'a snake_case key');
const text = (max: number) => z.string().trim().min(1).max(max);

const conditionSchema: z.ZodType<AefCondition> = z.lazy(() =>
  z.union([
    z.object({ field: key, in: z.array(key).min(1).max(aefValuesPerFieldMax) }).strict(),
    z.object({ all: z.array(conditionSchema).min(2).max(10) }).strict(),
    z.object({ any: z.array(conditionSchema).min(2).max(10) }).strict(),
  ]),
);

const valueSchema = z
  .object({
    code: key,
    label: text(200),
    /** The value is allowed only in rows where this holds (an action subtype of its action type). */
    when: conditionSchema.optional(),
    note: text(1000).optional(),
  })
  .strict();

const fieldSchema = z
  .object({
    key,
    label: text(300),
    type: z.enum(aefFieldTypes),
    presence: z.enum(aefPresences),
    when: conditionSchema.optional(),
    multiple: z.boolean().optional(),
    /** A regular expression, anchored with ^ and $, each value (each item of a list) must match. */
    pattern: text(400).optional(),
    values: z.array(valueSchema).min(1).max(aefValuesPerFieldMax).optional(),
    filled_by: z.enum(['party', 'unfccc']).optional(),
    note: text(2000).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const problem = fieldProblem(f);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: `${f.key}: ${problem}` });
  });

const tableSchema = z
  .object({
    key: z.enum(aefTableKeys),
    label: text(200),
    /** The worksheet's name: at most 31 characters, none of []:*?/\ (Excel's rules). */
    sheet: z
      .string()
      .min(1)
      .max(31)
      .regex(/^[^[\]:*?/\\]+$/, 'a worksheet name'),
    note: text(2000).optional(),
    fields: z.array(fieldSchema).min(1).max(aefFieldsPerTableMax),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const problem of tableProblems(t))
      ctx.addIssue({ code: 'custom', message: `${t.key}: ${problem}` });
  });

export const aefDescriptionSchema = z
  .object({
    /** The platform's name of this edition of the AEF; exports carry it. */
    version: text(40),
    title: text(300),
    source: z
      .object({
        title: text(400),
        publisher: text(300),
        date: civilDateText,
        locator: text(600),
        note: text(3000).optional(),
      })
      .strict(),
    date_format: z.enum(aefDateFormats),
    list_separator: z.string().min(1).max(5),
    tables: z.array(tableSchema).length(aefTableKeys.length),
  })
  .strict()
  .superRefine((d, ctx) => {
    d.tables.forEach((t, i) => {
      if (t.key !== aefTableKeys[i])
        ctx.addIssue({
          code: 'custom',
          path: ['tables', i, 'key'],
          message: `table ${i + 1} is ${aefTableKeys[i]}, in the template's order`,
        });
    });
  });

export type AefDescription = z.output<typeof aefDescriptionSchema>;
export type AefTableDescription = AefDescription['tables'][number];
export type AefFieldDescription = AefTableDescription['fields'][number];
export type AefValue = NonNullable<AefFieldDescription['values']>[number];

function fieldProblem(f: z.output<typeof fieldSchema>): string | null {
  if ((f.presence === 'conditional') !== (f.when !== undefined))
    return 'a conditional field states its condition in `when`, and only it does';
  if ((f.type === 'code') !== (f.values !== undefined))
    return 'a code field lists its values, and only it does';
  if (f.filled_by === 'unfccc' && f.presence !== 'optional')
    return 'a field the UNFCCC fills is left blank by the Party, so it is optional';
  if (f.values !== undefined) {
    if (new Set(f.values.map((v) => v.code)).size !== f.values.length) return 'codes repeat';
    if (new Set(f.values.map((v) => v.label)).size !== f.values.length) return 'labels repeat';
  }
  if (f.pattern !== undefined) {
    if (!f.pattern.startsWith('^') || !f.pattern.endsWith('$'))
      return 'a pattern is anchored with ^ and $';
    try {
      new RegExp(f.pattern, 'u');
    } catch {
      return 'the pattern is not a regular expression';
    }
  }
  return null;
}

function tableProblems(t: z.output<typeof tableSchema>): string[] {
  const problems: string[] = [];
  if (new Set(t.fields.map((f) => f.key)).size !== t.fields.length) problems.push('keys repeat');
  if (new Set(t.fields.map((f) => f.label)).size !== t.fields.length)
    problems.push('labels repeat');
  const byKey = new Map(t.fields.map((f) => [f.key, f]));
  const conditions = t.fields.flatMap((f) => [
    ...(f.when === undefined ? [] : [{ of: f.key, when: f.when }]),
    ...(f.values ?? []).flatMap((v) => (v.when === undefined ? [] : [{ of: f.key, when: v.when }])),
  ]);
  for (const { of, when } of conditions)
    for (const leaf of conditionLeaves(when)) {
      const target = byKey.get(leaf.field);
      if (target === undefined || target.values === undefined)
        problems.push(`${of}: its condition names ${leaf.field}, not a code field of the table`);
      else if (leaf.field === of) problems.push(`${of}: its condition names itself`);
      else
        for (const code of leaf.in)
          if (!target.values.some((v) => v.code === code))
            problems.push(`${of}: ${code} is not a value of ${leaf.field}`);
    }
  return problems;
}

function conditionLeaves(c: AefCondition): { field: string; in: readonly string[] }[] {
  if ('field' in c) return [c];
  return ('all' in c ? c.all : c.any).flatMap(conditionLeaves);
}

/** The table of a description; every description has all five (the schema checks it). */
export function aefTable(description: AefDescription, table: AefTableKey): AefTableDescription {
  const found = description.tables.find((t) => t.key === table);
  assert(found !== undefined, `the description has the table ${table}`);
  return found;
}

/** The items of a cell: one, or several joined by the description's separator. */
export function cellItems(field: AefFieldDescription, cell: string, separator: string): string[] {
  return field.multiple === true ? cell.split(separator.trim()).map((s) => s.trim()) : [cell];
}

/** The code of a value written by its label; undefined when the list has no such label. */
export function codeOfLabel(field: AefFieldDescription, label: string): string | undefined {
  return field.values?.find((v) => v.label === label)?.code;
}

/** The label a code is written with; undefined when the list has no such code. */
export function labelOfCode(field: AefFieldDescription, code: string): string | undefined {
  return field.values?.find((v) => v.code === code)?.label;
}

/** Whether a condition holds in a row of the table (cells as written, lists by label). */
export function conditionHolds(
  condition: AefCondition,
  row: Readonly<Record<string, string | null>>,
  table: AefTableDescription,
  separator: string,
): boolean {
  if ('all' in condition)
    return condition.all.every((c) => conditionHolds(c, row, table, separator));
  if ('any' in condition)
    return condition.any.some((c) => conditionHolds(c, row, table, separator));
  const field = table.fields.find((f) => f.key === condition.field);
  assert(field !== undefined, `the condition's field ${condition.field} is in the table`);
  const cell = row[field.key] ?? null;
  if (cell === null) return false;
  return cellItems(field, cell, separator).some((item) => {
    const code = codeOfLabel(field, item);
    return code !== undefined && condition.in.includes(code);
  });
}

/** A calendar date (YYYY-MM-DD) as the description writes dates. */
export function formatAefDate(iso: string, format: AefDateFormat): string {
  const date = parseCivilDate(iso);
  assert(date !== null, `${iso} is a calendar date`);
  if (format === 'yyyy-mm-dd') return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.day)}/${two(date.month)}/${date.year}`;
}

/** A date as the description writes it, back to YYYY-MM-DD; null if it is no calendar date. */
export function parseAefDate(cell: string, format: AefDateFormat): string | null {
  const match =
    format === 'yyyy-mm-dd'
      ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell)
      : /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(cell);
  if (match === null) return null;
  const [year, month, day] =
    format === 'yyyy-mm-dd' ? [match[1], match[2], match[3]] : [match[3], match[2], match[1]];
  const iso = `${year}-${month}-${day}`;
  return parseCivilDate(iso) === null ? null : iso;
}
