// The fifteen defects of the UNDP National Carbon Registry's own Article 6.2 remediation plan
// (docs/a6/compliance-remediation-plan.md in undp/undp-national-carbon-registry), one row each, every
// check run on the ledger core: the actions are those MemoryLedger derives from real entries, and each
// check fails on the behaviour the plan describes for the peer.
import { describe, expect, it } from 'vitest';
import {
  checkNotFinalised,
  correspondingAdjustments,
  flowsFor,
} from '../../../src/core/article6/adjustments.ts';
import { purposeSet, type Action, type Ndc } from '../../../src/core/article6/types.ts';
import { accountBlocks } from '../../../src/core/ledger/state.ts';
import { checkInvariants } from '../../../src/core/ledger/invariants.ts';
import {
  IN,
  IN001,
  JP,
  accounts,
  actionsOf,
  admin,
  authorisation,
  authoriseAndConfirm,
  expectRefusedUnchanged,
  govIndia,
  holdings,
  indiaJapan,
  indiaJapanApproach,
  issue,
  issueLine,
  jcIndia,
  mustRun,
  ndc,
  oimpAuthorisation,
  ranges,
  recordDecision,
  refusedCode,
  retire,
  skyAirEntity,
} from '../../support/article6-fixtures.ts';
import type { MemoryLedger } from '../../support/memory-ledger.ts';

const at = (ledger: MemoryLedger, date: string) => {
  ledger.recordedAt = `${date}T09:00:00.000Z`;
};

/**
 * India first transfers 100 (vintage 2026), 200 (2027) and 300 (2028) into Japan's registry, each
 * issued in March of the following year; Japan uses 150 for 2027 and 100 for 2028.
 */
function threeYears(): MemoryLedger {
  const ledger = indiaJapan();
  authoriseAndConfirm(ledger, authorisation());
  for (const [vintage, quantity] of [
    [2026, 100n],
    [2027, 200n],
    [2028, 300n],
  ] as const) {
    at(ledger, `${vintage + 1}-03-01`);
    issue(ledger, IN001, { registry: JP, account: accounts.acme, vintage, quantity });
  }
  at(ledger, '2029-04-01');
  mustRun(ledger, admin, retire(accounts.acme, ranges(IN001, 1n, 150n), 'ndc_use', 2027));
  mustRun(ledger, admin, retire(accounts.acme, ranges(IN001, 151n, 250n), 'ndc_use', 2028));
  return ledger;
}

/** The years of a report as [year, firstTransferred, used, applied, adjustedBalance]. */
function yearRows(ndcInfo: Ndc, actions: readonly Action[], reportedYear: number) {
  const report = correspondingAdjustments(ndcInfo, flowsFor(ndcInfo.party, actions), reportedYear);
  if (!report.ok) throw new Error(report.error.code);
  return report.value.years.map((y) => [
    y.year,
    y.firstTransferred,
    y.used,
    y.applied,
    y.adjustedBalance,
  ]);
}

const emissions = (byYear: Record<number, bigint>) =>
  Object.entries(byYear).map(([year, quantity]) => ({ year: Number(year), quantity }));

/** Credits 601-700 of the developer under a confirmed OIMP authorisation of each definition. */
function oimpLedger(): MemoryLedger {
  const ledger = indiaJapan();
  issue(ledger, IN001, {
    registry: IN,
    account: accounts.developer,
    vintage: 2027,
    quantity: 400n,
  });
  return ledger;
}

const table: [string, () => void][] = [
  [
    'F1 balance formula: emissions + first transferred (by vintage) - used (by year of use); acquisition is no term',
    () => {
      const { actions } = threeYears();
      const india = ndc('IND', { firstYear: 2026, emissions: emissions({ 2027: 3_000_000n }) });
      const japan = ndc('JPN', { firstYear: 2026, emissions: emissions({ 2027: 1_000_000n }) });
      // The peer computed firstTransferred - acquired + used; here acquisition changes nothing.
      expect(yearRows(india, actions, 2027)[1]).toEqual([2027, 200n, 0n, '200', '3000200']);
      expect(yearRows(japan, actions, 2027)[1]).toEqual([2027, 0n, 150n, '-150', '999850']);
      expect(flowsFor('JPN', actions).information.acquired).toEqual([
        { year: 2027, quantity: 100n },
        { year: 2028, quantity: 200n },
        { year: 2029, quantity: 300n },
      ]);
    },
  ],
  [
    'F2 methods applied: the same actions give averaging, trajectory and multi-year figures',
    () => {
      const { actions } = threeYears();
      const period = { firstYear: 2026, lastYear: 2028, targetYear: 2028 };
      const averaging = ndc('JPN', { ...period, method: 'averaging' });
      const trajectory = ndc('JPN', { ...period, method: 'trajectory' });
      const multiYear = ndc('JPN', { ...period, kind: 'multi_year', method: 'budget' });
      // Averaging: (0 - 150 - 100) / 3 elapsed years, applied in the NDC year only.
      expect(yearRows(averaging, actions, 2028).map((r) => r[3])).toEqual([
        '0',
        '0',
        '-83.333333333333',
      ]);
      expect(yearRows(trajectory, actions, 2028).map((r) => r[3])).toEqual(['0', '-150', '-100']);
      const report = correspondingAdjustments(multiYear, flowsFor('JPN', actions), 2028);
      expect(report.ok && report.value.endOfPeriod?.cumulativeAdjustment).toBe(-250n);
    },
  ],
  [
    'F3 no automatic OMGE or share of proceeds: issuance deducts nothing; OMGE is an explicit cancellation',
    () => {
      const ledger = indiaJapan();
      authoriseAndConfirm(ledger, authorisation());
      issue(ledger, IN001, {
        registry: JP,
        account: accounts.acme,
        vintage: 2027,
        quantity: 1000n,
      });
      expect(holdings(ledger.state, accounts.acme).map((h) => h.serials)).toEqual(['1-1000']);
      expect(accountBlocks(ledger.state, accounts.jpCancellation)).toEqual([]);
      expect(ledger.actions.map((a) => a.type)).toEqual([
        'authorization',
        'first_transfer',
        'acquisition',
      ]);
      mustRun(ledger, admin, {
        type: 'cancel',
        from: accounts.acme,
        selection: ranges(IN001, 1n, 20n),
        reason: 'overall mitigation in global emissions',
        cancellationKind: 'omge',
      });
      const omge = ledger.actions.at(-1);
      expect([omge?.party, omge?.type, omge?.subtype, omge?.quantity]).toEqual([
        'JPN',
        'cancellation',
        'omge',
        20n,
      ]);
      const japan = flowsFor('JPN', ledger.actions);
      expect(japan.information.omgeCancelled).toEqual([{ year: 2026, quantity: 20n }]);
      expect(japan.used).toEqual([]);
      expect(flowsFor('IND', ledger.actions).firstTransferred).toEqual([
        { year: 2027, quantity: 1000n },
      ]);
    },
  ],
  [
    "F4 purpose set: every action row carries its authorisation's purpose",
    () => {
      const ledger = oimpLedger();
      authoriseAndConfirm(
        ledger,
        authorisation(),
        oimpAuthorisation('IND-OIMP-U', 'use_or_cancellation'),
      );
      issue(ledger, IN001, { registry: JP, account: accounts.acme, vintage: 2027, quantity: 50n });
      mustRun(ledger, govIndia, {
        type: 'authorise_units',
        authorisation: 'IND-OIMP-U',
        from: accounts.developer,
        selection: ranges(IN001, 1n, 10n),
      });
      mustRun(ledger, admin, retire(accounts.acme, ranges(IN001, 401n, 410n), 'ndc_use', 2027));
      const purposes = new Map(ledger.actions.map((a) => [a.authorisation, new Set<string>()]));
      for (const a of ledger.actions) purposes.get(a.authorisation)?.add(a.purpose);
      expect(purposes).toEqual(
        new Map([
          ['IND-2026-001', new Set(['ndc'])],
          ['IND-OIMP-U', new Set(['oimp'])],
        ]),
      );
      expect(ledger.actions).toHaveLength(5);
    },
  ],
  [
    'F5 "NDC and OIMP": purposes are a set, reported as ndc_and_oimp, usable for either purpose',
    () => {
      const ledger = indiaJapan();
      const acmeEntity = {
        organisation: 'acme',
        name: 'Acme Corp',
        country: 'JP',
        identifier: '1234-01-000001',
      };
      const both = authorisation({
        purposes: ['ndc', 'oimp'],
        oimp: 'CORSIA',
        firstTransferDefinition: 'issuance',
        authorisedEntities: [acmeEntity],
      });
      authoriseAndConfirm(ledger, both);
      expect(purposeSet(['oimp', 'ndc'])).toBe('ndc_and_oimp');
      issue(ledger, IN001, { registry: JP, account: accounts.acme, vintage: 2027, quantity: 100n });
      mustRun(ledger, admin, retire(accounts.acme, ranges(IN001, 1n, 10n), 'oimp'));
      mustRun(ledger, admin, retire(accounts.acme, ranges(IN001, 11n, 20n), 'ndc_use', 2027));
      expect(ledger.actions.map((a) => [a.type, a.purpose, a.yearOfUse])).toEqual([
        ['authorization', 'ndc_and_oimp', null],
        ['first_transfer', 'ndc_and_oimp', null],
        ['acquisition', 'ndc_and_oimp', null],
        ['use', 'ndc_and_oimp', null],
        ['use', 'ndc_and_oimp', 2027],
      ]);
    },
  ],
  [
    'F6 first-transfer definition per authorisation: two OIMP authorisations of one approach differ',
    () => {
      const ledger = oimpLedger();
      authoriseAndConfirm(
        ledger,
        oimpAuthorisation('IND-OIMP-A', 'authorization'),
        oimpAuthorisation('IND-OIMP-U', 'use_or_cancellation'),
      );
      const assign = (id: string, first: bigint, last: bigint) =>
        mustRun(ledger, govIndia, {
          type: 'authorise_units',
          authorisation: id,
          from: accounts.developer,
          selection: ranges(IN001, first, last),
        });
      const a = assign('IND-OIMP-A', 1n, 50n);
      const u = assign('IND-OIMP-U', 51n, 100n);
      expect(actionsOf(ledger, 'IN', a.seq).map((x) => x.type)).toEqual([
        'authorization',
        'first_transfer',
      ]);
      expect(actionsOf(ledger, 'IN', u.seq).map((x) => x.type)).toEqual(['authorization']);
      expect(
        holdings(ledger.state, accounts.developer).map((h) => [
          h.serials,
          h.itmo?.firstTransferred,
        ]),
      ).toEqual([
        ['1-50', true],
        ['51-100', false],
        ['101-400', undefined],
      ]);
    },
  ],
  [
    'F7 authorised entities are organisations with country and identifier; others are refused OIMP use',
    () => {
      const ledger = oimpLedger();
      authoriseAndConfirm(ledger, oimpAuthorisation('IND-OIMP-A', 'authorization'));
      const record = ledger.state.article6.authorisations.get('IND-OIMP-A');
      expect(record?.versions[0]?.authorisedEntities).toEqual([
        {
          organisation: 'skyair',
          name: 'Sky Air Ltd',
          country: 'IN',
          identifier: 'U62100DL2019PLC000001',
        },
      ]);
      mustRun(ledger, govIndia, {
        type: 'authorise_units',
        authorisation: 'IND-OIMP-A',
        from: accounts.developer,
        selection: ranges(IN001, 1n, 100n),
      });
      for (const [to, first, last] of [
        [accounts.other, 1n, 50n],
        [accounts.skyAir, 51n, 100n],
      ] as const)
        mustRun(ledger, admin, {
          type: 'transfer',
          from: accounts.developer,
          to,
          selection: ranges(IN001, first, last),
        });
      expectRefusedUnchanged(
        ledger,
        admin,
        retire(accounts.other, ranges(IN001, 1n, 10n), 'oimp'),
        'article6_entity_not_authorised',
      );
      mustRun(ledger, admin, retire(accounts.skyAir, ranges(IN001, 51n, 60n), 'oimp'));
      expect(ledger.actions.at(-1)?.usingOrCancelling).toBe(skyAirEntity.organisation);
    },
  ],
  [
    'F8 annual information from real actions: per-year figures, not a placeholder',
    () => {
      const { actions } = threeYears();
      const india = ndc('IND', { firstYear: 2025, emissions: emissions({ 2026: 10n ** 6n }) });
      expect(yearRows(india, actions, 2028)).toEqual([
        [2025, 0n, 0n, '0', null],
        [2026, 100n, 0n, '100', '1000100'],
        [2027, 200n, 0n, '200', null],
        [2028, 300n, 0n, '300', null],
      ]);
      expect(flowsFor('JPN', actions).used).toEqual([
        { year: 2027, quantity: 150n },
        { year: 2028, quantity: 100n },
      ]);
    },
  ],
  [
    'F9 no column dropped: every row has approach, reporting Party, vintage and, for a use towards the NDC, the year of use',
    () => {
      const { actions } = threeYears();
      const columns = Object.keys(actions[0] ?? {}).sort();
      expect(columns).toEqual(
        [
          'party',
          'type',
          'subtype',
          'date',
          'approach',
          'authorisation',
          'firstParty',
          'registry',
          'partyRegistryId',
          'project',
          'vintage',
          'serialFirst',
          'serialLast',
          'quantity',
          'transferringParty',
          'acquiringParty',
          'purpose',
          'usingOrCancelling',
          'yearOfUse',
          'entry',
        ].sort(),
      );
      expect(actions).toHaveLength(12);
      for (const a of actions) {
        expect(Object.keys(a).sort()).toEqual(columns);
        expect([a.approach, a.partyRegistryId, a.firstParty]).toEqual(['CA0001', 'JPN01', 'IND']);
        expect(['JPN', 'IND']).toContain(a.party);
        expect([2026, 2027, 2028]).toContain(a.vintage);
        expect(a.yearOfUse === null).toBe(a.type !== 'use');
      }
      expect(actions.filter((a) => a.type === 'use').map((a) => [a.vintage, a.yearOfUse])).toEqual([
        [2026, 2027],
        [2027, 2027],
        [2027, 2028],
      ]);
    },
  ],
  [
    'F10 non-GHG metric refused explicitly, never summed as tonnes',
    () => {
      const { actions } = threeYears();
      const indicator = ndc('JPN', { metric: 'mwh' as Ndc['metric'] });
      const report = correspondingAdjustments(indicator, flowsFor('JPN', actions), 2027);
      expect(report.ok ? 'accepted' : report.error.code).toBe('article6_ndc_metric_unsupported');
    },
  ],
  [
    'F11 initial report sections: the approach carries them, and is refused without any of them',
    () => {
      const ledger = indiaJapan();
      const approach = ledger.state.article6.approaches.get(IN);
      expect([
        approach?.description,
        approach?.environmentalIntegrity,
        approach?.sustainableDevelopment,
      ]).toEqual([
        indiaJapanApproach().description,
        indiaJapanApproach().environmentalIntegrity,
        indiaJapanApproach().sustainableDevelopment,
      ]);
      for (const missing of ['description', 'environmentalIntegrity', 'sustainableDevelopment'])
        expectRefusedUnchanged(
          ledger,
          jcIndia,
          { type: 'record_approach', approach: indiaJapanApproach({ [missing]: '  ' }) },
          'article6_approach_information_missing',
        );
    },
  ],
  [
    'F12 finalisation reachable and final: finalised years refuse additions and subtractions',
    () => {
      const ledger = indiaJapan();
      authoriseAndConfirm(ledger, authorisation());
      issue(ledger, IN001, { registry: JP, account: accounts.acme, vintage: 2027, quantity: 100n });
      mustRun(ledger, govIndia, {
        type: 'finalise_adjustments',
        party: 'IND',
        registry: IN,
        firstYear: 2026,
        lastYear: 2027,
      });
      const finalised = ledger.state.article6.finalisations;
      expect(finalised).toEqual([
        { party: 'IND', firstYear: 2026, lastYear: 2027, date: '2026-06-01' },
      ]);
      const line = recordDecision(ledger, IN001, [
        { registry: JP, account: accounts.acme, vintage: 2027, quantity: 1n },
      ]);
      expectRefusedUnchanged(ledger, admin, issueLine(JP, line), 'article6_period_finalised');
      const check = checkNotFinalised(finalised, 'IND', 2027, 'addition');
      expect(check.ok ? 'open' : check.error.code).toBe('article6_period_finalised');
      expect(checkNotFinalised(finalised, 'IND', 2028, 'addition').ok).toBe(true);
    },
  ],
  [
    'F13 safeguard never passes on missing data: a year without emissions leaves the report incomplete',
    () => {
      const { actions } = threeYears();
      const japan = ndc('JPN', { firstYear: 2027, emissions: emissions({ 2027: 10n ** 6n }) });
      const report = correspondingAdjustments(japan, flowsFor('JPN', actions), 2028);
      if (!report.ok) throw new Error(report.error.code);
      expect(report.value.complete).toBe(false);
      expect(report.value.years.map((y) => [y.year, y.status, y.adjustedBalance])).toEqual([
        [2027, 'trajectory_missing', '999850'],
        [2028, 'emissions_missing', null],
      ]);
    },
  ],
  [
    'F14 vintage validated: outside 2013-2100 or reversed is refused, and no ITMO gets such a vintage',
    () => {
      const ledger = indiaJapan();
      for (const [vintageFirst, vintageLast] of [
        [2012, 2030],
        [2026, 2101],
        [2030, 2026],
      ] as const)
        expectRefusedUnchanged(
          ledger,
          govIndia,
          {
            type: 'record_authorisation',
            authorisation: authorisation({ vintageFirst, vintageLast }),
          },
          'article6_vintage_range_invalid',
        );
      authoriseAndConfirm(ledger, authorisation());
      const line = recordDecision(ledger, IN001, [
        { registry: JP, account: accounts.acme, vintage: 2012, quantity: 5n },
      ]);
      expect(refusedCode(ledger, admin, issueLine(JP, line))).toBe(
        'article6_vintage_not_authorised',
      );
    },
  ],
  [
    'F15 partial first transfers kept: splits inherit the attributes and a partial first transfer counts',
    () => {
      const ledger = oimpLedger();
      authoriseAndConfirm(ledger, oimpAuthorisation('IND-OIMP-U', 'use_or_cancellation'));
      mustRun(ledger, govIndia, {
        type: 'authorise_units',
        authorisation: 'IND-OIMP-U',
        from: accounts.developer,
        selection: ranges(IN001, 1n, 100n),
      });
      mustRun(ledger, admin, {
        type: 'transfer',
        from: accounts.developer,
        to: accounts.skyAir,
        selection: ranges(IN001, 1n, 100n),
      });
      mustRun(ledger, admin, retire(accounts.skyAir, ranges(IN001, 1n, 30n), 'oimp'));
      expect(holdings(ledger.state, accounts.skyAir).map((h) => [h.serials, h.itmo])).toEqual([
        [
          '31-100',
          {
            approach: 'CA0001',
            authorisation: 'IND-OIMP-U',
            firstParty: 'IND',
            firstTransferred: false,
          },
        ],
      ]);
      mustRun(ledger, admin, retire(accounts.skyAir, ranges(IN001, 31n, 100n), 'oimp'));
      const firsts = ledger.actions.filter((a) => a.type === 'first_transfer');
      expect(firsts.map((a) => [a.serialFirst, a.serialLast])).toEqual([
        [1n, 30n],
        [31n, 100n],
      ]);
      expect(flowsFor('IND', ledger.actions).firstTransferred).toEqual([
        { year: 2027, quantity: 100n },
      ]);
      expect(checkInvariants(ledger.state)).toEqual([]);
    },
  ],
];

describe("the peer registry's fifteen defects, each checked on the ledger core", () => {
  it('has one row per defect, F1 to F15', () => {
    expect(table.map(([name]) => name.split(' ')[0])).toEqual(
      Array.from({ length: 15 }, (_, i) => `F${i + 1}`),
    );
  });

  it.each(table)('%s', (_, check) => check());
});
