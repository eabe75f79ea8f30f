// Signed checkpoints (issue 16, point 3), on PGlite and PostgreSQL: each hosted registry's journal
// head and totals signed with the deployment's key and published at GET /api/v1/checkpoints; a
// checkpoint that does not extend the last one (the head went back, an entry signed before has
// another hash) is refused and not signed; only administrators make them, only for registries hosted
// here; the table is append-only; the CLI signs and lists them.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointText } from '../../src/core/federation/checkpoints.ts';
import { createApp } from '../../src/http/app.ts';
import { checkpointFromText } from '../../src/services/checkpoints.ts';
import { verifyEd25519 } from '../../src/services/federation-signatures.ts';
import { runCli } from '../support/cli.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { admin, mustRun, standardOpening } from '../support/scenario.ts';
import { signingDeployment } from '../support/checkpoints.ts';

const config = signingDeployment();

let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform({ federation: { config } }));
  app = createApp(platform, { devToken: null });
  await standardOpening(platform);
});
afterAll(async () => {
  await testDb.drop();
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await app.request(path);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function head(chain: string): Promise<{ seq: bigint; hash: string }> {
  const row = await testDb.db.read((k) =>
    sql<{ head_seq: bigint; head_hash: string }>`
      SELECT head_seq, head_hash FROM chains WHERE id = ${chain}`.execute(k),
  );
  const first = row.rows[0];
  if (first === undefined) throw new Error(`no chain ${chain}`);
  return { seq: first.head_seq, hash: first.head_hash };
}

describe(`signed checkpoints on ${testDbKind}`, () => {
  it('signs the head and the totals of every hosted registry, verifiable with the public key', async () => {
    const made = await platform.checkpoints.publishAll(admin);
    if (!made.ok) throw new Error(made.error.code);
    expect(made.value.map((c) => c.checkpoint.registry)).toEqual(['JP', 'IN']);
    for (const c of made.value) {
      expect(c.text).toBe(checkpointText(c.checkpoint));
      expect(verifyEd25519(config.publicKey, c.text, c.signature)).toBe(true);
      expect([c.keyId, c.publicKey, c.checkpoint.deployment]).toEqual([
        'jp-2028',
        config.publicKey,
        'jp',
      ]);
      expect(c.checkpoint.heads).toEqual([
        { chain: c.checkpoint.registry, ...(await head(c.checkpoint.registry)) },
      ]);
    }
    // The standard opening issued 100 to JP-000004 (a holding account) and 50 to IN-000004.
    expect(made.value[0]?.checkpoint.totals).toEqual([
      { accountType: 'holding', project: 'IN001', vintage: 2027, quantity: 100n },
    ]);
    expect(made.value[1]?.checkpoint.totals).toEqual([
      { accountType: 'holding', project: 'IN001', vintage: 2027, quantity: 50n },
    ]);
    // A changed text does not verify, and a reformatted one is not the checkpoint.
    const jpText = made.value[0]?.text ?? '';
    const altered = jpText.replace('"quantity":"100"', '"quantity":"101"');
    expect(altered).not.toBe(jpText);
    expect(verifyEd25519(config.publicKey, altered, made.value[0]?.signature ?? '')).toBe(false);
    expect(checkpointFromText(JSON.stringify(JSON.parse(jpText), null, 1))).toMatchObject({
      ok: false,
      error: { code: 'checkpoint_malformed' },
    });
  });

  it('publishes them to anyone, oldest first, a page at a time, and a later one extends the earlier', async () => {
    await mustRun(platform, 'retire', {
      from: 'JP-000004',
      selection: { quantity: '10' },
      purpose: 'voluntary_offsetting',
      beneficiary: 'Acme',
    });
    const again = await platform.checkpoints.publish(admin, 'JP');
    if (!again.ok) throw new Error(again.error.code);
    expect(again.value.checkpoint.heads[0]?.seq).toBe((await head('JP')).seq);
    expect(again.value.checkpoint.totals).toEqual([
      { accountType: 'holding', project: 'IN001', vintage: 2027, quantity: 90n },
      { accountType: 'retirement', project: 'IN001', vintage: 2027, quantity: 10n },
    ]);
    const first = await get('/api/v1/checkpoints?registry=JP&limit=1');
    expect(first.status).toBe(200);
    const items = first.body['items'] as { id: string; checkpoint: { at: string }; text: string }[];
    expect(items.length).toBe(1);
    const next = await get(
      `/api/v1/checkpoints?registry=JP&limit=1&after=${String(first.body['next'])}`,
    );
    const later = next.body['items'] as { id: string; text: string; signature: string }[];
    expect(later.map((c) => c.id)).toEqual([again.value.id.toString()]);
    expect(verifyEd25519(config.publicKey, later[0]?.text ?? '', later[0]?.signature ?? '')).toBe(
      true,
    );
    expect(next.body['next']).toBe(null);
    const all = await get('/api/v1/checkpoints');
    expect((all.body['items'] as unknown[]).length).toBe(3);
    for (const bad of [
      '/api/v1/checkpoints?registry=jp%00',
      '/api/v1/checkpoints?after=%%%',
      '/api/v1/checkpoints?limit=0',
    ])
      expect((await get(bad)).status).toBe(400);
  });

  it('refuses without signing, in the precedence of docs/errors.md: a bad id, a registry hosted elsewhere, a non-administrator', async () => {
    const holder = {
      id: 'acme-user',
      roles: [{ kind: 'account_holder' as const, holderId: 'acme' }],
    };
    const cases: [Parameters<typeof platform.checkpoints.publish>, string][] = [
      [[admin, 'jp'], 'registry_id_malformed'],
      [[admin, 'J\u0000'], 'registry_id_malformed'],
      [[holder, 'jp'], 'registry_id_malformed'],
      [[admin, 'KH'], 'registry_not_hosted'],
      [[holder, 'KH'], 'registry_not_hosted'],
      [[holder, 'JP'], 'actor_not_authorised'],
    ];
    const before = await count();
    for (const [args, code] of cases) {
      const result = await platform.checkpoints.publish(...args);
      expect([args[1], result.ok ? 'signed' : result.error.code]).toEqual([args[1], code]);
    }
    expect(await count()).toBe(before);
  });

  it('refuses to sign a journal that does not extend the last checkpoint, and keeps checkpoints as signed', async () => {
    const before = await count();
    const last = await head('JP');
    // The head moved back (a restore of an older backup, or a rewrite).
    await testDb.db.exclusive((k) =>
      sql`UPDATE chains SET head_seq = ${last.seq - 1n} WHERE id = 'JP'`.execute(k),
    );
    const wentBack = await platform.checkpoints.publish(admin, 'JP');
    expect(wentBack).toMatchObject({
      ok: false,
      error: {
        code: 'checkpoint_does_not_extend',
        details: { discrepancies: ['checkpoint_head_went_back'] },
      },
    });
    await testDb.db.exclusive((k) =>
      sql`UPDATE chains SET head_seq = ${last.seq} WHERE id = 'JP'`.execute(k),
    );
    // The entry the last checkpoint signed, rewritten behind the journal's guard.
    await testDb.db.exclusive(async (k) => {
      await sql`ALTER TABLE journal DISABLE TRIGGER journal_append_only`.execute(k);
      await sql`UPDATE journal SET hash = ${'0'.repeat(64)} WHERE chain = 'JP' AND seq = ${last.seq}`.execute(
        k,
      );
      await sql`ALTER TABLE journal ENABLE TRIGGER journal_append_only`.execute(k);
    });
    const rewritten = await platform.checkpoints.publish(admin, 'JP');
    expect(rewritten).toMatchObject({
      ok: false,
      error: { details: { discrepancies: ['checkpoint_history_rewritten'] } },
    });
    expect(await count()).toBe(before);
    // Checkpoints are never changed or removed.
    for (const statement of [
      sql`UPDATE checkpoints SET signature = 'x'`,
      sql`DELETE FROM checkpoints`,
    ])
      await expect(testDb.db.exclusive((k) => statement.execute(k))).rejects.toThrow(/append-only/);
    expect(await count()).toBe(before);
  });

  it('signs and lists from the command line, and a deployment without a key signs nothing', async () => {
    const openJp = async () => ({ ...platform, close: async () => undefined });
    // A dry run shows what would be signed, signs nothing and writes nothing.
    const before = await count();
    const dry = await runCli(
      { openPlatform: openJp },
      '--json',
      '--dry-run',
      'checkpoint',
      'publish',
      '--registry',
      'IN',
    );
    const shown = JSON.parse(dry.out) as { checkpoint: { registry: string }; signature: string }[];
    expect([dry.exitCode, shown.map((c) => [c.checkpoint.registry, c.signature])]).toEqual([
      0,
      [['IN', '']],
    ]);
    expect(await count()).toBe(before);
    const signed = await runCli(
      { openPlatform: openJp },
      'checkpoint',
      'publish',
      '--registry',
      'IN',
    );
    expect([signed.exitCode, signed.out]).toEqual([0, expect.stringMatching(/^\d+ {2}IN {2}/)]);
    const listed = await runCli(
      { openPlatform: openJp },
      '--json',
      'checkpoint',
      'list',
      '--registry',
      'IN',
    );
    const page = JSON.parse(listed.out) as { items: { checkpoint: { registry: string } }[] };
    expect(page.items.map((c) => c.checkpoint.registry)).toEqual(['IN', 'IN']);
    const { platform: plain, testDb: plainDb } = await freshPlatform();
    try {
      await standardOpening(plain);
      expect(await plain.checkpoints.publishAll(admin)).toMatchObject({
        ok: false,
        error: { code: 'federation_not_configured' },
      });
      const none = await createApp(plain, { devToken: null }).request('/api/v1/checkpoints');
      expect(await none.json()).toEqual({ items: [], next: null });
    } finally {
      await plainDb.drop();
    }
  });
  it('makes them when the server starts, answering a refusal while the other registries are still signed', async () => {
    const before = await count();
    const outcomes: unknown[] = [];
    // An hour between runs: only the run at start falls within the test.
    platform.checkpoints.start(3_600_000, (outcome) => outcomes.push(outcome));
    await platform.checkpoints.stop();
    // JP's signed entry was rewritten above: every later checkpoint of JP is refused; IN's is made.
    expect(outcomes).toMatchObject([{ ok: false, error: { code: 'checkpoint_does_not_extend' } }]);
    expect(await count()).toBe(before + 1n);
  });
});

async function count(): Promise<bigint> {
  const row = await testDb.db.read((k) =>
    sql<{ n: bigint }>`SELECT count(*)::int8 AS n FROM checkpoints`.execute(k),
  );
  return row.rows[0]?.n ?? -1n;
}
