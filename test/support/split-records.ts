// What the issue 16 tests of Article 6.2 and accounts between two deployments share
// (test/support/two-deployments.ts runs the deployments): the actors, an authorisation of credits in
// Japan's registry, the approach recorded on both sides, and a message signed with a side's real key
// posted to the other side's receiving edge, as a peer (honest or not) would send it.
import type { MessageEnvelope } from '../../src/core/federation/messages.ts';
import type { Actor } from '../../src/core/ledger/actor.ts';
import { createApp } from '../../src/http/app.ts';
import { signEnvelope } from '../../src/services/federation-signatures.ts';
import { messagesPath, wireOf } from '../../src/services/federation-wire.ts';
import { deploymentKeys, peerOf, type DeploymentId, type Deployments } from './two-deployments.ts';

export const jcIndia: Actor = {
  id: 'jc-in',
  roles: [{ kind: 'joint_committee', partnership: 'IN' }],
};
export const govIndia: Actor = {
  id: 'gov-in',
  roles: [{ kind: 'government_partner', partnership: 'IN' }],
};
export const govJapan: Actor = { id: 'gov-jp', roles: [{ kind: 'government_japan' }] };

/** A Party's authorisation of IN001's credits in Japan's registry, for Japan's NDC. */
export const forJapan = (party: 'IND' | 'JPN', id: string, vintageLast = 2030) => ({
  id,
  party,
  approach: 'CA0001',
  date: '2028-01-15',
  registry: 'JP',
  projects: ['IN001'],
  vintageFirst: 2027,
  vintageLast,
  quantityCap: '1000',
  purposes: ['ndc'],
  authorisedParties: ['JPN'],
  terms: 'Use towards the NDC of Japan (synthetic test record)',
});

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** The result's value, or the test stops with its code. */
export async function must<T>(call: Outcome<T> | Promise<Outcome<T>>): Promise<T> {
  const result = await call;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

let keys = 0;
/** A write's envelope with a fresh idempotency key. */
export const envelopeOf = (actor: Actor, input: unknown) => ({
  actor,
  idempotencyKey: `split-record-${++keys}`,
  input,
});

/** The cooperative approach of the India partnership, recorded by each side's Joint Committee member. */
export async function recordApproaches(sides: Deployments): Promise<void> {
  for (const side of ['jp', 'in'] as const)
    await must(
      sides[side].platform.article6Writes.recordApproach(
        envelopeOf(jcIndia, { partnership: 'IN' }),
      ),
    );
}

/** The number `to` awaits next from `sender`. */
export const nextFrom = async (sides: Deployments, to: DeploymentId, sender: DeploymentId) =>
  (await sides[to].platform.federation?.links())?.incoming.find((l) => l.sender === sender)?.next ??
  1n;

/** Posts a message signed with `from`'s key to the other side: its status and code (or outcome). */
export async function postSigned(
  sides: Deployments,
  from: DeploymentId,
  e: Omit<MessageEnvelope, 'version' | 'sender' | 'receiver' | 'writtenAt'>,
): Promise<[number, string | undefined]> {
  const to = peerOf(from);
  const api = createApp(sides[to].platform, { devToken: null });
  const message = signEnvelope(
    { version: 1, sender: from, receiver: to, writtenAt: '2028-04-01T09:00:00Z', ...e },
    `${from}-1`,
    deploymentKeys[from],
  );
  const response = await api.request(messagesPath, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(wireOf(message)),
  });
  const answer = (await response.json()) as { code?: string; outcome?: string };
  return [response.status, answer.code ?? answer.outcome];
}
