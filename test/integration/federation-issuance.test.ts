// Issuance between two deployments (issue 16), on PGlite and PostgreSQL: Japan's deployment ("jp",
// hosting JP) and India's ("in", hosting IN), each with its own database and HTTP app on loopback,
// linked by their real delivery workers. A decision recorded on Japan's side with a line for India's
// registry is notified to India's, recorded there with the same serials, issued there by India's
// registry manager and confirmed back; the two reconcile clean. A deployment refuses writes to the
// registry its peer hosts; a notification India's ledger refuses is not applied and stops the link;
// confirmations that do not match the line, or come from the deployment that does not host it, are
// refused with their codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../src/core/shared/canonical-json.ts';
import { outgoingLinks } from '../../src/db/federation-store.ts';
import { createApp } from '../../src/http/app.ts';
import { confirmations } from '../../src/db/peer-issuance-store.ts';
import { signEnvelope } from '../../src/services/federation-signatures.ts';
import { wireOf } from '../../src/services/federation-wire.ts';
import { testDbKind } from '../support/db.ts';
import { mustRun, run } from '../support/scenario.ts';
import { userSession } from '../support/sessions.ts';
import {
  closeDeployments,
  deploymentKeys,
  exchange,
  splitDecision as decision,
  twoDeployments,
  type Deployments,
} from '../support/two-deployments.ts';

let sides: Deployments;

beforeAll(async () => {
  sides = await twoDeployments();
});
afterAll(async () => {
  await closeDeployments(sides);
});

describe(`issuance between two deployments on ${testDbKind}`, () => {
  it('notifies the decision, issues each line where its registry runs, confirms back, and reconciles clean', async () => {
    await mustRun(sides.jp.platform, 'record_issuance_decision', decision('JC/IN/1', 'IN-000004'));
    await exchange(sides);
    // India's deployment holds the same decision, numbered as Japan's numbered it.
    const there = await sides.in.platform.queries.decision('JC/IN/1');
    const here = await sides.jp.platform.queries.decision('JC/IN/1');
    if (!there.ok || !here.ok) throw new Error('decision JC/IN/1 missing');
    expect(there.value).toMatchObject({
      serialFirst: here.value.serialFirst,
      serialLast: here.value.serialLast,
    });
    expect(
      JSON.stringify(there.value.lines, (_k, v: unknown) =>
        typeof v === 'bigint' ? String(v) : v,
      ),
    ).toBe(
      JSON.stringify(here.value.lines, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    );
    // Each registry manager issues the line of their own registry, and only that one.
    await mustRun(sides.jp.platform, 'issue', { registry: 'JP', decision: 'JC/IN/1', line: 1 });
    const wrong = await run(sides.jp.platform, 'issue', {
      registry: 'IN',
      decision: 'JC/IN/1',
      line: 2,
    });
    expect(wrong.ok ? 'issued' : wrong.error.code).toBe('registry_hosted_elsewhere');
    await mustRun(sides.in.platform, 'issue', { registry: 'IN', decision: 'JC/IN/1', line: 2 });
    await exchange(sides);
    const confirmed = await confirmations(sides.jp.platform.db);
    expect(
      confirmed.map(
        (c) => `${c.decision}#${c.lineNo} ${c.registry} ${c.first}-${c.last} from ${c.sender}`,
      ),
    ).toEqual(['JC/IN/1#2 IN 101-150 from in']);
    // Nothing waits on either link, and the reconciliation over HTTP finds nothing.
    for (const id of ['jp', 'in'] as const) {
      const links = await outgoingLinks(sides[id].platform.db);
      expect(links.map((l) => [l.lastSequence - l.acknowledged, l.stoppedBy])).toEqual([
        [0n, undefined],
      ]);
    }
    await sides.in.platform.exports.make();
    const reconciled = await sides.jp.platform.exports.reconcileWithPeer(sides.in.url);
    if (!reconciled.ok) throw new Error(reconciled.error.code);
    expect(reconciled.value.discrepancies).toEqual([]);
    expect(reconciled.value.exports.map((e) => e.header.deployment)).toEqual(['jp', 'in']);
    // The same from the API, for registry managers and administrators, to a configured peer only.
    const api = createApp(sides.jp.platform, { devToken: 'dev' });
    const post = async (roles: string, body: unknown) => {
      const response = await api.request('/api/v1/federation/reconcile', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer dev',
          'x-jcm-actor': 'someone',
          'x-jcm-roles': roles,
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const answered = await post('registry_manager:JP', { peer: 'in' });
    expect([answered.status, answered.body['discrepancies']]).toEqual([200, []]);
    for (const [roles, body, status, code] of [
      ['account_holder:acme', { peer: 'in' }, 403, 'actor_not_authorised'],
      ['administrator', { peer: 'zz' }, 404, 'peer_not_configured'],
      ['administrator', { peer: 'in', url: 'http://169.254.169.254' }, 400, 'invalid_request'],
    ] as const) {
      const refused = await post(roles, body);
      expect([refused.status, refused.body['code']]).toEqual([status, code]);
    }
    // And from the back office's page, for a registry manager; not for an account holder.
    const manager = await userSession(
      sides.jp.platform,
      sides.jp.clock,
      'manager-jp@example.org',
      'registry_manager:JP',
    );
    const holder = await userSession(
      sides.jp.platform,
      sides.jp.clock,
      'holder-jp@example.org',
      'account_holder:acme',
    );
    const shown = await api.request('/office/reconcile', { headers: { cookie: manager.cookie } });
    expect([shown.status, (await shown.text()).includes('Reconcile with in')]).toEqual([200, true]);
    const office = async (session: { cookie: string; csrf: string }, peer: string) => {
      const form = new FormData();
      form.set('csrf', session.csrf);
      form.set('peer', peer);
      const response = await api.request('/office/reconcile', {
        method: 'POST',
        headers: { cookie: session.cookie },
        body: form,
      });
      return { status: response.status, text: await response.text() };
    };
    const ran = await office(manager, 'in');
    expect([ran.status, ran.text.includes('in: no discrepancy')]).toEqual([200, true]);
    const unknown = await office(manager, 'zz');
    expect([unknown.status, unknown.text.includes('peer_not_configured')]).toEqual([404, true]);
    expect((await office(holder, 'in')).status).toBe(403);
    // Each side's audit passes: lines for the peer's accounts are the peer's to hold.
    for (const id of ['jp', 'in'] as const) {
      const audit = await sides[id].platform.audit(() => undefined);
      expect([id, audit.kinds]).toEqual([id, []]);
    }
  });

  it('refuses writes to the registry a peer hosts', async () => {
    const opened = await run(sides.jp.platform, 'open_account', {
      registry: 'IN',
      accountType: 'holding',
      holderId: 'x',
      holderName: 'X',
    });
    expect(opened.ok ? 'opened' : opened.error.code).toBe('registry_hosted_elsewhere');
  });

  it('applies nothing of a notification India’s ledger refuses, and stops the link with its code', async () => {
    // IN-000099 is no account of India's registry: Japan's side cannot know, India's refuses.
    await mustRun(sides.jp.platform, 'record_issuance_decision', decision('D2', 'IN-000099'));
    await exchange(sides);
    const link = (await outgoingLinks(sides.jp.platform.db))[0];
    expect(link?.stoppedBy?.code).toBe('account_not_found');
    const there = await sides.in.platform.queries.decision('D2');
    expect(there.ok ? 'recorded' : there.error.code).toBe('decision_not_found');
  });

  it('refuses confirmations that do not match the line or come from the deployment that does not host it', async () => {
    const receiver = sides.jp.platform.federation?.receiver;
    if (receiver === undefined) throw new Error('no receiver');
    const inLinks = await sides.jp.platform.federation?.links();
    // Each at the number jp awaits from in: refused, it does not move the link on.
    const sequence = inLinks?.incoming.find((l) => l.sender === 'in')?.next ?? 1n;
    const confirmation = (lineNo: number, registry: string, first: string, last: string): Json => ({
      decision: 'JC/IN/1',
      lineNo,
      registry,
      serials: { first, last },
      entry: { chain: registry, seq: '9', hash: 'a'.repeat(64) },
    });
    const cases: [Json, string][] = [
      [confirmation(2, 'IN', '101', '151'), 'confirmation_exceeds_line'],
      [confirmation(2, 'IN', '100', '149'), 'confirmation_range_differs'],
      [confirmation(1, 'JP', '1', '100'), 'confirmation_not_from_host'],
      [{ decision: 'JC/IN/1', lineNo: 2 }, 'message_body_invalid'],
    ];
    for (const [body, code] of cases) {
      const envelope = {
        version: 1 as const,
        sender: 'in',
        receiver: 'jp',
        sequence,
        idempotencyKey: `forged-${sequence}`,
        kind: 'issuance_confirmation' as const,
        writtenAt: new Date().toISOString(),
        body,
      };
      const signed = signEnvelope(envelope, 'in-1', deploymentKeys.in);
      const answer = await receiver.receive(wireOf(signed));
      expect([code, answer.ok ? 'applied' : answer.error.code]).toEqual([code, code]);
    }
    expect((await confirmations(sides.jp.platform.db)).length).toBe(1);
  });
});
