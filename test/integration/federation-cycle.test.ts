// The cycle's issuance path on two deployments (issue 16), on PGlite and PostgreSQL: the project
// cycle runs on Japan's deployment ("jp", hosting JP), and India's ("in", hosting IN) opens the
// Indian participant's account. India's deployment reports the account (`account_record`), so that
// the cycle on Japan's derives who holds the decision's line in India's registry from it; the Joint
// Committee's decision is recorded there, notified to India's, and each registry issues its line.
// An account India's deployment never reported is not found; a peer reporting an account of a
// registry it does not host, or one it reported otherwise, is refused.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorWithRoles, type Actor } from '../../src/core/ledger/actor.ts';
import { outgoingLinks } from '../../src/db/federation-store.ts';
import { peerAccounts } from '../../src/db/peer-issuance-store.ts';
import type { Platform } from '../../src/services/platform.ts';
import { runCli } from '../support/cli.ts';
import { CycleFixtures, registerOrganisations } from '../support/cycle-fixtures.ts';
import { testDbKind } from '../support/db.ts';
import { mustRun } from '../support/scenario.ts';
import { nextFrom, postSigned } from '../support/split-records.ts';
import {
  closeDeployments,
  exchange,
  twoDeployments,
  type Deployments,
  type DeploymentId,
} from '../support/two-deployments.ts';

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

let sides: Deployments;

/** Both registries; on Japan's side the Japanese participant's account (India's opens its own later). */
async function openForCycle(platform: Platform, self: DeploymentId): Promise<void> {
  await mustRun(platform, 'open_registry', { registry: 'JP', name: "Japan's registry" });
  await mustRun(platform, 'open_registry', { registry: 'IN', name: "India's registry" });
  if (self === 'jp') await openHolding(platform, 'JP', 'sunrise-jp');
}

const openHolding = (platform: Platform, registry: string, holderId: string) =>
  mustRun(platform, 'open_account', {
    registry,
    accountType: 'holding',
    holderId,
    holderName: holderId,
  });

async function act(actor: Actor, action: string, input: Record<string, unknown>) {
  return sides.jp.platform.cycle.act(action, { actor, idempotencyKey: randomUUID(), input });
}

async function mustAct(actor: Actor, action: string, input: Record<string, unknown>) {
  const done = await act(actor, action, input);
  if (!done.ok) throw new Error(`${action}: ${done.error.code} ${done.error.message}`);
  return done.value;
}

const reportedAccounts = () => sides.jp.testDb.db.read((k) => peerAccounts(k, ['IN-000004']));

beforeAll(async () => {
  sides = await twoDeployments(openForCycle);
  await registerOrganisations(sides.jp.platform);
});
afterAll(async () => {
  await closeDeployments(sides);
});

describe(`the cycle's issuance path on two deployments on ${testDbKind}`, () => {
  it("decides an issuance with a line in India's registry from the account India's deployment reported", async () => {
    // India's deployment opens the Indian participant's account (IN-000004), not yet reported.
    await openHolding(sides.in.platform, 'IN', 'surya-in');
    const fixtures = new CycleFixtures(sides.jp.testDb.db, sides.jp.clock.now());
    const issuance = await fixtures.issuance('jc_issuance');
    const proposed = await mustAct(secretariat, 'propose_decision', {
      subject: { item: issuance, action: 'decide_issuance', text: `Decides ${issuance}.` },
      documents: [doc('decision_text')],
    });
    await mustAct(japan, 'confirm_decision', { item: proposed.item });
    await mustAct(india, 'confirm_decision', { item: proposed.item });
    await mustAct(jc, 'adopt_decision', { item: proposed.item });
    // Before India's deployment has reported IN-000004, Japan's cannot say who holds it.
    const early = await act(jc, 'decide_issuance', { item: issuance, decision: proposed.item });
    expect(early.ok ? 'decided' : early.error.code).toBe('allocation_account_not_found');
    await exchange(sides);
    expect(await reportedAccounts()).toEqual([
      { id: 'IN-000004', registry: 'IN', type: 'holding', holder: 'surya-in', sender: 'in' },
    ]);
    await mustAct(jc, 'decide_issuance', { item: issuance, decision: proposed.item });
    await exchange(sides);
    // India's deployment holds the decision as notified, and each registry issues its line.
    const there = await sides.in.platform.queries.decision(proposed.item);
    if (!there.ok) throw new Error(there.error.code);
    expect(there.value.lines.map((l) => [l.registry, l.account, l.quantity])).toEqual([
      ['JP', 'JP-000004', 60n],
      ['IN', 'IN-000004', 40n],
    ]);
    await mustRun(sides.in.platform, 'issue', {
      registry: 'IN',
      decision: proposed.item,
      line: 2,
    });
    await mustRun(sides.jp.platform, 'issue', {
      registry: 'JP',
      decision: proposed.item,
      line: 1,
    });
    await exchange(sides);
    await sides.in.platform.exports.make();
    const reconciled = await sides.jp.platform.exports.reconcileWithPeer(sides.in.url);
    if (!reconciled.ok) throw new Error(reconciled.error.code);
    expect(reconciled.value.discrepancies).toEqual([]);
  });

  it('reports the accounts again on `jcm federation send-accounts`, for a peer that lacks one', async () => {
    // Japan's deployment has lost IN-000004 (as for an account opened before India's ran split).
    await sides.jp.testDb.db.transaction((trx) =>
      trx.deleteFrom('peer_accounts').where('id', '=', 'IN-000004').execute(),
    );
    expect(await reportedAccounts()).toEqual([]);
    const run = await runCli(
      { openPlatform: async () => ({ ...sides.in.platform, close: async () => undefined }) },
      '--json',
      'federation',
      'send-accounts',
    );
    // India's registry's accounts (its three system accounts and IN-000004), to its one peer.
    expect([run.exitCode, JSON.parse(run.out)]).toEqual([0, { written: 4 }]);
    await exchange(sides);
    expect((await reportedAccounts())[0]?.holder).toBe('surya-in');
    // Again: the accounts Japan's deployment holds are applied as they were.
    await sides.in.platform.federation?.sendAccounts();
    await exchange(sides);
    const links = await outgoingLinks(sides.in.platform.db);
    expect(links.map((l) => [l.acknowledged === l.lastSequence, l.stoppedBy])).toEqual([
      [true, undefined],
    ]);
  });

  it('refuses an account of a registry the peer does not host, or one it reported otherwise', async () => {
    const next = await nextFrom(sides, 'jp', 'in');
    const send = (body: unknown) =>
      postSigned(sides, 'in', {
        sequence: next,
        idempotencyKey: `forged-account-${randomUUID()}`,
        kind: 'account_record',
        body: body as never,
      });
    const account = { id: 'IN-000004', registry: 'IN', type: 'holding', holder: 'surya-in' };
    expect(await send({ ...account, id: 'JP-000004', registry: 'JP' })).toEqual([
      403,
      'account_not_from_host',
    ]);
    expect(await send({ ...account, registry: 'JP' })).toEqual([403, 'account_not_from_host']);
    expect(await send({ ...account, holder: 'someone-else' })).toEqual([
      409,
      'account_record_conflict',
    ]);
    expect(await send({ ...account, type: 'vault' })).toEqual([422, 'message_body_invalid']);
    expect((await reportedAccounts())[0]?.holder).toBe('surya-in');
  });
});
