// Model-based test of Article 6.2 in the ledger core: random sequences of issuances into JP and IN,
// partial transfers, retirements with random purposes and years of use, cancellations of each kind,
// assignments to OIMP authorisations, new versions and confirmations, finalisations and the passing of
// time. After every step: the ITMOs each registry holds equal what the derived actions brought in and
// took out, every action names an entry that exists, no credit is first transferred twice, what each
// authorisation covers equals its Authorization rows, only uses towards an NDC carry a year of use,
// conservation holds, and a refusal changed nothing. Reproduce a failure with JCM_SEED=<seed
// printed below>.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowsFor } from '../../../src/core/article6/adjustments.ts';
import type { Action, Authorisation, CancellationKind } from '../../../src/core/article6/types.ts';
import type { Actor } from '../../../src/core/ledger/actor.ts';
import type { LedgerCommand, Selection } from '../../../src/core/ledger/commands.ts';
import { checkInvariants } from '../../../src/core/ledger/invariants.ts';
import {
  anyOverlap,
  normalise,
  subtract,
  type SerialRange,
} from '../../../src/core/ledger/serial-range.ts';
import { accountBlocks } from '../../../src/core/ledger/state.ts';
import { entryKey, type RetirementPurpose } from '../../../src/core/ledger/types.ts';
import type { AccountId, ChainId } from '../../../src/core/shared/ids.ts';
import { chainOf } from '../../../src/services/ledger-service.ts';
import {
  IN,
  IN001,
  IN002,
  JP,
  accounts,
  admin,
  authorisation,
  authoriseAndConfirm,
  govIndia,
  govJapan,
  indiaJapan,
  issueLine,
  oimpAuthorisation,
  recordDecision,
  skyAirEntity,
  snapshot,
} from '../../support/article6-fixtures.ts';
import type { MemoryLedger } from '../../support/memory-ledger.ts';
import { baseSeed } from '../../support/prng.ts';

const runs = Number(process.env['JCM_MODEL_RUNS'] ?? 120);
const stepsMax = Number(process.env['JCM_MODEL_STEPS'] ?? 40);
console.log(
  `article6 model-based test: JCM_SEED=${baseSeed} (${runs} runs of up to ${stepsMax} steps)`,
);

const tradable: readonly AccountId[] = [
  accounts.acme,
  accounts.beta,
  accounts.developer,
  accounts.skyAir,
  accounts.other,
];
const authorisationIds = ['IND-2026-001', 'IND-OIMP-A', 'IND-OIMP-U', 'IND-OIMP-I'] as const;
const purposes: readonly RetirementPurpose[] = [
  'ndc_use',
  'gx_ets_compliance',
  'shk_reporting',
  'voluntary_offsetting',
  'oimp',
];
const kinds: readonly (CancellationKind | null)[] = ['omge', 'voluntary', 'other', null];

/** Which credits a movement takes: a sub-range of one of the account's blocks, or a quantity. */
const pickArb = fc.record({
  account: fc.nat({ max: tradable.length - 1 }),
  block: fc.nat(),
  offset: fc.integer({ min: 0, max: 1000 }),
  take: fc.integer({ min: 0, max: 1000 }),
  byQuantity: fc.boolean(),
});
type Pick = typeof pickArb extends fc.Arbitrary<infer T> ? T : never;

const stepArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('issue' as const),
      project: fc.constantFrom(IN001, IN002),
      account: fc.nat({ max: tradable.length - 1 }),
      vintage: fc.integer({ min: 2025, max: 2031 }),
      quantity: fc.integer({ min: 1, max: 300 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      pick: pickArb,
      to: fc.nat({ max: tradable.length - 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('retire' as const),
      pick: pickArb,
      purpose: fc.constantFrom(...purposes),
      yearOfUse: fc.option(fc.integer({ min: 2024, max: 2032 }), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      pick: pickArb,
      cancellationKind: fc.constantFrom(...kinds),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('assign' as const),
      pick: pickArb,
      // Mostly the OIMP authorisations that take assignments; now and then one that refuses them.
      authorisation: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('IND-OIMP-A', 'IND-OIMP-U') },
        { weight: 1, arbitrary: fc.constantFrom('IND-2026-001', 'IND-OIMP-I') },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('version' as const),
      authorisation: fc.constantFrom(...authorisationIds),
      cap: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: null }),
      vintageLast: fc.integer({ min: 2027, max: 2031 }),
      validUntil: fc.constantFrom('2031-12-31', '2027-06-30'),
      widen: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('confirm' as const),
      authorisation: fc.constantFrom(...authorisationIds),
      stale: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('finalise' as const),
      party: fc.constantFrom('IND', 'JPN'),
      firstYear: fc.integer({ min: 2021, max: 2030 }),
      years: fc.nat({ max: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      days: fc.integer({ min: 1, max: 150 }),
    }),
  },
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** The partnership with India's NDC authorisation of IN001 in JP and three OIMP authorisations in IN. */
function setUp(): MemoryLedger {
  const ledger = indiaJapan();
  authoriseAndConfirm(
    ledger,
    authorisation({ quantityCap: 3000n }),
    oimpAuthorisation('IND-OIMP-A', 'authorization', { quantityCap: 2000n }),
    oimpAuthorisation('IND-OIMP-U', 'use_or_cancellation'),
    oimpAuthorisation('IND-OIMP-I', 'issuance', { projects: [IN002], vintageLast: 2029 }),
  );
  return ledger;
}

function selection(ledger: MemoryLedger, pick: Pick): { from: AccountId; selection: Selection } {
  // Mostly an account that holds credits, so that most movements get past the registry's checks.
  const holding = tradable.filter((a) => accountBlocks(ledger.state, a).length > 0);
  const from = (holding[pick.account % Math.max(holding.length, 1)] ?? tradable[0]) as AccountId;
  const blocks = accountBlocks(ledger.state, from);
  const block = blocks[pick.block % Math.max(blocks.length, 1)];
  if (block === undefined) return { from, selection: { kind: 'quantity', quantity: 1n } };
  const size = block.serials.last - block.serials.first + 1n;
  const offset = (size * BigInt(pick.offset)) / 1001n;
  const remaining = size - offset;
  const take = (remaining * BigInt(pick.take)) / 1000n;
  const quantity = take < 1n ? 1n : take;
  if (pick.byQuantity) return { from, selection: { kind: 'quantity', quantity } };
  const first = block.serials.first + offset;
  return {
    from,
    selection: {
      kind: 'ranges',
      ranges: [{ project: block.project, serials: { first, last: first + quantity - 1n } }],
    },
  };
}

/** The command a step sends, and who sends it; null for a step that only moves the clock. */
function command(ledger: MemoryLedger, step: Step): [Actor, LedgerCommand] | null {
  switch (step.kind) {
    case 'issue': {
      const account = tradable[step.account] as AccountId;
      const registry = account.startsWith('JP') ? JP : IN;
      const line = { registry, account, vintage: step.vintage, quantity: BigInt(step.quantity) };
      return [admin, issueLine(registry, recordDecision(ledger, step.project, [line]))];
    }
    case 'transfer': {
      const { from, selection: chosen } = selection(ledger, step.pick);
      // Another account of the same registry, or now and then the source itself (refused).
      const peers = tradable.filter((a) => a.slice(0, 2) === from.slice(0, 2) && a !== from);
      const to = (step.to === 0 ? from : peers[step.to % peers.length]) as AccountId;
      return [admin, { type: 'transfer', from, selection: chosen, to }];
    }
    case 'retire':
      return [
        admin,
        {
          type: 'retire',
          ...selection(ledger, step.pick),
          purpose: step.purpose,
          beneficiary: 'model',
          note: 'model',
          ...(step.yearOfUse === undefined ? {} : { yearOfUse: step.yearOfUse }),
        },
      ];
    case 'cancel':
      return [
        admin,
        {
          type: 'cancel',
          ...selection(ledger, step.pick),
          reason: 'model',
          ...(step.cancellationKind === null ? {} : { cancellationKind: step.cancellationKind }),
        },
      ];
    case 'assign':
      return [
        govIndia,
        {
          type: 'authorise_units',
          authorisation: step.authorisation,
          ...selection(ledger, step.pick),
        },
      ];
    case 'version':
      return [govIndia, { type: 'record_authorisation', authorisation: nextVersion(ledger, step) }];
    case 'confirm': {
      // Mostly a version that awaits Japan's confirmation, when there is one.
      const records = ledger.state.article6.authorisations;
      const pending = authorisationIds.filter((id) => {
        const record = records.get(id);
        const version = record?.versions.at(-1)?.version ?? 0;
        return record?.confirmations.get(version)?.has('JPN') !== true;
      });
      const id = pending[0] ?? step.authorisation;
      const current = records.get(id)?.versions.at(-1);
      return [
        govJapan,
        {
          type: 'confirm_authorisation',
          registry: current?.registry ?? IN,
          authorisation: id,
          version: (current?.version ?? 1) - (step.stale ? 1 : 0),
        },
      ];
    }
    case 'finalise':
      return [
        step.party === 'IND' ? govIndia : govJapan,
        {
          type: 'finalise_adjustments',
          party: step.party,
          registry: step.party === 'IND' ? IN : JP,
          firstYear: step.firstYear,
          lastYear: step.firstYear + step.years,
        },
      ];
    case 'tick': {
      const next = new Date(Date.parse(ledger.recordedAt) + step.days * 86_400_000);
      ledger.recordedAt = next.toISOString();
      return null;
    }
  }
}

/** A new version of an authorisation in force, with the step's cap, vintages and timeframe. */
function nextVersion(ledger: MemoryLedger, step: Extract<Step, { kind: 'version' }>) {
  const current = ledger.state.article6.authorisations.get(step.authorisation)?.versions.at(-1);
  if (current === undefined) throw new Error(`no ${step.authorisation}`);
  // The command's version is ignored: the core numbers versions itself.
  const input: Omit<Authorisation, 'version'> = { ...current };
  const widened =
    current.purposes.includes('ndc') && step.widen
      ? {
          purposes: ['ndc', 'oimp'] as const,
          oimp: 'CORSIA',
          firstTransferDefinition: 'issuance' as const,
          authorisedEntities: [skyAirEntity],
        }
      : current.purposes.includes('ndc')
        ? {
            purposes: ['ndc'] as const,
            oimp: null,
            firstTransferDefinition: null,
            authorisedEntities: [],
          }
        : { authorisedEntities: step.widen ? [] : [skyAirEntity] };
  return {
    ...input,
    ...widened,
    quantityCap: step.cap === null ? null : BigInt(step.cap),
    vintageLast: step.vintageLast,
    validUntil: step.validUntil,
  };
}

function minus(whole: readonly SerialRange[], cuts: readonly SerialRange[]): SerialRange[] {
  let rest = [...whole];
  for (const cut of cuts) rest = rest.flatMap((r) => subtract(r, cut));
  return normalise(rest);
}

function byKey(entries: readonly [string, SerialRange][]): Map<string, SerialRange[]> {
  const map = new Map<string, SerialRange[]>();
  for (const [key, range] of entries) map.set(key, [...(map.get(key) ?? []), range]);
  for (const [key, ranges] of map) map.set(key, normalise(ranges));
  return map;
}

const bringIn = new Set<Action['type']>(['authorization', 'first_transfer', 'acquisition']);
const takeOut = new Set<Action['type']>(['use', 'cancellation', 'voluntary_cancellation']);
const range = (a: Action): SerialRange => ({ first: a.serialFirst, last: a.serialLast });

/** The checks (a) to (f) of the file's header, on the ledger as it stands. */
function checkModel(ledger: MemoryLedger, label: string): void {
  const { state, actions } = ledger;
  // (a) The ITMOs held in each registry (outside retirement and cancellation accounts) are what
  // the actions brought in minus what they took out.
  const held = byKey(
    [...state.blocks.values()]
      .filter((b) => {
        const type = state.accounts.get(b.account)?.type;
        return b.itmo !== undefined && type !== 'retirement' && type !== 'cancellation';
      })
      .map((b) => [`${b.registry}|${b.project}`, b.serials]),
  );
  const key = (a: Action) => `${a.registry}|${a.project}`;
  const ins = byKey(actions.filter((a) => bringIn.has(a.type)).map((a) => [key(a), range(a)]));
  const outs = byKey(actions.filter((a) => takeOut.has(a.type)).map((a) => [key(a), range(a)]));
  const expected = new Map(
    [...ins]
      .map(([k, r]): [string, SerialRange[]] => [k, minus(r, outs.get(k) ?? [])])
      .filter(([, r]) => r.length > 0),
  );
  expect(held, `${label}: ITMOs held`).toEqual(expected);
  // (b) Every action names an entry of the journal.
  for (const a of actions)
    expect(
      state.movements.has(entryKey({ chain: a.entry.chain as ChainId, seq: a.entry.seq })),
      `${label}: entry of ${a.type}`,
    ).toBe(true);
  // (c) No credit is first transferred twice, and a block says first transferred exactly when an
  // action first transferred it.
  const firsts = byKey(
    actions.filter((a) => a.type === 'first_transfer').map((a) => [a.project, range(a)]),
  );
  for (const project of firsts.keys()) {
    const all = actions
      .filter((a) => a.type === 'first_transfer' && a.project === project)
      .map(range);
    expect(anyOverlap(all), `${label}: ${project} first transferred twice`).toBe(false);
  }
  for (const b of state.blocks.values()) {
    if (b.itmo === undefined) continue;
    const done = minus([b.serials], firsts.get(b.project) ?? []);
    expect(done, `${label}: block ${b.project} ${b.serials.first}`).toEqual(
      b.itmo.firstTransferred ? [] : [b.serials],
    );
  }
  // (e) What each authorisation covers is what its Authorization rows name.
  for (const [id, record] of state.article6.authorisations) {
    const rows = actions.filter((a) => a.type === 'authorization' && a.authorisation === id);
    expect(record.covered, `${label}: covered by ${id}`).toBe(
      rows.reduce((sum, a) => sum + a.quantity, 0n),
    );
  }
  // (f) A use towards an NDC names its year of use; a use for OIMP names none.
  for (const a of actions.filter((x) => x.type === 'use'))
    expect(a.yearOfUse === null, `${label}: year of use of a ${a.subtype} use`).toBe(
      a.subtype === 'oimp',
    );
  // (d) Conservation and the other whole-state invariants; the flows' own assertions hold.
  expect(checkInvariants(state), label).toEqual([]);
  flowsFor('IND', actions);
  flowsFor('JPN', actions);
}

const accepted = new Map<string, number>();
const actionTypes = new Map<string, number>();

function runSteps(steps: readonly Step[]): void {
  const ledger = setUp();
  checkModel(ledger, 'set-up');
  steps.forEach((step, i) => {
    const sent = command(ledger, step);
    const label = `step ${i} (${step.kind})`;
    if (sent === null) return;
    const [actor, cmd] = sent;
    const before = snapshot(ledger);
    const result = ledger.run(actor, cmd);
    if (result.ok) {
      accepted.set(step.kind, (accepted.get(step.kind) ?? 0) + 1);
      const added = ledger.actions.slice(before.actions.length);
      for (const a of added) {
        actionTypes.set(a.type, (actionTypes.get(a.type) ?? 0) + 1);
        expect(a.entry, `${label}: the entry of its actions`).toEqual({
          chain: chainOf(cmd),
          seq: result.seq,
        });
      }
    } else {
      expect(snapshot(ledger), `${label}: refused with ${result.error.code}`).toEqual(before);
    }
    checkModel(ledger, label);
  });
}

describe('Article 6.2 model-based test', () => {
  it(`keeps the registries' ITMOs equal to the actions, seed ${baseSeed}`, () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: stepsMax, size: 'max' }), runSteps),
      {
        seed: baseSeed,
        numRuns: runs,
      },
    );
    // A generator gone wrong would pass vacuously: every kind of step and action must occur.
    for (const kind of [
      'issue',
      'transfer',
      'retire',
      'cancel',
      'assign',
      'version',
      'confirm',
      'finalise',
    ])
      expect(accepted.get(kind) ?? 0, `accepted ${kind} steps`).toBeGreaterThan(0);
    for (const type of [
      'authorization',
      'first_transfer',
      'acquisition',
      'use',
      'cancellation',
      'voluntary_cancellation',
    ])
      expect(actionTypes.get(type) ?? 0, `${type} actions`).toBeGreaterThan(0);
  }, 120_000);
});
