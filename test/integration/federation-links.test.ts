// Two deployments in one process, each with its own database, linked by signed messages (issue 16):
// Japan's ("jp") sends, India's ("in") receives through its real HTTP app (the delivery worker's
// fetch is the receiver's app, so a test can lose a request or its answer). The messages are applied
// by a test applier that records each one in the receiver's outbox table, in the receipt's
// transaction, so that "applied exactly once" is counted in the receiver's database. The wrong
// sender, the wrong key, a forged body, a replay, a gap and a kind the receiver does not apply are
// each sent as an attacker or a broken peer would.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageEnvelope } from '../../src/core/federation/messages.ts';
import type { Json } from '../../src/core/shared/canonical-json.ts';
import { ok, reject } from '../../src/core/shared/result.ts';
import { enqueueMessage, outgoingLinks, saveDelivery } from '../../src/db/federation-store.ts';
import { addToOutbox } from '../../src/db/write-store.ts';
import { createApp } from '../../src/http/app.ts';
import { configOf, type FederationConfig } from '../../src/services/federation-config.ts';
import { FederationDelivery } from '../../src/services/federation-delivery.ts';
import type { MessageAppliers } from '../../src/services/federation-receiver.ts';
import { publicKeyText, signEnvelope } from '../../src/services/federation-signatures.ts';
import { messagesPath, wireOf } from '../../src/services/federation-wire.ts';
import { runCli } from '../support/cli.ts';
import { freshPlatform, type TestClock, type TestDb, type TestPlatform } from '../support/db.ts';

const privateKey = () => generateKeyPairSync('ed25519').privateKey;
const publicOf = (key: KeyObject) => publicKeyText(createPublicKey(key));
const jpKey = privateKey();
const jpOldKey = privateKey();
const inKey = privateKey();
const strangerKey = privateKey();
const khKey = privateKey();

function configFor(self: 'jp' | 'in', key: KeyObject, peer: 'jp' | 'in'): FederationConfig {
  return configOf(
    {
      self,
      registries: [self.toUpperCase()],
      signingKey: { keyId: `${self}-2028`, privateKeyFile: 'unused' },
      peers: [
        {
          id: peer,
          url: `http://${peer}.test`,
          registries: [peer.toUpperCase()],
          keys:
            peer === 'jp'
              ? [
                  {
                    keyId: 'jp-2027',
                    publicKey: publicOf(jpOldKey),
                    validFrom: '2027-01-01T00:00:00Z',
                    validUntil: '2028-01-01T00:00:00Z',
                  },
                  {
                    keyId: 'jp-2028',
                    publicKey: publicOf(jpKey),
                    validFrom: '2028-01-01T00:00:00Z',
                  },
                ]
              : [
                  {
                    keyId: 'in-2028',
                    publicKey: publicOf(inKey),
                    validFrom: '2028-01-01T00:00:00Z',
                  },
                ],
        },
      ],
    },
    key,
  );
}

/** Records each applied message in the receiver's outbox (topic test.applied), in its transaction. */
const appliers: MessageAppliers = {
  authorisation_record: async (tx, message, ctx) => {
    // A refusal of the message's content, as a real applier's rule would refuse it.
    const body = message.envelope.body as { refuse?: boolean };
    if (body.refuse === true)
      return reject('invalid_request', 'the test applier refuses this body');
    await addToOutbox(
      tx,
      [
        {
          topic: 'test.applied',
          payload: {
            sequence: message.envelope.sequence.toString(),
            key: message.envelope.idempotencyKey,
          },
        },
      ],
      ctx.now,
    );
    return ok(undefined);
  },
};

let jp: TestPlatform;
let jpClock: TestClock;
let india: TestPlatform;
let jpDb: TestDb;
let inDb: TestDb;
let inApp: ReturnType<typeof createApp>;
/** What the network does to the next requests: deliver, lose the request, or lose the answer. */
let network: (n: number) => 'deliver' | 'drop-request' | 'drop-answer' = () => 'deliver';
let requests = 0;

const toIndia: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  const fate = network(requests++);
  if (fate === 'drop-request') throw new TypeError('fetch failed: connection reset');
  const response = await inApp.request(url.pathname, init as RequestInit);
  if (fate === 'drop-answer') throw new TypeError('fetch failed: socket hang up');
  return response;
};

beforeAll(async () => {
  ({
    platform: jp,
    testDb: jpDb,
    clock: jpClock,
  } = await freshPlatform({
    federation: { config: configFor('jp', jpKey, 'in'), delivery: { fetch: toIndia, pollMs: 50 } },
  }));
  // India also links with a third deployment, Cambodia's ("kh"), whose messages a test sends by hand.
  const inConfig = configFor('in', inKey, 'jp');
  const kh = {
    id: 'kh',
    url: 'http://kh.test',
    registries: ['KH'],
    keys: [{ keyId: 'kh-1', publicKey: publicOf(khKey), validFrom: '2028-01-01T00:00:00Z' }],
  };
  ({ platform: india, testDb: inDb } = await freshPlatform({
    federation: { config: { ...inConfig, peers: [...inConfig.peers, kh] }, appliers },
  }));
  inApp = createApp(india, { devToken: null });
});
afterAll(async () => {
  await jpDb.drop();
  await inDb.drop();
});

const peerIn = () => jp.federation?.config.peers[0] ?? expect.fail('jp has a peer');
const deliverer = () => jp.federation?.delivery ?? expect.fail('jp delivers');

async function write(key: string, body: Json = { key }) {
  return jp.db.transaction((tx) =>
    enqueueMessage(
      tx,
      {
        receiver: 'in',
        kind: 'authorisation_record',
        idempotencyKey: key,
        body: JSON.stringify(body),
      },
      jp.clock(),
    ),
  );
}

async function appliedInIndia(): Promise<{ sequence: string; key: string }[]> {
  const rows = await india.db.read((k) =>
    sql<{
      payload: { sequence: string; key: string };
    }>`SELECT payload FROM outbox WHERE topic = 'test.applied' ORDER BY id`.execute(k),
  );
  return rows.rows.map((r) => r.payload);
}

/** Delivers until the link is idle (each pass sends until a failure; backoff is skipped here). */
async function deliverAll(passes = 40): Promise<void> {
  for (let i = 0; i < passes; i++) {
    await deliverer().deliver(peerIn());
    const link = (await outgoingLinks(jp.db)).find((l) => l.receiver === 'in');
    if (link !== undefined && (link.acknowledged === link.lastSequence || link.stoppedBy)) return;
  }
}

function envelope(sequence: bigint, key: string, extra: Partial<MessageEnvelope> = {}) {
  return {
    version: 1 as const,
    sender: 'jp',
    receiver: 'in',
    sequence,
    idempotencyKey: key,
    kind: 'authorisation_record' as const,
    writtenAt: '2028-04-01T09:00:00.000Z',
    body: { key } as Json,
    ...extra,
  };
}

async function post(body: unknown) {
  const response = await inApp.request(messagesPath, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const signed = (env: MessageEnvelope, keyId = 'jp-2028', key = jpKey) =>
  wireOf(signEnvelope(env, keyId, key));

describe('messages between two deployments', () => {
  it('delivers in order, each applied once, and acknowledges after commit', async () => {
    for (let i = 1; i <= 5; i++) expect(await write(`auth-${i}`)).toBe(BigInt(i));
    // The same event written again is the same message: no new number.
    expect(await write('auth-3')).toBe(3n);
    expect(await write('auth-3', { other: true })).toBeNull();
    await deliverAll();
    expect((await appliedInIndia()).map((a) => a.key)).toEqual(
      [1, 2, 3, 4, 5].map((i) => `auth-${i}`),
    );
    const link = (await outgoingLinks(jp.db))[0];
    expect(link).toMatchObject({ acknowledged: 5n, lastSequence: 5n, stoppedBy: undefined });
  });

  it('loses requests and answers and still applies each message once, in order', async () => {
    for (let i = 6; i <= 15; i++) await write(`auth-${i}`);
    // Every second request is lost, every third answer is lost after the receiver committed.
    network = (n) => (n % 2 === 0 ? 'drop-request' : n % 3 === 0 ? 'drop-answer' : 'deliver');
    await deliverAll(200);
    network = () => 'deliver';
    const applied = await appliedInIndia();
    expect(applied.map((a) => a.sequence)).toEqual(
      Array.from({ length: 15 }, (_, i) => String(i + 1)),
    );
    expect((await outgoingLinks(jp.db))[0]?.acknowledged).toBe(15n);
  });

  it('survives a restart of the sender: a new worker starts from what was acknowledged', async () => {
    await write('auth-16');
    await write('auth-17');
    const restarted = new FederationDelivery(jp.db, configFor('jp', jpKey, 'in'), {
      clock: () => jp.clock(),
      fetch: toIndia,
    });
    await restarted.deliver(peerIn());
    expect((await appliedInIndia()).length).toBe(17);
    expect((await outgoingLinks(jp.db))[0]?.acknowledged).toBe(17n);
    // A worker that lost its state and sends from the start again applies nothing twice.
    expect((await post(signed(envelope(1n, 'auth-1')))).body).toMatchObject({
      outcome: 'acknowledged',
      acknowledged: '17',
    });
    expect((await appliedInIndia()).length).toBe(17);
  });

  it('holds a message after a gap, answers the number awaited, and applies it when the gap fills', async () => {
    await write('auth-18');
    await write('auth-19');
    await write('auth-20');
    const twenty = await post(signed(envelope(20n, 'auth-20')));
    expect(twenty.status).toBe(409);
    expect(twenty.body).toMatchObject({
      code: 'message_sequence_gap',
      details: { expected: '18' },
    });
    expect((await appliedInIndia()).length).toBe(17);
    // 18 arrives; then 19, which lets the held 20 follow in the same transaction.
    expect((await post(signed(envelope(18n, 'auth-18')))).body).toMatchObject({
      outcome: 'applied',
      acknowledged: '18',
    });
    expect((await post(signed(envelope(19n, 'auth-19')))).body).toMatchObject({
      outcome: 'applied',
      acknowledged: '20',
    });
    expect((await appliedInIndia()).map((a) => a.key).slice(-3)).toEqual([
      'auth-18',
      'auth-19',
      'auth-20',
    ]);
    await deliverAll();
    expect((await appliedInIndia()).length).toBe(20);
    expect((await outgoingLinks(jp.db))[0]?.acknowledged).toBe(20n);
  });

  it('answers the same message sent at once many times by applying it once', async () => {
    await write('auth-21');
    const message = signed(envelope(21n, 'auth-21'));
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(message)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect((await appliedInIndia()).filter((a) => a.key === 'auth-21')).toHaveLength(1);
    await deliverAll();
  });

  it('refuses forged, replayed and misaddressed messages with stable codes, applying nothing', async () => {
    const before = (await appliedInIndia()).length;
    const next = envelope(22n, 'auth-22');
    const cases: [string, unknown, number, string][] = [
      // The body changed after signing.
      [
        'forged body',
        { ...(signed(next) as object), envelope: { ...next, sequence: '22', body: { key: 'x' } } },
        403,
        'message_signature_invalid',
      ],
      [
        'signed by a stranger with jp’s key id',
        signed(next, 'jp-2028', strangerKey),
        403,
        'message_signature_invalid',
      ],
      ['a key id jp never registered', signed(next, 'jp-2099', jpKey), 403, 'message_key_unknown'],
      [
        'jp’s key rotated out before now',
        signed(next, 'jp-2027', jpOldKey),
        403,
        'message_key_expired',
      ],
      [
        'an unknown sender',
        signed({ ...next, sender: 'xx' }, 'jp-2028', strangerKey),
        403,
        'message_sender_unknown',
      ],
      [
        'for another deployment',
        signed({ ...next, receiver: 'kh' }),
        422,
        'message_wrong_receiver',
      ],
      // Properly signed by jp, but reusing number 1 with another key: a replay or a bug.
      ['a reused number', signed(envelope(1n, 'auth-other')), 409, 'message_sequence_reused'],
      // A key applied as message 1, sent again as 22.
      ['a reused key', signed(envelope(22n, 'auth-1')), 409, 'message_idempotency_conflict'],
      ['not a message', { hello: 'world' }, 400, 'message_malformed'],
      [
        'a sequence of zero',
        { ...(signed(next) as object), envelope: { ...next, sequence: '0' } },
        400,
        'message_malformed',
      ],
      [
        'a sequence beyond int8',
        { ...(signed(next) as object), envelope: { ...next, sequence: '9223372036854775808' } },
        400,
        'message_malformed',
      ],
      [
        'a body nested 40 deep',
        signed({ ...next, body: JSON.parse(`${'['.repeat(40)}1${']'.repeat(40)}`) as Json }),
        400,
        'message_malformed',
      ],
      [
        'a signature that is not base64 of 64 bytes',
        { ...(signed(next) as object), signature: 'AAAA' },
        400,
        'message_malformed',
      ],
    ];
    for (const [what, body, status, code] of cases) {
      const answer = await post(body);
      expect({ what, status: answer.status, code: answer.body['code'] }).toEqual({
        what,
        status,
        code,
      });
    }
    expect((await appliedInIndia()).length).toBe(before);
  });

  it('stops the link at a message the receiver refuses (a first-transfer record with no body), and sends again once resumed', async () => {
    await jp.db.transaction((tx) =>
      enqueueMessage(
        tx,
        { receiver: 'in', kind: 'first_transfer_record', idempotencyKey: 'ft-1', body: '{}' },
        jp.clock(),
      ),
    );
    await write('auth-23');
    await deliverAll();
    const stopped = (await outgoingLinks(jp.db))[0];
    expect(stopped?.stoppedBy).toEqual({ sequence: 22n, code: 'message_body_invalid' });
    expect(stopped?.acknowledged).toBe(21n);
    // Operators see it in /metrics a day later: two messages wait, the oldest for a day, stopped.
    jpClock.advanceDays(1);
    const metrics = await (await createApp(jp, { devToken: null }).request('/metrics')).text();
    expect(metrics).toContain('jcm_federation_outbox_waiting{peer="in"} 2');
    expect(metrics).toContain('jcm_federation_link_stopped{peer="in"} 1');
    const age = /jcm_federation_outbox_oldest_seconds\{peer="in"\} (\d+)/.exec(metrics)?.[1];
    expect(Number(age)).toBeGreaterThan(86_400);
    expect(Number(age)).toBeLessThan(86_460);
    // Another process's worker, in flight when the link stopped, saves its pass: the stop stays.
    const inFlight = { acknowledged: 21n, next: 22n, attempts: 0 };
    await saveDelivery(jp.db, 'in', inFlight, { at: jp.clock(), error: null });
    expect((await outgoingLinks(jp.db))[0]?.stoppedBy?.sequence).toBe(22n);
    // Stopped: a pass sends nothing.
    const sent = requests;
    await deliverer().deliver(peerIn());
    expect(requests).toBe(sent);
    // The operator looks with the CLI and resumes the link (the CLI closes what it opens: a wrapper).
    const openJp = async () => ({ ...jp, close: async () => undefined });
    const links = await runCli({ openPlatform: openJp }, 'federation', 'links');
    expect(links.out).toContain(
      'to in: 23 written, 21 acknowledged, STOPPED at 22 (message_body_invalid)',
    );
    const unknown = await runCli({ openPlatform: openJp }, '--json', 'federation', 'resume', 'kh');
    expect(unknown.out + unknown.err).toContain('federation_link_unknown');
    expect((await runCli({ openPlatform: openJp }, 'federation', 'resume', 'in')).exitCode).toBe(0);
    await deliverer().deliver(peerIn());
    expect(requests).toBe(sent + 1);
    expect((await outgoingLinks(jp.db))[0]?.stoppedBy?.code).toBe('message_body_invalid');
  });

  it('keeps a held message its applier refuses held, and applies the ones before it', async () => {
    const fromKh = (sequence: bigint, body: Json) =>
      signed({ ...envelope(sequence, `kh-${sequence}`), sender: 'kh', body }, 'kh-1', khKey);
    const before = (await appliedInIndia()).length;
    expect((await post(fromKh(3n, { n: 3 }))).status).toBe(409);
    expect((await post(fromKh(2n, { refuse: true }))).status).toBe(409);
    // 1 is applied; the held 2 is refused by its applier, so it and 3 stay held.
    expect((await post(fromKh(1n, { n: 1 }))).body).toMatchObject({
      outcome: 'applied',
      acknowledged: '1',
    });
    expect((await appliedInIndia()).length).toBe(before + 1);
    const metrics = await (await inApp.request('/metrics')).text();
    expect(metrics).toContain('jcm_federation_held{peer="kh"} 2');
    // Sent again, 2 is refused with its applier's code; a corrected 2 is applied, and 3 after it.
    expect((await post(fromKh(2n, { refuse: true }))).body['code']).toBe('invalid_request');
    expect((await appliedInIndia()).length).toBe(before + 1);
    expect((await post(fromKh(2n, { n: 2 }))).body).toMatchObject({ acknowledged: '3' });
    expect((await appliedInIndia()).length).toBe(before + 3);
  });

  it('tells a deployment without federation that it takes no messages', async () => {
    const { platform, testDb } = await freshPlatform();
    try {
      const response = await createApp(platform, { devToken: null }).request(messagesPath, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(signed(envelope(1n, 'x'))),
      });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { code: string }).code).toBe('federation_not_configured');
    } finally {
      await testDb.drop();
    }
  });
});
