// Article 6.2 records between two deployments (issue 16), as an attacker tries them: an actor
// holding government roles for both Parties on one deployment, and a peer reporting a first
// transfer with an impossible date or, in a second message, the same action of its journal
// otherwise. Each is refused with its code and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/ledger/actor.ts';
import { receivedFirstTransfers } from '../../src/db/article6-records-store.ts';
import { testDbKind } from '../support/db.ts';
import {
  envelopeOf,
  forJapan,
  nextFrom,
  postSigned,
  recordApproaches,
} from '../support/split-records.ts';
import { closeDeployments, twoDeployments, type Deployments } from '../support/two-deployments.ts';

const both: Actor = {
  id: 'gov-both',
  roles: [{ kind: 'government_japan' }, { kind: 'government_partner', partnership: 'IN' }],
};

let sides: Deployments;
const envelope = envelopeOf;
const code = (r: { ok: true } | { ok: false; error: { code: string } }) =>
  r.ok ? 'recorded' : r.error.code;

beforeAll(async () => {
  sides = await twoDeployments();
  await recordApproaches(sides);
});
afterAll(async () => {
  await closeDeployments(sides);
});

describe(`Article 6.2 records between deployments, attacked, on ${testDbKind}`, () => {
  it("records nothing in the name of a peer's Party for an actor with roles for both Parties", async () => {
    const jp = sides.jp.platform.article6Writes;
    // Japan's own record is Japan's to make here.
    expect(code(await jp.recordAuthorisation(envelope(both, forJapan('JPN', 'JPN-BOTH-1'))))).toBe(
      'recorded',
    );
    // India's authorisation, and India's confirmation of Japan's, are made on India's deployment.
    expect(code(await jp.recordAuthorisation(envelope(both, forJapan('IND', 'IND-BOTH-1'))))).toBe(
      'actor_not_authorised',
    );
    expect(
      code(
        await jp.confirmAuthorisation(
          'JP',
          envelope(both, { authorisation: 'JPN-BOTH-1', version: 1 }),
        ),
      ),
    ).toBe('article6_confirmation_by_authorising_party');
    const found = await sides.jp.platform.article6.queries.authorisation('IND-BOTH-1');
    expect(found?.versions ?? []).toEqual([]);
    const jpn = await sides.jp.platform.article6.queries.authorisation('JPN-BOTH-1');
    expect(jpn?.versions.at(-1)?.confirmedBy).toEqual([]);
  });

  it("refuses a peer's first transfer with an impossible date, or one reported again otherwise", async () => {
    const send = async (sequence: bigint, body: unknown) => {
      const [status, code] = await postSigned(sides, 'jp', {
        sequence,
        idempotencyKey: `forged-ft-${sequence}`,
        kind: 'first_transfer_record',
        body: body as never,
      });
      return [status, status === 200 ? undefined : code];
    };
    const next = await nextFrom(sides, 'in', 'jp');
    const transfer = (date: string, last: string) => ({
      entry: { chain: 'JP', seq: '5', n: 0 },
      party: 'IND',
      date,
      approach: 'CA0001',
      authorisation: 'IND-X-1',
      registry: 'JP',
      project: 'IN001',
      vintage: 2027,
      serials: { first: '1', last },
      acquiringParty: 'JPN',
    });
    expect(await send(next, transfer('2028-02-30', '10'))).toEqual([422, 'message_body_invalid']);
    expect(await send(next, transfer('2028-02-28', '10'))).toEqual([200, undefined]);
    // The same statement again is applied as it was; another statement of that action is refused.
    expect(await send(next + 1n, transfer('2028-02-28', '10'))).toEqual([200, undefined]);
    expect(await send(next + 2n, transfer('2028-02-28', '99'))).toEqual([
      409,
      'first_transfer_conflict',
    ]);
    const received = await receivedFirstTransfers(sides.in.platform.db);
    expect(received.map((t) => [t.date, t.serialFirst, t.serialLast])).toEqual([
      ['2028-02-28', 1n, 10n],
    ]);
  });
});
