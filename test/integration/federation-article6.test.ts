// Article 6.2 records between two deployments (issue 16), on PGlite and PostgreSQL: Japan's
// deployment ("jp", hosting JP) and India's ("in", hosting IN). India's government, on India's
// deployment, authorises the credits issued into Japan's registry: the record is forwarded to Japan's
// deployment and recorded on JP's chain there; Japan confirms it on its own. Japan's authorisation of
// its use is confirmed by India the same way. The issuance into Japan's registry is India's first
// transfer: Japan's deployment reports it, India's records it. A government acting for a Party whose
// registry a peer hosts records nothing here; a forged record from the peer is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receivedFirstTransfers } from '../../src/db/article6-records-store.ts';
import { outgoingLinks } from '../../src/db/federation-store.ts';
import { createApp } from '../../src/http/app.ts';
import type { Recorded } from '../../src/services/article6.ts';
import type { Result } from '../../src/core/shared/result.ts';
import { testDbKind } from '../support/db.ts';
import { mustRun } from '../support/scenario.ts';
import {
  envelopeOf,
  forJapan,
  govIndia,
  govJapan,
  must,
  nextFrom,
  postSigned,
  recordApproaches,
} from '../support/split-records.ts';
import {
  closeDeployments,
  exchange,
  splitDecision,
  twoDeployments,
  type Deployments,
} from '../support/two-deployments.ts';

let sides: Deployments;

async function versions(side: 'jp' | 'in', id: string) {
  const found = await sides[side].platform.article6.queries.authorisation(id);
  return found?.versions ?? [];
}

beforeAll(async () => {
  sides = await twoDeployments();
  await recordApproaches(sides);
});
afterAll(async () => {
  await closeDeployments(sides);
});

describe(`Article 6.2 records between two deployments on ${testDbKind}`, () => {
  it("forwards each Party's records to the registry's deployment, and reports India's first transfer back", async () => {
    const writes = { jp: sides.jp.platform.article6Writes, in: sides.in.platform.article6Writes };
    // India's authorisation of credits in Japan's registry, made on India's deployment: forwarded.
    // India's link to Japan's already carried its accounts (account_record).
    const base = (await outgoingLinks(sides.in.platform.db))[0]?.lastSequence ?? 0n;
    const sent = envelopeOf(govIndia, forJapan('IND', 'IND-JCM-NDC-001'));
    const forwarded = await must(writes.in.recordAuthorisation(sent));
    expect(forwarded).toMatchObject({
      forwarded: { to: 'jp', kind: 'authorisation', authorisation: 'IND-JCM-NDC-001' },
    });
    // The same request again answers the same and writes no second message.
    const again = await must(writes.in.recordAuthorisation(sent));
    expect(again).toMatchObject({ ...forwarded, replayed: true });
    expect((await outgoingLinks(sides.in.platform.db))[0]?.lastSequence).toBe(base + 1n);
    expect(await versions('jp', 'IND-JCM-NDC-001')).toEqual([]);
    await exchange(sides);
    const recorded = await versions('jp', 'IND-JCM-NDC-001');
    expect(
      recorded.map((v) => [v.authorisation.party, v.authorisation.registry, v.entry.chain]),
    ).toEqual([['IND', 'JP', 'JP']]);
    expect(await versions('in', 'IND-JCM-NDC-001')).toEqual([]);
    // Japan confirms on its own deployment; its own authorisation is recorded there too, and India's
    // confirmation of it comes from India's deployment.
    const confirmed = await must(
      writes.jp.confirmAuthorisation(
        'JP',
        envelopeOf(govJapan, { authorisation: 'IND-JCM-NDC-001', version: 1 }),
      ),
    );
    expect('entry' in confirmed).toBe(true);
    await must(
      writes.jp.recordAuthorisation(envelopeOf(govJapan, forJapan('JPN', 'JPN-JCM-NDC-001'))),
    );
    await must(
      writes.in.confirmAuthorisation(
        'JP',
        envelopeOf(govIndia, { authorisation: 'JPN-JCM-NDC-001', version: 1 }),
      ),
    );
    await exchange(sides);
    const jpn = await sides.jp.platform.article6.queries.authorisation('JPN-JCM-NDC-001');
    expect(jpn?.versions.at(-1)?.confirmedBy).toEqual(['IND']);

    // The decision and the issuance into Japan's registry: India's first transfer, Japan's acquisition.
    await mustRun(sides.jp.platform, 'record_issuance_decision', splitDecision('JC/IN/A6'));
    await exchange(sides);
    await mustRun(sides.jp.platform, 'issue', { registry: 'JP', decision: 'JC/IN/A6', line: 1 });
    await exchange(sides);
    const actions = await sides.jp.platform.db.read((k) =>
      k
        .selectFrom('article6_actions')
        .select(['party', 'type', 'serial_first', 'serial_last', 'chain', 'seq', 'n'])
        .where('type', '=', 'first_transfer')
        .execute(),
    );
    expect(actions).toHaveLength(1);
    const action = actions[0];
    const received = await receivedFirstTransfers(sides.in.platform.db);
    expect(
      received.map((t) => [
        t.sender,
        t.party,
        t.registry,
        t.acquiringParty,
        t.serialFirst,
        t.serialLast,
        t.chain,
        t.seq,
        t.n,
      ]),
    ).toEqual([
      [
        'jp',
        'IND',
        'JP',
        'JPN',
        BigInt(action?.serial_first ?? 0),
        BigInt(action?.serial_last ?? 0),
        action?.chain,
        BigInt(action?.seq ?? 0),
        action?.n,
      ],
    ]);
    // Both exports reconcile clean; a first transfer India's side loses is found.
    const reconcile = async () => {
      await sides.in.platform.exports.make();
      const reconciled = await sides.jp.platform.exports.reconcileWithPeer(sides.in.url);
      if (!reconciled.ok) throw new Error(reconciled.error.code);
      return reconciled.value.discrepancies.map((d) => `${d.kind} ${d.deployment}`);
    };
    expect(await reconcile()).toEqual([]);
    await sides.in.platform.db.transaction((k) =>
      k.deleteFrom('article6_first_transfers_received').execute(),
    );
    expect(await reconcile()).toEqual(['first_transfer_not_received in']);
    // Every link acknowledged, nothing stopped.
    for (const side of ['jp', 'in'] as const)
      for (const link of await outgoingLinks(sides[side].platform.db))
        expect([side, link.acknowledged, link.stoppedBy]).toEqual([
          side,
          link.lastSequence,
          undefined,
        ]);
  });

  it('answers a forwarded record over HTTP with 202 and the peer', async () => {
    const api = createApp(sides.in.platform, { devToken: 'dev' });
    const response = await api.request('/api/v1/article6/authorisations', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer dev',
        'idempotency-key': 'a6-http-1',
        'x-jcm-actor': 'gov-in',
        'x-jcm-roles': 'government_partner:IN',
      },
      body: JSON.stringify(forJapan('IND', 'IND-JCM-NDC-002')),
    });
    expect([response.status, await response.json()]).toEqual([
      202,
      {
        forwarded: expect.objectContaining({ to: 'jp', authorisation: 'IND-JCM-NDC-002' }),
        replayed: false,
      },
    ]);
    await exchange(sides);
    expect((await versions('jp', 'IND-JCM-NDC-002')).length).toBe(1);
  });

  it('refuses a record from a government whose Party a peer speaks for, on either path', async () => {
    const before = (await outgoingLinks(sides.in.platform.db))[0]?.lastSequence;
    const cases: [string, Promise<Result<Recorded>>, string][] = [
      // Japan's government on India's deployment: Japan's records are made on Japan's deployment.
      [
        'JPN forwarded from India',
        sides.in.platform.article6Writes.recordAuthorisation(
          envelopeOf(govJapan, forJapan('JPN', 'JPN-FORGED-1')),
        ),
        'article6_party_hosted_elsewhere',
      ],
      [
        'IND authorised by Japan',
        sides.in.platform.article6Writes.recordAuthorisation(
          envelopeOf(govJapan, forJapan('IND', 'IND-FORGED-1')),
        ),
        'actor_not_authorised',
      ],
      [
        'a confirmation by Japan from India',
        sides.in.platform.article6Writes.confirmAuthorisation(
          'JP',
          envelopeOf(govJapan, { authorisation: 'IND-JCM-NDC-001', version: 1 }),
        ),
        'actor_not_authorised',
      ],
      // India's government on Japan's deployment, on JP's own chain: refused, not recorded.
      [
        'IND recorded on Japan',
        sides.jp.platform.article6Writes.recordAuthorisation(
          envelopeOf(govIndia, forJapan('IND', 'IND-FORGED-2')),
        ),
        'article6_party_hosted_elsewhere',
      ],
      [
        'a confirmation by India on Japan',
        sides.jp.platform.article6Writes.confirmAuthorisation(
          'JP',
          envelopeOf(govIndia, { authorisation: 'JPN-JCM-NDC-001', version: 1 }),
        ),
        'article6_party_hosted_elsewhere',
      ],
    ];
    for (const [name, call, code] of cases) {
      const result = await call;
      expect([name, result.ok ? 'recorded' : result.error.code]).toEqual([name, code]);
    }
    expect((await outgoingLinks(sides.in.platform.db))[0]?.lastSequence).toBe(before);
    expect(await versions('jp', 'IND-FORGED-2')).toEqual([]);
  });

  it("refuses a peer's record for a registry it does not host here, or in another Party's name", async () => {
    // India's deployment sends, signed with its real key, a record in Japan's name and one for
    // India's own registry: Japan's deployment applies neither and says why.
    const next = await nextFrom(sides, 'jp', 'in');
    const send = (sequence: bigint, body: unknown) =>
      postSigned(sides, 'in', {
        sequence,
        idempotencyKey: `forged-${sequence}`,
        kind: 'authorisation_record',
        body: body as never,
      });
    const asJapan = {
      kind: 'authorisation',
      authorisation: {
        ...forJapan('JPN', 'JPN-FORGED-2'),
        quantityCap: '1000',
        validFrom: null,
        validUntil: null,
        oimp: null,
        firstTransferDefinition: null,
        authorisedEntities: [],
      },
    };
    expect(await send(next, asJapan)).toEqual([403, 'actor_not_authorised']);
    expect(
      await send(next, {
        kind: 'confirmation',
        registry: 'IN',
        authorisation: 'IND-JCM-NDC-001',
        version: 1,
      }),
    ).toEqual([422, 'record_registry_not_hosted_here']);
    expect(await send(next, { kind: 'confirmation', registry: 'JP' })).toEqual([
      422,
      'message_body_invalid',
    ]);
    expect(await versions('jp', 'JPN-FORGED-2')).toEqual([]);
  });
});
