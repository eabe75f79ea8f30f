// Corresponding adjustments (decision 2/CMA.3, annex, paragraphs 7, 8, 12, 37, 39): worked examples
// computed by hand, one test per defect of the peer registry's own remediation plan, the refusals in
// precedence order, finalised periods, and properties over random actions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  averageOverYears,
  checkNotFinalised,
  correspondingAdjustments,
  finalisedYears,
  flowsFor,
  type AdjustmentReport,
  type PartyFlows,
} from '../../../src/core/article6/adjustments.ts';
import type { Action, Finalisation, Ndc, YearQuantity } from '../../../src/core/article6/types.ts';
import { InvariantViolation } from '../../../src/core/shared/assert.ts';
import type { ProjectRef, RegistryId } from '../../../src/core/shared/ids.ts';

const seed = Number(process.env['JCM_SEED'] ?? Date.now() % 2_147_483_647);
console.log(`article6 adjustments properties: JCM_SEED=${seed}`);
const params = { seed, numRuns: 200 };

// ---------------------------------------------------------------------------------------------
// Fixtures: actions as the journal would derive them, each with its own entry and serial range.

let entrySeq = 0n;

function action(
  party: string,
  type: Action['type'],
  quantity: bigint,
  date: string,
  fields: Partial<
    Pick<Action, 'vintage' | 'yearOfUse' | 'firstParty' | 'subtype' | 'purpose'>
  > = {},
): Action {
  entrySeq += 1n;
  const serialFirst = entrySeq * 1_000_000n;
  return {
    party,
    type,
    subtype: fields.subtype ?? null,
    date,
    approach: 'CA0001',
    authorisation: 'IND-2026-001',
    firstParty: fields.firstParty ?? 'IND',
    registry: 'JP' as RegistryId,
    partyRegistryId: 'JPN01',
    project: 'IN001' as ProjectRef,
    vintage: fields.vintage ?? 2026,
    serialFirst,
    serialLast: serialFirst + quantity - 1n,
    quantity,
    transferringParty: null,
    acquiringParty: null,
    purpose: fields.purpose ?? 'ndc',
    usingOrCancelling: null,
    yearOfUse: fields.yearOfUse ?? null,
    entry: { chain: 'JP', seq: entrySeq },
  };
}

/** The host Party `party` first transfers `quantity` ITMOs of `vintage` on `date`. */
const firstTransfer = (party: string, quantity: bigint, vintage: number, date: string) =>
  action(party, 'first_transfer', quantity, date, { vintage, firstParty: party });
/** `party` uses `quantity` ITMOs towards its NDC for `yearOfUse`, recorded on `date`. */
const use = (party: string, quantity: bigint, yearOfUse: number, date: string) =>
  action(party, 'use', quantity, date, { yearOfUse });
const acquire = (party: string, quantity: bigint, date: string) =>
  action(party, 'acquisition', quantity, date);

/** The same figure for each year from..to. */
function flat(from: number, to: number, quantity: bigint): YearQuantity[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({ year: from + i, quantity }));
}

function ndc(over: Partial<Ndc> = {}): Ndc {
  return {
    party: 'IND',
    kind: 'single_year',
    firstYear: 2021,
    lastYear: 2030,
    targetYear: 2030,
    metric: 't_co2e',
    method: 'trajectory',
    trajectory: [],
    budget: null,
    emissions: [],
    ...over,
  };
}

function report(n: Ndc, actions: readonly Action[], reportedYear: number): AdjustmentReport {
  const result = correspondingAdjustments(n, flowsFor(n.party, actions), reportedYear);
  if (!result.ok) throw new Error(`refused: ${result.error.code}`);
  return result.value;
}

const row = (r: AdjustmentReport, year: number) => {
  const found = r.years.find((y) => y.year === year);
  if (found === undefined) throw new Error(`no row for ${year}`);
  return found;
};
const applied = (r: AdjustmentReport) => r.years.map((y) => [y.year, y.applied]);

// The worked example of the brief, used by several tests:
// IND first transfers 100 (vintage 2022) and 300 (vintage 2025), and uses 50 in 2026.
const briefActions = () => [
  firstTransfer('IND', 100n, 2022, '2023-05-10'),
  firstTransfer('IND', 300n, 2025, '2026-02-01'),
  use('IND', 50n, 2026, '2026-11-30'),
];

// ---------------------------------------------------------------------------------------------

describe('averaging (paragraph 7(a)(ii))', () => {
  it('applies the cumulative amount over the elapsed years to the NDC year only', () => {
    // 2021..2030 averaging: first transferred 100 (v2022) + 300 (v2025), used 50 (2026)
    //   -> cumulative 100 + 300 - 50 = 350 over 10 elapsed years (2021..2030) = 35 applied to 2030.
    // Emissions 1,000,000 every year: 2030 balance 1,000,000 + 35 = 1,000,035; other years unadjusted.
    // Running averages (information only): 2022: 100/2 = 50; 2025: 400/5 = 80;
    //   2026: 350/6 = 58.333333333333 (12 places, half-even); 2029: 350/9 = 38.888888888889.
    const r = report(
      ndc({ method: 'averaging', emissions: flat(2021, 2030, 1_000_000n) }),
      briefActions(),
      2030,
    );
    expect(applied(r)).toEqual([
      [2021, '0'],
      [2022, '0'],
      [2023, '0'],
      [2024, '0'],
      [2025, '0'],
      [2026, '0'],
      [2027, '0'],
      [2028, '0'],
      [2029, '0'],
      [2030, '35'],
    ]);
    expect(row(r, 2030).runningAverage).toEqual({
      cumulative: 350n,
      elapsedYears: 10,
      average: '35',
    });
    expect(row(r, 2030).adjustedBalance).toBe('1000035');
    expect(row(r, 2025).adjustedBalance).toBe('1000000');
    expect(row(r, 2022).runningAverage?.average).toBe('50');
    expect(row(r, 2025).runningAverage?.average).toBe('80');
    expect(row(r, 2026).runningAverage?.average).toBe('58.333333333333');
    expect(row(r, 2029).runningAverage?.average).toBe('38.888888888889');
    expect(r.totals).toEqual({ firstTransferred: 400n, used: 50n, net: 350n, applied: '35' });
    expect(r.complete).toBe(true);
  });

  it('reports a non-integer running average before the NDC year and applies nothing yet', () => {
    // 2021..2030 averaging, reported year 2023: first transferred 100 (v2022) + 250 (v2023)
    //   2021: 0/1 = 0; 2022: 100/2 = 50; 2023: 350/3 = 116.666... -> 116.666666666667
    //   (rounded half-even at the 12th decimal place). The NDC year 2030 is not reached: applied 0.
    // Emissions 2023: 1,234,567 -> balance 1,234,567 (nothing applied).
    const r = report(
      ndc({ method: 'averaging', emissions: flat(2021, 2023, 1_234_567n) }),
      [
        firstTransfer('IND', 100n, 2022, '2023-01-15'),
        firstTransfer('IND', 250n, 2023, '2024-03-01'),
      ],
      2023,
    );
    expect(r.years.map((y) => y.runningAverage?.average)).toEqual(['0', '50', '116.666666666667']);
    expect(row(r, 2023).runningAverage).toEqual({
      cumulative: 350n,
      elapsedYears: 3,
      average: '116.666666666667',
    });
    expect(applied(r)).toEqual([
      [2021, '0'],
      [2022, '0'],
      [2023, '0'],
    ]);
    expect(row(r, 2023).adjustedBalance).toBe('1234567');
    expect(r.totals.applied).toBe('0');
  });

  it('keeps a non-integer average exact in the balance of the NDC year', () => {
    // 2028..2030 averaging (3 elapsed years): first transferred 350 (v2029) -> 350/3 applied to 2030
    //   = 116.666666666667; emissions 2030: 900,000 -> balance 900,116.666666666667.
    const r = report(
      ndc({ method: 'averaging', firstYear: 2028, emissions: flat(2028, 2030, 900_000n) }),
      [firstTransfer('IND', 350n, 2029, '2030-02-01')],
      2030,
    );
    expect(row(r, 2030).applied).toBe('116.666666666667');
    expect(row(r, 2030).adjustedBalance).toBe('900116.666666666667');
    expect(r.totals.applied).toBe('116.666666666667');
  });

  it('names its one rounding rule: exact when the quotient ends, else half-even at 12 places', () => {
    // Each row: cumulative / years = the decimal text, worked by hand.
    const table: [bigint, number, string][] = [
      [350n, 10, '35'],
      [350n, 3, '116.666666666667'], // 116.6666666666666... rounds up at the 12th place
      [-350n, 3, '-116.666666666667'], // a net subtraction averages negative
      [1n, 64, '0.015625'], // 1/2^6: exact within 6 places
      [2n, 3, '0.666666666667'],
      [1n, 8, '0.125'],
      [0n, 7, '0'],
    ];
    for (const [cumulative, years, text] of table)
      expect(averageOverYears(cumulative, years), `${cumulative}/${years}`).toBe(text);
  });
});

describe('trajectory (paragraph 7(a)(i))', () => {
  it('applies the actual annual amounts and compares each year with the trajectory', () => {
    // JPN, single-year NDC 2026..2030, trajectory. JPN acquires 1,200 (2027; no adjustment), uses
    // 200 for 2027 (recorded 2028-02-10) and 1,000 for 2028 (recorded 2028-12-01). Reported year 2028.
    //   year  emissions  applied   balance    trajectory  balance - trajectory
    //   2026  1,009,000        0   1,009,000  1,010,000   -1,000
    //   2027  1,000,000     -200     999,800  1,000,500     -700
    //   2028    990,000   -1,000     989,000    989,500     -500
    const n = ndc({
      party: 'JPN',
      firstYear: 2026,
      trajectory: [
        { year: 2026, quantity: 1_010_000n },
        { year: 2027, quantity: 1_000_500n },
        { year: 2028, quantity: 989_500n },
        { year: 2029, quantity: 980_000n },
        { year: 2030, quantity: 970_000n },
      ],
      emissions: [
        { year: 2026, quantity: 1_009_000n },
        { year: 2027, quantity: 1_000_000n },
        { year: 2028, quantity: 990_000n },
      ],
    });
    const r = report(
      n,
      [
        acquire('JPN', 1_200n, '2027-06-01'),
        use('JPN', 200n, 2027, '2028-02-10'),
        use('JPN', 1_000n, 2028, '2028-12-01'),
      ],
      2028,
    );
    expect(
      r.years.map((y) => [y.year, y.applied, y.adjustedBalance, y.balanceMinusTrajectory]),
    ).toEqual([
      [2026, '0', '1009000', '-1000'],
      [2027, '-200', '999800', '-700'],
      [2028, '-1000', '989000', '-500'],
    ]);
    expect(r.totals).toEqual({
      firstTransferred: 0n,
      used: 1_200n,
      net: -1_200n,
      applied: '-1200',
    });
    expect(r.information.acquired).toEqual([{ year: 2027, quantity: 1_200n }]);
    expect(r.complete).toBe(true);
  });

  it('says so when the trajectory has no figure for a year', () => {
    // Emissions for 2026 but no trajectory figure: the balance exists, the comparison does not.
    const r = report(
      ndc({ firstYear: 2026, emissions: [{ year: 2026, quantity: 5_000n }] }),
      [],
      2026,
    );
    expect(row(r, 2026)).toMatchObject({
      adjustedBalance: '5000',
      trajectory: null,
      balanceMinusTrajectory: null,
      status: 'trajectory_missing',
    });
    expect(r.complete).toBe(false);
  });
});

describe('budget (paragraph 7(a)(i))', () => {
  // IND, single-year NDC 2026..2030, budget 5,000,000. First transfers 1,000 (v2027, recorded
  // 2028-04-01) and 500 (v2029, recorded 2030-03-01).
  //   emissions 1,000,000 + 990,000 + 980,000 + 970,000 + 960,000 = 4,900,000
  //   adjustments +1,000 (2027) + 500 (2029) = +1,500 -> cumulative balance 4,901,500
  //   remaining 5,000,000 - 4,901,500 = 98,500
  const budgetNdc = (emissions: YearQuantity[]) =>
    ndc({ method: 'budget', firstYear: 2026, budget: 5_000_000n, emissions });
  const budgetActions = () => [
    firstTransfer('IND', 1_000n, 2027, '2028-04-01'),
    firstTransfer('IND', 500n, 2029, '2030-03-01'),
  ];
  const emissions = [1_000_000n, 990_000n, 980_000n, 970_000n, 960_000n].map((quantity, i) => ({
    year: 2026 + i,
    quantity,
  }));

  it('applies the annual amounts and sets the cumulative balance against the budget', () => {
    const r = report(budgetNdc(emissions), budgetActions(), 2030);
    expect(applied(r)).toEqual([
      [2026, '0'],
      [2027, '1000'],
      [2028, '0'],
      [2029, '500'],
      [2030, '0'],
    ]);
    expect(r.budget).toEqual({
      budget: 5_000_000n,
      cumulativeBalance: '4901500',
      remaining: '98500',
      status: 'compared',
    });
    expect(r.complete).toBe(true);
  });

  it('compares nothing when a year has no emissions', () => {
    const r = report(budgetNdc(emissions.filter((e) => e.year !== 2029)), budgetActions(), 2030);
    expect(r.budget).toEqual({
      budget: 5_000_000n,
      cumulativeBalance: null,
      remaining: null,
      status: 'emissions_missing',
    });
    expect(row(r, 2029)).toMatchObject({ applied: '500', adjustedBalance: null });
    expect(r.complete).toBe(false);
  });
});

describe('multi-year NDC (paragraph 7(b))', () => {
  // IND, multi-year NDC 2026..2028 with a trajectory. First transfers 400 (v2026), 600 (v2027),
  // 250 (v2028); uses 100 for 2028.
  //   year  applied          emissions  balance   trajectory  balance - trajectory
  //   2026  +400             500,000    500,400   500,500     -100
  //   2027  +600             495,000    495,600   495,000     +600
  //   2028  +250 - 100=+150  490,000    490,150   490,000     +150
  // End of period (2028): cumulative adjustment 400 + 600 + 150 = 1,150; cumulative emissions
  // 1,485,000; cumulative balance 1,486,150. With a budget of 1,490,000: 3,850 remain.
  const multi = (over: Partial<Ndc> = {}) =>
    ndc({
      kind: 'multi_year',
      firstYear: 2026,
      lastYear: 2028,
      targetYear: 2028,
      trajectory: [
        { year: 2026, quantity: 500_500n },
        { year: 2027, quantity: 495_000n },
        { year: 2028, quantity: 490_000n },
      ],
      emissions: [
        { year: 2026, quantity: 500_000n },
        { year: 2027, quantity: 495_000n },
        { year: 2028, quantity: 490_000n },
      ],
      ...over,
    });
  const multiActions = () => [
    firstTransfer('IND', 400n, 2026, '2027-03-01'),
    firstTransfer('IND', 600n, 2027, '2028-03-01'),
    firstTransfer('IND', 250n, 2028, '2029-03-01'),
    use('IND', 100n, 2028, '2028-12-20'),
  ];

  it('applies annual adjustments and the cumulative adjustment at the end of the period', () => {
    const r = report(multi(), multiActions(), 2028);
    expect(
      r.years.map((y) => [y.year, y.applied, y.adjustedBalance, y.balanceMinusTrajectory]),
    ).toEqual([
      [2026, '400', '500400', '-100'],
      [2027, '600', '495600', '600'],
      [2028, '150', '490150', '150'],
    ]);
    expect(r.endOfPeriod).toEqual({
      year: 2028,
      cumulativeAdjustment: 1_150n,
      cumulativeEmissions: 1_485_000n,
      cumulativeBalance: '1486150',
      status: 'balanced',
    });
    // The end-of-period figure states the period's total; it is not added a second time.
    expect(r.totals.applied).toBe('1150');
  });

  it('has no end-of-period adjustment before the last year', () => {
    const r = report(multi(), multiActions(), 2027);
    expect(r.endOfPeriod).toBeNull();
    expect(r.totals).toEqual({ firstTransferred: 1_000n, used: 0n, net: 1_000n, applied: '1000' });
    // The 2028 vintage is first transferred in 2029 but belongs to 2028: listed, not dropped.
    expect(r.outside).toEqual([
      { flow: 'first_transferred', year: 2028, quantity: 250n, where: 'after_reported_year' },
      { flow: 'used', year: 2028, quantity: 100n, where: 'after_reported_year' },
    ]);
  });

  it('sets the period against a multi-year budget', () => {
    const r = report(multi({ method: 'budget', budget: 1_490_000n }), multiActions(), 2028);
    expect(r.budget).toEqual({
      budget: 1_490_000n,
      cumulativeBalance: '1486150',
      remaining: '3850',
      status: 'compared',
    });
    expect(r.endOfPeriod?.cumulativeAdjustment).toBe(1_150n);
  });
});

describe('the emissions balance (paragraph 8): signs and years', () => {
  // One issuance into Japan's registry: IND first transfers 1,000 of vintage 2027 (recorded
  // 2028-05-01) and JPN acquires them by the same entry; JPN uses them for 2028.
  const emissions = flat(2026, 2030, 100_000n);
  const ind = ndc({ party: 'IND', firstYear: 2026, emissions });
  const jpn = ndc({ party: 'JPN', firstYear: 2026, emissions });
  const issuance = () => {
    const ft = firstTransfer('IND', 1_000n, 2027, '2028-05-01');
    const acq: Action = { ...ft, party: 'JPN', type: 'acquisition', acquiringParty: 'JPN' };
    return [ft, acq];
  };

  it('adds +1,000 to the host Party for the vintage 2027, not the year of the transfer', () => {
    const r = report(ind, issuance(), 2028);
    expect(row(r, 2027)).toMatchObject({
      firstTransferred: 1_000n,
      applied: '1000',
      adjustedBalance: '101000',
    });
    expect(row(r, 2028)).toMatchObject({ firstTransferred: 0n, applied: '0' });
  });

  it('subtracts -1,000 from the acquiring Party for its year of use 2028', () => {
    const r = report(jpn, [...issuance(), use('JPN', 1_000n, 2028, '2029-01-20')], 2029);
    expect(row(r, 2028)).toMatchObject({
      used: 1_000n,
      applied: '-1000',
      adjustedBalance: '99000',
    });
    expect(row(r, 2029)).toMatchObject({ used: 0n, applied: '0', adjustedBalance: '100000' });
  });

  it('changes nothing for an acquisition alone', () => {
    const r = report(jpn, issuance(), 2030);
    expect(r.years.every((y) => y.applied === '0' && y.adjustedBalance === '100000')).toBe(true);
    expect(r.totals).toEqual({ firstTransferred: 0n, used: 0n, net: 0n, applied: '0' });
    expect(r.information.acquired).toEqual([{ year: 2028, quantity: 1_000n }]);
  });
});

describe("the peer registry's defects (compliance-remediation-plan.md)", () => {
  it('F1 balance formula: emissions + first transferred - used; acquisition is no term', () => {
    // IND first transfers 500 (v2027), acquires 300 (2027) and uses 200 for 2027; emissions 10,000.
    //   right: 500 - 200 = +300 -> balance 10,300
    //   peer:  500 - 300 + 200 = +400 -> 10,400 (acquired subtracted, used added)
    const r = report(
      ndc({ firstYear: 2027, emissions: [{ year: 2027, quantity: 10_000n }] }),
      [
        firstTransfer('IND', 500n, 2027, '2027-09-01'),
        acquire('IND', 300n, '2027-10-01'),
        use('IND', 200n, 2027, '2027-12-01'),
      ],
      2027,
    );
    expect(row(r, 2027)).toMatchObject({ applied: '300', adjustedBalance: '10300' });
    expect(row(r, 2027).applied).not.toBe('400');
  });

  it('F2 methods and NDC kinds are applied, not ignored', () => {
    // The brief's flows (+100 v2022, +300 v2025, -50 in 2026) over 2021..2030, reported 2030:
    //   trajectory, budget, multi-year: the annual amounts where they fall;
    //   averaging: 350 / 10 = 35 in 2030 only; multi-year: also the cumulative 350 at 2030.
    const annual = [
      [2021, '0'],
      [2022, '100'],
      [2023, '0'],
      [2024, '0'],
      [2025, '300'],
      [2026, '-50'],
      [2027, '0'],
      [2028, '0'],
      [2029, '0'],
      [2030, '0'],
    ];
    const averaged = annual.map(([year]) => [year, year === 2030 ? '35' : '0']);
    const cases: [string, Partial<Ndc>, unknown[][], bigint | null][] = [
      ['single-year trajectory', { method: 'trajectory' }, annual, null],
      ['single-year budget', { method: 'budget', budget: 1n }, annual, null],
      ['single-year averaging', { method: 'averaging' }, averaged, null],
      ['multi-year trajectory', { kind: 'multi_year', method: 'trajectory' }, annual, 350n],
      ['multi-year budget', { kind: 'multi_year', method: 'budget', budget: 1n }, annual, 350n],
    ];
    for (const [name, over, expected, cumulative] of cases) {
      const r = report(ndc(over), briefActions(), 2030);
      expect(applied(r), name).toEqual(expected);
      expect(r.endOfPeriod?.cumulativeAdjustment ?? null, name).toBe(cumulative);
    }
    // And the kind constrains the method: a multi-year NDC cannot average.
    const refused = correspondingAdjustments(
      ndc({ kind: 'multi_year', method: 'averaging' }),
      flowsFor('IND', briefActions()),
      2030,
    );
    expect(refused.ok ? null : refused.error.code).toBe('article6_ndc_method_not_allowed');
  });

  it('F3 share of proceeds and OMGE: never deducted, OMGE cancellations only information', () => {
    // IND first transfers 1,000 (v2027): +1,000 exactly, not 1,000 - 5% - 2% = 930.
    const plain = report(
      ndc({ firstYear: 2027 }),
      [firstTransfer('IND', 1_000n, 2027, '2027-08-01')],
      2027,
    );
    expect(row(plain, 2027).applied).toBe('1000');
    expect(plain.information).toEqual({
      acquired: [],
      cancelled: [],
      voluntarilyCancelled: [],
      omgeCancelled: [],
      usedOtherwise: [],
    });
    // IND also cancels 20 for OMGE and 30 voluntarily in 2028: the adjustment stays +1,000.
    const withOmge = report(
      ndc({ firstYear: 2027 }),
      [
        firstTransfer('IND', 1_000n, 2027, '2027-08-01'),
        action('IND', 'cancellation', 20n, '2028-01-10', { subtype: 'omge', vintage: 2027 }),
        action('IND', 'voluntary_cancellation', 30n, '2028-02-10', { subtype: 'voluntary' }),
      ],
      2028,
    );
    expect(applied(withOmge)).toEqual([
      [2027, '1000'],
      [2028, '0'],
    ]);
    expect(withOmge.totals.applied).toBe('1000');
    expect(withOmge.information).toMatchObject({
      cancelled: [{ year: 2028, quantity: 20n }],
      voluntarilyCancelled: [{ year: 2028, quantity: 30n }],
      omgeCancelled: [{ year: 2028, quantity: 20n }],
    });
  });

  it('F13 the check never passes on missing data', () => {
    // The brief's flows with no emissions reported: no balance, no budget comparison, no pass.
    for (const over of [
      { method: 'trajectory' },
      { method: 'budget', budget: 10_000n },
      { kind: 'multi_year', method: 'budget', budget: 10_000n },
    ] as Partial<Ndc>[]) {
      const r = report(ndc(over), briefActions(), 2030);
      expect(r.years.every((y) => y.status === 'emissions_missing')).toBe(true);
      expect(r.years.every((y) => y.adjustedBalance === null)).toBe(true);
      expect(r.complete).toBe(false);
      if (r.budget !== null) expect(r.budget.status).toBe('emissions_missing');
      if (r.endOfPeriod !== null) expect(r.endOfPeriod.status).toBe('emissions_missing');
    }
    // One missing year is enough.
    const partial = report(ndc({ emissions: flat(2021, 2029, 1n) }), briefActions(), 2030);
    expect(row(partial, 2030).status).toBe('emissions_missing');
    expect(partial.complete).toBe(false);
    // A budget NDC without its budget compares nothing.
    const noBudget = report(ndc({ method: 'budget', emissions: flat(2021, 2030, 1n) }), [], 2030);
    expect(noBudget.budget?.status).toBe('budget_missing');
    expect(noBudget.complete).toBe(false);
  });
});

describe('refusals, in precedence order', () => {
  const flows = flowsFor('IND', briefActions());
  const table: [string, Ndc, number, string][] = [
    [
      'metric other than t CO2 eq',
      ndc({ metric: 'mwh' as never }),
      2040,
      'article6_ndc_metric_unsupported',
    ],
    [
      'multi-year averaging',
      ndc({ kind: 'multi_year', method: 'averaging' }),
      2040,
      'article6_ndc_method_not_allowed',
    ],
    ['year before the period', ndc(), 2020, 'article6_year_outside_ndc_period'],
    ['year after the period', ndc(), 2031, 'article6_year_outside_ndc_period'],
  ];
  it.each(table)('%s', (_, n, year, code) => {
    const result = correspondingAdjustments(n, flows, year);
    expect(result.ok ? null : result.error.code).toBe(code);
  });

  it('names the period in the refusal', () => {
    const result = correspondingAdjustments(ndc(), flows, 2020);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'article6_year_outside_ndc_period',
        message: '2020 is outside the NDC period 2021-2030 of IND',
        details: { party: 'IND', reportedYear: 2020, firstYear: 2021, lastYear: 2030 },
      },
    });
  });
});

describe('flows read from the actions', () => {
  it('keys first transfers by vintage and uses by year of use, for the Party only', () => {
    const flows = flowsFor('IND', [
      firstTransfer('IND', 100n, 2027, '2029-01-01'),
      firstTransfer('IND', 5n, 2027, '2027-12-31'),
      use('IND', 7n, 2028, '2030-04-01'),
      // Another Party's rows and a first transfer of another first transferring Party: not IND's.
      firstTransfer('THA', 900n, 2027, '2028-01-01'),
      use('JPN', 900n, 2028, '2028-01-01'),
      action('IND', 'first_transfer', 11n, '2028-01-01', { vintage: 2027, firstParty: 'THA' }),
      // A use for another purpose has no year of use towards the NDC: information.
      action('IND', 'use', 3n, '2028-06-01', { subtype: 'oimp', purpose: 'oimp' }),
      action('IND', 'authorization', 1_000n, '2026-01-01'),
      action('IND', 'transfer', 50n, '2028-01-01'),
    ]);
    expect(flows).toEqual({
      party: 'IND',
      firstTransferred: [{ year: 2027, quantity: 105n }],
      used: [{ year: 2028, quantity: 7n }],
      information: {
        acquired: [],
        cancelled: [],
        voluntarilyCancelled: [],
        omgeCancelled: [],
        usedOtherwise: [{ year: 2028, quantity: 3n }],
      },
    } satisfies PartyFlows);
  });

  it('lists flows outside the NDC period instead of dropping them', () => {
    const r = report(
      ndc({ emissions: flat(2021, 2030, 1n) }),
      [
        firstTransfer('IND', 10n, 2019, '2021-03-01'),
        firstTransfer('IND', 20n, 2024, '2025-03-01'),
        use('IND', 30n, 2031, '2030-12-01'),
      ],
      2030,
    );
    expect(r.outside).toEqual([
      { flow: 'first_transferred', year: 2019, quantity: 10n, where: 'before_period' },
      { flow: 'used', year: 2031, quantity: 30n, where: 'after_period' },
    ]);
    expect(r.totals.net).toBe(20n);
  });

  it('refuses broken input by assertion', () => {
    const ft = firstTransfer('IND', 10n, 2027, '2028-01-01');
    const cases: [string, () => unknown][] = [
      ['the same row twice', () => flowsFor('IND', [ft, ft])],
      ['a quantity that is not its range', () => flowsFor('IND', [{ ...ft, quantity: 11n }])],
      ['a vintage out of range', () => flowsFor('IND', [{ ...ft, vintage: 1999 }])],
      [
        'an NDC use with no year of use',
        () => flowsFor('IND', [action('IND', 'use', 1n, '2028-01-01')]),
      ],
      ['a lower-case party', () => flowsFor('ind', [])],
      ['flows of another Party', () => correspondingAdjustments(ndc(), flowsFor('JPN', []), 2025)],
      [
        'a single-year NDC ending after its year',
        () => correspondingAdjustments(ndc({ targetYear: 2029 }), flowsFor('IND', []), 2025),
      ],
      [
        'two emissions figures for a year',
        () =>
          correspondingAdjustments(
            ndc({ emissions: [...flat(2025, 2025, 1n), ...flat(2025, 2025, 2n)] }),
            flowsFor('IND', []),
            2025,
          ),
      ],
    ];
    for (const [name, run] of cases) expect(run, name).toThrow(InvariantViolation);
  });
});

describe('finalised periods (paragraph 12)', () => {
  const finalisations: Finalisation[] = [
    { party: 'IND', firstYear: 2021, lastYear: 2025, date: '2027-12-01' },
    { party: 'JPN', firstYear: 2021, lastYear: 2030, date: '2032-12-01' },
  ];

  it('lists the years a Party finalised', () => {
    expect([...finalisedYears(finalisations, 'IND')].sort()).toEqual([
      2021, 2022, 2023, 2024, 2025,
    ]);
    expect(finalisedYears(finalisations, 'THA').size).toBe(0);
  });

  const table: [string, string, number, 'addition' | 'subtraction', boolean][] = [
    ['an addition in a finalised year', 'IND', 2024, 'addition', false],
    ['a subtraction in the first finalised year', 'IND', 2021, 'subtraction', false],
    ['the year after the finalised period', 'IND', 2026, 'addition', true],
    ["another Party's finalised year", 'THA', 2024, 'subtraction', true],
  ];
  it.each(table)('%s', (_, party, year, what, allowed) => {
    const result = checkNotFinalised(finalisations, party, year, what);
    expect(result.ok).toBe(allowed);
    if (!result.ok) expect(result.error.code).toBe('article6_period_finalised');
  });

  it('names the finalised period in the refusal', () => {
    expect(checkNotFinalised(finalisations, 'IND', 2024, 'addition')).toEqual({
      ok: false,
      error: {
        code: 'article6_period_finalised',
        message:
          'IND finalised its additions and subtractions for 2021-2025 on 2027-12-01; an addition for 2024 would change them',
        details: {
          party: 'IND',
          year: 2024,
          what: 'addition',
          firstYear: 2021,
          lastYear: 2025,
          finalisedOn: '2027-12-01',
        },
      },
    });
  });
});

describe('properties', () => {
  const parties = ['IND', 'JPN'] as const;
  const year = fc.integer({ min: 2019, max: 2032 });
  const quantity = fc.bigInt({ min: 1n, max: 10_000n });
  const anAction = fc.record({
    party: fc.constantFrom(...parties),
    kind: fc.constantFrom(
      'first_transfer',
      'use',
      'acquisition',
      'cancellation',
      'voluntary_cancellation',
      'transfer',
    ),
    year,
    quantity,
    omge: fc.boolean(),
  });
  const actionsArb = fc.array(anAction, { maxLength: 30 }).map((specs) =>
    specs.map((s) => {
      const date = `${s.year}-06-01`;
      switch (s.kind) {
        case 'first_transfer':
          return firstTransfer(s.party, s.quantity, s.year, date);
        case 'use':
          return use(s.party, s.quantity, s.year, date);
        default:
          return action(s.party, s.kind, s.quantity, date, { subtype: s.omge ? 'omge' : null });
      }
    }),
  );
  const ndcArb = fc.record({
    party: fc.constantFrom(...parties),
    shape: fc.constantFrom(
      ['single_year', 'trajectory'],
      ['single_year', 'budget'],
      ['single_year', 'averaging'],
      ['multi_year', 'trajectory'],
      ['multi_year', 'budget'],
    ),
    reportedYear: fc.integer({ min: 2021, max: 2030 }),
    emissions: fc.array(fc.bigInt({ min: -1_000n, max: 1_000_000n }), {
      minLength: 10,
      maxLength: 10,
    }),
  });
  type NdcSpec = typeof ndcArb extends fc.Arbitrary<infer T> ? T : never;
  const ndcOf = (spec: NdcSpec) =>
    ndc({
      party: spec.party,
      kind: spec.shape[0] as Ndc['kind'],
      method: spec.shape[1] as Ndc['method'],
      budget: 5_000_000n,
      emissions: spec.emissions.map((quantity, i) => ({ year: 2021 + i, quantity })),
      trajectory: flat(2021, 2030, 900_000n),
    });

  it('the report does not depend on the order of the actions', () => {
    fc.assert(
      fc.property(
        actionsArb.chain((actions) =>
          fc.tuple(
            fc.constant(actions),
            fc.shuffledSubarray(actions, { minLength: actions.length }),
          ),
        ),
        ndcArb,
        ([actions, shuffled], spec) => {
          const n = ndcOf(spec);
          expect(report(n, shuffled, spec.reportedYear)).toEqual(
            report(n, actions, spec.reportedYear),
          );
        },
      ),
      params,
    );
  });

  it('annual adjustments sum to first transferred minus used in the period (not averaging)', () => {
    fc.assert(
      fc.property(actionsArb, ndcArb, (actions, spec) => {
        const n = ndcOf(spec);
        if (n.method === 'averaging') return;
        const r = report(n, actions, 2030);
        const inPeriod = (list: readonly YearQuantity[]) =>
          list.filter((f) => f.year >= 2021 && f.year <= 2030).reduce((s, f) => s + f.quantity, 0n);
        const flows = flowsFor(n.party, actions);
        const expected = inPeriod(flows.firstTransferred) - inPeriod(flows.used);
        expect(r.totals.applied).toBe(expected.toString());
        if (n.kind === 'multi_year') expect(r.endOfPeriod?.cumulativeAdjustment).toBe(expected);
        // Nothing is lost: the years and the listed outside flows hold every flow.
        const outside = r.outside.reduce(
          (s, o) => s + (o.flow === 'used' ? -o.quantity : o.quantity),
          0n,
        );
        const all = (list: readonly YearQuantity[]) => list.reduce((s, f) => s + f.quantity, 0n);
        expect(r.totals.net + outside).toBe(all(flows.firstTransferred) - all(flows.used));
      }),
      params,
    );
  });
});
