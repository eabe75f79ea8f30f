// The streaming invariant check (InvariantCheck, blocks given in serial order, as the audit reads
// them from its table) against the whole-state algorithm it replaced (commit 820a4cc, copied below
// as the oracle), on random ledgers: overlapping, empty and negative blocks, unknown, foreign and
// closed accounts, decisions whose lines are partly issued. The two must find the same kinds of
// violation with the same messages; only the number of overlap messages may differ (the stream
// compares a block with every block before it, the oracle with the one just before it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkInvariants,
  InvariantCheck,
  type Violation,
} from '../../../src/core/ledger/invariants.ts';
import {
  normalise,
  rangeSize,
  sortRanges,
  type SerialRange,
} from '../../../src/core/ledger/serial-range.ts';
import { emptyState, putBlock, type LedgerState } from '../../../src/core/ledger/state.ts';
import { blockKey, lineKey, type Block } from '../../../src/core/ledger/types.ts';
import type {
  AccountId,
  DecisionId,
  ProjectRef,
  RegistryId,
} from '../../../src/core/shared/ids.ts';

const seed = Number(process.env['JCM_SEED'] ?? Date.now() % 2_147_483_647);
console.log(`invariant-check properties: JCM_SEED=${seed}`);

/** The oracle: checkInvariants as it was before the streaming check (820a4cc), verbatim. */
function oldCheckInvariants(state: LedgerState): Violation[] {
  const violations: Violation[] = [];
  const byProject = new Map<ProjectRef, SerialRange[]>();
  const heldByRegistry = new Map<string, bigint>();
  for (const block of state.blocks.values()) {
    if (block.serials.first > block.serials.last || block.serials.first < 1n) {
      violations.push({
        invariant: 4,
        message: `block ${block.project} ${block.serials.first}-${block.serials.last} is empty or negative`,
      });
    }
    const account = state.accounts.get(block.account);
    if (account === undefined || account.registry !== block.registry) {
      violations.push({
        invariant: 2,
        message: `block ${block.project} ${block.serials.first} sits in unknown account ${block.account}`,
      });
    } else if (account.status === 'closed') {
      violations.push({ invariant: 4, message: `closed account ${account.id} holds credits` });
    }
    appendTo(byProject, block.project, block.serials);
    const key = `${block.registry}|${block.project}|${block.vintage}`;
    heldByRegistry.set(key, (heldByRegistry.get(key) ?? 0n) + rangeSize(block.serials));
  }
  const issuedByRegistry = new Map<string, bigint>();
  const issuedRanges = new Map<ProjectRef, SerialRange[]>();
  const issuedByVintage = new Map<string, bigint>();
  const verifiedByVintage = new Map<string, bigint>();
  for (const decision of state.decisions.values()) {
    for (const reduction of decision.verifiedReductions) {
      const key = `${decision.project}|${reduction.vintage}`;
      verifiedByVintage.set(key, (verifiedByVintage.get(key) ?? 0n) + reduction.quantity);
    }
    for (const line of decision.lines) {
      if (!state.issuedLines.has(lineKey(decision.id, line.lineNo))) continue;
      const key = `${line.registry}|${decision.project}|${line.vintage}`;
      issuedByRegistry.set(key, (issuedByRegistry.get(key) ?? 0n) + line.quantity);
      appendTo(issuedRanges, decision.project, line.serials);
      const vintageKey = `${decision.project}|${line.vintage}`;
      issuedByVintage.set(vintageKey, (issuedByVintage.get(vintageKey) ?? 0n) + line.quantity);
    }
  }
  oldCheckCoverage(byProject, issuedRanges, violations);
  for (const key of new Set([...heldByRegistry.keys(), ...issuedByRegistry.keys()])) {
    const held = heldByRegistry.get(key) ?? 0n;
    const issued = issuedByRegistry.get(key) ?? 0n;
    if (held !== issued)
      violations.push({
        invariant: 2,
        message: `registry|project|vintage ${key}: ${held} held, retired, cancelled or reserved, ${issued} issued`,
      });
  }
  for (const [key, issued] of issuedByVintage) {
    const verified = verifiedByVintage.get(key) ?? 0n;
    if (issued > verified)
      violations.push({
        invariant: 5,
        message: `project|vintage ${key}: ${issued} issued, ${verified} verified`,
      });
  }
  return violations;
}

function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function oldCheckCoverage(
  byProject: ReadonlyMap<ProjectRef, SerialRange[]>,
  issued: ReadonlyMap<ProjectRef, SerialRange[]>,
  violations: Violation[],
): void {
  for (const project of new Set([...byProject.keys(), ...issued.keys()])) {
    const blocks = sortRanges(byProject.get(project) ?? []);
    for (let i = 1; i < blocks.length; i++) {
      if ((blocks[i] as SerialRange).first <= (blocks[i - 1] as SerialRange).last) {
        violations.push({
          invariant: 1,
          message: `blocks of ${project} overlap at serial ${(blocks[i] as SerialRange).first}`,
        });
      }
    }
    const held = normalise(blocks);
    const decided = normalise(issued.get(project) ?? []);
    const same =
      held.length === decided.length &&
      held.every((r, i) => r.first === decided[i]?.first && r.last === decided[i]?.last);
    if (!same)
      violations.push({
        invariant: 1,
        message: `blocks of ${project} do not cover exactly its issued serial ranges`,
      });
  }
}

const projects = ['P1', 'P2'] as const;
const registries = ['JP', 'IN'] as const;
const accounts = ['A1', 'A2', 'A3', 'A4'] as const;
const serial = fc.bigInt({ min: -2n, max: 40n });
const range = fc
  .tuple(serial, fc.bigInt({ min: -3n, max: 25n }))
  .map(([first, length]): SerialRange => ({ first, last: first + length }));
const blockArb = fc.record({
  project: fc.constantFrom(...projects),
  vintage: fc.constantFrom(2027, 2028),
  serials: range,
  registry: fc.constantFrom(...registries),
  account: fc.constantFrom(...accounts, 'A9'),
});
const accountArb = fc.record({
  registry: fc.constantFrom(...registries),
  status: fc.constantFrom('open', 'frozen', 'closed'),
});
const lineArb = fc.record({
  registry: fc.constantFrom(...registries),
  vintage: fc.constantFrom(2027, 2028),
  serials: range,
  issued: fc.boolean(),
});
const decisionArb = fc.record({
  project: fc.constantFrom(...projects),
  verified: fc.array(
    fc.record({ vintage: fc.constantFrom(2027, 2028), quantity: fc.bigInt({ min: 0n, max: 60n }) }),
    { maxLength: 2 },
  ),
  lines: fc.array(lineArb, { maxLength: 4 }),
});
const ledgerArb = fc.record({
  accounts: fc.array(accountArb, { minLength: 4, maxLength: 4 }),
  blocks: fc.array(blockArb, { maxLength: 12 }),
  decisions: fc.array(decisionArb, { maxLength: 3 }),
  /** Most ledgers also hold a block per issued line (split in two at times): nearly valid ones. */
  blocksFromLines: fc.boolean(),
  splitAt: fc.bigInt({ min: 0n, max: 6n }),
});

function stateOf(ledger: LedgerInput): LedgerState {
  const state = emptyState();
  ledger.accounts.forEach((a, i) => {
    const id = accounts[i] as AccountId;
    state.accounts.set(id, {
      id,
      registry: a.registry as RegistryId,
      type: 'holding',
      status: a.status as 'open',
      holderId: 'h',
      holderName: 'H',
    });
  });
  const fromLines = ledger.decisions.flatMap((d) =>
    d.lines
      .filter((l) => ledger.blocksFromLines && l.issued)
      .flatMap((l) => {
        const base = {
          project: d.project,
          vintage: l.vintage,
          registry: l.registry,
          account: 'A1',
        };
        const cut = l.serials.first + ledger.splitAt;
        return cut < l.serials.last
          ? [
              { ...base, serials: { first: l.serials.first, last: cut } },
              { ...base, serials: { first: cut + 1n, last: l.serials.last } },
            ]
          : [{ ...base, serials: l.serials }];
      }),
  );
  for (const b of [...fromLines, ...ledger.blocks]) {
    const block: Block = {
      project: b.project as ProjectRef,
      vintage: b.vintage,
      serials: b.serials,
      registry: b.registry as RegistryId,
      account: b.account as AccountId,
      entry: { chain: 'JP' as never, seq: 1n },
    };
    // One block per key, as in the state and the audit's table (primary key).
    if (!state.blocks.has(blockKey(block.project, block.serials.first))) putBlock(state, block);
  }
  ledger.decisions.forEach((d, i) => {
    const id = `D${i}` as DecisionId;
    const lines = d.lines.map((l, n) => ({
      lineNo: n + 1,
      registry: l.registry as RegistryId,
      account: 'A1' as AccountId,
      vintage: l.vintage,
      quantity: rangeSize(l.serials),
      serials: l.serials,
      reserve: 0n,
    }));
    state.decisions.set(id, {
      id,
      project: d.project as ProjectRef,
      verificationReference: `V${i}`,
      verifiedReductions: d.verified,
      serials: { first: 1n, last: 1n },
      lines,
    });
    d.lines.forEach((l, n) => {
      if (l.issued) state.issuedLines.add(lineKey(id, n + 1));
    });
  });
  return state;
}

type LedgerInput = typeof ledgerArb extends fc.Arbitrary<infer T> ? T : never;

/** The violations as a set of messages, overlap messages reduced to their project. */
function canonical(violations: readonly Violation[]): string[] {
  const out = new Set<string>();
  for (const v of violations)
    out.add(`${v.invariant} ${v.message.replace(/ overlap at serial -?\d+$/, ' overlap')}`);
  return [...out].sort();
}

describe('InvariantCheck (streamed in serial order)', () => {
  it('finds what the whole-state check of 820a4cc found, on random ledgers', () => {
    fc.assert(
      fc.property(ledgerArb, (ledger) => {
        const state = stateOf(ledger);
        const now = checkInvariants(state);
        const before = oldCheckInvariants(state);
        expect(canonical(now)).toEqual(canonical(before));
        expect(now.length === 0).toBe(before.length === 0);
        expect(new Set(now.map((v) => v.invariant))).toEqual(
          new Set(before.map((v) => v.invariant)),
        );
      }),
      { seed, numRuns: 3000 },
    );
  });

  it('reports the blocks a big block covers, not only the first after it', () => {
    const state = stateOf({
      accounts: accounts.map(() => ({ registry: 'JP', status: 'open' })),
      blocks: [
        {
          project: 'P1',
          vintage: 2027,
          serials: { first: 1n, last: 100n },
          registry: 'JP',
          account: 'A1',
        },
        {
          project: 'P1',
          vintage: 2027,
          serials: { first: 5n, last: 10n },
          registry: 'JP',
          account: 'A1',
        },
        {
          project: 'P1',
          vintage: 2027,
          serials: { first: 20n, last: 30n },
          registry: 'JP',
          account: 'A1',
        },
      ],
      decisions: [],
      blocksFromLines: false,
      splitAt: 0n,
    });
    const overlaps = (vs: Violation[]) => vs.filter((v) => /overlap/.test(v.message)).length;
    expect(overlaps(oldCheckInvariants(state))).toBe(1);
    expect(overlaps(checkInvariants(state))).toBe(2);
  });

  it('hands each violation to `report` as it is found and keeps none (the audit streams a million blocks)', () => {
    const state = emptyState();
    const reported: Violation[] = [];
    const check = new InvariantCheck(state, (v) => reported.push(v));
    const block = (first: bigint, last: bigint): Block => ({
      project: 'P1' as ProjectRef,
      vintage: 2027,
      serials: { first, last },
      registry: 'JP' as RegistryId,
      account: 'A9' as AccountId,
      entry: { chain: 'JP' as never, seq: 1n },
    });
    check.block(block(1n, 10_000n));
    for (let first = 2n; first <= 10_000n; first++) check.block(block(first, first));
    // Every block: an unknown account; every block after the first: an overlap.
    expect(reported.length).toBe(10_000 + 9_999);
    expect(check.finish()).toEqual([]);
    expect(reported.length).toBeGreaterThan(10_000 + 9_999);
  });
});
