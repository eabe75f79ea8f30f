// Article 6.2 in the ledger core (issue 14): the India-Japan flow from the cooperative approach through
// India's authorisation and Japan's confirmation, issuance into Japan's registry as first transfer,
// splits that keep the ITMO attributes, use towards Japan's NDC, India's OIMP authorisations with each
// first-transfer definition, a second version of an authorisation, finalised periods; then every
// refusal, one row per case, each checked to change nothing.
import { describe, expect, it } from 'vitest';
import { flowsFor } from '../../../src/core/article6/adjustments.ts';
import { formatItmoId } from '../../../src/core/article6/itmo-id.ts';
import { isEffective } from '../../../src/core/article6/state.ts';
import type { Action } from '../../../src/core/article6/types.ts';
import { apply } from '../../../src/core/ledger/apply.ts';
import { actorWithRoles, type Actor } from '../../../src/core/ledger/actor.ts';
import type { LedgerCommand } from '../../../src/core/ledger/commands.ts';
import { checkInvariants } from '../../../src/core/ledger/invariants.ts';
import type { ChainId, ProjectRef, RegistryId } from '../../../src/core/shared/ids.ts';
import {
  IN,
  IN001,
  IN002,
  IN003,
  JP,
  accounts,
  actionRow,
  actionsOf,
  admin,
  authorisation,
  authoriseAndConfirm,
  expectRefusedUnchanged,
  govIndia,
  govJapan,
  holdings,
  indiaJapan,
  indiaJapanApproach,
  issue,
  issueLine,
  jcIndia,
  mustRun,
  oimpAuthorisation,
  ranges,
  recordDecision,
  refusedCode,
  retire,
} from '../../support/article6-fixtures.ts';
import type { MemoryLedger } from '../../support/memory-ledger.ts';

const itmo = (authorisationId: string, firstTransferred: boolean) => ({
  approach: 'CA0001',
  authorisation: authorisationId,
  firstParty: 'IND',
  firstTransferred,
});

/** CA0001 with India's NDC authorisation of IN001 in JP, confirmed by Japan. */
function ndcFlow(): MemoryLedger {
  const ledger = indiaJapan();
  authoriseAndConfirm(ledger, authorisation());
  return ledger;
}

/** `ndcFlow` with 600 IN001 credits of 2027 issued into Acme's JP account (serials 1-600) and 400 into the developer's IN account (601-1000). */
function issued(): MemoryLedger {
  const ledger = ndcFlow();
  issue(ledger, IN001, { registry: JP, account: accounts.acme, vintage: 2027, quantity: 600n });
  issue(ledger, IN001, {
    registry: IN,
    account: accounts.developer,
    vintage: 2027,
    quantity: 400n,
  });
  return ledger;
}

describe('the India-Japan flow', () => {
  it('records the approach and India authorisation, which takes effect once Japan confirms it', () => {
    const ledger = indiaJapan();
    const approach = ledger.state.article6.approaches.get(IN);
    expect(approach).toEqual({ ...indiaJapanApproach(), version: 1 });
    const { event } = mustRun(ledger, govIndia, {
      type: 'record_authorisation',
      authorisation: authorisation(),
    });
    expect(event).toEqual({
      type: 'authorisation_recorded',
      authorisation: { ...authorisation(), version: 1 },
    });
    expect(isEffective(ledger.state.article6, approach!, 'IND-2026-001')).toBe(false);
    mustRun(ledger, govJapan, {
      type: 'confirm_authorisation',
      registry: JP,
      authorisation: 'IND-2026-001',
      version: 1,
    });
    const record = ledger.state.article6.authorisations.get('IND-2026-001');
    expect(record?.confirmations).toEqual(new Map([[1, new Set(['JPN'])]]));
    expect(record?.covered).toBe(0n);
    expect(isEffective(ledger.state.article6, approach!, 'IND-2026-001')).toBe(true);
    expect(ledger.actions).toEqual([]);
  });

  it('issues a JP line as first transfer by India and acquisition by Japan, stamped on the block', () => {
    const ledger = ndcFlow();
    const { event, seq } = issue(ledger, IN001, {
      registry: JP,
      account: accounts.acme,
      vintage: 2027,
      quantity: 600n,
    });
    expect(event.itmo).toEqual(itmo('IND-2026-001', true));
    expect(holdings(ledger.state, accounts.acme)).toEqual([
      { project: IN001, serials: '1-600', itmo: itmo('IND-2026-001', true) },
    ]);
    const common = {
      serialFirst: 1n,
      serialLast: 600n,
      quantity: 600n,
      entry: { chain: 'JP', seq },
    };
    expect(actionsOf(ledger, 'JP', seq)).toEqual([
      actionRow({ ...common, type: 'authorization' }),
      actionRow({
        ...common,
        type: 'first_transfer',
        transferringParty: 'IND',
        acquiringParty: 'JPN',
      }),
      actionRow({
        ...common,
        party: 'JPN',
        type: 'acquisition',
        transferringParty: 'IND',
        acquiringParty: 'JPN',
      }),
    ]);
    expect(ledger.actions).toHaveLength(3);
    expect(ledger.state.article6.authorisations.get('IND-2026-001')?.covered).toBe(600n);
    const id = (serial: bigint) =>
      formatItmoId({
        approach: 'CA0001',
        partyRegistryId: 'JPN01',
        firstParty: 'IND',
        project: IN001,
        serial,
        vintage: 2027,
      });
    expect([id(1n), id(600n)]).toEqual([
      'CA0001-JPN01-IND-001.1-2027',
      'CA0001-JPN01-IND-001.600-2027',
    ]);
  });

  it('keeps the ITMO attributes on both parts of a block split by a partial transfer (F15)', () => {
    const ledger = issued();
    const before = ledger.actions.length;
    mustRun(ledger, admin, {
      type: 'transfer',
      from: accounts.acme,
      to: accounts.beta,
      selection: ranges(IN001, 1n, 250n),
    });
    expect(holdings(ledger.state, accounts.acme)).toEqual([
      { project: IN001, serials: '251-600', itmo: itmo('IND-2026-001', true) },
    ]);
    expect(holdings(ledger.state, accounts.beta)).toEqual([
      { project: IN001, serials: '1-250', itmo: itmo('IND-2026-001', true) },
    ]);
    // A transfer between two accounts of Japan's registry is no AEF action.
    expect(ledger.actions).toHaveLength(before);
    expect(checkInvariants(ledger.state)).toEqual([]);
  });

  it('derives Use by Japan for the year of use from a retirement towards its NDC', () => {
    const ledger = issued();
    const { seq } = mustRun(
      ledger,
      admin,
      retire(accounts.acme, ranges(IN001, 1n, 100n), 'ndc_use', 2028),
    );
    expect(actionsOf(ledger, 'JP', seq)).toEqual([
      actionRow({
        party: 'JPN',
        type: 'use',
        subtype: 'ndc_use',
        serialFirst: 1n,
        serialLast: 100n,
        quantity: 100n,
        usingOrCancelling: 'JPN',
        yearOfUse: 2028,
        entry: { chain: 'JP', seq },
      }),
    ]);
    expect(holdings(ledger.state, accounts.jpRetirement)).toEqual([
      { project: IN001, serials: '1-100', itmo: itmo('IND-2026-001', true) },
    ]);
  });
});

describe("India's OIMP authorisations: the first transfer is the event each names (paragraph 2(b))", () => {
  const oimpRow = (fields: Partial<Action>) =>
    actionRow({ registry: IN, partyRegistryId: 'IND01', purpose: 'oimp', ...fields });

  it('authorization: credits assigned by authorise_units are first transferred at once', () => {
    const ledger = issued();
    authoriseAndConfirm(ledger, oimpAuthorisation('IND-OIMP-A', 'authorization'));
    const { seq } = mustRun(ledger, govIndia, {
      type: 'authorise_units',
      authorisation: 'IND-OIMP-A',
      from: accounts.developer,
      selection: ranges(IN001, 601n, 700n),
    });
    const common = {
      authorisation: 'IND-OIMP-A',
      serialFirst: 601n,
      serialLast: 700n,
      quantity: 100n,
      entry: { chain: 'IN', seq },
    };
    expect(actionsOf(ledger, 'IN', seq)).toEqual([
      oimpRow({ ...common, type: 'authorization' }),
      oimpRow({ ...common, type: 'first_transfer', transferringParty: 'IND' }),
    ]);
    expect(holdings(ledger.state, accounts.developer)).toEqual([
      { project: IN001, serials: '601-700', itmo: itmo('IND-OIMP-A', true) },
      { project: IN001, serials: '701-1000', itmo: null },
    ]);
    expect(ledger.state.article6.authorisations.get('IND-OIMP-A')?.covered).toBe(100n);
    // Their later use by the airline is a Use only: they were first transferred already.
    mustRun(ledger, admin, {
      type: 'transfer',
      from: accounts.developer,
      to: accounts.skyAir,
      selection: ranges(IN001, 601n, 700n),
    });
    const used = mustRun(ledger, admin, retire(accounts.skyAir, ranges(IN001, 601n, 650n), 'oimp'));
    expect(actionsOf(ledger, 'IN', used.seq)).toEqual([
      oimpRow({
        ...common,
        type: 'use',
        subtype: 'oimp',
        serialLast: 650n,
        quantity: 50n,
        usingOrCancelling: 'skyair',
        entry: { chain: 'IN', seq: used.seq },
      }),
    ]);
  });

  it('use_or_cancellation: assigned credits are first transferred when an authorised entity uses them', () => {
    const ledger = issued();
    authoriseAndConfirm(ledger, oimpAuthorisation('IND-OIMP-U', 'use_or_cancellation'));
    const assigned = mustRun(ledger, govIndia, {
      type: 'authorise_units',
      authorisation: 'IND-OIMP-U',
      from: accounts.developer,
      selection: ranges(IN001, 601n, 700n),
    });
    const common = { authorisation: 'IND-OIMP-U', serialFirst: 601n };
    expect(actionsOf(ledger, 'IN', assigned.seq)).toEqual([
      oimpRow({
        ...common,
        type: 'authorization',
        serialLast: 700n,
        quantity: 100n,
        entry: { chain: 'IN', seq: assigned.seq },
      }),
    ]);
    mustRun(ledger, admin, {
      type: 'transfer',
      from: accounts.developer,
      to: accounts.skyAir,
      selection: ranges(IN001, 601n, 700n),
    });
    const used = mustRun(ledger, admin, retire(accounts.skyAir, ranges(IN001, 601n, 640n), 'oimp'));
    const usedAt = {
      ...common,
      serialLast: 640n,
      quantity: 40n,
      entry: { chain: 'IN', seq: used.seq },
    };
    expect(actionsOf(ledger, 'IN', used.seq)).toEqual([
      oimpRow({ ...usedAt, type: 'first_transfer', transferringParty: 'IND' }),
      oimpRow({ ...usedAt, type: 'use', subtype: 'oimp', usingOrCancelling: 'skyair' }),
    ]);
    // Only the part used is first transferred; the rest stays pending (F15).
    expect(holdings(ledger.state, accounts.skyAir)).toEqual([
      { project: IN001, serials: '641-700', itmo: itmo('IND-OIMP-U', false) },
    ]);
    expect(holdings(ledger.state, accounts.inRetirement)).toEqual([
      { project: IN001, serials: '601-640', itmo: itmo('IND-OIMP-U', true) },
    ]);
    // A cancellation for overall mitigation first transfers what it cancels as well.
    const cancelled = mustRun(ledger, admin, {
      type: 'cancel',
      from: accounts.skyAir,
      selection: ranges(IN001, 641n, 660n),
      reason: 'OMGE',
      cancellationKind: 'omge',
    });
    const cancelledAt = {
      ...common,
      serialFirst: 641n,
      serialLast: 660n,
      quantity: 20n,
      entry: { chain: 'IN', seq: cancelled.seq },
    };
    expect(actionsOf(ledger, 'IN', cancelled.seq)).toEqual([
      oimpRow({ ...cancelledAt, type: 'first_transfer', transferringParty: 'IND' }),
      oimpRow({ ...cancelledAt, type: 'cancellation', subtype: 'omge', usingOrCancelling: 'IND' }),
    ]);
  });

  it('gives an OIMP use no year of use towards an NDC, even when the retirement names one', () => {
    const ledger = issued();
    authoriseAndConfirm(ledger, oimpAuthorisation('IND-OIMP-A', 'authorization'));
    mustRun(ledger, govIndia, {
      type: 'authorise_units',
      authorisation: 'IND-OIMP-A',
      from: accounts.developer,
      selection: ranges(IN001, 601n, 700n),
    });
    mustRun(ledger, admin, {
      type: 'transfer',
      from: accounts.developer,
      to: accounts.skyAir,
      selection: ranges(IN001, 601n, 700n),
    });
    const { seq } = mustRun(
      ledger,
      admin,
      retire(accounts.skyAir, ranges(IN001, 601n, 630n), 'oimp', 2027),
    );
    expect(actionsOf(ledger, 'IN', seq).map((a) => [a.type, a.yearOfUse])).toEqual([['use', null]]);
    const india = flowsFor('IND', ledger.actions);
    expect(india.used).toEqual([]);
    expect(india.information.usedOtherwise).toEqual([{ year: 2026, quantity: 30n }]);
  });

  it('issuance: credits issued into India registry under it are stamped and first transferred', () => {
    const ledger = issued();
    authoriseAndConfirm(
      ledger,
      oimpAuthorisation('IND-OIMP-I', 'issuance', { projects: [IN002], vintageLast: 2027 }),
    );
    const { event, seq } = issue(ledger, IN002, {
      registry: IN,
      account: accounts.developer,
      vintage: 2027,
      quantity: 300n,
    });
    expect(event.itmo).toEqual(itmo('IND-OIMP-I', true));
    const common = {
      authorisation: 'IND-OIMP-I',
      project: IN002,
      serialFirst: 1n,
      serialLast: 300n,
      quantity: 300n,
      entry: { chain: 'IN', seq },
    };
    expect(actionsOf(ledger, 'IN', seq)).toEqual([
      oimpRow({ ...common, type: 'authorization' }),
      oimpRow({ ...common, type: 'first_transfer', transferringParty: 'IND' }),
    ]);
    // A vintage the authorisation does not cover stays India's own: issued, no ITMO, no action.
    const other = issue(ledger, IN002, {
      registry: IN,
      account: accounts.developer,
      vintage: 2028,
      quantity: 50n,
    });
    expect(other.event.itmo).toBeUndefined();
    expect(actionsOf(ledger, 'IN', other.seq)).toEqual([]);
    // A vintage India has finalised stays India's own too: issued, not first transferred.
    mustRun(ledger, govIndia, {
      type: 'finalise_adjustments',
      party: 'IND',
      registry: IN,
      firstYear: 2026,
      lastYear: 2026,
    });
    const finalised = issue(ledger, IN002, {
      registry: IN,
      account: accounts.developer,
      vintage: 2026,
      quantity: 20n,
    });
    expect(finalised.event.itmo).toBeUndefined();
    expect(actionsOf(ledger, 'IN', finalised.seq)).toEqual([]);
  });
});

describe('a second version of an authorisation', () => {
  it('keeps the history and needs the confirmation again before it takes effect', () => {
    const ledger = issued();
    const v2 = authorisation({ quantityCap: 1500n, vintageLast: 2031 });
    const { event } = mustRun(ledger, govIndia, {
      type: 'record_authorisation',
      authorisation: v2,
    });
    expect(event).toEqual({ type: 'authorisation_recorded', authorisation: { ...v2, version: 2 } });
    const record = ledger.state.article6.authorisations.get('IND-2026-001');
    expect(record?.versions).toEqual([
      { ...authorisation(), version: 1 },
      { ...v2, version: 2 },
    ]);
    const line = recordDecision(ledger, IN001, [
      { registry: JP, account: accounts.acme, vintage: 2031, quantity: 700n },
    ]);
    expect(refusedCode(ledger, admin, issueLine(JP, line))).toBe(
      'article6_authorisation_not_confirmed',
    );
    const confirm = (version: number): LedgerCommand => ({
      type: 'confirm_authorisation',
      registry: JP,
      authorisation: 'IND-2026-001',
      version,
    });
    expect(refusedCode(ledger, govJapan, confirm(1))).toBe(
      'article6_authorisation_version_not_current',
    );
    mustRun(ledger, govJapan, confirm(2));
    expect(record?.confirmations).toEqual(
      new Map([
        [1, new Set(['JPN'])],
        [2, new Set(['JPN'])],
      ]),
    );
    mustRun(ledger, admin, issueLine(JP, line));
    expect(record?.covered).toBe(1300n);
  });

  it('does not widen what may be done with the credits until it is confirmed', () => {
    const ledger = issued();
    const wider = authorisation({
      purposes: ['ndc', 'oimp'],
      oimp: 'CORSIA',
      firstTransferDefinition: 'issuance',
    });
    mustRun(ledger, govIndia, { type: 'record_authorisation', authorisation: wider });
    const oimpUse = retire(accounts.acme, ranges(IN001, 1n, 10n), 'oimp');
    expect(refusedCode(ledger, admin, oimpUse)).toBe('article6_purpose_not_authorised');
    mustRun(ledger, govJapan, {
      type: 'confirm_authorisation',
      registry: JP,
      authorisation: 'IND-2026-001',
      version: 2,
    });
    const { seq } = mustRun(ledger, admin, oimpUse);
    expect(actionsOf(ledger, 'JP', seq).map((a) => [a.type, a.purpose])).toEqual([
      ['use', 'ndc_and_oimp'],
    ]);
  });
});

describe('finalised periods (paragraph 12)', () => {
  it('are reachable by each Party and refuse what would change them afterwards', () => {
    const ledger = issued();
    const { event } = mustRun(ledger, govIndia, {
      type: 'finalise_adjustments',
      party: 'IND',
      registry: IN,
      firstYear: 2026,
      lastYear: 2027,
    });
    expect(event).toEqual({
      type: 'adjustments_finalised',
      finalisation: { party: 'IND', firstYear: 2026, lastYear: 2027, date: '2026-06-01' },
    });
    const line = (vintage: number) =>
      issueLine(
        JP,
        recordDecision(ledger, IN001, [
          { registry: JP, account: accounts.acme, vintage, quantity: 10n },
        ]),
      );
    expect(refusedCode(ledger, admin, line(2027))).toBe('article6_period_finalised');
    mustRun(ledger, admin, line(2028));
    mustRun(ledger, govJapan, {
      type: 'finalise_adjustments',
      party: 'JPN',
      registry: JP,
      firstYear: 2027,
      lastYear: 2027,
    });
    const use = (year: number) => retire(accounts.acme, ranges(IN001, 1n, 10n), 'ndc_use', year);
    expect(refusedCode(ledger, admin, use(2027))).toBe('article6_period_finalised');
    mustRun(ledger, admin, use(2028));
    expect(
      ledger.state.article6.finalisations.map((f) => [f.party, f.firstYear, f.lastYear]),
    ).toEqual([
      ['IND', 2026, 2027],
      ['JPN', 2027, 2027],
    ]);
  });
});

describe('refusals: each with its code, and nothing changed', () => {
  const jpLine = (l: MemoryLedger, project: ProjectRef, vintage: number, quantity: bigint) =>
    issueLine(
      JP,
      recordDecision(l, project, [{ registry: JP, account: accounts.acme, vintage, quantity }]),
    );
  const assign = (
    id: string,
    first: bigint,
    last: bigint,
    from = accounts.developer,
  ): LedgerCommand => ({
    type: 'authorise_units',
    authorisation: id,
    from,
    selection: ranges(IN001, first, last),
  });
  const record = (input: ReturnType<typeof authorisation>): LedgerCommand => ({
    type: 'record_authorisation',
    authorisation: input,
  });
  const confirm = (version: number): Extract<LedgerCommand, { type: 'confirm_authorisation' }> => ({
    type: 'confirm_authorisation',
    registry: JP,
    authorisation: 'IND-2026-001',
    version,
  });
  const finalise = (
    party: string,
    registry: RegistryId,
    firstYear: number,
    lastYear: number,
  ): LedgerCommand => ({
    type: 'finalise_adjustments',
    party,
    registry,
    firstYear,
    lastYear,
  });
  const useTowardsNdc = (yearOfUse?: number) =>
    retire(accounts.acme, ranges(IN001, 1n, 10n), 'ndc_use', yearOfUse);
  /** Credits 601-700 of the developer assigned to a confirmed OIMP authorisation. */
  const assigned = (
    l: MemoryLedger,
    id: string,
    definition: 'authorization' | 'use_or_cancellation',
  ) => {
    authoriseAndConfirm(l, oimpAuthorisation(id, definition));
    mustRun(l, govIndia, assign(id, 601n, 700n));
  };
  const mongolia = (l: MemoryLedger) =>
    mustRun(l, admin, {
      type: 'record_approach',
      approach: indiaJapanApproach({
        id: 'CA0002',
        partnership: 'MN' as RegistryId,
        parties: ['JPN', 'MNG'],
        registries: [
          { registry: JP, partyRegistryId: 'JPN01', party: 'JPN' },
          { registry: 'MN' as RegistryId, partyRegistryId: 'MNG01', party: 'MNG' },
        ],
      }),
    });

  const table: [string, (l: MemoryLedger) => [Actor, LedgerCommand], string][] = [
    // Issuance into Japan's registry (itmo-rules.ts), in precedence order.
    [
      'issuance into JP of a project India has not authorised',
      (l) => [admin, jpLine(l, IN003, 2027, 10n)],
      'article6_issuance_not_authorised',
    ],
    [
      'issuance into JP of a vintage not authorised',
      (l) => [admin, jpLine(l, IN001, 2025, 10n)],
      'article6_vintage_not_authorised',
    ],
    [
      'issuance under an authorisation Japan has not confirmed',
      (l) => {
        mustRun(l, govIndia, record(authorisation({ id: 'IND-2026-002', projects: [IN002] })));
        return [admin, jpLine(l, IN002, 2027, 10n)];
      },
      'article6_authorisation_not_confirmed',
    ],
    [
      'issuance after the timeframe of the authorisation',
      (l) => {
        const line = jpLine(l, IN001, 2027, 10n);
        l.recordedAt = '2032-01-01T00:00:00.000Z';
        return [admin, line];
      },
      'article6_authorisation_expired',
    ],
    [
      'issuance over the cap (600 + 401 > 1,000)',
      (l) => [admin, jpLine(l, IN001, 2028, 401n)],
      'article6_authorisation_cap_exceeded',
    ],
    [
      'issuance of a vintage India has finalised',
      (l) => {
        mustRun(l, govIndia, finalise('IND', IN, 2027, 2027));
        return [admin, jpLine(l, IN001, 2027, 10n)];
      },
      'article6_period_finalised',
    ],
    // Uses and cancellations, checked against the credits' authorisation.
    [
      'use of NDC-authorised ITMOs for OIMP',
      () => [admin, retire(accounts.acme, ranges(IN001, 1n, 10n), 'oimp')],
      'article6_purpose_not_authorised',
    ],
    [
      'use of OIMP-authorised ITMOs towards an NDC',
      (l) => {
        assigned(l, 'IND-OIMP-A', 'authorization');
        return [admin, retire(accounts.developer, ranges(IN001, 601n, 610n), 'ndc_use', 2027)];
      },
      'article6_purpose_not_authorised',
    ],
    [
      'use towards the NDC of a Party the authorisation does not name (a version replayed from a journal written before that rule)',
      (l) => {
        const chain = 'JP' as ChainId;
        const replayed = { ...authorisation({ authorisedParties: ['IND'] }), version: 2 };
        apply(
          l.state,
          { type: 'authorisation_recorded', authorisation: replayed },
          { chain, seq: 900n },
        );
        apply(
          l.state,
          { type: 'authorisation_confirmed', authorisation: replayed.id, version: 2, party: 'JPN' },
          { chain, seq: 901n },
        );
        return [admin, useTowardsNdc(2027)];
      },
      'article6_party_not_authorised',
    ],
    [
      'OIMP use by a holder that is not an authorised entity',
      (l) => {
        assigned(l, 'IND-OIMP-U', 'use_or_cancellation');
        return [admin, retire(accounts.developer, ranges(IN001, 601n, 610n), 'oimp')];
      },
      'article6_entity_not_authorised',
    ],
    [
      'NDC use without a year of use',
      () => [admin, useTowardsNdc()],
      'article6_year_of_use_required',
    ],
    [
      'NDC use for a year before the vintage (2026 < 2027)',
      () => [admin, useTowardsNdc(2026)],
      'article6_year_of_use_before_vintage',
    ],
    [
      "NDC use for a year after Japan's NDC period (2031)",
      () => [admin, useTowardsNdc(2031)],
      'article6_year_outside_ndc_period',
    ],
    [
      'NDC use in a year Japan has finalised',
      (l) => {
        mustRun(l, govJapan, finalise('JPN', JP, 2027, 2028));
        return [admin, useTowardsNdc(2028)];
      },
      'article6_period_finalised',
    ],
    [
      'first transfer at use of a vintage India has finalised',
      (l) => {
        assigned(l, 'IND-OIMP-U', 'use_or_cancellation');
        mustRun(l, admin, {
          type: 'transfer',
          from: accounts.developer,
          to: accounts.skyAir,
          selection: ranges(IN001, 601n, 700n),
        });
        mustRun(l, govIndia, finalise('IND', IN, 2027, 2027));
        return [admin, retire(accounts.skyAir, ranges(IN001, 601n, 610n), 'oimp')];
      },
      'article6_period_finalised',
    ],
    // Assigning credits to an OIMP authorisation (authorise-units.ts).
    [
      'a second first transfer: JP credits first transferred at issuance assigned again',
      (l) => {
        authoriseAndConfirm(l, oimpAuthorisation('IND-OIMP-JP', 'authorization', { registry: JP }));
        return [govIndia, assign('IND-OIMP-JP', 1n, 10n, accounts.acme)];
      },
      'article6_already_first_transferred',
    ],
    [
      'a second first transfer: IN credits first transferred by assignment assigned again',
      (l) => {
        assigned(l, 'IND-OIMP-A', 'authorization');
        authoriseAndConfirm(l, oimpAuthorisation('IND-OIMP-A2', 'authorization'));
        return [govIndia, assign('IND-OIMP-A2', 650n, 660n)];
      },
      'article6_already_first_transferred',
    ],
    [
      'a second assignment of credits awaiting their first transfer',
      (l) => {
        assigned(l, 'IND-OIMP-U', 'use_or_cancellation');
        return [govIndia, assign('IND-OIMP-U', 650n, 660n)];
      },
      'article6_units_already_authorised',
    ],
    [
      'assignment of a finalised vintage under the authorization definition',
      (l) => {
        authoriseAndConfirm(l, oimpAuthorisation('IND-OIMP-A', 'authorization'));
        mustRun(l, govIndia, finalise('IND', IN, 2026, 2027));
        return [govIndia, assign('IND-OIMP-A', 601n, 700n)];
      },
      'article6_period_finalised',
    ],
    [
      'assignment under an authorisation that covers credits at issuance',
      () => [govIndia, assign('IND-2026-001', 1n, 10n, accounts.acme)],
      'article6_authorisation_covers_at_issuance',
    ],
    [
      "assignment of India's credits by Japan's government",
      (l) => {
        authoriseAndConfirm(l, oimpAuthorisation('IND-OIMP-A', 'authorization'));
        return [govJapan, assign('IND-OIMP-A', 601n, 700n)];
      },
      'actor_not_authorised',
    ],
    [
      "assignment of India's credits under Japan's own OIMP authorisation (Japan is no first transferring Party)",
      (l) => {
        const own = oimpAuthorisation('JPN-OIMP-1', 'authorization', {
          party: 'JPN',
          authorisedParties: ['JPN'],
        });
        mustRun(l, govJapan, record(own));
        mustRun(l, govIndia, {
          type: 'confirm_authorisation',
          registry: IN,
          authorisation: own.id,
          version: 1,
        });
        return [govJapan, assign('JPN-OIMP-1', 601n, 700n)];
      },
      'actor_not_authorised',
    ],
    // Finalisation (decide-article6.ts).
    [
      'a finalisation overlapping a finalised period',
      (l) => {
        mustRun(l, govIndia, finalise('IND', IN, 2026, 2027));
        return [govIndia, finalise('IND', IN, 2027, 2028)];
      },
      'article6_period_already_finalised',
    ],
    [
      "a finalisation outside India's NDC period",
      () => [govIndia, finalise('IND', IN, 2029, 2031)],
      'article6_year_outside_ndc_period',
    ],
    [
      'a finalisation with its years reversed',
      () => [govIndia, finalise('IND', IN, 2028, 2027)],
      'article6_year_outside_ndc_period',
    ],
    [
      "a finalisation of India's period by Japan's government",
      () => [govJapan, finalise('IND', IN, 2027, 2027)],
      'actor_not_authorised',
    ],
    [
      "a finalisation named in the other Party's registry",
      () => [govJapan, finalise('JPN', IN, 2027, 2027)],
      'article6_party_not_in_approach',
    ],
    // Confirmation.
    [
      'confirmation by the authorising Party',
      () => [govIndia, confirm(1)],
      'article6_confirmation_by_authorising_party',
    ],
    [
      'confirmation of a version no longer in force',
      (l) => {
        mustRun(l, govIndia, record(authorisation({ quantityCap: 1200n })));
        return [govJapan, confirm(1)];
      },
      'article6_authorisation_version_not_current',
    ],
    [
      'a second confirmation of the same version',
      () => [govJapan, confirm(1)],
      'article6_authorisation_already_confirmed',
    ],
    [
      'confirmation by a body that is no government',
      () => [jcIndia, confirm(1)],
      'actor_not_authorised',
    ],
    [
      'confirmation of an unknown authorisation',
      () => [govJapan, { ...confirm(1), authorisation: 'IND-2099-999' }],
      'article6_authorisation_not_found',
    ],
    // Recording an authorisation (decide-article6.ts, authorisation-rules.ts).
    [
      "India's authorisation recorded by Japan's government",
      () => [govJapan, record(authorisation({ id: 'IND-2026-002' }))],
      'actor_not_authorised',
    ],
    [
      "India's authorisation recorded by the Joint Committee",
      () => [jcIndia, record(authorisation({ id: 'IND-2026-002' }))],
      'actor_not_authorised',
    ],
    [
      'forged: an approach that does not exist',
      () => [govIndia, record(authorisation({ approach: 'CA0099' }))],
      'article6_approach_not_found',
    ],
    [
      'forged: a Party of another approach authorising under CA0001',
      (l) => {
        mongolia(l);
        return [govIndia, record(authorisation({ id: 'MNG-2026-001', party: 'MNG' }))];
      },
      'article6_party_not_in_approach',
    ],
    [
      "forged: India authorising under Mongolia's approach",
      (l) => {
        mongolia(l);
        return [govIndia, record(authorisation({ id: 'IND-2026-002', approach: 'CA0002' }))];
      },
      'article6_party_not_in_approach',
    ],
    [
      'forged: a registry of another partnership',
      () => [govIndia, record(authorisation({ id: 'IND-2026-002', registry: 'MN' as RegistryId }))],
      'article6_registry_not_in_approach',
    ],
    [
      'forged: a project of another partnership',
      () => [
        govIndia,
        record(authorisation({ id: 'IND-2026-002', projects: [IN001, 'MN001' as ProjectRef] })),
      ],
      'article6_project_not_in_approach',
    ],
    [
      'forged: an authorised Party outside the approach',
      () => [
        govIndia,
        record(authorisation({ id: 'IND-2026-002', authorisedParties: ['JPN', 'MNG'] })),
      ],
      'article6_authorised_party_not_in_approach',
    ],
    [
      "forged: Japan taking over India's authorisation id",
      () => [govJapan, record(authorisation({ party: 'JPN' }))],
      'article6_authorisation_party_changed',
    ],
    [
      'a new version capped below the 600 credits it covers',
      () => [govIndia, record(authorisation({ quantityCap: 599n }))],
      'article6_authorisation_cap_below_covered',
    ],
    [
      'a vintage range reversed',
      () => [
        govIndia,
        record(authorisation({ id: 'IND-2026-002', vintageFirst: 2030, vintageLast: 2026 })),
      ],
      'article6_vintage_range_invalid',
    ],
    [
      'a vintage before 2013',
      () => [govIndia, record(authorisation({ id: 'IND-2026-002', vintageFirst: 2012 }))],
      'article6_vintage_range_invalid',
    ],
    [
      'a timeframe that ends before it starts',
      () => [
        govIndia,
        record(
          authorisation({ id: 'IND-2026-002', validFrom: '2027-01-01', validUntil: '2026-12-31' }),
        ),
      ],
      'article6_authorisation_period_invalid',
    ],
    [
      'an authorisation dated after the day it is recorded',
      () => [govIndia, record(authorisation({ id: 'IND-2026-002', date: '2026-06-02' }))],
      'article6_authorisation_date_in_future',
    ],
    [
      'OIMP without naming it',
      () => [govIndia, record(oimpAuthorisation('IND-OIMP-X', 'issuance', { oimp: null }))],
      'article6_oimp_name_mismatch',
    ],
    [
      'an OIMP named without OIMP among the purposes',
      () => [govIndia, record(authorisation({ id: 'IND-2026-002', oimp: 'CORSIA' }))],
      'article6_oimp_name_mismatch',
    ],
    [
      'OIMP without its first-transfer definition',
      () => [
        govIndia,
        record(oimpAuthorisation('IND-OIMP-X', 'issuance', { firstTransferDefinition: null })),
      ],
      'article6_first_transfer_definition_missing',
    ],
    [
      'a first-transfer definition without OIMP',
      () => [
        govIndia,
        record(authorisation({ id: 'IND-2026-002', firstTransferDefinition: 'issuance' })),
      ],
      'article6_first_transfer_definition_without_oimp',
    ],
    [
      "NDC purpose for credits in India's own registry",
      () => [
        govIndia,
        record(authorisation({ id: 'IND-2026-002', registry: IN, authorisedParties: ['IND'] })),
      ],
      'article6_ndc_purpose_in_own_registry',
    ],
    [
      "NDC use in Japan's registry without authorising Japan",
      () => [govIndia, record(authorisation({ id: 'IND-2026-002', authorisedParties: ['IND'] }))],
      'article6_registry_party_not_authorised',
    ],
    // Recording the approach.
    [
      'an approach without its description (F11)',
      () => [
        jcIndia,
        { type: 'record_approach', approach: indiaJapanApproach({ description: ' ' }) },
      ],
      'article6_approach_information_missing',
    ],
    [
      'an approach without sustainable development (F11)',
      () => [
        jcIndia,
        { type: 'record_approach', approach: indiaJapanApproach({ sustainableDevelopment: '' }) },
      ],
      'article6_approach_information_missing',
    ],
    [
      "a new id for the partnership's approach",
      () => [jcIndia, { type: 'record_approach', approach: indiaJapanApproach({ id: 'CA0003' }) }],
      'article6_approach_id_changed',
    ],
    [
      "an approach recorded by another partnership's Joint Committee",
      () => [
        actorWithRoles('jc-mn', 'joint_committee:MN'),
        { type: 'record_approach', approach: indiaJapanApproach() },
      ],
      'actor_not_authorised',
    ],
  ];

  it.each(table)('%s', (_, prepare, code) => {
    const ledger = issued();
    const [actor, command] = prepare(ledger);
    expectRefusedUnchanged(ledger, actor, command, code);
  });

  it('accepts the boundary the cap row refuses: 600 + 400 = 1,000', () => {
    const ledger = issued();
    mustRun(ledger, admin, jpLine(ledger, IN001, 2028, 400n));
    expect(ledger.state.article6.authorisations.get('IND-2026-001')?.covered).toBe(1000n);
  });
});
