// The worked examples of corresponding adjustments, run through the real ledger on this database and
// checked against figures worked out by hand (docs/article6.md): India first transfers 1,000 ITMOs of
// vintage 2027 by issuing them into Japan's registry; Japan uses 400 of them for 2028.
//   Japan, single-year NDC, indicative trajectory (paragraph 7(a)(i)): 2028 applies -400; with
//     reported emissions of 1,000,000 the balance is 1,000,000 - 400 = 999,600; trajectory figure
//     999,000 -> balance minus trajectory = 600. No other year moves.
//   India, single-year NDC 2021-2030, averaging (paragraph 7(a)(ii)): nothing applied before 2030;
//     in 2030 (1,000 - 0) / 10 elapsed years = 100.
//   India again, as a multi-year NDC with a trajectory (paragraph 7(b)): 2027 applies +1,000, and at
//     the end of the period (2030) the cumulative adjustment is 1,000.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CooperativeApproach, Ndc } from '../../src/core/article6/types.ts';
import { actorWithRoles } from '../../src/core/ledger/actor.ts';
import type { LedgerCommand } from '../../src/core/ledger/commands.ts';
import type { CommandName } from '../../src/services/ledger-schemas.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';

const admin = actorWithRoles('admin', 'administrator');
const japan = actorWithRoles('gov-jp', 'government_japan');
const india = actorWithRoles('gov-in', 'government_partner:IN');
let platform: TestPlatform;
let testDb: TestDb;
let step = 0;

const ndc = (party: string, over: Partial<Ndc>): Ndc => ({
  party,
  kind: 'single_year',
  firstYear: 2021,
  lastYear: 2030,
  targetYear: 2030,
  metric: 't_co2e',
  method: 'averaging',
  trajectory: [],
  budget: null,
  emissions: [],
  ...over,
});

function approach(indiaNdc: Ndc): Omit<CooperativeApproach, 'version'> {
  return {
    id: 'CA0001',
    partnership: 'IN' as CooperativeApproach['partnership'],
    parties: ['JPN', 'IND'],
    registries: [
      {
        registry: 'JP' as CooperativeApproach['partnership'],
        partyRegistryId: 'JPN01',
        party: 'JPN',
      },
      {
        registry: 'IN' as CooperativeApproach['partnership'],
        partyRegistryId: 'IND01',
        party: 'IND',
      },
    ],
    ndcs: [
      ndc('JPN', {
        method: 'trajectory',
        trajectory: [{ year: 2028, quantity: 999_000n }],
        emissions: [{ year: 2028, quantity: 1_000_000n }],
      }),
      indiaNdc,
    ],
    confirmationRequired: true,
    description: 'The JCM between India and Japan (test)',
    environmentalIntegrity: 'Conservative reference emissions (test)',
    sustainableDevelopment: 'Safeguards of each project (test)',
  };
}

async function run(name: CommandName, input: unknown, actor = admin): Promise<void> {
  step += 1;
  const done = await platform.ledger.execute(name, { actor, idempotencyKey: `w-${step}`, input });
  if (!done.ok) throw new Error(`${name}: ${done.error.code} ${done.error.message}`);
}

async function built(command: LedgerCommand, actor = admin): Promise<void> {
  step += 1;
  const done = await platform.ledger.executeBuilt('test', command, {
    actor,
    idempotencyKey: `w-${step}`,
    input: { step },
  });
  if (!done.ok) throw new Error(`${command.type}: ${done.error.code} ${done.error.message}`);
}

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await run('open_registry', { registry: 'JP', name: 'Japan' });
  await run('open_registry', { registry: 'IN', name: 'India' });
  await run('open_account', {
    registry: 'JP',
    accountType: 'government_holding',
    holderId: 'gov-jp',
    holderName: 'Government of Japan',
  });
  await built({ type: 'record_approach', approach: approach(ndc('IND', {})) });
  const authorisation = {
    id: 'IND-2028-001',
    party: 'IND',
    approach: 'CA0001',
    date: '2028-01-15',
    registry: 'JP',
    projects: ['IN001'],
    vintageFirst: 2027,
    vintageLast: 2030,
    purposes: ['ndc'],
    authorisedParties: ['JPN'],
  };
  const recorded = await platform.article6Writes.recordAuthorisation({
    actor: india,
    idempotencyKey: 'auth-1',
    input: authorisation,
  });
  if (!recorded.ok) throw new Error(recorded.error.code);
  const confirmed = await platform.article6Writes.confirmAuthorisation('JP', {
    actor: japan,
    idempotencyKey: 'auth-2',
    input: { authorisation: 'IND-2028-001', version: 1 },
  });
  if (!confirmed.ok) throw new Error(confirmed.error.code);
  await run('record_issuance_decision', {
    decision: 'JC-IN-2028-001',
    project: 'IN001',
    verification: { reference: 'V-1', reductions: [{ vintage: 2027, quantity: '1000' }] },
    lines: [{ registry: 'JP', account: 'JP-000004', vintage: 2027, quantity: '1000' }],
  });
  await run('issue', { registry: 'JP', decision: 'JC-IN-2028-001', line: 1 });
  await run('retire', {
    from: 'JP-000004',
    selection: { quantity: '400' },
    purpose: 'ndc_use',
    beneficiary: 'Government of Japan',
    yearOfUse: 2028,
  });
});
afterAll(async () => {
  await testDb.drop();
});

describe(`corresponding adjustments worked by hand, on ${testDbKind}`, () => {
  it("Japan's trajectory: -400 applied to 2028, balance 999,600, 600 under the trajectory", async () => {
    const report = await platform.article6.balance('JPN', 2030);
    if (!report.ok) throw new Error(report.error.code);
    const moved = report.value.years.filter((y) => y.applied !== '0');
    expect(
      moved.map((y) => [y.year, y.used, y.applied, y.adjustedBalance, y.balanceMinusTrajectory]),
    ).toEqual([[2028, 400n, '-400', '999600', '600']]);
    expect(report.value.totals.used).toBe(400n);
    expect(report.value.totals.firstTransferred).toBe(0n);
  });

  it("India's averaging: nothing before 2030, then 1,000 / 10 = 100", async () => {
    const report = await platform.article6.balance('IND', 2030);
    if (!report.ok) throw new Error(report.error.code);
    expect(report.value.years.find((y) => y.year === 2027)?.firstTransferred).toBe(1000n);
    expect(
      report.value.years.filter((y) => y.applied !== '0').map((y) => [y.year, y.applied]),
    ).toEqual([[2030, '100']]);
  });

  it('India as a multi-year NDC: +1,000 in 2027 and a cumulative 1,000 at the end of the period', async () => {
    await built({
      type: 'record_approach',
      approach: approach(ndc('IND', { kind: 'multi_year', method: 'trajectory' })),
    });
    const report = await platform.article6.balance('IND', 2030);
    if (!report.ok) throw new Error(report.error.code);
    expect(
      report.value.years.filter((y) => y.applied !== '0').map((y) => [y.year, y.applied]),
    ).toEqual([[2027, '1000']]);
    expect(report.value.endOfPeriod?.cumulativeAdjustment).toBe(1000n);
  });
});
