// CCS (issue 13, item 7): the reserve share of the project's methodology (IN_AM006, 3%) goes into
// each registry's reserve account at issuance, in the same journal entry as the issuance itself, with
// no separate command; the share comes from the stored project's methodology, the audit still passes.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorWithRoles, type Actor } from '../../src/core/ledger/actor.ts';
import { CycleFixtures, projectData, registerOrganisations } from '../support/cycle-fixtures.ts';
import {
  freshPlatform,
  testDbKind,
  type TestClock,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';
import { commandSchemas } from '../../src/services/ledger-schemas.ts';
import { mustRun } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let fixtures: CycleFixtures;

const secretariat = actorWithRoles('sec', 'secretariat:IN');
const jc = actorWithRoles('jc', 'joint_committee:IN');
const japan = actorWithRoles('moej', 'government_japan');
const india = actorWithRoles('moefcc', 'government_partner:IN');
const doc = (type: string) => ({
  type,
  fileName: `${type}.pdf`,
  mediaType: 'application/pdf',
  content: Buffer.from(`%PDF ${type}`).toString('base64'),
});

async function mustAct(actor: Actor, action: string, input: Record<string, unknown>) {
  const done = await platform.cycle.act(action, { actor, idempotencyKey: randomUUID(), input });
  if (!done.ok) throw new Error(`${action}: ${done.error.code} ${done.error.message}`);
  return done.value;
}

/** An issuance request awaiting the Joint Committee, of a project that applies `methodology`. */
async function issuanceOf(methodology: string, activity: string) {
  const issuance = await fixtures.issuance('jc_issuance');
  const project = await testDb.db.read((k) =>
    k.selectFrom('cycle_items').select('parent_id').where('id', '=', issuance).executeTakeFirst(),
  );
  const data = { ...projectData, methodology: { id: methodology, version: '1.0' }, activity };
  await testDb.db.transaction((trx) =>
    sql`UPDATE cycle_items SET data = jsonb_set(data::jsonb, '{project}', ${JSON.stringify(data)}::jsonb)
        WHERE id = ${project?.parent_id ?? ''}`.execute(trx),
  );
  return issuance;
}

/** The Joint Committee decides the issuance (decision adopted and confirmed) and both registries issue. */
async function decideAndIssue(issuance: string) {
  const proposed = await mustAct(secretariat, 'propose_decision', {
    subject: { item: issuance, action: 'decide_issuance', text: `Decides ${issuance}.` },
    documents: [doc('decision_text')],
  });
  await mustAct(japan, 'confirm_decision', { item: proposed.item });
  await mustAct(india, 'confirm_decision', { item: proposed.item });
  await mustAct(jc, 'adopt_decision', { item: proposed.item });
  await mustAct(jc, 'decide_issuance', { item: issuance, decision: proposed.item });
  const decision = await platform.queries.decision(proposed.item);
  if (!decision.ok) throw new Error('the decision is recorded');
  for (const line of decision.value.lines)
    await mustRun(platform, 'issue', {
      registry: line.registry,
      decision: decision.value.id,
      line: line.line,
    });
  return decision.value;
}

async function balance(account: string): Promise<bigint> {
  const found = await platform.queries.account(account);
  return found.ok ? found.value.balance : -1n;
}

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  fixtures = new CycleFixtures(testDb.db, clock.now());
  await registerOrganisations(platform);
  await mustRun(platform, 'open_registry', { registry: 'JP', name: "Japan's registry" });
  await mustRun(platform, 'open_registry', { registry: 'IN', name: "India's registry" });
  for (const [registry, holderId] of [
    ['JP', 'sunrise-jp'],
    ['IN', 'surya-in'],
  ] as const)
    await mustRun(platform, 'open_account', {
      registry,
      accountType: 'holding',
      holderId,
      holderName: holderId,
    });
});
afterAll(async () => {
  await testDb.drop();
});

describe(`the CCS reserve at issuance on ${testDbKind}`, () => {
  it('moves 3% of a CCS issuance into each registry reserve account by itself', async () => {
    // 100 credits of 2028: 60 to JP-000004, 40 to IN-000004. Reserve = ceil(100 x 3%) = 3, spread
    // by largest remainder: 60 x 3% = 1.8 -> 2 (JP), 40 x 3% = 1.2 -> 1 (IN).
    const decision = await decideAndIssue(await issuanceOf('IN_AM006', '13'));
    expect(decision.lines.map((l) => [l.account, l.quantity, l.reserve])).toEqual([
      ['JP-000004', 60n, 2n],
      ['IN-000004', 40n, 1n],
    ]);
    expect(
      await Promise.all(['JP-000004', 'JP-000003', 'IN-000004', 'IN-000003'].map(balance)),
    ).toEqual([58n, 2n, 39n, 1n]);
    // The reserve is the line's last serials, in the same journal entry as the issuance.
    const blocks = await testDb.db.read((k) =>
      k
        .selectFrom('blocks')
        .select(['account_id', 'serial_first', 'serial_last', 'entry_seq', 'entry_chain'])
        .where('account_id', 'in', ['JP-000004', 'JP-000003'])
        .orderBy('serial_first')
        .execute(),
    );
    expect(blocks.map((b) => [b.account_id, b.serial_first, b.serial_last])).toEqual([
      ['JP-000004', 1n, 58n],
      ['JP-000003', 59n, 60n],
    ]);
    expect(new Set(blocks.map((b) => `${b.entry_chain}#${b.entry_seq}`)).size).toBe(1);
    expect((await platform.audit()).passed).toBe(true);
  });

  it('releases or cancels reserve credits, and has no command that puts credits into the reserve', async () => {
    const release = await mustRun(platform, 'release', {
      to: 'JP-000004',
      selection: { quantity: '1' },
      reason: 'the risk of reversal has passed',
    });
    await mustRun(platform, 'reverse', {
      registry: 'JP',
      seq: String(release.entry.seq),
      reason: 'released too early',
    });
    await mustRun(platform, 'cancel', {
      from: 'IN-000003',
      selection: { quantity: '1' },
      reason: 'CO2 leaked after injection: the reserve covers the reversal',
    });
    expect(await Promise.all(['JP-000003', 'IN-000003', 'IN-000002'].map(balance))).toEqual([
      2n,
      0n,
      1n,
    ]);
    // The manual reservation command is gone (API, CLI): nobody fills the reserve by hand.
    expect(Object.keys(commandSchemas)).not.toContain('reserve');
    expect((await platform.audit()).passed).toBe(true);
  });

  it('sets nothing aside for a methodology without a reserve share', async () => {
    const before = await Promise.all(['JP-000003', 'IN-000003'].map(balance));
    const decision = await decideAndIssue(await issuanceOf('IN_AM009', '1'));
    expect(decision.lines.map((l) => l.reserve)).toEqual([0n, 0n]);
    expect(await Promise.all(['JP-000003', 'IN-000003'].map(balance))).toEqual(before);
    expect((await platform.audit()).passed).toBe(true);
  });
});
