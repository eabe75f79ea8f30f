// The core's rejections, one row per case in precedence order, each checked to change nothing; and
// the happy paths of every command with the quantities they must conserve.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/ledger/actor.ts';
import type { LedgerCommand, Selection } from '../../src/core/ledger/commands.ts';
import { checkInvariants } from '../../src/core/ledger/invariants.ts';
import { reservesOf } from '../../src/core/ledger/decide.ts';
import { apply } from '../../src/core/ledger/apply.ts';
import type { LedgerEvent } from '../../src/core/ledger/events.ts';
import { InvariantViolation } from '../../src/core/shared/assert.ts';
import { accountBlocks } from '../../src/core/ledger/state.ts';
import type {
  AccountId,
  ChainId,
  DecisionId,
  ProjectRef,
  RegistryId,
} from '../../src/core/shared/ids.ts';
import { MemoryLedger } from '../support/memory-ledger.ts';

const admin: Actor = { id: 'admin', roles: [{ kind: 'administrator' }] };
const jpManager: Actor = {
  id: 'jp',
  roles: [{ kind: 'registry_manager', registry: 'JP' as RegistryId }],
};
const holder: Actor = { id: 'acme-user', roles: [{ kind: 'account_holder', holderId: 'acme' }] };
const stranger: Actor = { id: 'nobody', roles: [] };
const A = (id: string) => id as AccountId;
const IN001 = 'IN001' as ProjectRef;
const qty = (
  quantity: bigint,
  extra: Partial<Extract<Selection, { kind: 'quantity' }>> = {},
): Selection => ({ kind: 'quantity', quantity, ...extra });

function balance(ledger: MemoryLedger, account: string): bigint {
  return accountBlocks(ledger.state, A(account)).reduce(
    (sum, b) => sum + b.serials.last - b.serials.first + 1n,
    0n,
  );
}

/** JP and IN registries; JP-000004 acme holding, JP-000005 government, JP-000006 other holding, IN-000004 holding; 100 credits of 2027 issued to JP-000004. */
function seeded(): MemoryLedger {
  const ledger = new MemoryLedger();
  const steps: LedgerCommand[] = [
    { type: 'open_registry', registry: 'JP' as RegistryId, name: 'Japan' },
    { type: 'open_registry', registry: 'IN' as RegistryId, name: 'India' },
    {
      type: 'open_account',
      registry: 'JP' as RegistryId,
      accountType: 'holding',
      holderId: 'acme',
      holderName: 'Acme',
    },
    {
      type: 'open_account',
      registry: 'JP' as RegistryId,
      accountType: 'government_holding',
      holderId: 'gov-jp',
      holderName: 'Government of Japan',
    },
    {
      type: 'open_account',
      registry: 'JP' as RegistryId,
      accountType: 'holding',
      holderId: 'other',
      holderName: 'Other',
    },
    {
      type: 'open_account',
      registry: 'IN' as RegistryId,
      accountType: 'holding',
      holderId: 'dev',
      holderName: 'Developer',
    },
    {
      type: 'record_issuance_decision',
      decision: 'D1' as DecisionId,
      project: IN001,
      verificationReference: 'V1',
      verifiedReductions: [{ vintage: 2027, quantity: 150n }],
      lines: [
        { registry: 'JP' as RegistryId, account: A('JP-000004'), vintage: 2027, quantity: 100n },
        { registry: 'IN' as RegistryId, account: A('IN-000004'), vintage: 2027, quantity: 50n },
      ],
    },
    { type: 'issue', registry: 'JP' as RegistryId, decision: 'D1' as DecisionId, lineNo: 1 },
  ];
  for (const step of steps) {
    const result = ledger.run(admin, step);
    if (!result.ok) throw new Error(`${step.type}: ${result.error.code}`);
  }
  return ledger;
}

describe('transfer rejections, in precedence order', () => {
  let ledger: MemoryLedger;
  beforeEach(() => {
    ledger = seeded();
    ledger.run(admin, {
      type: 'open_account',
      registry: 'JP' as RegistryId,
      accountType: 'holding',
      holderId: 'frozen',
      holderName: 'Frozen',
    });
    ledger.run(admin, { type: 'freeze_account', account: A('JP-000007'), reason: 'test' });
  });
  const transfer = (from: string, to: string, selection: Selection): LedgerCommand => ({
    type: 'transfer',
    from: A(from),
    to: A(to),
    selection,
  });
  it.each<[string, Actor, LedgerCommand, string]>([
    ['unknown source', admin, transfer('JP-000099', 'JP-000005', qty(1n)), 'account_not_found'],
    [
      'unknown destination',
      admin,
      transfer('JP-000004', 'JP-000099', qty(1n)),
      'account_not_found',
    ],
    [
      'actor without a role',
      stranger,
      transfer('JP-000004', 'JP-000005', qty(1n)),
      'actor_not_authorised',
    ],
    [
      'holder of another account',
      holder,
      transfer('JP-000006', 'JP-000005', qty(1n)),
      'actor_not_authorised',
    ],
    [
      'a holder whose id is the registry id, on the reserve account',
      { id: 'x', roles: [{ kind: 'account_holder', holderId: 'JP' }] },
      { type: 'cancel', from: A('JP-000003'), selection: qty(1n), reason: 'x' },
      'actor_not_authorised',
    ],
    [
      'same account',
      admin,
      transfer('JP-000004', 'JP-000004', qty(1n)),
      'accounts_must_be_different',
    ],
    [
      'across registries',
      admin,
      transfer('JP-000004', 'IN-000004', qty(1n)),
      'accounts_must_be_in_same_registry',
    ],
    [
      'from a retirement account',
      admin,
      transfer('JP-000001', 'JP-000005', qty(1n)),
      'source_account_type_cannot_send',
    ],
    [
      'from a cancellation account',
      admin,
      transfer('JP-000002', 'JP-000005', qty(1n)),
      'source_account_type_cannot_send',
    ],
    [
      'into a retirement account',
      admin,
      transfer('JP-000004', 'JP-000001', qty(1n)),
      'destination_account_type_not_allowed',
    ],
    [
      'from a frozen account',
      admin,
      transfer('JP-000007', 'JP-000005', qty(1n)),
      'source_account_frozen',
    ],
    [
      'into a frozen account',
      admin,
      transfer('JP-000004', 'JP-000007', qty(1n)),
      'destination_account_frozen',
    ],
    [
      'more than held',
      admin,
      transfer('JP-000004', 'JP-000005', qty(101n)),
      'source_holds_insufficient_credits',
    ],
    [
      'other project',
      admin,
      transfer('JP-000004', 'JP-000005', qty(1n, { project: 'IN002' as ProjectRef })),
      'source_holds_insufficient_credits',
    ],
    [
      'range not held',
      admin,
      transfer('JP-000004', 'JP-000005', {
        kind: 'ranges',
        ranges: [{ project: IN001, serials: { first: 95n, last: 105n } }],
      }),
      'serial_range_not_held_by_account',
    ],
  ])('%s', (_name, actor, command, code) => {
    const before = structuredClone([...ledger.state.blocks.values()]);
    const result = ledger.run(actor, command);
    expect(result.ok ? 'accepted' : result.error.code).toBe(code);
    expect([...ledger.state.blocks.values()]).toEqual(before);
  });
});

describe('commands that succeed', () => {
  it('transfers by quantity, lowest serials first, splitting the block', () => {
    const ledger = seeded();
    const result = ledger.run(holder, {
      type: 'transfer',
      from: A('JP-000004'),
      to: A('JP-000006'),
      selection: qty(30n),
    });
    expect(result.ok).toBe(true);
    expect(
      accountBlocks(ledger.state, A('JP-000006')).map((b) => [b.serials.first, b.serials.last]),
    ).toEqual([[1n, 30n]]);
    expect(
      accountBlocks(ledger.state, A('JP-000004')).map((b) => [b.serials.first, b.serials.last]),
    ).toEqual([[31n, 100n]]);
    expect(checkInvariants(ledger.state)).toEqual([]);
  });

  it('transfers explicit ranges out of the middle of a block', () => {
    const ledger = seeded();
    const result = ledger.run(admin, {
      type: 'transfer',
      from: A('JP-000004'),
      to: A('JP-000005'),
      selection: {
        kind: 'ranges',
        ranges: [{ project: IN001, serials: { first: 40n, last: 59n } }],
      },
    });
    expect(result.ok).toBe(true);
    expect(
      accountBlocks(ledger.state, A('JP-000004')).map((b) => [b.serials.first, b.serials.last]),
    ).toEqual([
      [1n, 39n],
      [60n, 100n],
    ]);
    expect(balance(ledger, 'JP-000005')).toBe(20n);
  });

  it('retires, cancels, sets a CCS reserve aside at issuance, releases and reverses, conserving every credit', () => {
    const ledger = seeded();
    // A CCS decision: 3% of its 650 credits (19.5, rounded up to 20) go to JP's reserve account
    // when JP issues the line, in the issuance's own entry.
    const ccs = ledger.run(admin, {
      type: 'record_issuance_decision',
      decision: 'D9' as DecisionId,
      project: IN001,
      verificationReference: 'V9',
      verifiedReductions: [{ vintage: 2028, quantity: 650n }],
      lines: [
        { registry: 'JP' as RegistryId, account: A('JP-000004'), vintage: 2028, quantity: 650n },
      ],
      reserveShare: { numerator: 3n, denominator: 100n },
    });
    expect(ccs.ok).toBe(true);
    const steps: LedgerCommand[] = [
      {
        type: 'retire',
        from: A('JP-000004'),
        selection: qty(10n),
        purpose: 'gx_ets_compliance',
        beneficiary: 'Acme',
        note: '',
      },
      {
        type: 'cancel',
        from: A('JP-000004'),
        selection: qty(5n),
        reason: 'voluntary cancellation',
      },
      { type: 'issue', registry: 'JP' as RegistryId, decision: 'D9' as DecisionId, lineNo: 1 },
      { type: 'release', to: A('JP-000006'), selection: qty(8n), reason: 'reversal risk passed' },
      { type: 'cancel', from: A('JP-000003'), selection: qty(2n), reason: 'CCS reversal' },
      { type: 'transfer', from: A('JP-000004'), to: A('JP-000005'), selection: qty(7n) },
    ];
    for (const step of steps) expect(ledger.run(admin, step).ok).toBe(true);
    expect([
      balance(ledger, 'JP-000001'),
      balance(ledger, 'JP-000002'),
      balance(ledger, 'JP-000003'),
      balance(ledger, 'JP-000004'),
      balance(ledger, 'JP-000005'),
      balance(ledger, 'JP-000006'),
    ]).toEqual([10n, 7n, 10n, 708n, 7n, 8n]);
    const reversal = ledger.run(jpManager, {
      type: 'reverse',
      registry: 'JP' as RegistryId,
      seq: 11n,
      reason: 'wrong account',
    });
    expect(reversal.ok).toBe(true);
    expect(balance(ledger, 'JP-000005')).toBe(0n);
    expect(balance(ledger, 'JP-000004')).toBe(715n);
    const again = ledger.run(jpManager, {
      type: 'reverse',
      registry: 'JP' as RegistryId,
      seq: 11n,
      reason: 'twice',
    });
    expect(again.ok ? 'accepted' : again.error.code).toBe('journal_entry_already_reversed');
    const retirement = ledger.run(jpManager, {
      type: 'reverse',
      registry: 'JP' as RegistryId,
      seq: 6n,
      reason: 'undo retirement',
    });
    expect(retirement.ok ? 'accepted' : retirement.error.code).toBe('journal_entry_not_reversible');
    expect(checkInvariants(ledger.state)).toEqual([]);
  });

  it('refuses a second issuance of a line and a decision beyond verified reductions', () => {
    const ledger = seeded();
    const twice = ledger.run(admin, {
      type: 'issue',
      registry: 'JP' as RegistryId,
      decision: 'D1' as DecisionId,
      lineNo: 1,
    });
    expect(twice.ok ? 'accepted' : twice.error.code).toBe('allocation_line_already_issued');
    const wrong = ledger.run(admin, {
      type: 'issue',
      registry: 'JP' as RegistryId,
      decision: 'D1' as DecisionId,
      lineNo: 2,
    });
    expect(wrong.ok ? 'accepted' : wrong.error.code).toBe('allocation_line_not_for_registry');
    const tooMuch = ledger.run(admin, {
      type: 'record_issuance_decision',
      decision: 'D2' as DecisionId,
      project: IN001,
      verificationReference: 'V2',
      verifiedReductions: [{ vintage: 2028, quantity: 10n }],
      lines: [
        { registry: 'JP' as RegistryId, account: A('JP-000004'), vintage: 2028, quantity: 11n },
      ],
    });
    expect(tooMuch.ok ? 'accepted' : tooMuch.error.code).toBe(
      'decision_exceeds_verified_reductions',
    );
    const next = ledger.run(admin, {
      type: 'record_issuance_decision',
      decision: 'D2' as DecisionId,
      project: IN001,
      verificationReference: 'V2',
      verifiedReductions: [{ vintage: 2028, quantity: 10n }],
      lines: [
        { registry: 'JP' as RegistryId, account: A('JP-000004'), vintage: 2028, quantity: 10n },
      ],
      serialFirst: 151n,
    });
    expect(next.ok).toBe(true);
    expect(ledger.state.decisions.get('D2' as DecisionId)?.serials).toEqual({
      first: 151n,
      last: 160n,
    });
  });

  it('closes only empty accounts and never system accounts', () => {
    const ledger = seeded();
    const full = ledger.run(admin, { type: 'close_account', account: A('JP-000004'), reason: 'x' });
    expect(full.ok ? 'accepted' : full.error.code).toBe('account_must_be_empty_to_close');
    const system = ledger.run(admin, {
      type: 'freeze_account',
      account: A('JP-000001'),
      reason: 'x',
    });
    expect(system.ok ? 'accepted' : system.error.code).toBe('account_is_system_account');
    expect(
      ledger.run(admin, { type: 'close_account', account: A('JP-000006'), reason: 'x' }).ok,
    ).toBe(true);
    const closed = ledger.run(admin, {
      type: 'transfer',
      from: A('JP-000004'),
      to: A('JP-000006'),
      selection: qty(1n),
    });
    expect(closed.ok ? 'accepted' : closed.error.code).toBe('destination_account_closed');
  });
});

describe('the reserve of a CCS issuance decision, line by line', () => {
  const line = (vintage: number, quantity: bigint) => ({
    registry: 'JP' as RegistryId,
    account: A('JP-000004'),
    vintage,
    quantity,
  });
  const share = { numerator: 3n, denominator: 100n };
  // Per vintage: ceil(credits x share), spread by largest remainder (ties to the earlier line).
  it.each([
    ['no share', [line(2028, 100n)], undefined, [0n]],
    ['one line: ceil(100 x 3%) = 3', [line(2028, 100n)], share, [3n]],
    ['one line: ceil(650 x 3%) = ceil(19.5) = 20', [line(2028, 650n)], share, [20n]],
    [
      '60/40: 1.8 and 1.2 floor to 1 + 1, the extra to 1.8',
      [line(2028, 60n), line(2028, 40n)],
      share,
      [2n, 1n],
    ],
    [
      '50/50: 1.5 and 1.5, the extra to the first',
      [line(2028, 50n), line(2028, 50n)],
      share,
      [2n, 1n],
    ],
    ['a line of 1 credit: ceil(0.03) = 1', [line(2028, 1n)], share, [1n]],
    ['vintages apart: ceil(3) and ceil(0.3)', [line(2027, 100n), line(2028, 10n)], share, [3n, 1n]],
    ['exact shares need no rounding', [line(2028, 200n), line(2028, 100n)], share, [6n, 3n]],
  ] as const)('%s', (_label, lines, given, expected) => {
    const reserves = reservesOf(lines, given);
    expect(reserves).toEqual(expected);
  });
});

describe('replaying an issuance that is not its decision line', () => {
  // What `decide` writes for line 2 of D1 (IN registry, IN-000004, IN001, vintage 2027, 101-150).
  const honest: Extract<LedgerEvent, { type: 'credits_issued' }> = {
    type: 'credits_issued',
    decision: 'D1' as DecisionId,
    lineNo: 2,
    registry: 'IN' as RegistryId,
    account: A('IN-000004'),
    project: IN001,
    vintage: 2027,
    serials: { first: 101n, last: 150n },
  };
  const entry = { chain: 'IN' as ChainId, seq: 99n };
  const ledgerWithTwoIndianAccounts = () => {
    const ledger = seeded();
    ledger.run(admin, {
      type: 'open_account',
      registry: 'IN' as RegistryId,
      accountType: 'holding',
      holderId: 'someone-else',
      holderName: 'Someone else',
    });
    return ledger;
  };

  it('applies the line as decided', () => {
    const ledger = ledgerWithTwoIndianAccounts();
    apply(ledger.state, honest, entry);
    expect(accountBlocks(ledger.state, A('IN-000004')).map((b) => b.serials)).toEqual([
      { first: 101n, last: 150n },
    ]);
  });

  it.each([
    ['another account of the same registry', { account: A('IN-000005') }],
    ['another project', { project: 'IN002' as ProjectRef }],
    ['another vintage', { vintage: 2028 }],
    ['another registry and its account', { registry: 'JP' as RegistryId, account: A('JP-000006') }],
  ])('refuses one that names %s', (_what, forged) => {
    const ledger = ledgerWithTwoIndianAccounts();
    expect(() => apply(ledger.state, { ...honest, ...forged }, entry)).toThrow(InvariantViolation);
  });
});
