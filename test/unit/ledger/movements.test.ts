// Property test of the history index's derivation (src/core/ledger/movements.ts): over random
// sequences of issuances, transfers, retirements, cancellations and reversals run in memory, each
// movement's serials are in its destination account right after its entry, and the movements summed
// per account, project and vintage equal the blocks every account holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/ledger/actor.ts';
import type { LedgerCommand } from '../../../src/core/ledger/commands.ts';
import { deriveMovements, type LedgerMovement } from '../../../src/core/ledger/movements.ts';
import { intersect, rangeSize } from '../../../src/core/ledger/serial-range.ts';
import { accountBlocks } from '../../../src/core/ledger/state.ts';
import type {
  AccountId,
  DecisionId,
  ProjectRef,
  RegistryId,
} from '../../../src/core/shared/ids.ts';
import { chainOf } from '../../../src/services/ledger-service.ts';
import { MemoryLedger } from '../../support/memory-ledger.ts';

const admin: Actor = { id: 'admin', roles: [{ kind: 'administrator' }] };
const JP = 'JP' as RegistryId;
const A = (id: string) => id as AccountId;
const holders = ['JP-000004', 'JP-000005', 'JP-000006'];

type Step =
  | { kind: 'issue'; to: number; quantity: number; project: number }
  | { kind: 'transfer' | 'retire' | 'cancel'; from: number; to: number; quantity: number }
  | { kind: 'reverse'; back: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('issue' as const),
    to: fc.nat(2),
    quantity: fc.integer({ min: 1, max: 40 }),
    project: fc.nat(1),
  }),
  fc.record({
    kind: fc.constantFrom('transfer' as const, 'retire' as const, 'cancel' as const),
    from: fc.nat(2),
    to: fc.nat(2),
    quantity: fc.integer({ min: 1, max: 30 }),
  }),
  fc.record({ kind: fc.constant('reverse' as const), back: fc.nat(5) }),
);

function opened(): MemoryLedger {
  const ledger = new MemoryLedger();
  ledger.run(admin, { type: 'open_registry', registry: JP, name: 'Japan' });
  for (const holderId of ['a', 'b', 'c'])
    ledger.run(admin, {
      type: 'open_account',
      registry: JP,
      accountType: 'holding',
      holderId,
      holderName: holderId,
    });
  return ledger;
}

function commands(s: Step, index: number, moved: readonly bigint[]): LedgerCommand[] {
  const account = (n: number) => A(holders[n] as string);
  const selection = (quantity: number) => ({
    kind: 'quantity' as const,
    quantity: BigInt(quantity),
  });
  switch (s.kind) {
    case 'issue': {
      const decision = `D${index}` as DecisionId;
      const quantity = BigInt(s.quantity);
      return [
        {
          type: 'record_issuance_decision',
          decision,
          project: (s.project === 0 ? 'IN001' : 'TH002') as ProjectRef,
          verificationReference: `V${index}`,
          verifiedReductions: [{ vintage: 2027, quantity }],
          lines: [{ registry: JP, account: account(s.to), vintage: 2027, quantity }],
        },
        { type: 'issue', registry: JP, decision, lineNo: 1 },
      ];
    }
    case 'transfer':
      return [
        {
          type: 'transfer',
          from: account(s.from),
          to: account(s.to),
          selection: selection(s.quantity),
        },
      ];
    case 'retire':
      return [
        {
          type: 'retire',
          from: account(s.from),
          selection: selection(s.quantity),
          purpose: 'voluntary_offsetting',
          beneficiary: 'someone',
          note: '',
        },
      ];
    case 'cancel':
      return [
        { type: 'cancel', from: account(s.from), selection: selection(s.quantity), reason: 'test' },
      ];
    case 'reverse': {
      const seq = moved.at(-1 - s.back);
      return seq === undefined ? [] : [{ type: 'reverse', registry: JP, seq, reason: 'test' }];
    }
  }
}

function held(ledger: MemoryLedger, account: string, m: LedgerMovement): bigint {
  return accountBlocks(ledger.state, A(account))
    .filter((b) => b.project === m.project)
    .reduce((sum, b) => {
      const common = intersect(b.serials, { first: m.first, last: m.last });
      return sum + (common === undefined ? 0n : rangeSize(common));
    }, 0n);
}

describe('movements derived from the journal', () => {
  it('put their serials in their destination and sum to the blocks held', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const ledger = opened();
        const sums = new Map<string, bigint>();
        const add = (account: string | null, m: LedgerMovement, sign: bigint) => {
          if (account === null) return;
          const key = `${account}|${m.project}|${m.vintage}`;
          sums.set(key, (sums.get(key) ?? 0n) + sign * m.quantity);
        };
        const moved: bigint[] = [];
        steps.forEach((s, index) => {
          for (const command of commands(s, index, moved)) {
            const result = ledger.run(admin, command);
            if (!result.ok || result.seq === undefined) continue;
            const entry = { chain: chainOf(command), seq: result.seq };
            const movements = deriveMovements(result.value, entry, ledger.recordedAt);
            movements.forEach((m, n) => {
              expect(m.n).toBe(n);
              expect(m.quantity).toBe(m.last - m.first + 1n);
              if (m.to !== null) expect(held(ledger, m.to, m)).toBe(m.quantity);
              add(m.from, m, -1n);
              add(m.to, m, 1n);
            });
            if (command.type === 'transfer') moved.push(result.seq);
            if (result.value.type === 'credits_issued') expect(movements[0]?.kind).toBe('issue');
          }
        });
        const blocks = new Map<string, bigint>();
        for (const b of ledger.state.blocks.values()) {
          const key = `${b.account}|${b.project}|${b.vintage}`;
          blocks.set(key, (blocks.get(key) ?? 0n) + rangeSize(b.serials));
        }
        const nonZero = new Map([...sums].filter(([, q]) => q !== 0n));
        expect(nonZero).toEqual(blocks);
      }),
      { numRuns: 200 },
    );
  });
});
