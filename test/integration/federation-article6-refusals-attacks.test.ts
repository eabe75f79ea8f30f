// A peer's refusals of forwarded Article 6.2 records, attacked (issue 16), on PGlite and PostgreSQL.
// India's records refused by Japan's ledger for their content reach Japan's deployment after a gap:
// the one held is applied from the held queue, and each refusal is kept and told back once, however
// often the message comes again. A refusal that Japan's deployment sends with a code its ledger never
// answers a peer's record with (not a refusal of content) is refused and marks nothing.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardedRecords } from '../../src/db/article6-records-store.ts';
import { testDbKind } from '../support/db.ts';
import {
  envelopeOf,
  govIndia,
  must,
  nextFrom,
  postSigned,
  recordApproaches,
} from '../support/split-records.ts';
import {
  closeDeployments,
  exchange,
  twoDeployments,
  type DeploymentId,
  type Deployments,
} from '../support/two-deployments.ts';

let sides: Deployments;
const post = (from: DeploymentId, e: Parameters<typeof postSigned>[2]) =>
  postSigned(sides, from, e);

const count = async (side: DeploymentId, query: string) =>
  Number(
    (await sides[side].platform.db.read((k) => sql<{ n: string }>`${sql.raw(query)}`.execute(k)))
      .rows[0]?.n,
  );

beforeAll(async () => {
  sides = await twoDeployments();
  await recordApproaches(sides);
});
afterAll(async () => {
  await closeDeployments(sides);
});

describe(`a peer's refusals of forwarded Article 6.2 records, attacked, on ${testDbKind}`, () => {
  it('refuses a refusal whose code is not a refusal of content, marking nothing', async () => {
    await must(
      sides.in.platform.article6Writes.confirmAuthorisation(
        'JP',
        envelopeOf(govIndia, { authorisation: 'JPN-NONE', version: 1 }),
      ),
    );
    const sequence = (await forwardedRecords(sides.in.platform.db, 1))[0]?.sequence.toString();
    const next = await nextFrom(sides, 'in', 'jp');
    const refusal = (code: string, n: bigint) => ({
      sequence: n,
      idempotencyKey: `forged-code-${n}`,
      kind: 'authorisation_record' as const,
      body: { kind: 'refusal', sequence, code, message: 'refused' },
    });
    for (const code of ['actor_not_authorised', 'message_body_invalid', 'all_is_well'])
      expect(await post('jp', refusal(code, next))).toEqual([422, 'message_body_invalid']);
    const listed = await forwardedRecords(sides.in.platform.db, 1);
    expect(listed.map((f) => [f.authorisation, f.refused])).toEqual([['JPN-NONE', null]]);
    // Japan's deployment applied it (a refusal): acknowledged, not yet told back, not said recorded.
    const federation = sides.in.platform.federation;
    for (const peer of federation?.config.peers ?? []) await federation?.delivery.deliver(peer);
    expect((await federation?.forwarded(1))?.map((f) => f.status)).toEqual([
      'acknowledged by jp (recorded there, or its refusal is on its way)',
    ]);
    // The real one, from Japan's ledger, is told back and marks it.
    await exchange(sides);
    const after = await forwardedRecords(sides.in.platform.db, 1);
    expect(after.map((f) => f.refused?.code)).toEqual(['article6_authorisation_not_found']);
  });
  // Last: it sends in India's name on India's link, which India's own deployment numbers too.
  it('keeps and tells back once a refusal applied from the held queue, however often sent', async () => {
    const first = await nextFrom(sides, 'jp', 'in');
    const outboxBefore = await count(
      'jp',
      `SELECT count(*) AS n FROM federation_outbox WHERE receiver = 'in'`,
    );
    const confirmation = (sequence: bigint, authorisation: string) => ({
      sequence,
      idempotencyKey: `held-confirmation-${sequence}`,
      kind: 'authorisation_record' as const,
      body: { kind: 'confirmation', registry: 'JP', authorisation, version: 1 },
    });
    const later = confirmation(first + 1n, 'JPN-HELD-2');
    expect(await post('in', later)).toEqual([409, 'message_sequence_gap']);
    expect(await post('in', later)).toEqual([409, 'message_sequence_gap']);
    expect(await post('in', confirmation(first, 'JPN-HELD-1'))).toEqual([200, 'applied']);
    for (const resend of [later, later, confirmation(first, 'JPN-HELD-1')])
      expect(await post('in', resend)).toEqual([200, 'acknowledged']);
    expect(
      await count(
        'jp',
        `SELECT count(*) AS n FROM article6_records_refused WHERE sender = 'in' AND sequence >= ${first}`,
      ),
    ).toBe(2);
    expect(
      await count(
        'jp',
        `SELECT count(*) AS n FROM federation_outbox WHERE receiver = 'in' AND idempotency_key IN ('a6-refusal:${first}', 'a6-refusal:${first + 1n}')`,
      ),
    ).toBe(2);
    expect(
      await count('jp', `SELECT count(*) AS n FROM federation_outbox WHERE receiver = 'in'`),
    ).toBe(outboxBefore + 2);
  });
});
