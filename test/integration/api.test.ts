// The HTTP API in-process (app.request): authentication, idempotency keys, problem+json codes for bad
// input without any change, the OpenAPI document, and reads with bigints as strings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { snapshot, standardOpening } from '../support/scenario.ts';

const token = 'test-token';
let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await standardOpening(platform);
  app = createApp(platform, { devToken: token });
});
afterAll(async () => {
  await testDb.drop();
});

const headers = (key: string | null, roles = 'administrator') => ({
  'content-type': 'application/json',
  authorization: `Bearer ${token}`,
  'x-jcm-actor': 'api-test',
  'x-jcm-roles': roles,
  ...(key === null ? {} : { 'idempotency-key': key }),
});

async function post(
  path: string,
  body: string | object,
  key: string | null = crypto.randomUUID(),
  extra: Record<string, string> = {},
) {
  const response = await app.request(path, {
    method: 'POST',
    headers: { ...headers(key), ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe(`API on ${testDbKind}`, () => {
  it('transfers with an idempotency key and replays it', async () => {
    const body = { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '7' } };
    const first = await post('/api/v1/transfers', body, 'api-key-1');
    expect(first.status).toBe(201);
    expect((first.body['event'] as Record<string, unknown>)['quantity']).toBe('7');
    const again = await post('/api/v1/transfers', body, 'api-key-1');
    expect(again.status).toBe(200);
    expect(again.body['replayed']).toBe(true);
    const account = await app.request('/api/v1/accounts/JP-000006');
    expect(((await account.json()) as Record<string, unknown>)['balance']).toBe('7');
  });

  it.each<[string, string, string | object, string | null, Record<string, string>, number, string]>(
    [
      [
        'malformed JSON',
        '/api/v1/transfers',
        '{"from": "JP-000004",',
        'k-a',
        {},
        400,
        'malformed_json',
      ],
      [
        'no token',
        '/api/v1/transfers',
        { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '1' } },
        'k-b',
        { authorization: 'Bearer wrong' },
        401,
        'unauthenticated',
      ],
      [
        'no idempotency key',
        '/api/v1/transfers',
        { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '1' } },
        null,
        {},
        400,
        'idempotency_key_required',
      ],
      [
        'an unknown field',
        '/api/v1/transfers',
        { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '1' }, extra: 1 },
        'k-c',
        {},
        400,
        'invalid_request',
      ],
      [
        'quantity zero',
        '/api/v1/transfers',
        { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '0' } },
        'k-d',
        {},
        400,
        'quantity_must_be_positive',
      ],
      [
        'a negative quantity',
        '/api/v1/transfers',
        { from: 'JP-000004', to: 'JP-000006', selection: { quantity: -4 } },
        'k-e',
        {},
        400,
        'quantity_must_be_positive',
      ],
      [
        'a fractional quantity',
        '/api/v1/transfers',
        { from: 'JP-000004', to: 'JP-000006', selection: { quantity: 1.5 } },
        'k-f',
        {},
        400,
        'quantity_must_be_whole',
      ],
      [
        'an absurd quantity',
        '/api/v1/transfers',
        { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '99999999999999999999999' } },
        'k-g',
        {},
        400,
        'quantity_too_large',
      ],
      [
        'an unknown account',
        '/api/v1/transfers',
        { from: 'JP-000099', to: 'JP-000006', selection: { quantity: '1' } },
        'k-h',
        {},
        404,
        'account_not_found',
      ],
      [
        'a transfer across registries',
        '/api/v1/transfers',
        { from: 'JP-000004', to: 'IN-000004', selection: { quantity: '1' } },
        'k-i',
        {},
        422,
        'accounts_must_be_in_same_registry',
      ],
      [
        'a range not held',
        '/api/v1/transfers',
        {
          from: 'JP-000004',
          to: 'JP-000006',
          selection: { ranges: [{ project: 'IN001', first: '120', last: '130' }] },
        },
        'k-j',
        {},
        422,
        'serial_range_not_held_by_account',
      ],
      [
        'a retirement account as source',
        '/api/v1/transfers',
        { from: 'JP-000001', to: 'JP-000006', selection: { quantity: '1' } },
        'k-k',
        {},
        422,
        'source_account_type_cannot_send',
      ],
      [
        'a holder of another account',
        '/api/v1/transfers',
        { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '1' } },
        'k-l',
        { 'x-jcm-roles': 'account_holder:beta' },
        403,
        'actor_not_authorised',
      ],
      [
        'an idempotency key reused with other input',
        '/api/v1/transfers',
        { from: 'JP-000004', to: 'JP-000006', selection: { quantity: '8' } },
        'api-key-1',
        {},
        409,
        'idempotency_key_reused_with_different_input',
      ],
      [
        'an unknown registry',
        '/api/v1/registries/TH/accounts',
        { accountType: 'holding', holderId: 'x', holderName: 'X' },
        'k-m',
        {},
        404,
        'registry_not_found',
      ],
    ],
  )(
    'answers %s with problem+json and changes nothing',
    async (_name, path, body, key, extra, status, code) => {
      const before = await snapshot(platform);
      const response = await post(path, body, key, extra);
      expect([response.status, response.body['code']]).toEqual([status, code]);
      expect(response.type).toBe('application/problem+json');
      expect(await snapshot(platform)).toBe(before);
    },
  );

  it('refuses an oversized body', async () => {
    const response = await post('/api/v1/transfers', {
      from: 'JP-000004',
      to: 'JP-000006',
      selection: { quantity: '1' },
      pad: 'x'.repeat(300_000),
    });
    expect([response.status, response.body['code']]).toEqual([413, 'payload_too_large']);
  });

  it('looks up a block by serial and serves reference data with its source', async () => {
    const block = await app.request('/api/v1/blocks/IN001/120');
    const body = (await block.json()) as Record<string, unknown>;
    expect(body['blockId']).toBe('JCM-IN-001-2027-101-150');
    expect(body['registry']).toBe('IN');
    const missing = await app.request('/api/v1/blocks/IN001/151');
    expect(missing.status).toBe(404);
    const countries = (await (
      await app.request('/api/v1/reference/partner-countries')
    ).json()) as Record<string, unknown>[];
    expect(countries).toHaveLength(30);
    expect(countries.find((c) => c['alpha2'] === 'IN')).toMatchObject({
      name: 'India',
      signed_on: '2025-08-07',
    });
    const projects = (await (
      await app.request('/api/v1/reference/financed-projects-2019')
    ).json()) as Record<string, unknown>[];
    expect(projects.filter((p) => p['flag'] !== null).length).toBeGreaterThanOrEqual(7);
  });

  it('publishes an OpenAPI document generated from the request schemas', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/transfers',
        '/api/v1/retirements',
        '/api/v1/registries/{registry}/issuances',
        '/api/v1/blocks/{project}/{serial}',
      ]),
    );
    expect(JSON.stringify(doc.paths['/api/v1/transfers']?.['post']?.requestBody)).toContain(
      'selection',
    );
  });

  it('answers unknown routes with problem+json', async () => {
    const response = await app.request('/api/v1/nothing');
    expect(response.status).toBe(404);
    expect(((await response.json()) as Record<string, unknown>)['code']).toBe('not_found');
  });
});
