// The consistency checks on India's 2027 AEF (aef-fixture.ts): the tables as built pass every check;
// each row of the table below spoils them in one way and names every failure that follows, by code,
// table and rows, in the order the checks report them.
import { describe, expect, it } from 'vitest';
import {
  aefCheckCodes,
  checkAef,
  type AefCheckCode,
  type AefCheckContext,
} from '../../../src/core/article6/aef-checks.ts';
import type { AefDescription, AefTableKey } from '../../../src/core/article6/aef-description.ts';
import {
  buildAefTables,
  type AefRow,
  type AefTables,
} from '../../../src/core/article6/aef-tables.ts';
import { description, input, knownEntries, registryHoldings } from './aef-fixture.ts';

const built = buildAefTables(input, description);
if (!built.ok) throw new Error(built.error.message);
const clean = built.value;

const context: AefCheckContext = {
  description,
  isKnownEntry: (entry) => knownEntries.has(entry),
  registryHoldings,
  otherAuthorizations: [],
};

type Change = (t: AefTables) => AefTables;

/** The tables with some cells of one row changed. */
const cells =
  (table: AefTableKey, row: number, values: Record<string, string | null>): Change =>
  (t) => ({
    ...t,
    [table]: t[table].map((r, i) => (i === row ? { ...r, ...values } : r)),
  });
const appendCopy =
  (table: AefTableKey, row: number): Change =>
  (t) => ({ ...t, [table]: [...t[table], t[table][row] as AefRow] });

type Expected = [AefCheckCode, AefTableKey, number[]];

const cases: [string, Change, Partial<AefCheckContext>, Expected[]][] = [
  [
    'no Submission row',
    (t) => ({ ...t, submission: [] }),
    {},
    [['aef_submission_not_one_row', 'submission', []]],
  ],
  [
    'a required cell blank',
    cells('actions', 1, { action_date: null }),
    {},
    [['aef_required_field_missing', 'actions', [1]]],
  ],
  [
    'a conditional cell blank where its condition holds (acquiring Party of a first transfer to another Party)',
    cells('actions', 1, { acquiring_party: null }),
    {},
    [['aef_required_field_missing', 'actions', [1]]],
  ],
  [
    "a column the UNFCCC's platform fills, filled",
    cells('submission', 0, { review_status: 'Reviewed' }),
    {},
    [['aef_unfccc_field_filled', 'submission', [0]]],
  ],
  [
    'a date not in the template format',
    cells('authorizations', 0, { authorization_date: '2026-05-01' }),
    {},
    [['aef_value_malformed', 'authorizations', [0]]],
  ],
  [
    'an action subtype of another action type',
    cells('actions', 3, { action_subtype: 'Issuance' }),
    {},
    [['aef_value_not_in_list', 'actions', [3]]],
  ],
  [
    'an action dated outside the reported year',
    cells('actions', 1, { action_date: '31/12/2026' }),
    {},
    [['aef_action_outside_reported_year', 'actions', [1]]],
  ],
  [
    'an action naming no journal entry',
    cells('actions', 0, { additional_information: 'Issued into the registry.' }),
    {},
    [['aef_action_not_traceable', 'actions', [0]]],
  ],
  [
    'an action naming a journal entry the journals do not hold',
    (t) => t,
    { isKnownEntry: (entry: string) => entry !== 'IN#9' },
    [['aef_action_not_traceable', 'actions', [2]]],
  ],
  [
    'a first ITMO id after the last',
    cells('holdings', 1, {
      first_id: 'CA0001-IND01-IND-001.12400-2027',
      last_id: 'CA0001-IND01-IND-001.12201-2027',
    }),
    {},
    [
      ['aef_first_id_after_last_id', 'holdings', [1]],
      ['aef_holdings_differ_from_registry', 'holdings', []],
    ],
  ],
  [
    'first and last ITMO ids of different vintages',
    cells('holdings', 1, { last_id: 'CA0001-IND01-IND-001.12400-2028' }),
    {},
    [
      ['aef_id_range_mixed', 'holdings', [1]],
      ['aef_holdings_differ_from_registry', 'holdings', []],
    ],
  ],
  [
    'a quantity that is not the count of the ids',
    cells('holdings', 0, { quantity: '101' }),
    {},
    [['aef_id_disagrees_with_row', 'holdings', [0]]],
  ],
  [
    'two holdings rows naming the same ITMOs',
    appendCopy('holdings', 0),
    {},
    [['aef_ids_overlap', 'holdings', [0, 2]]],
  ],
  [
    'two first transfers of the same ITMOs',
    appendCopy('actions', 1),
    {},
    [['aef_ids_overlap', 'actions', [1, 4]]],
  ],
  [
    'used ITMOs still held',
    cells('actions', 3, {
      first_id: 'CA0001-IND01-IND-001.12101-2027',
      last_id: 'CA0001-IND01-IND-001.12200-2027',
      first_unit_id: 'JCM-IN-001-2027-12101-12101',
      last_unit_id: 'JCM-IN-001-2027-12200-12200',
    }),
    {},
    [['aef_used_unit_still_held', 'holdings', [0]]],
  ],
  [
    "an ITMO's metric changed between rows",
    cells('holdings', 0, { metric: 'non-GHG' }),
    {},
    [
      ['aef_required_field_missing', 'holdings', [0]],
      ['aef_required_field_missing', 'holdings', [0]],
      ['aef_unit_attributes_changed', 'holdings', [0]],
    ],
  ],
  [
    'ITMOs the registry holds left out of Holdings',
    (t) => t,
    {
      registryHoldings: [
        ...registryHoldings,
        { ...registryHoldings[0]!, serialFirst: 1n, serialLast: 5n },
      ],
    },
    [['aef_holdings_differ_from_registry', 'holdings', []]],
  ],
  [
    'ITMOs in Holdings the registry does not hold',
    (t) => t,
    { registryHoldings: [{ ...registryHoldings[0]!, serialLast: 12_200n }] },
    [['aef_holdings_differ_from_registry', 'holdings', [1]]],
  ],
  [
    'an action under an authorization Authorizations does not list',
    cells('actions', 3, { authorization_id: 'IND-AUTH-9' }),
    {},
    [['aef_authorization_missing', 'actions', [3]]],
  ],
  [
    "actions and holdings under another Party's authorization that the context does not give",
    (t) => ({ ...t, authorizations: t.authorizations.slice(0, 2) }),
    {},
    [
      ['aef_authorization_missing', 'actions', [0]],
      ['aef_authorization_missing', 'actions', [2]],
      ['aef_authorization_missing', 'actions', [3]],
      ['aef_authorization_missing', 'holdings', [0]],
      ['aef_authorization_missing', 'holdings', [1]],
    ],
  ],
  [
    'vintages outside the authorization',
    cells('authorizations', 2, { authorized_timeframe: 'Occurred: from 2028 to 2030' }),
    {},
    [
      ['aef_authorization_vintage_not_covered', 'actions', [0]],
      ['aef_authorization_vintage_not_covered', 'actions', [2]],
      ['aef_authorization_vintage_not_covered', 'actions', [3]],
      ['aef_authorization_vintage_not_covered', 'holdings', [0]],
      ['aef_authorization_vintage_not_covered', 'holdings', [1]],
    ],
  ],
  [
    'an OIMP first transfer and use under an authorization for the NDC only',
    cells('authorizations', 2, { purposes: 'NDC' }),
    {},
    [
      ['aef_authorization_purpose_not_covered', 'actions', [0]],
      ['aef_authorization_purpose_not_covered', 'actions', [3]],
    ],
  ],
  [
    'an OIMP first transfer at issuance where the authorization names authorization',
    cells('authorizations', 2, { first_transfer_definition: 'Authorization' }),
    {},
    [['aef_authorization_purpose_not_covered', 'actions', [0]]],
  ],
  [
    'more ITMOs under an authorization than its authorized quantity',
    cells('authorizations', 2, { authorized_quantity: '400' }),
    {},
    [['aef_authorization_quantity_exceeded', 'authorizations', [2]]],
  ],
];

describe('checkAef', () => {
  it('passes the tables as built', () => {
    expect(checkAef(clean, context)).toEqual([]);
  });

  it.each(cases)('fails on %s', (_, change, contextChange, expected) => {
    const failures = checkAef(change(clean), { ...context, ...contextChange });
    expect(failures.map((f) => [f.code, f.table, f.rows])).toEqual(expected);
    for (const f of failures) expect(f.message.length).toBeGreaterThan(10);
  });

  it('has a failing case for every code', () => {
    const covered = new Set(cases.flatMap(([, , , expected]) => expected.map(([code]) => code)));
    expect(Object.keys(aefCheckCodes).filter((code) => !covered.has(code as AefCheckCode))).toEqual(
      [],
    );
  });

  it("finds an authorization of another Party's AEF that the context gives", () => {
    const own = { ...clean, authorizations: clean.authorizations.slice(0, 2) };
    const failures = checkAef(own, {
      ...context,
      otherAuthorizations: clean.authorizations.slice(2),
    });
    expect(failures).toEqual([]);
  });

  it('takes what is required from the description, not from the code', () => {
    const stricter: AefDescription = {
      ...description,
      tables: description.tables.map((t) =>
        t.key !== 'authorizations'
          ? t
          : {
              ...t,
              fields: t.fields.map((f) =>
                f.key === 'gwp_values' ? { ...f, presence: 'required' as const } : f,
              ),
            },
      ),
    };
    const failures = checkAef(clean, { ...context, description: stricter });
    expect(failures.map((f) => [f.code, f.table, f.rows])).toEqual([
      ['aef_required_field_missing', 'authorizations', [0, 1, 2]],
    ]);
    expect(failures[0]?.message).toBe(
      '"Applicable GWP value(s)" in rows 0, 1, 2 is blank; it must be filled',
    );
  });

  it('names the rows and what is wrong in its messages', () => {
    const failures = checkAef(
      cells('authorizations', 2, { authorized_quantity: '400' })(clean),
      context,
    );
    expect(failures.map((f) => f.message)).toEqual([
      'row 2 authorizes 400; the rows under it name 500 ITMOs',
    ]);
  });
});
