// The checks the description drives (article6/aef.yaml): required and conditional columns filled,
// columns the UNFCCC fills left blank, each cell of its column's type and pattern, each value of a
// list one of its values and allowed with the rest of its row. Nothing here names a column: a new AEF
// version changes what is checked by changing the description.
import { assert, assertNever } from '../shared/assert.ts';
import { quantityMax } from '../shared/limits.ts';
import { parseBlockId } from '../ledger/block-id.ts';
import {
  cellItems,
  conditionHolds,
  parseAefDate,
  type AefDescription,
  type AefFieldDescription,
  type AefTableDescription,
} from './aef-description.ts';
import type { AefCheckCode, AefCheckFailure } from './aef-check-codes.ts';
import type { AefRow, AefTables } from './aef-tables.ts';
import { parseItmoId } from './itmo-id.ts';
import { yearMax, yearMin } from './types.ts';

/** One failure per table, column and code, naming every row it concerns. */
export function checkAefFields(tables: AefTables, d: AefDescription): AefCheckFailure[] {
  const failures: AefCheckFailure[] = [];
  const submissionRows = tables.submission.length;
  if (submissionRows !== 1)
    failures.push({
      code: 'aef_submission_not_one_row',
      table: 'submission',
      rows: [],
      message: `the Submission table has ${submissionRows} rows; it has one`,
    });
  const compiled = new Map<string, RegExp>();
  for (const table of d.tables) {
    const rows = tables[table.key];
    for (const field of table.fields) {
      const found = new Map<AefCheckCode, { rows: number[]; example: string }>();
      rows.forEach((row, index) => {
        const problem = cellProblem(table, field, row, d, compiled);
        if (problem === null) return;
        const seen = found.get(problem.code);
        if (seen === undefined)
          found.set(problem.code, { rows: [index], example: problem.example });
        else seen.rows.push(index);
      });
      for (const [code, { rows: at, example }] of found)
        failures.push({
          code,
          table: table.key,
          rows: at,
          message: fieldMessage(code, field, at, example),
        });
    }
  }
  return failures;
}

function cellProblem(
  table: AefTableDescription,
  field: AefFieldDescription,
  row: AefRow,
  d: AefDescription,
  compiled: Map<string, RegExp>,
): { code: AefCheckCode; example: string } | null {
  const cell = row[field.key] ?? null;
  if (field.filled_by === 'unfccc')
    return cell === null ? null : { code: 'aef_unfccc_field_filled', example: cell };
  if (cell === null) {
    const needed =
      field.presence === 'required' ||
      (field.presence === 'conditional' &&
        field.when !== undefined &&
        conditionHolds(field.when, row, table, d.list_separator));
    return needed ? { code: 'aef_required_field_missing', example: '' } : null;
  }
  for (const item of cellItems(field, cell, d.list_separator)) {
    if (!wellFormed(field, item, d, compiled))
      return { code: 'aef_value_malformed', example: item };
    if (field.values !== undefined) {
      const value = field.values.find((v) => v.label === item);
      const allowed =
        value !== undefined &&
        (value.when === undefined || conditionHolds(value.when, row, table, d.list_separator));
      if (!allowed) return { code: 'aef_value_not_in_list', example: item };
    }
  }
  return null;
}

function wellFormed(
  field: AefFieldDescription,
  item: string,
  d: AefDescription,
  compiled: Map<string, RegExp>,
): boolean {
  if (field.pattern !== undefined) {
    let pattern = compiled.get(field.pattern);
    if (pattern === undefined) {
      pattern = new RegExp(field.pattern, 'u');
      compiled.set(field.pattern, pattern);
    }
    if (!pattern.test(item)) return false;
  }
  switch (field.type) {
    case 'text':
    case 'code':
      return item.length > 0;
    case 'date':
      return parseAefDate(item, d.date_format) !== null;
    case 'year':
      return /^\d{4}$/.test(item) && Number(item) >= yearMin && Number(item) <= yearMax;
    case 'integer':
      return /^\d{1,18}$/.test(item);
    case 'quantity':
      return /^[1-9]\d{0,12}$/.test(item) && BigInt(item) <= quantityMax;
    case 'itmo_id':
      return parseItmoId(item, 'ZZ').ok;
    case 'unit_id':
      return parseBlockId(item).ok;
    default:
      return assertNever(field.type, 'AEF field type');
  }
}

function fieldMessage(
  code: AefCheckCode,
  field: AefFieldDescription,
  rows: readonly number[],
  example: string,
): string {
  assert(rows.length > 0, 'a failure names its rows');
  const where = `"${field.label}" in ${rows.length === 1 ? 'row' : 'rows'} ${rows.join(', ')}`;
  const shown = `"${example.slice(0, 80)}"`;
  switch (code) {
    case 'aef_required_field_missing':
      return `${where} is blank; it must be filled${field.presence === 'conditional' ? ' in these rows' : ''}`;
    case 'aef_unfccc_field_filled':
      return `${where} holds ${shown}; the UNFCCC's platform fills this column`;
    case 'aef_value_malformed':
      return `${where}: ${shown} is not ${typeWords[field.type]}${field.pattern === undefined ? '' : ` matching ${field.pattern}`}`;
    case 'aef_value_not_in_list':
      return `${where}: ${shown} is not one of its values, or not one allowed with the rest of the row`;
    default:
      return `${where}: ${shown}`;
  }
}

const typeWords: Readonly<Record<AefFieldDescription['type'], string>> = {
  text: 'text',
  code: 'a value of the list',
  date: 'a calendar date in the template format',
  year: `a year from ${yearMin} to ${yearMax}`,
  integer: 'a whole number',
  quantity: 'a whole number of t CO2 eq of at least 1',
  itmo_id: 'an ITMO identifier like CA0001-JPN01-IND-001.1000-2027',
  unit_id: 'a JCM unit id like JCM-IN-001-2027-1000-1000',
};
