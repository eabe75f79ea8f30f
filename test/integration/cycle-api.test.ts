// The project cycle through the HTTP API and the CLI: authentication, the envelope, idempotency keys,
// problem+json codes, the timeline, the inbox, the definition, rulebooks and public documents.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import type { Platform } from '../../src/services/platform.ts';
import { runCli } from '../support/cli.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';

const token = 'test-token';
let platform: Platform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  app = createApp(platform, { devToken: token });
});
afterAll(async () => {
  await testDb.drop();
});

/** A POST with a fresh idempotency key unless one (or null: none) is given. */
async function post(path: string, body: unknown, roles: string, key: string | null = randomUUID()) {
  const response = await app.request(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-jcm-actor': 'api-test',
      'x-jcm-roles': roles,
      ...(key === null ? {} : { 'idempotency-key': key }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const pdf = Buffer.from('%PDF the PDD (public version)');
const doc = (type: string, content = pdf) => ({
  type,
  fileName: `${type}.pdf`,
  mediaType: 'application/pdf',
  content: content.toString('base64'),
});
const project = {
  title: 'Solar with storage (synthetic)',
  location: 'Jodhpur, Rajasthan',
  latitude: 26.24,
  longitude: 73.02,
  programme: 'private_sector_jcm',
  participantsJapan: ['sunrise-jp'],
  participantsPartner: ['surya-in'],
  focalPoint: 'sunrise-jp',
  sectoralScopes: [1],
  greenhouseGases: ['CO2'],
  methodology: { id: 'IN_AM009', version: '1.0' },
  activity: '1',
  tpe: 'verita',
  creditingPeriod: { start: '2028-06-01', end: '2037-12-31' },
  expectedReductionsPerYear: '9000',
};
const submission = {
  partnership: 'IN',
  project,
  documents: [doc('pdd'), doc('moc_statement'), doc('project_information_sheet')],
};

describe(`project cycle API on ${testDbKind}`, () => {
  it('registers organisations and a TPE designation', async () => {
    for (const [id, kind, country] of [
      ['sunrise-jp', 'project_participant', 'JP'],
      ['surya-in', 'project_participant', 'IN'],
      ['verita', 'third_party_entity', 'JP'],
    ]) {
      expect(
        (await post('/api/v1/organisations', { id, name: id, kind, country }, 'administrator'))
          .status,
      ).toBe(201);
    }
    const again = await post(
      '/api/v1/organisations',
      { id: 'verita', name: 'x', kind: 'third_party_entity', country: 'JP' },
      'administrator',
    );
    expect([again.status, again.body.code]).toEqual([409, 'organisation_already_exists']);
    const keyless = await post(
      '/api/v1/organisations',
      { id: 'keyless', name: 'x', kind: 'project_participant', country: 'JP' },
      'administrator',
      null,
    );
    expect([keyless.status, keyless.body.code]).toEqual([400, 'idempotency_key_required']);
    // The Joint Committee decides the designation first (issue 13): proposed, then adopted.
    const terms = {
      sectoralScopes: [1],
      functions: ['validation'],
      validFrom: '2028-01-01',
      validUntil: '2030-12-31',
    };
    const proposed = await post(
      '/api/v1/cycle/actions/propose_decision',
      {
        subject: { item: 'verita', action: 'designate_tpe', text: 'Designates Verita.' },
        partnership: 'IN',
        designation: terms,
        documents: [doc('decision_text')],
      },
      'secretariat:IN',
    );
    expect(proposed.status).toBe(201);
    const decision = proposed.body['item'] as string;
    const adopted = await post(
      '/api/v1/cycle/actions/adopt_decision',
      { item: decision },
      'joint_committee:IN',
    );
    expect(adopted.status).toBe(201);
    const designation = {
      organisation: 'verita',
      partnership: 'IN',
      ...terms,
      accreditation: 'iso_14065',
      decision,
    };
    expect((await post('/api/v1/tpe-designations', designation, 'secretariat:IN')).body.code).toBe(
      'actor_not_authorised',
    );
    // A date that is not a day of the calendar is a 400, never reaches the database (found by the
    // fuzz test: 0203-81-62 was a 500).
    for (const validFrom of ['0203-81-62', '2028-02-30', '1999-01-01']) {
      const bad = await post(
        '/api/v1/tpe-designations',
        { ...designation, validFrom },
        'joint_committee:IN',
      );
      expect([bad.status, bad.body.code]).toEqual([400, 'invalid_request']);
    }
    expect((await post('/api/v1/tpe-designations', designation, 'joint_committee:IN')).status).toBe(
      201,
    );
  });

  it('takes an action once per idempotency key, and none without a key', async () => {
    const keyless = await post(
      '/api/v1/cycle/actions/submit_pdd',
      submission,
      'project_participant:sunrise-jp',
      null,
    );
    expect([keyless.status, keyless.body.code]).toEqual([400, 'idempotency_key_required']);
    const unauthenticated = await app.request('/api/v1/cycle/actions/submit_pdd', {
      method: 'POST',
      body: '{}',
    });
    expect(unauthenticated.status).toBe(401);
    const first = await post(
      '/api/v1/cycle/actions/submit_pdd',
      submission,
      'project_participant:sunrise-jp',
      'pdd-1',
    );
    expect([first.status, first.body.item, first.body.to]).toEqual([
      201,
      'IN-PRJ001',
      'public_input',
    ]);
    const again = await post(
      '/api/v1/cycle/actions/submit_pdd',
      submission,
      'project_participant:sunrise-jp',
      'pdd-1',
    );
    expect([again.status, again.body.item]).toEqual([200, 'IN-PRJ001']);
    const other = await post(
      '/api/v1/cycle/actions/submit_pdd',
      { ...submission, project: { ...project, title: 'Another' } },
      'project_participant:sunrise-jp',
      'pdd-1',
    );
    expect([other.status, other.body.code]).toEqual([
      409,
      'idempotency_key_reused_with_different_input',
    ]);
    const list = (await (await app.request('/api/v1/cycle/items?machine=project')).json()) as {
      items: unknown[];
      next: string | null;
    };
    expect(list.items).toHaveLength(1);
    expect(list.next).toBeNull();
  });

  it.each([
    [
      'a malformed body',
      'submit_pdd',
      '{"partnership":',
      'project_participant:sunrise-jp',
      400,
      'malformed_json',
    ],
    [
      'an envelope of the wrong shape',
      'submit_pdd',
      { partnership: 'India' },
      'project_participant:sunrise-jp',
      400,
      'invalid_request',
    ],
    ['an unknown action', 'teleport', {}, 'project_participant:sunrise-jp', 400, 'invalid_request'],
    [
      'project data on an action that uses the stored project',
      'close_public_input',
      { item: 'IN-PRJ001', project },
      'secretariat:IN',
      400,
      'invalid_request',
    ],
    [
      'an action on an unknown item',
      'close_public_input',
      { item: 'IN-PRJ999' },
      'secretariat:IN',
      404,
      'cycle_item_not_found',
    ],
    [
      'the wrong role',
      'close_public_input',
      { item: 'IN-PRJ001' },
      'secretariat:ID',
      403,
      'cycle_role_not_allowed',
    ],
    [
      'an action before its time',
      'close_public_input',
      { item: 'IN-PRJ001' },
      'secretariat:IN',
      422,
      'cycle_public_input_still_open',
    ],
  ])(
    'answers %s with a stable code and changes nothing',
    async (_name, action, body, roles, status, code) => {
      const before = await (await app.request('/api/v1/cycle/items/IN-PRJ001')).text();
      const answer = await post(`/api/v1/cycle/actions/${action}`, body, roles);
      expect([answer.status, answer.body.code]).toEqual([status, code]);
      expect(await (await app.request('/api/v1/cycle/items/IN-PRJ001')).text()).toBe(before);
    },
  );

  it('shows the timeline, the inbox, the definition, the rulebooks and the public documents', async () => {
    const item = (await (await app.request('/api/v1/cycle/items/IN-PRJ001')).json()) as {
      timeline: { action: string }[];
      documents: { type: string; public_sha256: string }[];
    };
    expect(item.timeline.map((e) => e.action)).toEqual(['submit_pdd']);
    const sha = createHash('sha256').update(pdf).digest('hex');
    expect(item.documents.map((d) => d.public_sha256)).toEqual([sha, sha, sha]);
    const file = await app.request(`/api/v1/documents/${sha}`);
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
    const inbox = (
      (await (await app.request('/api/v1/cycle/inbox?role=secretariat&partnership=IN')).json()) as {
        items: { item: string; due: string }[];
      }
    ).items;
    expect(inbox.map((e) => [e.item, e.due])).toEqual([['IN-PRJ001', '2028-05-01']]);
    const definition = (await (await app.request('/api/v1/cycle/definition')).json()) as unknown[];
    expect(definition.length).toBeGreaterThan(40);
    const rulebooks = (await (await app.request('/api/v1/rulebooks')).json()) as { name: string }[];
    expect(rulebooks.map((r) => r.name)).toContain('India-Japan Joint Crediting Mechanism');
  });

  it('takes actions through the CLI too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jcm-cycle-cli-'));
    const envelope = join(dir, 'envelope.json');
    writeFileSync(
      envelope,
      JSON.stringify({ finding: { kind: 'CL', text: 'Which inverter model?' } }),
    );
    const cli = (...args: string[]) =>
      runCli(
        { openPlatform: async () => ({ ...platform, close: async () => undefined }) },
        ...args,
      );
    const early = await cli(
      '--as',
      'third_party_entity:verita',
      'cycle',
      'act',
      'raise_finding',
      '--item',
      'IN-PRJ001',
      '--file',
      envelope,
    );
    expect(early.err).toContain('cycle_action_not_allowed_in_state');
    expect(early.exitCode).toBe(1);
    const shown = await cli('cycle', 'show', 'IN-PRJ001');
    expect(shown.out).toContain('IN-PRJ001: public_input');
    const definition = await cli('cycle', 'definition');
    expect(definition.out).toMatch(
      /project\s+validated\s+request_registration\s+registration_completeness/,
    );
  });
});
