// Every row of Actions and Holdings falls under an authorization the Authorizations table lists, and
// that authorization covers it: the version in force on the action's date exists, its vintages
// include the row's vintage, its purposes include the use (NDC, OIMP) and, for an OIMP first
// transfer, it names that event (decision 2/CMA.3, annex, paragraphs 1, 2(b) and 18); the ITMOs named
// under it stay within its authorized quantity.
import { actionTypeOf, cellCode, fail, type AefCheckFailure } from './aef-check-codes.ts';
import { parseAefDate, type AefDescription } from './aef-description.ts';
import type { AefRow, AefTables } from './aef-tables.ts';
import { distinctUnits, groupBy, type UnitRange } from './aef-unit-ranges.ts';

interface AuthorizationVersion {
  readonly row: number;
  readonly version: number;
  /** YYYY-MM-DD; null when the cell is no date (reported by the field checks). */
  readonly date: string | null;
  /** The vintages covered; null when the timeframe sets no limit. */
  readonly vintages: readonly [number, number] | null;
  readonly purposes: string | undefined;
  readonly definition: string | undefined;
  readonly cap: bigint | null;
}

const ndcPurposes: readonly string[] = ['ndc', 'ndc_and_oimp', 'ndc_and_imp', 'ndc_and_op'];
const oimpPurposes: readonly string[] = [
  'oimp',
  'ndc_and_oimp',
  'imp',
  'op',
  'ndc_and_imp',
  'ndc_and_op',
];
const oimpFirstTransfers: readonly string[] = ['authorization', 'issuance', 'use_or_cancellation'];

export function checkAefAuthorizations(
  tables: AefTables,
  otherAuthorizations: readonly AefRow[],
  ranges: readonly UnitRange[],
  d: AefDescription,
): AefCheckFailure[] {
  // Another Party's versions have no row in this AEF (-1); the cap is checked in that Party's AEF.
  const versions = groupBy(
    [
      ...tables.authorizations.map((row, i) => ({ row, i })),
      ...otherAuthorizations.map((row) => ({ row, i: -1 })),
    ].map(({ row, i }) => ({ key: keyOf(row), version: readVersion(row, i, d) })),
    (v) => v.key,
  );
  const versionsOf = (row: AefRow) => (versions.get(keyOf(row)) ?? []).map((v) => v.version);
  const failures: AefCheckFailure[] = [];
  tables.actions.forEach((row, i) => {
    if (row['authorization_id'] == null || row['cooperative_approach_id'] == null) return;
    const date = parseAefDate(row['action_date'] ?? '', d.date_format);
    // Without a readable date the version in force is unknown; the field checks report the date.
    if (date === null) return;
    const version = latest(versionsOf(row).filter((v) => v.date !== null && v.date <= date));
    if (version === null) failures.push(missing('actions', i, row, date));
    else failures.push(...covers('actions', i, row, version, d));
  });
  tables.holdings.forEach((row, i) => {
    if (row['authorization_id'] == null || row['cooperative_approach_id'] == null) return;
    const version = latest(versionsOf(row));
    if (version === null) failures.push(missing('holdings', i, row, null));
    else failures.push(...covers('holdings', i, row, version, d));
  });
  failures.push(...caps(tables, ranges, versions));
  return failures;
}

function keyOf(row: AefRow): string {
  return `${row['cooperative_approach_id'] ?? ''}|${row['authorization_id'] ?? ''}`;
}

function readVersion(row: AefRow, i: number, d: AefDescription): AuthorizationVersion {
  const cap = row['authorized_quantity'] ?? null;
  return {
    row: i,
    version: Number(row['authorization_version'] ?? 'NaN'),
    date: parseAefDate(row['authorization_date'] ?? '', d.date_format),
    vintages: vintagesOf(row['authorized_timeframe'] ?? null),
    purposes: cellCode(d, 'authorizations', 'purposes', row),
    definition: cellCode(d, 'authorizations', 'first_transfer_definition', row),
    cap: cap !== null && /^\d{1,19}$/.test(cap) ? BigInt(cap) : null,
  };
}

/** The vintages of "Occurred: from 2026 to 2030[. Use: ...]" or "2026 - 2030"; null if none. */
function vintagesOf(timeframe: string | null): readonly [number, number] | null {
  if (timeframe === null) return null;
  const match =
    /^Occurred: from (\d{4}) to (\d{4})/.exec(timeframe) ??
    /^(\d{4})\s*-\s*(\d{4})$/.exec(timeframe);
  return match === null ? null : [Number(match[1]), Number(match[2])];
}

function latest(versions: readonly AuthorizationVersion[]): AuthorizationVersion | null {
  let found: AuthorizationVersion | null = null;
  for (const v of versions)
    if (Number.isInteger(v.version) && (found === null || v.version > found.version)) found = v;
  return found;
}

function missing(
  table: 'actions' | 'holdings',
  i: number,
  row: AefRow,
  date: string | null,
): AefCheckFailure {
  const id = `${row['authorization_id'] ?? ''} of ${row['cooperative_approach_id'] ?? ''}`;
  const when = table === 'actions' ? ` dated on or before ${date ?? 'the action'}` : '';
  return fail(
    'aef_authorization_missing',
    table,
    [i],
    `row ${i} names authorization ${id}, with no version${when} in Authorizations`,
  );
}

function covers(
  table: 'actions' | 'holdings',
  i: number,
  row: AefRow,
  v: AuthorizationVersion,
  d: AefDescription,
): AefCheckFailure[] {
  const failures: AefCheckFailure[] = [];
  const under = `authorization ${row['authorization_id'] ?? ''} version ${v.version}`;
  const vintage = Number(row['vintage'] ?? 'NaN');
  if (
    v.vintages !== null &&
    Number.isInteger(vintage) &&
    (vintage < v.vintages[0] || vintage > v.vintages[1])
  )
    failures.push(
      fail(
        'aef_authorization_vintage_not_covered',
        table,
        [i],
        `row ${i} has vintage ${vintage}; ${under} covers ${v.vintages[0]}-${v.vintages[1]}`,
      ),
    );
  if (table === 'actions' && v.purposes !== undefined) {
    const problem = purposeProblem(row, v, d);
    if (problem !== null)
      failures.push(
        fail(
          'aef_authorization_purpose_not_covered',
          table,
          [i],
          `row ${i}: ${problem} under ${under}`,
        ),
      );
  }
  return failures;
}

function purposeProblem(row: AefRow, v: AuthorizationVersion, d: AefDescription): string | null {
  const type = actionTypeOf(row, d);
  const subtype = cellCode(d, 'actions', 'action_subtype', row);
  const purposes = v.purposes ?? '';
  if (type === 'use' && row['year_of_use'] != null && !ndcPurposes.includes(purposes))
    return `a use towards the NDC, for purposes ${purposes}`;
  if (row['oimp_purpose'] != null && !oimpPurposes.includes(purposes))
    return `ITMOs first transferred, used or cancelled for OIMP (${row['oimp_purpose']}), for purposes ${purposes}`;
  if (type === 'first_transfer' && subtype !== undefined && oimpFirstTransfers.includes(subtype))
    if (v.definition !== subtype)
      return `a first transfer at ${subtype}, where the first transfer is at ${v.definition ?? 'no event named'}`;
  return null;
}

function caps(
  tables: AefTables,
  ranges: readonly UnitRange[],
  versions: ReadonlyMap<string, readonly { version: AuthorizationVersion }[]>,
): AefCheckFailure[] {
  const byAuthorization = groupBy(ranges, (r) => keyOf(tables[r.table][r.row] ?? {}));
  const failures: AefCheckFailure[] = [];
  for (const [key, group] of byAuthorization) {
    const version = latest((versions.get(key) ?? []).map((v) => v.version));
    if (version === null || version.cap === null || version.row < 0) continue;
    const named = distinctUnits(group);
    if (named > version.cap)
      failures.push(
        fail(
          'aef_authorization_quantity_exceeded',
          'authorizations',
          [version.row],
          `row ${version.row} authorizes ${version.cap}; the rows under it name ${named} ITMOs`,
        ),
      );
  }
  return failures;
}
