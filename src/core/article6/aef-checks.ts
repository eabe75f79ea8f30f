// The consistency checks a reviewer runs on a Party's AEF (decision 2/CMA.3, annex, paragraphs 20-23;
// the identifiers of decision 6/CMA.4, annex I): each failure has a stable code, the table and the
// offending rows. The checks read only the tables and what the context gives (the journals' entries,
// the registry's holdings), so they run the same on tables just built and on a file read back.
// docs/article6.md lists the codes; a test keeps the two in sync.
import { parseBlockId } from '../ledger/block-id.ts';
import { projectNumber } from '../shared/ids.ts';
import { parseAefDate, type AefDescription, type AefTableKey } from './aef-description.ts';
import { actionTypeOf, fail, type AefCheckFailure } from './aef-check-codes.ts';
import { checkAefAuthorizations } from './aef-authorization-checks.ts';
import { checkAefFields } from './aef-field-checks.ts';
import type { AefRow, AefTables, Holding } from './aef-tables.ts';
import {
  conflictingPairs,
  groupBy,
  merged,
  readRange,
  without,
  type RangeReading,
  type UnitRange,
} from './aef-unit-ranges.ts';
import { formatItmoId } from './itmo-id.ts';
import { assert } from '../shared/assert.ts';

export { aefCheckCodes, type AefCheckCode, type AefCheckFailure } from './aef-check-codes.ts';

/** A range of ITMOs the registry itself holds at 31 December. */
export type RegistryRange = Pick<
  Holding,
  | 'approach'
  | 'partyRegistryId'
  | 'firstParty'
  | 'project'
  | 'vintage'
  | 'serialFirst'
  | 'serialLast'
>;

export interface AefCheckContext {
  readonly description: AefDescription;
  /** Whether the registries' journals hold the entry, written `chain#seq` (IN#42). */
  readonly isKnownEntry: (entry: string) => boolean;
  /** The registry's own list of the ITMOs the Party holds at 31 December of the reported year. */
  readonly registryHoldings: readonly RegistryRange[];
  /**
   * Rows of the other Parties' Authorizations tables (their AEF of the year, the description's keys):
   * an acquisition or use falls under the host Party's authorization, which this AEF does not list.
   * Empty when the Party's rows name only its own authorizations.
   */
  readonly otherAuthorizations: readonly AefRow[];
}

const entryPattern = /Journal entry ([A-Z0-9-]+#\d+)\./;
const usesAndCancellations: readonly string[] = ['use', 'cancellation', 'voluntary_cancellation'];

export function checkAef(tables: AefTables, context: AefCheckContext): AefCheckFailure[] {
  const d = context.description;
  const readings = (['actions', 'holdings'] as const).flatMap((table) =>
    tables[table].map((row, i) => ({ table, row: i, reading: readRange(table, i, row) })),
  );
  const ranges = readings.flatMap((r) => (r.reading.kind === 'range' ? [r.reading.range] : []));
  const actionType = (r: UnitRange) => actionTypeOf(tables.actions[r.row], d);
  const held = ranges.filter((r) => r.table === 'holdings');
  return [
    ...checkAefFields(tables, d),
    ...actionsInYear(tables, d),
    ...traceability(tables.actions, context),
    ...rangeShapes(readings),
    ...ranges.flatMap((r) => rowAgreement(r, rowOf(tables, r))),
    ...overlaps(held, 'Holdings'),
    ...overlaps(
      ranges.filter((r) => r.table === 'actions' && actionType(r) === 'first_transfer'),
      'first transfers',
    ),
    ...usedStillHeld(
      ranges.filter(
        (r) => r.table === 'actions' && usesAndCancellations.includes(actionType(r) ?? ''),
      ),
      held,
    ),
    ...attributesChanged(ranges, tables),
    ...holdingsVersusRegistry(held, context.registryHoldings),
    ...checkAefAuthorizations(tables, context.otherAuthorizations, ranges, d),
  ];
}

function rowOf(tables: AefTables, r: UnitRange): AefRow {
  const row = tables[r.table][r.row];
  assert(row !== undefined, `a range reads row ${r.row} of ${r.table}`);
  return row;
}

function actionsInYear(tables: AefTables, d: AefDescription): AefCheckFailure[] {
  const year = tables.submission[0]?.['reported_year'] ?? null;
  if (year === null || !/^\d{4}$/.test(year)) return [];
  return tables.actions.flatMap((row, i) => {
    const date = parseAefDate(row['action_date'] ?? '', d.date_format);
    return date === null || date.startsWith(`${year}-`)
      ? []
      : [
          fail(
            'aef_action_outside_reported_year',
            'actions',
            [i],
            `row ${i} is dated ${date}, outside ${year}`,
          ),
        ];
  });
}

function traceability(actions: readonly AefRow[], context: AefCheckContext): AefCheckFailure[] {
  return actions.flatMap((row, i) => {
    const entry = entryPattern.exec(row['additional_information'] ?? '')?.[1];
    if (entry !== undefined && context.isKnownEntry(entry)) return [];
    const why =
      entry === undefined
        ? 'names no journal entry ("Journal entry IN#42.")'
        : `names journal entry ${entry}, which the journals do not hold`;
    return [fail('aef_action_not_traceable', 'actions', [i], `row ${i} ${why}`)];
  });
}

function rangeShapes(
  readings: readonly { table: AefTableKey; row: number; reading: RangeReading }[],
): AefCheckFailure[] {
  return readings.flatMap(({ table, row, reading }) =>
    reading.kind === 'reversed'
      ? [
          fail(
            'aef_first_id_after_last_id',
            table,
            [row],
            `row ${row}: the first ITMO id comes after the last`,
          ),
        ]
      : reading.kind === 'mixed'
        ? [
            fail(
              'aef_id_range_mixed',
              table,
              [row],
              `row ${row}: the first and last ITMO ids name another ${reading.what}`,
            ),
          ]
        : [],
  );
}

/** The row's own columns say what its ITMO ids say. */
function rowAgreement(r: UnitRange, row: AefRow): AefCheckFailure[] {
  const differs: string[] = [];
  const compare = (what: string, key: string, expected: string) => {
    const cell = row[key] ?? null;
    if (cell !== null && cell !== expected)
      differs.push(`${what} ${cell} (the ids say ${expected})`);
  };
  compare('approach', 'cooperative_approach_id', r.approach);
  compare('registry', 'party_registry_id', r.partyRegistryId);
  compare('first transferring Party', 'first_transferring_party', r.firstParty);
  compare('vintage', 'vintage', String(r.vintage));
  compare('quantity', 'quantity', (r.last - r.first + 1n).toString());
  for (const [key, serial] of [
    ['first_unit_id', r.first],
    ['last_unit_id', r.last],
  ] as const) {
    const unit = parseBlockId(row[key] ?? '');
    if (!unit.ok) continue;
    const u = unit.value;
    if (
      projectNumber(u.project) !== r.projectNumber ||
      u.vintage !== r.vintage ||
      u.serials.first !== serial ||
      u.serials.last !== serial
    )
      differs.push(`${key.replaceAll('_', ' ')} ${row[key] ?? ''}`);
  }
  return differs.length === 0
    ? []
    : [
        fail(
          'aef_id_disagrees_with_row',
          r.table,
          [r.row],
          `row ${r.row}: ${differs.join('; ')} disagree with its ITMO ids`,
        ),
      ];
}

function overlaps(ranges: readonly UnitRange[], what: string): AefCheckFailure[] {
  return conflictingPairs(ranges, () => '', true).map(([a, b]) =>
    fail(
      'aef_ids_overlap',
      b.table,
      [a.row, b.row],
      `${what} rows ${a.row} and ${b.row} name the same ITMOs (${describe(b)})`,
    ),
  );
}

function usedStillHeld(used: readonly UnitRange[], held: readonly UnitRange[]): AefCheckFailure[] {
  return conflictingPairs([...used, ...held], (r) => r.table, false).map(([action, holding]) =>
    fail(
      'aef_used_unit_still_held',
      'holdings',
      [holding.row],
      `holdings row ${holding.row} lists ITMOs that actions row ${action.row} used or cancelled (${describe(holding)})`,
    ),
  );
}

function attributesChanged(ranges: readonly UnitRange[], tables: AefTables): AefCheckFailure[] {
  const metric = (r: UnitRange) => rowOf(tables, r)['metric'] ?? '';
  const signature = (r: UnitRange) => [r.approach, r.firstParty, metric(r), r.vintage].join('|');
  return conflictingPairs(ranges, signature, false).map(([a, b]) => {
    const changed = [
      a.approach !== b.approach ? 'approach' : null,
      a.firstParty !== b.firstParty ? 'first transferring Party' : null,
      metric(a) !== metric(b) ? 'metric' : null,
      a.vintage !== b.vintage ? 'vintage' : null,
    ].filter((w) => w !== null);
    const rows = a.table === b.table ? [a.row, b.row] : [b.row];
    return fail(
      'aef_unit_attributes_changed',
      b.table,
      rows,
      `${b.table} row ${b.row} names ITMOs of ${a.table} row ${a.row} with another ${changed.join(', ')}`,
    );
  });
}

function holdingsVersusRegistry(
  held: readonly UnitRange[],
  registry: readonly RegistryRange[],
): AefCheckFailure[] {
  const key = (
    approach: string,
    registryId: string,
    party: string,
    number: string,
    vintage: number,
  ) => [approach, registryId, party, number, vintage].join('|');
  const registryByKey = groupBy(registry, (r) =>
    key(r.approach, r.partyRegistryId, r.firstParty, projectNumber(r.project), r.vintage),
  );
  const heldKey = (h: UnitRange) =>
    key(h.approach, h.partyRegistryId, h.firstParty, h.projectNumber, h.vintage);
  const heldByKey = groupBy(held, heldKey);
  const intervalsOf = (rs: readonly RegistryRange[]) =>
    merged(rs.map((r) => [r.serialFirst, r.serialLast] as const));
  const failures: AefCheckFailure[] = held.flatMap((h) => {
    const inRegistry = intervalsOf(registryByKey.get(heldKey(h)) ?? []);
    return without([[h.first, h.last]], inRegistry).length === 0
      ? []
      : [
          fail(
            'aef_holdings_differ_from_registry',
            'holdings',
            [h.row],
            `holdings row ${h.row} lists ITMOs the registry does not hold (${describe(h)})`,
          ),
        ];
  });
  for (const [k, rs] of registryByKey) {
    const listed = merged((heldByKey.get(k) ?? []).map((h) => [h.first, h.last] as const));
    const sample = rs[0];
    if (sample === undefined) continue;
    for (const [first, last] of without(intervalsOf(rs), listed)) {
      const id = (serial: bigint) => formatItmoId({ ...sample, serial });
      failures.push(
        fail(
          'aef_holdings_differ_from_registry',
          'holdings',
          [],
          `the registry holds ${id(first)} to ${id(last)}, which Holdings does not list`,
        ),
      );
    }
  }
  return failures;
}

/** ITMO ids of a range, for messages. */
export function describe(r: UnitRange): string {
  return `${r.approach}-${r.partyRegistryId}-${r.firstParty}-${r.projectNumber}.${r.first}-${r.vintage} to .${r.last}`;
}
