// The stable codes of the AEF consistency checks, in the order the checks run and are reported, and
// the shape of a failure. docs/article6.md lists the same codes; a test keeps the two in sync.
import { aefTable, codeOfLabel, type AefDescription, type AefTableKey } from './aef-description.ts';
import type { AefRow } from './aef-tables.ts';

/** The checks in the order they run and are reported, each with what it means. */
export const aefCheckCodes = {
  aef_submission_not_one_row: 'The Submission table has exactly one row.',
  aef_required_field_missing:
    'A required column, or a conditional one whose condition holds in the row, is blank.',
  aef_unfccc_field_filled: "A column the UNFCCC's platform fills is not blank.",
  aef_value_malformed:
    "A cell is not of its column's type (date, year, whole number, quantity, ITMO id, JCM unit id) or does not match the column's pattern.",
  aef_value_not_in_list:
    'A cell of a column with a list of values holds another value, or one not allowed with the rest of the row (an action subtype of another action type).',
  aef_action_outside_reported_year: 'An action is dated outside the reported year.',
  aef_action_not_traceable:
    "An action names no journal entry, or one the registries' journals do not hold.",
  aef_first_id_after_last_id: "A row's first ITMO id comes after its last.",
  aef_id_range_mixed:
    "A row's first and last ITMO ids name different approaches, registries, first transferring Parties, projects or vintages.",
  aef_id_disagrees_with_row:
    "A row's ITMO ids disagree with its own columns: approach, registry, first transferring Party, vintage, unit ids or quantity.",
  aef_ids_overlap: 'Two rows of Holdings, or two first transfers, name the same ITMO.',
  aef_used_unit_still_held: 'An ITMO used or cancelled in the year is still listed in Holdings.',
  aef_unit_attributes_changed:
    'Two rows name the same ITMO with a different approach, first transferring Party, metric or vintage.',
  aef_holdings_differ_from_registry:
    'Holdings at 31 December list ITMOs the registry does not hold, or leave out ITMOs it holds.',
  aef_authorization_missing:
    'A row names an authorization of its approach with no version in Authorizations dated on or before the action.',
  aef_authorization_vintage_not_covered:
    "A row's vintage lies outside the vintages (authorized timeframe) of the authorization version in force.",
  aef_authorization_purpose_not_covered:
    'A use towards the NDC under an authorization without NDC, a use or cancellation for OIMP under one without OIMP, or an OIMP first transfer at another event than the one the authorization names.',
  aef_authorization_quantity_exceeded:
    'The ITMOs the rows name under an authorization are more than its authorized quantity.',
} as const;
export type AefCheckCode = keyof typeof aefCheckCodes;

export interface AefCheckFailure {
  readonly code: AefCheckCode;
  readonly table: AefTableKey;
  /** Indexes of the offending rows in the table (0 = the first row under the header). */
  readonly rows: readonly number[];
  readonly message: string;
}

/** The code of a row's action type; undefined when the row has none the description knows. */
export function actionTypeOf(row: AefRow | undefined, d: AefDescription): string | undefined {
  return row === undefined ? undefined : cellCode(d, 'actions', 'action_type', row);
}

/** The code a row's cell holds in a column with a list of values; undefined if blank or unknown. */
export function cellCode(
  d: AefDescription,
  table: AefTableKey,
  key: string,
  row: AefRow,
): string | undefined {
  const field = aefTable(d, table).fields.find((f) => f.key === key);
  const cell = row[key] ?? null;
  return field === undefined || cell === null ? undefined : codeOfLabel(field, cell);
}

export function fail(
  code: AefCheckCode,
  table: AefTableKey,
  rows: readonly number[],
  message: string,
): AefCheckFailure {
  return { code, table, rows, message };
}
