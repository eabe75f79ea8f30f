// Model-based test: random sequences of registry commands, valid and invalid, run against the real
// stack (services, writer, database) and the reference model; after every step the outcomes and every
// account's holdings must agree. The audit must pass on the ledger this builds. Reproduce a failure
// with JCM_SEED=<seed printed below>.
import { describe, expect, it } from 'vitest';
import { freshPlatform, testDbKind, type TestPlatform } from '../support/db.ts';
import { ReferenceModel, type ModelLine, type Outcome } from '../support/reference-model.ts';
import type { Committed } from '../../src/services/ledger-service.ts';
import { admin, mustRun, run } from '../support/scenario.ts';
import { baseSeed, prng } from '../support/prng.ts';

const runs = Number(process.env['JCM_MODEL_RUNS'] ?? 3);
const steps = Number(process.env['JCM_MODEL_STEPS'] ?? 80);
console.log(
  `model-based test on ${testDbKind}: JCM_SEED=${baseSeed} (${runs} runs of ${steps} steps)`,
);

const accountIds = [
  'JP-000001',
  'JP-000002',
  'JP-000003',
  'JP-000004',
  'JP-000005',
  'JP-000006',
  'IN-000001',
  'IN-000002',
  'IN-000003',
  'IN-000004',
  'IN-000005',
  'JP-000099',
];
const tradableIds = ['JP-000004', 'JP-000005', 'JP-000006', 'IN-000004', 'IN-000005'];

async function setUp(platform: TestPlatform, model: ReferenceModel): Promise<void> {
  for (const registry of ['JP', 'IN']) {
    const opened = await mustRun(platform, 'open_registry', {
      registry,
      name: `${registry} registry`,
    });
    model.recordEntry(opened.entry.chain, opened.entry.seq, opened.event.type);
    for (const [n, type] of [
      [1, 'retirement'],
      [2, 'cancellation'],
      [3, 'reserve'],
    ] as const)
      model.addAccount({ id: `${registry}-00000${n}`, registry, type, status: 'open' });
  }
  for (const [registry, type, holder] of [
    ['JP', 'holding', 'a'],
    ['JP', 'government_holding', 'gov-jp'],
    ['JP', 'holding', 'b'],
    ['IN', 'holding', 'c'],
    ['IN', 'government_holding', 'gov-in'],
  ] as const) {
    const result = await mustRun(platform, 'open_account', {
      registry,
      accountType: type,
      holderId: holder,
      holderName: holder,
    });
    const id = result.event.type === 'account_opened' ? result.event.account.id : '';
    model.recordEntry(result.entry.chain, result.entry.seq, result.event.type);
    model.addAccount({ id, registry, type, status: 'open' });
  }
}

async function realHoldings(platform: TestPlatform, account: string): Promise<Map<string, number>> {
  const result = await platform.queries.account(account);
  const out = new Map<string, number>();
  if (result.ok)
    for (const h of result.value.holdings) out.set(`${h.project}|${h.vintage}`, Number(h.quantity));
  return out;
}

async function step(
  platform: TestPlatform,
  model: ReferenceModel,
  random: () => number,
  index: number,
  accepted: Committed[],
): Promise<{ label: string; real: Outcome; expected: Outcome }> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const quantity = () => Math.floor(random() * 60) - 3;
  const outcome = async (name: Parameters<typeof run>[1], input: Record<string, unknown>) => {
    const result = await run(platform, name, input);
    if (!result.ok) return result.error.code;
    accepted.push(result.value);
    return 'accepted';
  };
  // Most transfers go through the two-person path: requested by someone, approved by the
  // administrator (what transfer requests do for government accounts).
  const approved = random() < 0.75;
  const transferOutcome = async (input: Record<string, unknown>) => {
    if (!approved) return outcome('transfer', input);
    const envelope = {
      actor: admin,
      idempotencyKey: `model-approved-${index}-${random()}`,
      input: input as never,
    };
    const result = await platform.db.transaction((tx) =>
      platform.ledger.executeWithin(tx, 'transfer', envelope, 'model-requester'),
    );
    if (!result.ok) return result.error.code;
    accepted.push(result.value);
    return 'accepted';
  };
  const roll = random();
  if (roll > 0.94 && model.entries.size > 0) {
    const registry = pick(['JP', 'IN']);
    const seqs = [...model.entries.keys()]
      .filter((key) => key.startsWith(`${registry}#`))
      .map((key) => BigInt(key.slice(3)));
    // Mostly recent transfers, reservations and releases (likely still reversible), sometimes any
    // entry (not reversible, or already reversed), sometimes one that does not exist.
    const recent = [...model.entries.entries()]
      .filter(
        ([key, e]) =>
          key.startsWith(`${registry}#`) && ['transfer', 'reservation', 'release'].includes(e.kind),
      )
      .map(([key]) => BigInt(key.slice(3)))
      .slice(-3);
    const r = random();
    const seq =
      recent.length > 0 && r < 0.7 ? pick(recent) : seqs.length > 0 && r < 0.95 ? pick(seqs) : 999n;
    return {
      label: `reverse ${registry}#${seq}`,
      real: await outcome('reverse', { registry, seq: String(seq), reason: 'model' }),
      expected: model.reverse(registry, seq),
    };
  }
  if (roll < 0.12 || model.decisions.size === 0) {
    const project = pick(['IN001', 'IN002']);
    const lines: ModelLine[] = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const account = pick(tradableIds);
      return {
        registry: account.slice(0, 2),
        account,
        vintage: pick([2027, 2028, 2029]),
        quantity: 1 + Math.floor(random() * 120),
      };
    });
    const id = `D${index}`;
    const vintages = [...new Set(lines.map((l) => l.vintage))];
    const reductions = vintages.map((vintage) => ({
      vintage,
      quantity: String(
        lines.filter((l) => l.vintage === vintage).reduce((s, l) => s + l.quantity, 0) +
          Math.floor(random() * 10),
      ),
    }));
    const input = {
      decision: id,
      project,
      verification: { reference: `V${index}`, reductions },
      lines: lines.map((l) => ({ ...l, quantity: String(l.quantity) })),
    };
    return {
      label: `decision ${id}`,
      real: await outcome('record_issuance_decision', input),
      expected: model.recordDecision(id, project, lines),
    };
  }
  if (roll < 0.3) {
    const [id, decision] = pick([...model.decisions.entries()]);
    const lineNo = 1 + Math.floor(random() * decision.lines.length);
    const registry = decision.lines[lineNo - 1]?.registry ?? 'JP';
    return {
      label: `issue ${id}#${lineNo}`,
      real: await outcome('issue', { registry, decision: id, line: lineNo }),
      expected: model.issue(id, lineNo),
    };
  }
  if (roll < 0.6) {
    const from = pick(accountIds);
    const to = pick(accountIds);
    if (random() < 0.3) {
      const first = 1 + Math.floor(random() * 200);
      const range = {
        project: pick(['IN001', 'IN002']),
        first,
        last: first + Math.floor(random() * 20),
      };
      const input = {
        from,
        to,
        selection: {
          ranges: [
            { project: range.project, first: String(range.first), last: String(range.last) },
          ],
        },
      };
      return {
        label: `transfer ${from}->${to} ${range.project}:${range.first}-${range.last}`,
        real: await transferOutcome(input),
        expected: model.transfer(from, to, range, approved),
      };
    }
    const q = quantity();
    return {
      label: `transfer ${from}->${to} ${q}`,
      real: await transferOutcome({ from, to, selection: { quantity: String(q) } }),
      expected: model.transfer(from, to, { quantity: q }, approved),
    };
  }
  if (roll < 0.85) {
    // Credits enter the reserve account only with a CCS issuance, never by a command of their own.
    const kind = pick(['retirement', 'cancellation'] as const);
    const from = pick(accountIds);
    const q = quantity();
    const selection = { quantity: String(q) };
    const name = kind === 'retirement' ? 'retire' : 'cancel';
    const input =
      kind === 'retirement'
        ? { from, selection, purpose: 'voluntary_offsetting', beneficiary: 'someone' }
        : { from, selection, reason: 'model' };
    return {
      label: `${name} ${from} ${q}`,
      real: await outcome(name, input),
      expected: model.toSystem(kind, from, q),
    };
  }
  if (roll < 0.93) {
    const to = pick(accountIds);
    const q = quantity();
    return {
      label: `release ${to} ${q}`,
      real: await outcome('release', { to, selection: { quantity: String(q) }, reason: 'model' }),
      expected: model.release(to, q),
    };
  }
  const account = pick(accountIds);
  const freeze = random() < 0.5;
  return {
    label: `${freeze ? 'freeze' : 'unfreeze'} ${account}`,
    real: await outcome(freeze ? 'freeze_account' : 'unfreeze_account', {
      account,
      reason: 'model',
    }),
    expected: model.setFrozen(account, freeze),
  };
}

describe(`model-based test on ${testDbKind}`, () => {
  for (let r = 0; r < runs; r++) {
    const seed = baseSeed + r;
    it(`agrees with the reference model, seed ${seed}`, async () => {
      const { platform, testDb } = await freshPlatform();
      try {
        const model = new ReferenceModel();
        await setUp(platform, model);
        const random = prng(seed);
        let accepted = 0;
        let reversals = 0;
        for (let i = 0; i < steps; i++) {
          const committed: Committed[] = [];
          const { label, real, expected } = await step(platform, model, random, i, committed);
          expect(real, `seed ${seed} step ${i}: ${label}`).toBe(expected);
          for (const c of committed) {
            const e = c.event;
            model.recordEntry(
              c.entry.chain,
              c.entry.seq,
              e.type === 'credits_moved' ? e.movement : e.type,
            );
          }
          if (real === 'accepted') accepted++;
          if (real === 'accepted' && label.startsWith('reverse')) reversals++;
          for (const account of tradableIds.concat([
            'JP-000001',
            'JP-000002',
            'JP-000003',
            'IN-000001',
            'IN-000002',
            'IN-000003',
          ])) {
            expect(
              await realHoldings(platform, account),
              `seed ${seed} step ${i} (${label}): holdings of ${account}`,
            ).toEqual(model.holdings(account));
          }
        }
        // A run where (almost) nothing is accepted tests nothing. Measured: 10 to 12 of 80 at the
        // lowest over 200 seeds, 12 over the 24 seeds of this stop's CI runs; the floor sits well
        // below that tail so that it catches a generator gone wrong, not an unlucky seed.
        expect(accepted, 'a run where nothing is accepted tests nothing').toBeGreaterThan(
          steps / 20,
        );
        console.log(
          `seed ${seed}: ${accepted} of ${steps} commands accepted, ${reversals} reversals`,
        );
        const report = await platform.audit();
        expect(report.violations).toEqual([]);
      } finally {
        await testDb.drop();
      }
    });
  }
});
