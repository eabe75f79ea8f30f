// A forwarded Article 6.2 record the peer's ledger refuses for its content (issue 16), on PGlite and
// PostgreSQL: India's government confirms, on India's deployment, an authorisation Japan's
// deployment does not have, and one at a version Japan's has moved past. Japan's ledger refuses each;
// the refusal is kept there, acknowledged and told back, India's forwarded record is marked refused
// with the code, and the link goes on: the next record is applied. A refusal India never caused,
// sent in Japan's name, is refused and applies nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardedRecords } from '../../src/db/article6-records-store.ts';
import { outgoingLinks } from '../../src/db/federation-store.ts';
import { testDbKind } from '../support/db.ts';
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
  twoDeployments,
  type Deployments,
} from '../support/two-deployments.ts';

let sides: Deployments;

beforeAll(async () => {
  sides = await twoDeployments();
  await recordApproaches(sides);
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
        envelopeOf(govJapan, forJapan('JPN', 'JPN-R-1')),
      ),
    );
    await must(
      sides.jp.platform.article6Writes.recordAuthorisation(
        envelopeOf(govJapan, forJapan('JPN', 'JPN-R-1', 2031)),
      ),
    );
    await must(
      india6.confirmAuthorisation(
        'JP',
        envelopeOf(govIndia, { authorisation: 'JPN-NONE', version: 1 }),
      ),
    );
    await must(
      india6.confirmAuthorisation(
        'JP',
        envelopeOf(govIndia, { authorisation: 'JPN-R-1', version: 1 }),
      ),
    );
    await must(india6.recordAuthorisation(envelopeOf(govIndia, forJapan('IND', 'IND-R-1'))));
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
    const next = await nextFrom(sides, 'in', 'jp');
    const send = (sequence: string) =>
      postSigned(sides, 'jp', {
        sequence: next,
        idempotencyKey: `forged-refusal-${sequence}`,
        kind: 'authorisation_record',
        body: {
          kind: 'refusal',
          sequence,
          code: 'article6_authorisation_not_found',
          message: 'no',
        },
      });
    const told = (await forwardedRecords(sides.in.platform.db, 10)).find(
      (f) => f.authorisation === 'JPN-NONE',
    );
    expect(await send(String(told?.sequence))).toEqual([422, 'record_refusal_unknown']);
    expect(await send('99')).toEqual([422, 'record_refusal_unknown']);
    const forwarded = await forwardedRecords(sides.in.platform.db, 10);
    expect(forwarded.map((f) => f.refused?.code ?? null)).toEqual([
      null,
      'article6_authorisation_version_not_current',
      'article6_authorisation_not_found',
    ]);
  });
});
