// What a Joint Committee decision authorises: one action of one item, on the version of the item it
// was proposed on, once; an issuance decision fixes the allocation the governments confirm, and the
// Joint Committee member who carries it out cannot change it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorWithRoles, type Actor } from '../../src/core/ledger/actor.ts';
import {
  allocation,
  CycleFixtures,
  projectData,
  registerOrganisations,
} from '../support/cycle-fixtures.ts';
import {
  freshPlatform,
  testDbKind,
  type TestClock,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';
import { mustRun } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let fixtures: CycleFixtures;

const participant = actorWithRoles('pp', 'project_participant:sunrise-jp');
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

async function act(actor: Actor, action: string, input: Record<string, unknown>) {
  return platform.cycle.act(action, { actor, idempotencyKey: randomUUID(), input });
}
async function mustAct(actor: Actor, action: string, input: Record<string, unknown>) {
  const done = await act(actor, action, input);
  if (!done.ok) throw new Error(`${action}: ${done.error.code} ${done.error.message}`);
  return done.value;
}
/** A decision proposed, confirmed by both governments and adopted. */
async function adopted(item: string, action: string, extra: Record<string, unknown> = {}) {
  const proposed = await mustAct(secretariat, 'propose_decision', {
    subject: { item, action, text: `Decides ${action} of ${item}.` },
    documents: [doc('decision_text')],
    ...extra,
  });
  await mustAct(japan, 'confirm_decision', { item: proposed.item });
  await mustAct(india, 'confirm_decision', { item: proposed.item });
  await mustAct(jc, 'adopt_decision', { item: proposed.item });
  return proposed.item;
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

describe(`Joint Committee decisions on ${testDbKind}`, () => {
  it('authorise the round they were proposed on, not a later request of the same kind', async () => {
    const project = await fixtures.project('registered');
    const change = (title: string) => ({
      item: project,
      project: { ...projectData, title },
      documents: [doc('post_registration_change_request')],
    });
    await mustAct(participant, 'request_post_registration_change', change('Change A'));
    const approval = await adopted(project, 'approve_change');
    const rejection = await adopted(project, 'reject_change');
    await mustAct(jc, 'reject_change', { item: project, decision: rejection });
    await mustAct(participant, 'request_post_registration_change', change('Change B'));
    const stale = await act(jc, 'approve_change', { item: project, decision: approval });
    expect(stale.ok ? 'ok' : stale.error.code).toBe('cycle_decision_not_adopted');
    const fresh = await adopted(project, 'approve_change');
    await mustAct(jc, 'approve_change', { item: project, decision: fresh });
    const shown = await platform.cycleQueries.item(project);
    const data = (shown.ok ? shown.value.data : {}) as {
      project: { title: string };
      projectVersion: number;
    };
    expect([data.project.title, data.projectVersion]).toEqual(['Change B', 2]);
    const versions = await platform.cycleQueries.projectVersions(project);
    expect(versions.map((v) => [v.version, v.action])).toEqual([[2, 'approve_change']]);
  });

  it('fix the allocation of an issuance, which the member carrying it out cannot change', async () => {
    const issuance = await fixtures.issuance('jc_issuance');
    const decided = [
      { ...allocation[0], quantity: '70' },
      { ...allocation[1], quantity: '30' },
    ];
    const decision = await adopted(issuance, 'decide_issuance', { allocation: decided });
    const changed = await act(jc, 'decide_issuance', {
      item: issuance,
      decision,
      allocation: [{ ...allocation[0], quantity: '100' }],
    });
    expect(changed.ok ? 'ok' : changed.error.code).toBe('invalid_request');
    await mustAct(jc, 'decide_issuance', { item: issuance, decision });
    const listed = await platform.queries.listDecisions({ limit: 500 });
    const lines = (listed.ok ? listed.value.items : []).find((d) => d.id === decision);
    const recorded = await platform.queries.decision(lines?.id ?? '');
    expect(recorded.ok && recorded.value.lines.map((l) => [l.account, l.quantity])).toEqual([
      ['JP-000004', 70n],
      ['IN-000004', 30n],
    ]);
    const elsewhere = await act(secretariat, 'propose_decision', {
      subject: { item: issuance, action: 'withdraw_issuance_request', text: 'No.' },
      allocation: decided,
      documents: [doc('decision_text')],
    });
    expect(elsewhere.ok ? 'ok' : elsewhere.error.code).toBe('invalid_request');
  });
});
