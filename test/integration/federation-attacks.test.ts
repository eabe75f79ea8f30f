// Messages between deployments (issue 16) as an attacker, a broken peer and a new operator see them.
// India's deployment ("in") receives through its real HTTP app, from three registered peers: Japan's
// ("jp", whose messages the tests sign by hand), Cambodia's ("kh", likewise) and Thailand's ("th",
// a real delivery worker). The sending side is also tried against peers that answer oddly: a
// malicious or broken receiver must not make a sender skip messages, spin, or keep what it says.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageEnvelope, MessageKind } from '../../src/core/federation/messages.ts';
import type { Json } from '../../src/core/shared/canonical-json.ts';
import { ok, reject } from '../../src/core/shared/result.ts';
import { enqueueMessage, outgoingLinks } from '../../src/db/federation-store.ts';
import { addToOutbox } from '../../src/db/write-store.ts';
import { createApp } from '../../src/http/app.ts';
import { configOf, type FederationConfig } from '../../src/services/federation-config.ts';
import { FederationDelivery, replyOf } from '../../src/services/federation-delivery.ts';
import type { MessageAppliers } from '../../src/services/federation-receiver.ts';
import { publicKeyText, signEnvelope } from '../../src/services/federation-signatures.ts';
import { messagesPath, wireOf } from '../../src/services/federation-wire.ts';
import { runCli } from '../support/cli.ts';
import {
  freshDb,
  freshPlatform,
  testDbKind,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';

const privateKey = () => generateKeyPairSync('ed25519').privateKey;
const publicOf = (key: KeyObject) => publicKeyText(createPublicKey(key));
const keys = { jp: privateKey(), in: privateKey(), kh: privateKey(), th: privateKey() };
const stranger = privateKey();
type Id = keyof typeof keys;

/** `self`, signing with its key, linked with `peers` (each with its one key, valid since 2028). */
function configFor(self: Id, peers: readonly Id[]): FederationConfig {
  return configOf(
    {
      self,
      registries: [self.toUpperCase()],
      signingKey: { keyId: `${self}-1`, privateKeyFile: 'unused' },
      peers: peers.map((id) => ({
        id,
        url: `http://${id}.test`,
        registries: [id.toUpperCase()],
        keys: [
          { keyId: `${id}-1`, publicKey: publicOf(keys[id]), validFrom: '2028-01-01T00:00:00Z' },
        ],
      })),
    },
    keys[self],
  );
}

/** Records each applied message in the receiver's outbox (topic test.applied), in its transaction. */
const appliers: MessageAppliers = {
  authorisation_record: async (tx, message, ctx) => {
    if ((message.envelope.body as { refuse?: boolean }).refuse === true)
      return reject('invalid_request', 'the test applier refuses this body');
    await addToOutbox(
      tx,
      [
        {
          topic: 'test.applied',
          payload: {
            sender: message.envelope.sender,
            sequence: message.envelope.sequence.toString(),
            key: message.envelope.idempotencyKey,
            // As text: jsonb takes no lone surrogate, and the test compares what was applied.
            body: JSON.stringify(message.envelope.body),
          },
        },
      ],
      ctx.now,
    );
    return ok(undefined);
  },
};

let india: TestPlatform;
let inDb: TestDb;
let inApp: ReturnType<typeof createApp>;

beforeAll(async () => {
  ({ platform: india, testDb: inDb } = await freshPlatform({
    federation: { config: configFor('in', ['jp', 'kh', 'th']), appliers },
  }));
  inApp = createApp(india, { devToken: null });
});
afterAll(async () => {
  await inDb.drop();
});

interface Applied {
  sender: string;
  sequence: string;
  key: string;
  body: Json;
}

async function applied(sender: Id): Promise<Applied[]> {
  const rows = await india.db.read((k) =>
    sql<{ payload: Applied }>`SELECT payload FROM outbox WHERE topic = 'test.applied'
      ORDER BY id`.execute(k),
  );
  return rows.rows
    .map((r) => ({ ...r.payload, body: JSON.parse(r.payload.body as string) as Json }))
    .filter((p) => p.sender === sender);
}

async function held(sender: Id): Promise<bigint[]> {
  const rows = await india.db.read((k) =>
    sql<{ sequence: string }>`SELECT sequence::text AS sequence FROM federation_received
      WHERE sender = ${sender} AND applied_at IS NULL ORDER BY sequence`.execute(k),
  );
  return rows.rows.map((r) => BigInt(r.sequence));
}

function envelope(
  sender: Id,
  sequence: bigint,
  key: string,
  extra: Partial<MessageEnvelope> = {},
): MessageEnvelope {
  return {
    version: 1,
    sender,
    receiver: 'in',
    sequence,
    idempotencyKey: key,
    kind: 'authorisation_record',
    writtenAt: '2028-04-01T09:00:00.000Z',
    body: { key },
    ...extra,
  };
}

const signed = (env: MessageEnvelope, keyId = `${env.sender}-1`, key = keys[env.sender as Id]) =>
  wireOf(signEnvelope(env, keyId, key)) as Record<string, unknown> & {
    envelope: Record<string, unknown>;
  };

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await inApp.request(messagesPath, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

/** A message's wire text with its body's JSON replaced by `bodyText` (the rest as signed). */
function withBodyText(wire: { envelope: Record<string, unknown> }, bodyText: string): string {
  const marker = '"__BODY__"';
  const text = JSON.stringify({ ...wire, envelope: { ...wire.envelope, body: '__BODY__' } });
  return text.replace(marker, bodyText);
}

describe('the receiving edge, attacked', () => {
  it('admits only a valid signature of the registered sender over exactly the envelope it verifies', async () => {
    const next = envelope('jp', 1n, 'jp-a');
    const good = signed(next);
    const cases: [string, unknown, number, string][] = [
      [
        'kh signs as jp with its own key id',
        signed(next, 'kh-1', keys.kh),
        403,
        'message_key_unknown',
      ],
      [
        'kh signs as jp under jp’s key id',
        signed(next, 'jp-1', keys.kh),
        403,
        'message_signature_invalid',
      ],
      [
        'a stranger claims to be kh',
        signed({ ...next, sender: 'kh' }, 'kh-1', stranger),
        403,
        'message_signature_invalid',
      ],
      [
        'jp’s message readdressed',
        { ...good, envelope: { ...good.envelope, receiver: 'kh' } },
        422,
        'message_wrong_receiver',
      ],
      [
        'jp’s message resent as kh’s',
        { ...good, envelope: { ...good.envelope, sender: 'kh' }, keyId: 'kh-1' },
        403,
        'message_signature_invalid',
      ],
      [
        'another number under the same signature',
        { ...good, envelope: { ...good.envelope, sequence: '2' } },
        403,
        'message_signature_invalid',
      ],
      [
        'another kind under the same signature',
        { ...good, envelope: { ...good.envelope, kind: 'first_transfer_record' } },
        403,
        'message_signature_invalid',
      ],
      [
        'another time under the same signature',
        { ...good, envelope: { ...good.envelope, writtenAt: '2028-04-01T09:00:00.001Z' } },
        403,
        'message_signature_invalid',
      ],
      [
        'the sequence as a JSON number',
        { ...good, envelope: { ...good.envelope, sequence: 1 } },
        400,
        'message_malformed',
      ],
      [
        'the sequence with a leading zero',
        { ...good, envelope: { ...good.envelope, sequence: '01' } },
        400,
        'message_malformed',
      ],
      [
        'the sequence as 1e0',
        { ...good, envelope: { ...good.envelope, sequence: '1e0' } },
        400,
        'message_malformed',
      ],
      [
        'an extra envelope field',
        { ...good, envelope: { ...good.envelope, admin: true } },
        400,
        'message_malformed',
      ],
      ['an extra top-level field', { ...good, actor: 'admin' }, 400, 'message_malformed'],
      [
        'version 2',
        { ...good, envelope: { ...good.envelope, version: 2 } },
        400,
        'message_malformed',
      ],
      [
        'no body',
        { ...good, envelope: { ...good.envelope, body: undefined } },
        400,
        'message_malformed',
      ],
      [
        'a signature of 63 bytes',
        { ...good, signature: `${'A'.repeat(84)}==` },
        400,
        'message_malformed',
      ],
      [
        'a signature of zeros',
        { ...good, signature: `${'A'.repeat(86)}==` },
        403,
        'message_signature_invalid',
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
    expect(await applied('jp')).toEqual([]);
    expect(await held('jp')).toEqual([]);
  });

  it('verifies the value, not the text: equal JSON spellings pass, a forged duplicate key does not', async () => {
    // Key order, escapes and number spellings do not change the value the signature covers.
    const first = signed(envelope('jp', 1n, 'jp-1', { body: { b: 100, a: 'Ä' } }));
    const respelled = withBodyText(first, '{"a":"\\u00c4","b":1e2}');
    expect((await post(respelled)).body).toMatchObject({ outcome: 'applied', acknowledged: '1' });
    // A duplicate key: JSON.parse keeps the last, which is what is both verified and applied.
    const second = signed(envelope('jp', 2n, 'jp-2', { body: { amount: 1 } }));
    const forgedLast = withBodyText(second, '{"amount":1,"amount":1000}');
    expect((await post(forgedLast)).body['code']).toBe('message_signature_invalid');
    const forgedFirst = withBodyText(second, '{"amount":1000,"amount":1}');
    expect((await post(forgedFirst)).body).toMatchObject({ acknowledged: '2' });
    expect((await applied('jp')).map((a) => a.body)).toEqual([{ a: 'Ä', b: 100 }, { amount: 1 }]);
    // A lone surrogate and -0 survive the round trip as the sender's canonical JSON wrote them.
    const third = signed(envelope('jp', 3n, 'jp-3', { body: { s: 'x\ud800y', z: -0 } }));
    expect((await post(third)).body).toMatchObject({ acknowledged: '3' });
    expect((await applied('jp'))[2]?.body).toEqual({ s: 'x\ud800y', z: 0 });
  });

  it('refuses a body with a number JSON cannot carry back (1e400) as malformed, not with a 500', async () => {
    for (const bodyText of ['{"n":1e400}', '{"n":-1e400}', '[1e999]']) {
      // Signed over what a sender could sign: the attacker only changes the text.
      const wire = signed(envelope('jp', 4n, 'jp-4', { body: { n: 1 } }));
      const answer = await post(withBodyText(wire, bodyText));
      expect({ bodyText, status: answer.status, code: answer.body['code'] }).toEqual({
        bodyText,
        status: 400,
        code: 'message_malformed',
      });
    }
    // From an unknown sender too (nothing about the sender is trusted before the body is read).
    const unknown = signed({ ...envelope('jp', 1n, 'x'), sender: 'zz' }, 'zz-1', stranger);
    expect((await post(withBodyText(unknown, '{"n":1e400}'))).status).toBe(400);
  });

  it.skipIf(testDbKind !== 'postgres')(
    'refuses a forged message without waiting for the link’s lock',
    async () => {
      // A writer holds jp's incoming link (a long receipt); a forged message must not queue behind it.
      let release: () => void = () => undefined;
      let locked: () => void = () => undefined;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const holding = india.db.transaction(async (tx) => {
        await sql`INSERT INTO federation_links_in (sender) VALUES ('jp')
          ON CONFLICT (sender) DO NOTHING`.execute(tx);
        await sql`SELECT next_sequence FROM federation_links_in WHERE sender = 'jp'
          FOR UPDATE`.execute(tx);
        await new Promise<void>((resolve) => {
          release = resolve;
          locked();
        });
      });
      await lockTaken;
      try {
        const forged = post(signed(envelope('jp', 4n, 'jp-4'), 'jp-1', stranger));
        const first = await Promise.race([
          forged.then((a) => a.body['code']),
          new Promise((resolve) => setTimeout(() => resolve('waited for the lock'), 3000)),
        ]);
        expect(first).toBe('message_signature_invalid');
      } finally {
        release();
        await holding;
      }
    },
  );

  it('answers bad input at the edge with a 4xx and a stable code, never a 500', async () => {
    const good = JSON.stringify(signed(envelope('jp', 4n, 'jp-4')));
    const deep = `{"envelope":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const cases: [string, RequestInit, number, string][] = [
      [
        'text/plain',
        { body: good, headers: { 'content-type': 'text/plain' } },
        415,
        'content_type_unsupported',
      ],
      [
        'a form',
        { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        415,
        'content_type_unsupported',
      ],
      ['no content type', { body: good }, 415, 'content_type_unsupported'],
      [
        'an empty body',
        { body: '', headers: { 'content-type': 'application/json' } },
        400,
        'malformed_json',
      ],
      ['no body, no type', {}, 400, 'invalid_request'],
      [
        'not JSON',
        { body: '{"envelope":', headers: { 'content-type': 'application/json' } },
        400,
        'malformed_json',
      ],
      [
        'null',
        { body: 'null', headers: { 'content-type': 'application/json' } },
        400,
        'invalid_request',
      ],
      [
        'an array',
        { body: '[]', headers: { 'content-type': 'application/json' } },
        400,
        'invalid_request',
      ],
      [
        'a string',
        { body: '"hello"', headers: { 'content-type': 'application/json' } },
        400,
        'invalid_request',
      ],
      [
        '1 MB',
        {
          body: `{"x":"${'a'.repeat(1_000_000)}"}`,
          headers: { 'content-type': 'application/json' },
        },
        413,
        'payload_too_large',
      ],
      [
        'nested 100,000 deep',
        { body: deep, headers: { 'content-type': 'application/json' } },
        400,
        'message_malformed',
      ],
      [
        'a NUL in a key id',
        {
          body: good.replace('"keyId":"jp-1"', '"keyId":"jp-1\\u0000"'),
          headers: { 'content-type': 'application/json' },
        },
        400,
        'control_character_refused',
      ],
      [
        'a C1 control in the body',
        {
          body: good.replace('"key":"jp-4"', '"key":"jp-4\\u0085"'),
          headers: { 'content-type': 'application/json' },
        },
        400,
        'control_character_refused',
      ],
      [
        'invalid UTF-8',
        {
          body: Buffer.concat([
            Buffer.from('{"a":"'),
            Buffer.from([0xed, 0xa0, 0x80]),
            Buffer.from('"}'),
          ]),
          headers: { 'content-type': 'application/json' },
        },
        400,
        'message_malformed',
      ],
    ];
    for (const [what, init, status, code] of cases) {
      const response = await inApp.request(messagesPath, { method: 'POST', ...init });
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      expect({ what, status: response.status, code: body['code'] }).toEqual({ what, status, code });
    }
  });
});

describe('replays, races and gaps on a link', () => {
  const fromKh = (sequence: bigint, key = `kh-${sequence}`, body: Json = { key }) =>
    signed(envelope('kh', sequence, key, { body }));

  it('applies the first message of a new link once when it arrives many times at once', async () => {
    const message = fromKh(1n);
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(message)));
    expect(answers.map((a) => [a.status, a.body['acknowledged']])).toEqual(
      Array(8).fill([200, '1']),
    );
    expect((await applied('kh')).map((a) => a.sequence)).toEqual(['1']);
  });

  it('refuses one idempotency key at two numbers, whether applied or held first', async () => {
    expect((await post(fromKh(2n, 'kh-1'))).body['code']).toBe('message_idempotency_conflict');
    // Held at 4 with key kh-3, then 2 and 3 (kh-3) arrive: 4 stays held, it is not applied twice.
    expect((await post(fromKh(4n, 'kh-3'))).status).toBe(409);
    expect((await post(fromKh(2n))).body).toMatchObject({ acknowledged: '2' });
    expect((await post(fromKh(3n))).body).toMatchObject({ acknowledged: '3' });
    expect(await held('kh')).toEqual([4n]);
    expect((await post(fromKh(4n, 'kh-3'))).body['code']).toBe('message_idempotency_conflict');
    // The sender's own later copy of 4 (another authentic message) replaces the held one.
    expect((await post(fromKh(5n))).status).toBe(409);
    expect((await post(fromKh(4n))).body).toMatchObject({ acknowledged: '5' });
    expect((await applied('kh')).map((a) => a.key)).toEqual([
      'kh-1',
      'kh-2',
      'kh-3',
      'kh-4',
      'kh-5',
    ]);
    expect(await held('kh')).toEqual([]);
  });

  it('answers a far-future number with the awaited one and keeps nothing past the window', async () => {
    const answer = await post(fromKh(5000n));
    expect(answer).toMatchObject({
      status: 409,
      body: { code: 'message_sequence_gap', details: { expected: '6' } },
    });
    expect((await post(fromKh(9_223_372_036_854_775_807n))).body['code']).toBe(
      'message_sequence_gap',
    );
    expect(await held('kh')).toEqual([]);
    // A replay of an applied message is acknowledged again, with the link's last number.
    expect((await post(fromKh(2n))).body).toMatchObject({
      outcome: 'acknowledged',
      acknowledged: '5',
    });
    // Held copies of one number with another body: the later wins; the gap then fills.
    expect((await post(fromKh(7n, 'kh-7', { v: 'first' }))).status).toBe(409);
    expect((await post(fromKh(7n, 'kh-7', { v: 'second' }))).status).toBe(409);
    expect((await post(fromKh(6n))).body).toMatchObject({ acknowledged: '7' });
    expect((await applied('kh')).at(-1)?.body).toEqual({ v: 'second' });
    // Once applied, that number with the other body is a reuse.
    expect((await post(fromKh(7n, 'kh-7', { v: 'first' }))).body['code']).toBe(
      'message_idempotency_conflict',
    );
  });
});

/** A sending deployment ("jp") over its own database, delivering to `answer` instead of a network. */
async function sender(self: Id = 'jp') {
  const testDb = await freshDb();
  let ms = Date.UTC(2028, 3, 1, 9, 0, 0);
  const clock = () => new Date((ms += 1000)).toISOString();
  const config = configFor(self, ['in']);
  const peer = config.peers[0] ?? expect.fail('a peer');
  const sent: bigint[] = [];
  const worker = (
    answer: (sequence: bigint, n: number, init: RequestInit) => Promise<Response> | Response,
  ) =>
    new FederationDelivery(testDb.db, config, {
      clock,
      fetch: async (_url, init) => {
        const wire = JSON.parse(String(init?.body)) as { envelope: { sequence: string } };
        const sequence = BigInt(wire.envelope.sequence);
        sent.push(sequence);
        return answer(sequence, sent.length, init ?? {});
      },
    });
  const write = (key: string, kind: MessageKind = 'authorisation_record') =>
    testDb.db.transaction((tx) =>
      enqueueMessage(
        tx,
        { receiver: 'in', kind, idempotencyKey: key, body: JSON.stringify({ key }) },
        clock(),
      ),
    );
  const link = async () =>
    (await outgoingLinks(testDb.db)).find((l) => l.receiver === 'in') ?? expect.fail('a link');
  return { testDb, peer, sent, worker, write, link };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the delivery worker, facing a broken or malicious receiver', () => {
  it('does not spin on an acknowledgement below the message it sent', async () => {
    const jp = await sender();
    try {
      await jp.write('a-1');
      const worker = jp.worker((_s, n) => {
        if (n > 20) throw new TypeError('fetch failed: the test stops the loop');
        return json(200, { outcome: 'applied', acknowledged: '0' });
      });
      const wait = await worker.deliver(jp.peer);
      expect(jp.sent).toEqual([1n]);
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(await jp.link()).toMatchObject({ acknowledged: 0n });
    } finally {
      await jp.testDb.drop();
    }
  });

  it('sends every message even when the receiver acknowledges or awaits numbers it was never sent', async () => {
    const jp = await sender();
    try {
      for (let i = 1; i <= 5; i++) await jp.write(`a-${i}`);
      // "Applied up to 1000" (a lie, or a man in the middle on plain HTTP) for the first message.
      await jp
        .worker(() => json(200, { outcome: 'applied', acknowledged: '1000' }))
        .deliver(jp.peer);
      expect(jp.sent).toEqual([1n, 2n, 3n, 4n, 5n]);
      expect((await jp.link()).acknowledged).toBe(5n);
      // A gap answer naming a number at or past the one sent moves nothing on.
      await jp.write('a-6');
      await jp
        .worker(() => json(409, { code: 'message_sequence_gap', details: { expected: '1000' } }))
        .deliver(jp.peer);
      expect((await jp.link()).acknowledged).toBe(5n);
    } finally {
      await jp.testDb.drop();
    }
  });

  it('stops reading an endless answer and keeps no peer text that is not a stable code', async () => {
    let pulled = 0;
    const endless = () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            pulled += 65_536;
            controller.enqueue(new Uint8Array(65_536).fill(0x20));
            if (pulled > 64 * 1024 * 1024) controller.close();
          },
        }),
        { status: 200 },
      );
    expect(await replyOf(1n, endless())).toEqual({ kind: 'unreachable' });
    expect(pulled).toBeLessThanOrEqual(1024 * 1024);
    const evil = `\u001b]0;pwned\u0007${'x'.repeat(5000)}`;
    expect(await replyOf(1n, json(403, { code: evil }))).toEqual({ kind: 'unreachable' });
    expect(await replyOf(1n, json(403, { code: 'message_signature_invalid' }))).toEqual({
      kind: 'refused',
      sequence: 1n,
      code: 'message_signature_invalid',
    });
  });

  it('does not resume a link another worker stopped', async () => {
    const jp = await sender();
    try {
      await jp.write('a-1');
      // Worker B starts a pass (the link is not stopped, one message written) and waits for its answer.
      let answerB: (r: Response) => void = () => undefined;
      let sentB: () => void = () => undefined;
      const bSent = new Promise<void>((resolve) => (sentB = resolve));
      const b = jp.worker(
        () =>
          new Promise<Response>((resolve) => {
            answerB = resolve;
            sentB();
          }),
      );
      const passB = b.deliver(jp.peer);
      await bSent;
      // Meanwhile message 2 is written, and worker A has 1 acknowledged and 2 refused: it stops.
      await jp.write('a-2', 'first_transfer_record');
      await jp
        .worker((sequence) =>
          sequence === 1n
            ? json(200, { outcome: 'applied', acknowledged: '1' })
            : json(422, { code: 'message_kind_unsupported' }),
        )
        .deliver(jp.peer);
      expect((await jp.link()).stoppedBy).toEqual({
        sequence: 2n,
        code: 'message_kind_unsupported',
      });
      // B's late answer for 1 arrives: the stop stays until an operator resumes.
      answerB(json(200, { outcome: 'acknowledged', acknowledged: '1' }));
      await passB;
      expect((await jp.link()).stoppedBy).toEqual({
        sequence: 2n,
        code: 'message_kind_unsupported',
      });
    } finally {
      await jp.testDb.drop();
    }
  });

  it('sends again what a receiver restored from a backup lost', async () => {
    const th = await sender('th');
    try {
      const worker = th.worker((_s, _n, init) => inApp.request(messagesPath, init));
      const deliverAll = async () => {
        for (let i = 0; i < 30; i++) {
          await worker.deliver(th.peer);
          const link = await th.link();
          if (link.acknowledged === link.lastSequence) return;
        }
      };
      for (let i = 1; i <= 4; i++) await th.write(`t-${i}`);
      await deliverAll();
      expect((await applied('th')).map((a) => a.sequence)).toEqual(['1', '2', '3', '4']);
      // India is restored from a backup taken after message 2: 3 and 4 are gone there.
      await india.db.transaction(async (tx) => {
        await sql`DELETE FROM federation_received WHERE sender = 'th' AND sequence > 2`.execute(tx);
        await sql`UPDATE federation_links_in SET next_sequence = 3 WHERE sender = 'th'`.execute(tx);
        await sql`DELETE FROM outbox WHERE topic = 'test.applied' AND payload->>'sender' = 'th'
          AND (payload->>'sequence')::int > 2`.execute(tx);
      });
      await th.write('t-5');
      await deliverAll();
      expect((await applied('th')).map((a) => a.sequence)).toEqual(['1', '2', '3', '4', '5']);
      expect((await th.link()).acknowledged).toBe(5n);
    } finally {
      await th.testDb.drop();
    }
  });

  it('keeps the reason a peer could not be reached, not only "fetch failed"', async () => {
    const jp = await sender();
    try {
      await jp.write('a-1');
      const cause = new Error('getaddrinfo ENOTFOUND in.test');
      await jp
        .worker(() => {
          throw new TypeError('fetch failed', { cause });
        })
        .deliver(jp.peer);
      expect((await jp.link()).lastError).toContain('ENOTFOUND');
    } finally {
      await jp.testDb.drop();
    }
  });
});

describe('jcm federation keygen', () => {
  it('refuses to write through a symbolic link, even one that points nowhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jcm-keygen-'));
    const link = join(dir, 'key.pem');
    symlinkSync(join(dir, 'elsewhere.pem'), link);
    const made = await runCli({}, '--json', 'federation', 'keygen', link);
    expect(made.exitCode).not.toBe(0);
    expect(made.out + made.err).toContain('EEXIST');
    expect(made.out + made.err).not.toContain('PRIVATE KEY');
  });
});
