// The read side of Article 6.2 (src/db/article6-queries.ts) on a small history written by hand:
// India's authorisation of 40 credits of IN001 (serials 151-190) issued into Japan's registry, 15
// used towards Japan's NDC for 2028, 5 cancelled for OMGE, 10 transferred, 2 of them used again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectRef, RegistryId } from '../../src/core/shared/ids.ts';
import { Article6Queries } from '../../src/db/article6-queries.ts';
import {
  freshPlatform,
  testDbKind,
  type TestClock,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';
import { mustRun, standardOpening } from '../support/scenario.ts';
import {
  approachIN,
  DirectLedger,
  india,
  recordIndiaJapanApproach,
} from '../support/article6-ledger.ts';

let platform: TestPlatform;
let testDb: TestDb;
let queries: Article6Queries;

const IN001 = 'IN001' as ProjectRef;
const ranges = (first: bigint, last: bigint) => ({
  kind: 'ranges' as const,
  ranges: [{ project: 'IN001', serials: { first, last } }],
});

beforeAll(async () => {
  let clock: TestClock;
  ({ platform, testDb, clock } = await freshPlatform());
  await standardOpening(platform);
  const ledger = new DirectLedger(platform.db, () => clock.now());
  await recordIndiaJapanApproach(ledger);
  await ledger.must({ type: 'record_approach', approach: { ...approachIN, description: 'v2' } });
  await mustRun(platform, 'record_issuance_decision', {
    decision: 'D2',
    project: 'IN001',
    verification: { reference: 'V2', reductions: [{ vintage: 2027, quantity: '40' }] },
    lines: [{ registry: 'JP', account: 'JP-000004', vintage: 2027, quantity: '40' }],
  });
  const moves = [
    { type: 'issue', registry: 'JP', decision: 'D2', lineNo: 1 },
    {
      type: 'retire',
      from: 'JP-000004',
      selection: ranges(151n, 165n),
      purpose: 'ndc_use',
      beneficiary: 'Government of Japan',
      note: '',
      yearOfUse: 2028,
    },
    {
      type: 'cancel',
      from: 'JP-000004',
      selection: ranges(166n, 170n),
      reason: 'overall mitigation',
      cancellationKind: 'omge',
    },
    { type: 'transfer', from: 'JP-000004', to: 'JP-000006', selection: ranges(171n, 180n) },
    {
      type: 'retire',
      from: 'JP-000006',
      selection: ranges(175n, 176n),
      purpose: 'ndc_use',
      beneficiary: 'Beta',
      note: '',
      yearOfUse: 2028,
    },
  ];
  for (const move of moves) await ledger.must(move as never);
  await ledger.must(
    {
      type: 'finalise_adjustments',
      party: 'IND',
      registry: 'IN',
      firstYear: 2027,
      lastYear: 2027,
    } as never,
    india,
  );
  queries = new Article6Queries(platform.db);
});
afterAll(async () => {
  await testDb.drop();
});

describe(`Article 6.2 queries on ${testDbKind}`, () => {
  it('reads the latest approach and its history', async () => {
    const latest = await queries.latestApproaches();
    expect(
      latest.map((a) => [a.approach.id, a.approach.version, a.approach.description, a.entry.chain]),
    ).toEqual([['CA0001', 2, 'v2', 'JC-IN']]);
    const history = await queries.approachHistory('IN' as RegistryId);
    expect(history.map((a) => a.approach.version)).toEqual([1, 2]);
    expect(await queries.approachHistory('PH' as RegistryId)).toEqual([]);
  });

  it('reads authorisations with their versions, confirmations and covered credits', async () => {
    const page = await queries.authorisations();
    if (!page.ok) throw new Error(page.error.code);
    expect(page.value.next).toBeNull();
    expect(
      page.value.items.map((a) => ({
        id: a.id,
        covered: a.covered,
        versions: a.versions.map((v) => [
          v.authorisation.version,
          v.authorisation.quantityCap,
          v.confirmedBy,
          v.entry.chain,
        ]),
      })),
    ).toEqual([{ id: 'IND-2028-001', covered: 40n, versions: [[1, 1000n, ['JPN'], 'JP']] }]);
    expect((await queries.partyAuthorisations('IND')).map((a) => a.id)).toEqual(['IND-2028-001']);
    expect(await queries.partyAuthorisations('JPN')).toEqual([]);
    expect(await queries.authorisations({ party: 'JPN' })).toEqual({
      ok: true,
      value: { items: [], next: null },
    });
    expect((await queries.authorisation('IND-2028-001'))?.covered).toBe(40n);
    expect(await queries.authorisation('IND-2028-999')).toBeNull();
  });

  it("pages through a Party's actions of a year in entry order", async () => {
    const first = await queries.partyActions('JPN', 2028, { limit: 2 });
    expect(first.actions.map((a) => [a.type, a.quantity, a.n])).toEqual([
      ['acquisition', 40n, 3],
      ['use', 15n, 1],
    ]);
    expect(first.next).not.toBeNull();
    const second = await queries.partyActions('JPN', 2028, {
      limit: 2,
      ...(first.next === null ? {} : { after: first.next }),
    });
    expect(second.actions.map((a) => [a.type, a.subtype, a.quantity, a.yearOfUse])).toEqual([
      ['cancellation', 'omge', 5n, null],
      ['use', 'ndc_use', 2n, 2028],
    ]);
    expect(second.next).toBeNull();
    const ofIndia = await queries.partyActions('IND', 2028, { limit: 1_000_000 });
    expect(ofIndia.actions.map((a) => a.type)).toEqual(['authorization', 'first_transfer']);
    expect((await queries.partyActions('JPN', 2027, { limit: 10 })).actions).toEqual([]);
  });

  it("reads a registry's ITMO holdings as ranges across accounts, a page at a time", async () => {
    const first = await queries.itmoHoldings('JP' as RegistryId, { limit: 1 });
    const show = (r: (typeof first.ranges)[number]) =>
      `${r.approach} ${r.authorisation} ${r.registry} ${r.firstParty} ${r.firstTransferred} ${r.project} ${r.vintage} ${r.serialFirst}-${r.serialLast} ${r.quantity}`;
    expect(first.ranges.map(show)).toEqual([
      'CA0001 IND-2028-001 JP IND true IN001 2027 171-174 4',
    ]);
    expect(first.next).toEqual({ project: 'IN001', serialFirst: 171n });
    const second = await queries.itmoHoldings('JP' as RegistryId, {
      limit: 10,
      ...(first.next === null ? {} : { after: first.next }),
    });
    // 177-180 in Beta's account and 181-190 in Acme's make one range of the registry's holdings.
    expect(second.ranges.map(show)).toEqual([
      'CA0001 IND-2028-001 JP IND true IN001 2027 177-190 14',
    ]);
    expect(second.next).toBeNull();
    expect((await queries.itmoHoldings('IN' as RegistryId, { limit: 10 })).ranges).toEqual([]);
  });

  it('reads the ITMO status of a credit, with what its retirement or cancellation said', async () => {
    const used = await queries.itmoStatus(IN001, 160n);
    expect(used?.accountType).toBe('retirement');
    expect(used?.itmo).toEqual({
      approach: 'CA0001',
      authorisation: 'IND-2028-001',
      firstParty: 'IND',
      firstTransferred: true,
    });
    expect(used?.entry.type).toBe('credits_moved');
    expect(used?.disposal).toEqual({
      purpose: 'ndc_use',
      beneficiary: 'Government of Japan',
      reason: null,
      yearOfUse: 2028,
      cancellationKind: null,
    });
    const cancelled = await queries.itmoStatus(IN001, 168n);
    expect([cancelled?.accountType, cancelled?.disposal]).toEqual([
      'cancellation',
      {
        purpose: null,
        beneficiary: null,
        reason: 'overall mitigation',
        yearOfUse: null,
        cancellationKind: 'omge',
      },
    ]);
    const held = await queries.itmoStatus(IN001, 185n);
    expect([
      held?.account,
      held?.serialFirst,
      held?.serialLast,
      held?.entry.type,
      held?.disposal,
    ]).toEqual(['JP-000004', 181n, 190n, 'credits_issued', null]);
    expect((await queries.itmoStatus(IN001, 1n))?.itmo).toBeNull();
    expect(await queries.itmoStatus(IN001, 100_000n)).toBeNull();
  });

  it('reads finalised periods and which journal entries exist', async () => {
    expect(
      (await queries.partyFinalisations('IND')).map((f) => [
        f.party,
        f.firstYear,
        f.lastYear,
        f.entry.chain,
      ]),
    ).toEqual([['IND', 2027, 2027, 'IN']]);
    expect(await queries.partyFinalisations('JPN')).toEqual([]);
    const page = await queries.finalisations({ party: 'IND' });
    expect(page.ok && page.value.items.map((f) => [f.party, f.firstYear])).toEqual([['IND', 2027]]);
    const found = await queries.existingEntries([
      { chain: 'JP' as never, seq: 1n },
      { chain: 'JP' as never, seq: 9999n },
      { chain: 'IN' as never, seq: 2n },
      { chain: 'XX' as never, seq: 1n },
    ]);
    expect([...found].sort()).toEqual(['IN#2', 'JP#1']);
    expect(await queries.existingEntries([])).toEqual(new Set());
  });
});
