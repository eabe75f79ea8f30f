// The Article 6.2 writes over HTTP as an attacker would try them, after the demo: each row a refusal
// with its status and stable code, and nothing written (the authorisations and approaches unchanged).
// Then the reads: the AEF downloads and the balance answer, and bad path or query values are 4xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { ApiClient, devToken } from '../support/api-client.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;
let api: ApiClient;
let year: number;
beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await seedDemo(platform);
  api = new ApiClient(createApp(platform, { devToken }));
  year = Number(platform.clock().slice(0, 4));
});
afterAll(async () => {
  await testDb.drop();
});

const authorisation = {
  id: 'IND-JCM-NDC-002',
  party: 'IND',
  approach: 'CA0001',
  date: '2026-06-01',
  registry: 'JP',
  projects: ['IN001'],
  vintageFirst: 2025,
  vintageLast: 2030,
  purposes: ['ndc'],
  authorisedParties: ['JPN'],
};
const india = 'government_partner:IN';
const japan = 'government_japan';

const refusals: [string, string, unknown, string | null, number, string][] = [
  [
    'nobody logged in',
    '/api/v1/article6/authorisations',
    authorisation,
    null,
    401,
    'unauthenticated',
  ],
  [
    'a registry manager',
    '/api/v1/article6/authorisations',
    authorisation,
    'registry_manager:JP',
    403,
    'actor_not_authorised',
  ],
  [
    'Japan authorising for India',
    '/api/v1/article6/authorisations',
    authorisation,
    japan,
    403,
    'actor_not_authorised',
  ],
  [
    "Indonesia's government for India",
    '/api/v1/article6/authorisations',
    authorisation,
    'government_partner:ID',
    403,
    'actor_not_authorised',
  ],
  [
    'a forged version',
    '/api/v1/article6/authorisations',
    { ...authorisation, version: 7 },
    india,
    400,
    'invalid_request',
  ],
  [
    'forged entity details',
    '/api/v1/article6/authorisations',
    {
      ...authorisation,
      authorisedEntities: [{ organisation: 'example-trading-jp', identifier: 'X', name: 'Forged' }],
    },
    india,
    400,
    'invalid_request',
  ],
  [
    'an unknown entity',
    '/api/v1/article6/authorisations',
    { ...authorisation, authorisedEntities: [{ organisation: 'no-such-org', identifier: 'X' }] },
    india,
    404,
    'organisation_not_found',
  ],
  [
    'a project of another partnership',
    '/api/v1/article6/authorisations',
    { ...authorisation, projects: ['ID001'] },
    india,
    422,
    'article6_project_not_in_approach',
  ],
  [
    'a Party outside the approach',
    '/api/v1/article6/authorisations',
    { ...authorisation, authorisedParties: ['IDN'] },
    india,
    422,
    'article6_authorised_party_not_in_approach',
  ],
  [
    'OIMP without its name',
    '/api/v1/article6/authorisations',
    { ...authorisation, purposes: ['oimp'], firstTransferDefinition: 'issuance' },
    india,
    422,
    'article6_oimp_name_mismatch',
  ],
  [
    'a vintage before 2013',
    '/api/v1/article6/authorisations',
    { ...authorisation, vintageFirst: 2012 },
    india,
    400,
    'invalid_request',
  ],
  [
    'NUL in the terms',
    '/api/v1/article6/authorisations',
    { ...authorisation, terms: 'a\u0000b' },
    india,
    400,
    'control_character_refused',
  ],
  [
    'India confirming its own',
    '/api/v1/article6/registries/JP/confirmations',
    { authorisation: 'IND-JCM-NDC-001', version: 1 },
    india,
    409,
    'article6_confirmation_by_authorising_party',
  ],
  [
    'a confirmation again',
    '/api/v1/article6/registries/JP/confirmations',
    { authorisation: 'IND-JCM-NDC-001', version: 1 },
    japan,
    409,
    'article6_authorisation_already_confirmed',
  ],
  [
    'a stale version',
    '/api/v1/article6/registries/JP/confirmations',
    { authorisation: 'IND-JCM-NDC-001', version: 9 },
    japan,
    409,
    'article6_authorisation_version_not_current',
  ],
  [
    'Japan assigning India credits',
    '/api/v1/article6/assignments',
    { authorisation: 'IND-JCM-OIMP-001', from: 'IN-000005', selection: { quantity: '1' } },
    japan,
    403,
    'actor_not_authorised',
  ],
  [
    'a second first transfer',
    '/api/v1/article6/assignments',
    { authorisation: 'IND-JCM-OIMP-001', from: 'IN-000005', selection: { quantity: '1' } },
    india,
    409,
    'article6_units_already_authorised',
  ],
  [
    'Japan finalising for India',
    '/api/v1/article6/finalisations',
    { party: 'IND', firstYear: 2025, lastYear: 2025 },
    japan,
    403,
    'actor_not_authorised',
  ],
  [
    'a period outside the NDC',
    '/api/v1/article6/finalisations',
    { party: 'IND', firstYear: 2019, lastYear: 2020 },
    india,
    422,
    'article6_year_outside_ndc_period',
  ],
  [
    'an approach by a government',
    '/api/v1/article6/approaches',
    { partnership: 'IN' },
    india,
    403,
    'actor_not_authorised',
  ],
  [
    'an approach the record lacks',
    '/api/v1/article6/approaches',
    { partnership: 'ID' },
    'administrator',
    404,
    'article6_approach_not_found',
  ],
];

describe(`Article 6.2 over HTTP on ${testDbKind}`, () => {
  it.each(refusals)('refuses %s', async (_name, path, body, roles, status, code) => {
    const before = await platform.article6.queries.authorisations();
    const answer = await api.post(path, body, roles);
    expect([answer.status, answer.body['code']]).toEqual([status, code]);
    expect(await platform.article6.queries.authorisations()).toEqual(before);
  });

  it('refuses a use of ITMOs for a year Japan finalised, and a second overlapping finalisation', async () => {
    const done = await api.post(
      '/api/v1/article6/finalisations',
      { party: 'JPN', firstYear: 2026, lastYear: 2026 },
      japan,
    );
    expect(done.status).toBe(201);
    const use = await api.post(
      '/api/v1/retirements',
      {
        from: 'JP-000004',
        selection: { quantity: '1' },
        purpose: 'ndc_use',
        beneficiary: 'x',
        yearOfUse: 2026,
      },
      'registry_manager:JP',
    );
    expect([use.status, use.body['code']]).toEqual([409, 'article6_period_finalised']);
    const again = await api.post(
      '/api/v1/article6/finalisations',
      { party: 'JPN', firstYear: 2026, lastYear: 2027 },
      japan,
    );
    expect([again.status, again.body['code']]).toEqual([409, 'article6_period_already_finalised']);
  });

  it('serves the AEF as XLSX, CSV and JSON, and its checks pass', async () => {
    const xlsx = await api.get(`/api/v1/article6/parties/IND/aef?year=${year}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(`AEF-IND-${year}.xlsx`);
    const csv = await api.get(
      `/api/v1/article6/parties/IND/aef?year=${year}&format=csv&table=actions`,
    );
    expect([csv.status, csv.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
    const check = await api.getJson(`/api/v1/article6/parties/JPN/aef/check?year=${year}`);
    expect(check.body).toEqual({ passed: true, failures: [] });
  });

  it.each([
    ['/api/v1/article6/parties/jpn/balance?year=2026', 400],
    ['/api/v1/article6/parties/JPN/balance?year=twenty', 400],
    ['/api/v1/article6/parties/JPN/balance?year=1999', 400],
    ['/api/v1/article6/parties/JPN/balance?year=2040', 422],
    ['/api/v1/article6/parties/JPN/aef?year=2026&format=pdf', 400],
    ['/api/v1/article6/parties/JPN/aef?year=2026&format=csv', 400],
    ['/api/v1/article6/parties/JPN/actions?year=2026&after=JP:1', 400],
    ['/api/v1/article6/parties/JPN/actions?year=2026&limit=100000', 400],
    ['/api/v1/article6/itmos/IN001/abc', 400],
    ['/api/v1/article6/itmos/IN001/999999999', 404],
  ])('answers %s with %i', async (path, status) => {
    const answer = await api.get(path);
    expect(answer.status).toBe(status);
  });
});
