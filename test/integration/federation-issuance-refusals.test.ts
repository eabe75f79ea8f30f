// What a registered peer's signed issuance messages cannot do (issue 16), on PGlite and PostgreSQL:
// Japan's deployment ("jp", hosting JP) receives messages India's ("in", hosting IN) signed, built
// here as a peer that misbehaves would. Each is refused with its stable code (never thrown), applies
// nothing (no decision, no row of `peer_decisions`, no ledger row) and leaves the link where it was.
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageKind } from '../../src/core/federation/messages.ts';
import type { Json } from '../../src/core/shared/canonical-json.ts';
import { outgoingLinks } from '../../src/db/federation-store.ts';
import { confirmations } from '../../src/db/peer-issuance-store.ts';
import { configOf } from '../../src/services/federation-config.ts';
import type { CommandInput, CommandName } from '../../src/services/ledger-schemas.ts';
import type { FederationReceiver } from '../../src/services/federation-receiver.ts';
import { publicKeyText, signEnvelope } from '../../src/services/federation-signatures.ts';
import { wireOf } from '../../src/services/federation-wire.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { admin, mustRun, snapshot } from '../support/scenario.ts';

const inKey = generateKeyPairSync('ed25519').privateKey;
const config = configOf(
  {
    self: 'jp',
    registries: ['JP'],
    signingKey: { keyId: 'jp-1', privateKeyFile: 'unused' },
    peers: [
      {
        id: 'in',
        url: 'http://127.0.0.1:1',
        registries: ['IN'],
        keys: [
          {
            keyId: 'in-1',
            publicKey: publicKeyText(createPublicKey(inKey)),
            validFrom: '2020-01-01T00:00:00Z',
          },
        ],
      },
    ],
  },
  generateKeyPairSync('ed25519').privateKey,
);

let side: { platform: TestPlatform; testDb: TestDb };
let receiver: FederationReceiver;

beforeAll(async () => {
  side = await freshPlatform({ federation: { config } });
  await mustRun(side.platform, 'open_registry', { registry: 'JP', name: "Japan's registry" });
  await mustRun(side.platform, 'open_registry', { registry: 'IN', name: "India's registry" });
  await mustRun(side.platform, 'open_account', {
    registry: 'JP',
    accountType: 'holding',
    holderId: 'acme',
    holderName: 'Acme',
  });
  // The account goes to India's deployment as an account_record, written now.
  side.platform.outbox.poke();
  await side.platform.outbox.idle();
  const federation = side.platform.federation;
  if (federation === null) throw new Error('no federation');
  receiver = federation.receiver;
});
afterAll(async () => {
  await side.testDb.drop();
});

/** The number jp awaits from in: a refused message does not move it. */
async function awaited(): Promise<bigint> {
  const links = await side.platform.federation?.links();
  return links?.incoming.find((l) => l.sender === 'in')?.next ?? 1n;
}

let forged = 0;
async function send(kind: MessageKind, body: Json): Promise<string> {
  const sequence = await awaited();
  forged += 1;
  const envelope = {
    version: 1 as const,
    sender: 'in',
    receiver: 'jp',
    sequence,
    idempotencyKey: `forged-${forged}`,
    kind,
    writtenAt: new Date().toISOString(),
    body,
  };
  const answer = await receiver.receive(wireOf(signEnvelope(envelope, 'in-1', inKey)));
  return answer.ok ? answer.value.outcome : answer.error.code;
}

interface Line {
  lineNo: number;
  registry: string;
  account: string;
  vintage: number;
  quantity: string;
  serials: { first: string; last: string };
  reserve: string;
}

/** A notification of decision `id` as in's deployment numbers it, with `change` applied. */
function notification(
  id: string,
  change: (n: { lines: Line[]; [k: string]: unknown }) => void = () => undefined,
): Json {
  const n = {
    decision: id,
    project: 'IN001',
    verificationReference: `V-${id}`,
    verifiedReductions: [{ vintage: 2027, quantity: '150' }],
    serials: { first: '1', last: '150' },
    lines: [
      {
        lineNo: 1,
        registry: 'JP',
        account: 'JP-000004',
        vintage: 2027,
        quantity: '100',
        serials: { first: '1', last: '100' },
        reserve: '0',
      },
      {
        lineNo: 2,
        registry: 'IN',
        account: 'IN-000004',
        vintage: 2027,
        quantity: '50',
        serials: { first: '101', last: '150' },
        reserve: '0',
      },
    ],
  };
  change(n as unknown as { lines: Line[]; [k: string]: unknown });
  return n as unknown as Json;
}

const line = (n: { lines: Line[] }, i: number) => n.lines[i] as Line;

describe(`issuance messages a peer must not get applied, on ${testDbKind}`, () => {
  it('refuses notifications with amounts the ledger never takes, applying nothing', async () => {
    const before = await snapshot(side.platform);
    const cases: [string, Json, string][] = [
      [
        'a line of no credits',
        notification('X1', (n) => {
          n.lines = [
            line(n, 0),
            { ...line(n, 1), quantity: '0', serials: { first: '101', last: '100' } },
          ];
          n['serials'] = { first: '1', last: '100' };
        }),
        'message_body_invalid',
      ],
      [
        'verified reductions past any quantity',
        notification('X2', (n) => {
          n['verifiedReductions'] = [{ vintage: 2027, quantity: '9999999999999999999' }];
        }),
        'message_body_invalid',
      ],
      [
        'a verification reference longer than any here',
        notification('X3', (n) => {
          n['verificationReference'] = 'V'.repeat(200);
        }),
        'message_body_invalid',
      ],
      [
        'a reserve above its line',
        notification('X4', (n) => {
          n.lines = [{ ...line(n, 0), reserve: '101' }, line(n, 1)];
        }),
        'decision_reserve_invalid',
      ],
      [
        "credits into Japan's retirement account",
        notification('X5', (n) => {
          n.lines = [{ ...line(n, 0), account: 'JP-000001' }, line(n, 1)];
        }),
        'destination_account_type_not_allowed',
      ],
      [
        'serials that do not continue the project',
        notification('X6', (n) => {
          n['serials'] = { first: '11', last: '160' };
          n.lines = [
            { ...line(n, 0), serials: { first: '11', last: '110' } },
            { ...line(n, 1), serials: { first: '111', last: '160' } },
          ];
        }),
        'decision_serial_range_not_contiguous',
      ],
      [
        'a partnership India is not in',
        notification('X7', (n) => {
          n['project'] = 'TH001';
        }),
        'message_sender_not_in_partnership',
      ],
      [
        "a decision with no line for Japan's registry",
        notification('X8', (n) => {
          n.lines = [
            { ...line(n, 1), lineNo: 1, quantity: '150', serials: { first: '1', last: '150' } },
          ];
        }),
        'notification_no_line_here',
      ],
    ];
    for (const [what, body, code] of cases)
      expect([what, await send('issuance_notification', body)]).toEqual([what, code]);
    expect(await snapshot(side.platform)).toEqual(before);
    const rows = await side.platform.db.read((k) =>
      k.selectFrom('peer_decisions').select('decision_id').execute(),
    );
    expect(rows).toEqual([]);
  });

  it('refuses a confirmation it cannot store and one that changes an earlier one', async () => {
    const linkBefore = (await outgoingLinks(side.platform.db, 'in')).map((l) => l.lastSequence);
    expect(await send('issuance_notification', notification('D1'))).toBe('applied');
    // Recorded on India's word, it is not notified back to India (no loop).
    side.platform.outbox.poke();
    await side.platform.outbox.idle();
    const back = await outgoingLinks(side.platform.db, 'in');
    expect(back.map((l) => l.lastSequence)).toEqual(linkBefore);
    // D1 as India's deployment notified it; India's confirms the line of its registry.
    const confirmation = (seq: string, hash: string): Json => ({
      decision: 'D1',
      lineNo: 2,
      registry: 'IN',
      serials: { first: '101', last: '150' },
      entry: { chain: 'IN', seq, hash },
    });
    expect(
      await send('issuance_confirmation', confirmation('9999999999999999999', 'a'.repeat(64))),
    ).toBe('message_body_invalid');
    expect(await send('issuance_confirmation', confirmation('3', 'a'.repeat(64)))).toBe('applied');
    expect(await send('issuance_confirmation', confirmation('3', 'a'.repeat(64)))).toBe('applied');
    expect(await send('issuance_confirmation', confirmation('4', 'b'.repeat(64)))).toBe(
      'confirmation_conflict',
    );
    const stored = await confirmations(side.platform.db);
    expect(stored.map((c) => `${c.decision}#${c.lineNo} ${c.entry.chain}#${c.entry.seq}`)).toEqual([
      'D1#2 IN#3',
    ]);
  });

  it("takes no reserve or hosting from a request, and refuses writes to India's registry", async () => {
    const write = async (name: CommandName, input: Record<string, unknown>) => {
      const done = await side.platform.ledger.execute(name, {
        actor: admin,
        idempotencyKey: randomUUID(),
        input: input as CommandInput,
      });
      return done.ok ? 'written' : done.error.code;
    };
    const forged = notification('X9') as unknown as { lines: Line[] };
    const decision = {
      decision: 'X9',
      project: 'IN001',
      verification: { reference: 'V-X9', reductions: [{ vintage: 2027, quantity: '150' }] },
      lines: forged.lines.map((l) => ({
        registry: l.registry,
        account: l.account,
        vintage: l.vintage,
        quantity: l.quantity,
      })),
    };
    expect(await write('record_issuance_decision', { ...decision, lineReserves: ['0', '0'] })).toBe(
      'invalid_request',
    );
    expect(await write('record_issuance_decision', { ...decision, hostedElsewhere: ['JP'] })).toBe(
      'invalid_request',
    );
    const selection = { quantity: '1' };
    const cases: [CommandName, Record<string, unknown>][] = [
      ['issue', { registry: 'IN', decision: 'D1', line: 2 }],
      ['transfer', { from: 'IN-000004', to: 'JP-000004', selection }],
      [
        'retire',
        { from: 'IN-000004', selection, purpose: 'voluntary_offsetting', beneficiary: 'X' },
      ],
      ['freeze_account', { account: 'IN-000004', reason: 'test' }],
      ['open_account', { registry: 'IN', accountType: 'holding', holderId: 'x', holderName: 'X' }],
    ];
    for (const [name, input] of cases)
      expect([name, await write(name, input)]).toEqual([name, 'registry_hosted_elsewhere']);
  });
});
