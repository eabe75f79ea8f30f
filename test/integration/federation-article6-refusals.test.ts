// A forwarded Article 6.2 record the peer's ledger refuses for its content (issue 16), on PGlite and
// PostgreSQL: India's government confirms, on India's deployment, an authorisation Japan's
// deployment does not have, and one at a version Japan's has moved past. Japan's ledger refuses each;
// the refusal is kept there, acknowledged and told back, India's forwarded record is marked refused
// with the code, and the link goes on: the next record is applied. A refusal India never caused,
// sent in Japan's name, is refused and applies nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/ledger/actor.ts';
import { forwardedRecords } from '../../src/db/article6-records-store.ts';
import { outgoingLinks } from '../../src/db/federation-store.ts';
import { createApp } from '../../src/http/app.ts';
import { signEnvelope } from '../../src/services/federation-signatures.ts';
import { wireOf } from '../../src/services/federation-wire.ts';
import { testDbKind } from '../support/db.ts';
import {
  closeDeployments,
  deploymentKeys,
  exchange,
  twoDeployments,
  type Deployments,
} from '../support/two-deployments.ts';

const jc: Actor = { id: 'jc-in', roles: [{ kind: 'joint_committee', partnership: 'IN' }] };
const india: Actor = { id: 'gov-in', roles: [{ kind: 'government_partner', partnership: 'IN' }] };
const japan: Actor = { id: 'gov-jp', roles: [{ kind: 'government_japan' }] };
const forJapan = (party: 'IND' | 'JPN', id: string, vintageLast = 2030) => ({
  id,
  party,
  approach: 'CA0001',
  date: '2028-01-15',
  registry: 'JP',
  projects: ['IN001'],
  vintageFirst: 2027,
  vintageLast,
  purposes: ['ndc'],
  authorisedParties: ['JPN'],
  terms: 'synthetic test record',
});

let sides: Deployments;
let keys = 0;
const envelope = (actor: Actor, input: unknown) => ({
  actor,
  idempotencyKey: `a6-refusal-${++keys}`,
  input,
});

async function must<T>(
  call: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>,
) {
  const result = await call;
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

beforeAll(async () => {
  sides = await twoDeployments();
  for (const side of ['jp', 'in'] as const)
    await must(
      sides[side].platform.article6Writes.recordApproach(envelope(jc, { partnership: 'IN' })),
    );
});
afterAll(async () => {
  await closeDeployments(sides);
});

describe(`a forwarded Article 6.2 record refused by the peer on ${testDbKind}`, () => {
  it('is kept there, told back and marked refused here, and the link goes on', async () => {
    // India's link to Japan's already carried its accounts (account_record): numbers follow them.
    const base = (await outgoingLinks(sides.in.platform.db))[0]?.lastSequence ?? 0n;
    const india6 = sides.in.platform.article6Writes;
    // Japan's authorisation at version 2 by the time India's confirmation of version 1 arrives.
    await must(
      sides.jp.platform.article6Writes.recordAuthorisation(
        envelope(japan, forJapan('JPN', 'JPN-R-1')),
      ),
    );
    await must(
      sides.jp.platform.article6Writes.recordAuthorisation(
        envelope(japan, forJapan('JPN', 'JPN-R-1', 2031)),
      ),
    );
    await must(
      india6.confirmAuthorisation('JP', envelope(india, { authorisation: 'JPN-NONE', version: 1 })),
    );
    await must(
      india6.confirmAuthorisation('JP', envelope(india, { authorisation: 'JPN-R-1', version: 1 })),
    );
    await must(india6.recordAuthorisation(envelope(india, forJapan('IND', 'IND-R-1'))));
    await exchange(sides);
    // Japan's deployment kept both refusals and applied the record after them.
    const refused = await sides.jp.platform.db.read((k) =>
      k
        .selectFrom('article6_records_refused')
        .select(['sender', 'sequence', 'code'])
        .orderBy('sequence')
        .execute(),
    );
    expect(refused.map((r) => [r.sender, BigInt(r.sequence), r.code])).toEqual([
      ['in', base + 1n, 'article6_authorisation_not_found'],
      ['in', base + 2n, 'article6_authorisation_version_not_current'],
    ]);
    const applied = await sides.jp.platform.article6.queries.authorisation('IND-R-1');
    expect(applied?.versions.map((v) => v.authorisation.party)).toEqual(['IND']);
    // India's deployment was told: its records say which were refused, with the code.
    const forwarded = await forwardedRecords(sides.in.platform.db, 10);
    expect(forwarded.map((f) => [f.sequence, f.authorisation, f.refused?.code ?? null])).toEqual([
      [base + 3n, 'IND-R-1', null],
      [base + 2n, 'JPN-R-1', 'article6_authorisation_version_not_current'],
      [base + 1n, 'JPN-NONE', 'article6_authorisation_not_found'],
    ]);
    // As `jcm federation forwarded` lists them.
    const listed = await sides.in.platform.federation?.forwarded(10);
    expect(listed?.map((f) => f.status)).toEqual([
      'acknowledged by jp (recorded there, or its refusal is on its way)',
      'refused by jp: article6_authorisation_version_not_current',
      'refused by jp: article6_authorisation_not_found',
    ]);
    // Both links acknowledged, neither stopped.
    for (const side of ['jp', 'in'] as const)
      for (const link of await outgoingLinks(sides[side].platform.db))
        expect([side, link.acknowledged, link.stoppedBy]).toEqual([
          side,
          link.lastSequence,
          undefined,
        ]);
  });

  it('refuses a refusal of a record that was not forwarded, or was told of already', async () => {
    const api = createApp(sides.in.platform, { devToken: null });
    const next =
      (await sides.in.platform.federation?.links())?.incoming.find((l) => l.sender === 'jp')
        ?.next ?? 1n;
    const send = async (sequence: string) => {
      const message = signEnvelope(
        {
          version: 1,
          sender: 'jp',
          receiver: 'in',
          sequence: next,
          idempotencyKey: `forged-refusal-${sequence}`,
          kind: 'authorisation_record',
          writtenAt: '2028-04-01T09:00:00Z',
          body: {
            kind: 'refusal',
            sequence,
            code: 'article6_authorisation_not_found',
            message: 'no',
          },
        },
        'jp-1',
        deploymentKeys.jp,
      );
      const response = await api.request('/api/v1/federation/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(wireOf(message)),
      });
      return [response.status, ((await response.json()) as { code?: string }).code];
    };
    expect(await send('1')).toEqual([422, 'record_refusal_unknown']);
    expect(await send('99')).toEqual([422, 'record_refusal_unknown']);
    const forwarded = await forwardedRecords(sides.in.platform.db, 10);
    expect(forwarded.map((f) => f.refused?.code ?? null)).toEqual([
      null,
      'article6_authorisation_version_not_current',
      'article6_authorisation_not_found',
    ]);
  });
});
