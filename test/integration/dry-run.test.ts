// A dry run on every write family: the answer equals the answer of the real run that follows with the
// same idempotency key (secrets shown once aside: a dry run creates none), and nothing is written: no
// row of any table, no file on disk. Time is frozen so that a ledger entry's recorded time and hash
// come out the same.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorWithRoles } from '../../src/core/ledger/actor.ts';
import { jsonText } from '../../src/core/shared/json-text.ts';
import { createApp } from '../../src/http/app.ts';
import { createPlatform, type Platform } from '../../src/services/platform.ts';
import type { WriteEnvelope } from '../../src/services/write-pipeline.ts';
import {
  CycleFixtures,
  designationDecision,
  projectData,
  registerOrganisations,
} from '../support/cycle-fixtures.ts';
import { freshDb, testDbKind, type TestDb } from '../support/db.ts';
import { mustRun, operator, standardOpening } from '../support/scenario.ts';

const frozen = '2028-04-01T09:00:00.000Z';
const documentsDir = mkdtempSync(join(tmpdir(), 'jcm-dry-run-documents-'));
let platform: Platform;
let testDb: TestDb;

beforeAll(async () => {
  testDb = await freshDb();
  platform = await createPlatform(testDb.db, { clock: () => frozen, migrate: false, documentsDir });
  await standardOpening(platform);
  await mustRun(platform, 'transfer', {
    from: 'JP-000004',
    to: 'JP-000005',
    selection: { quantity: '20' },
  });
});
afterAll(async () => {
  await platform.close();
});

/** Every row of every table of the database, and every file of the document store. */
async function everything(): Promise<string> {
  await platform.outbox.idle();
  const tables = await testDb.db.read((k) =>
    sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(k),
  );
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await testDb.db.read((k) =>
      sql<{ r: string }>`SELECT t::text AS r FROM ${sql.table(name)} t`.execute(k),
    );
    parts.push(
      `${name}: ${rows.rows
        .map((r) => r.r)
        .sort()
        .join(';')}`,
    );
  }
  const files = readdirSync(documentsDir, { recursive: true }).map(String).sort();
  return `${parts.join('\n')}\nfiles: ${files.join(',')}`;
}

/** Runs a write dry, checks nothing changed, runs it for real with the same key, returns both. */
async function dryThenReal<A>(
  run: (envelope: WriteEnvelope) => Promise<{ ok: boolean; value?: A; error?: unknown }>,
  envelope: WriteEnvelope,
) {
  const before = await everything();
  const dry = await run({ ...envelope, dryRun: true });
  expect(dry.ok, jsonText(dry)).toBe(true);
  expect(await everything(), 'a dry run writes nothing').toBe(before);
  const real = await run(envelope);
  expect(real.ok, jsonText(real)).toBe(true);
  expect(await everything(), 'the real run writes').not.toBe(before);
  return { dry: dry.value as A, real: real.value as A };
}

const admin = actorWithRoles('admin', 'administrator');
const jc = actorWithRoles('jc', 'joint_committee:IN');
const alice = actorWithRoles('alice', 'registry_manager:JP');
const bob = actorWithRoles('bob', 'registry_manager:JP');
const jsonOf = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  ) as unknown;

describe(`a dry run answers as the write would and writes nothing, on ${testDbKind}`, () => {
  it('ledger commands', async () => {
    const { dry, real } = await dryThenReal(
      (e) => platform.ledger.execute('transfer', e as never),
      {
        actor: admin,
        idempotencyKey: 'dry-transfer',
        input: { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '3' } },
      },
    );
    expect(jsonOf(dry)).toEqual(jsonOf(real));
  });

  it('organisations and TPE designations', async () => {
    const registered = await dryThenReal((e) => platform.organisations.register(e), {
      actor: admin,
      idempotencyKey: 'dry-org',
      input: { id: 'dry-tpe', name: 'Dry TPE', kind: 'third_party_entity', country: 'JP' },
    });
    expect(registered.dry).toEqual(registered.real);
    const terms = {
      sectoralScopes: [1],
      functions: ['validation' as const],
      validFrom: '2028-01-01',
      validUntil: '2029-12-31',
    };
    const decision = await designationDecision(platform, 'dry-tpe', terms);
    const designated = await dryThenReal((e) => platform.organisations.designate(e), {
      actor: jc,
      idempotencyKey: 'dry-designation',
      input: {
        organisation: 'dry-tpe',
        partnership: 'IN',
        ...terms,
        accreditation: 'iso_14065',
        decision,
      },
    });
    expect(designated.dry).toEqual(designated.real);
  });

  it('project cycle actions, documents included', async () => {
    await registerOrganisations(platform);
    const fixtures = new CycleFixtures(testDb.db, frozen);
    const project = await fixtures.project('registered');
    const { dry, real } = await dryThenReal(
      (e) => platform.cycle.act('request_post_registration_change', e),
      {
        actor: actorWithRoles('pp', 'project_participant:sunrise-jp'),
        idempotencyKey: 'dry-change',
        input: {
          item: project,
          project: { ...projectData, title: 'A changed title' },
          documents: [
            {
              type: 'post_registration_change_request',
              fileName: 'change.pdf',
              mediaType: 'application/pdf',
              content: Buffer.from('%PDF a change request of the dry-run test').toString('base64'),
            },
          ],
        },
      },
    );
    expect(dry).toEqual(real);
  });

  it('transfer requests, their approval and their rejection', async () => {
    const request = (key: string) => ({
      actor: alice,
      idempotencyKey: key,
      input: { from: 'JP-000005', to: 'JP-000006', selection: { quantity: '2' } },
    });
    const requested = await dryThenReal(
      (e) => platform.transferRequests.request(e),
      request('dry-request-1'),
    );
    expect(requested.dry).toEqual(requested.real);
    const id = (requested.real as { id: string }).id;
    const approved = await dryThenReal((e) => platform.transferRequests.approve(e), {
      actor: bob,
      idempotencyKey: 'dry-approve',
      input: { id },
    });
    expect(jsonOf(approved.dry)).toEqual(jsonOf(approved.real));
    const second = await platform.transferRequests.request(request('dry-request-2'));
    const other = second.ok ? second.value.id : '';
    const rejected = await dryThenReal((e) => platform.transferRequests.decline(e), {
      actor: bob,
      idempotencyKey: 'dry-reject',
      input: { id: other },
    });
    expect(rejected.dry).toEqual(rejected.real);
  });

  it('users, passwords, their status and API tokens (secrets are created only by the real run)', async () => {
    const user = {
      email: 'tester@jcm.example',
      name: 'Dry',
      password: 'a long dry passphrase 1',
      roles: 'registry_manager:JP',
    };
    const created = await dryThenReal((e) => platform.accounts.createUser(e), {
      actor: operator,
      idempotencyKey: 'dry-user',
      input: user,
    });
    const { totpUri: dryUri, ...dryRest } = created.dry as { id: string; totpUri: string | null };
    const { totpUri: realUri, ...realRest } = created.real as {
      id: string;
      totpUri: string | null;
    };
    expect([dryRest, dryUri]).toEqual([realRest, null]);
    expect(realUri).toMatch(/^otpauth:\/\/totp\//);
    const reset = await dryThenReal((e) => platform.accounts.resetPassword(e), {
      actor: operator,
      idempotencyKey: 'dry-reset',
      input: { email: user.email, password: 'another dry passphrase 2' },
    });
    expect(reset.dry).toEqual(reset.real);
    const token = await dryThenReal((e) => platform.accounts.createApiToken(e), {
      actor: actorWithRoles(user.email, user.roles),
      idempotencyKey: 'dry-token',
      input: { name: 'dry' },
    });
    const issued = await dryThenReal((e) => platform.accounts.issueApiToken(e), {
      actor: operator,
      idempotencyKey: 'dry-issue',
      input: { email: user.email, name: 'issued' },
    });
    expect((issued.dry as { id: string }).id).toBe((issued.real as { id: string }).id);
    const dryToken = token.dry as { id: string; token: string | null };
    const realToken = token.real as { id: string; token: string | null };
    expect([dryToken.id, dryToken.token]).toEqual([realToken.id, null]);
    expect(realToken.token).toMatch(/^jcm_tok_/);
    const revoked = await dryThenReal((e) => platform.accounts.revokeApiToken(e), {
      actor: operator,
      idempotencyKey: 'dry-revoke',
      input: { id: realToken.id },
    });
    expect(revoked.dry).toEqual(revoked.real);
    const disabled = await dryThenReal((e) => platform.accounts.setDisabled(e), {
      actor: operator,
      idempotencyKey: 'dry-disable',
      input: { email: user.email, disabled: true },
    });
    expect(disabled.dry).toEqual(disabled.real);
  });

  it('through the API: ?dryRun=true answers 200 with the body the write then answers with 201', async () => {
    const app = createApp(platform, { devToken: 'dry-token' });
    const post = (query: string) =>
      app.request(`/api/v1/transfers${query}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer dry-token',
          'x-jcm-actor': 'api-dry',
          'x-jcm-roles': 'administrator',
          'idempotency-key': 'dry-api-transfer',
        },
        body: JSON.stringify({ from: 'JP-000004', to: 'JP-000006', selection: { quantity: '1' } }),
      });
    const before = await everything();
    const dry = await post('?dryRun=true');
    const dryBody = await dry.text();
    expect(await everything()).toBe(before);
    const real = await post('');
    expect([dry.status, real.status]).toEqual([200, 201]);
    expect(await real.text()).toBe(dryBody);
  });
});
