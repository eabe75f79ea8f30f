// Issue 13, the rest of the cycle: a document filed with a public version and a confidential full
// version. The full version is served only to the TPE the project names and to the partnership's Joint
// Committee, each read logged; a participant of another organisation, another TPE, another
// partnership's Joint Committee and the public are refused, and the public route serves only the
// public version.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { ApiClient, devToken } from '../support/api-client.ts';
import { projectData, registerOrganisations } from '../support/cycle-fixtures.ts';
import {
  freshPlatform,
  testDbKind,
  type TestClock,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';
import { userSession } from '../support/sessions.ts';

let platform: TestPlatform;
let testDb: TestDb;
let api: ApiClient;
let app: ReturnType<typeof createApp>;
let clock: TestClock;

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  app = createApp(platform, { devToken });
  api = new ApiClient(app);
  await registerOrganisations(platform, [
    ['other-tpe', 'third_party_entity'],
    ['outsider-jp', 'project_participant'],
  ]);
});
afterAll(async () => {
  await testDb.drop();
});

const publicPdd = Buffer.from('%PDF the PDD, commercial terms redacted');
const fullPdd = Buffer.from('%PDF the PDD with the power purchase price of 3.1 INR/kWh');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pdf = (type: string, content: Buffer, full?: Buffer) => ({
  type,
  fileName: `${type}.pdf`,
  mediaType: 'application/pdf',
  content: content.toString('base64'),
  ...(full === undefined ? {} : { fullContent: full.toString('base64') }),
});

describe(`confidential full versions of documents, on ${testDbKind}`, () => {
  let project = '';
  const full = () => `/api/v1/cycle/items/${project}/documents/pdd/full`;

  it('files a PDD with its public and its full version', async () => {
    project = await api.act(
      'submit_pdd',
      {
        partnership: 'IN',
        project: { ...projectData, creditingPeriod: { start: '2028-06-01', end: '2037-12-31' } },
        documents: [
          pdf('pdd', publicPdd, fullPdd),
          pdf('moc_statement', Buffer.from('%PDF MoC')),
          pdf('project_information_sheet', Buffer.from('%PDF sheet')),
        ],
      },
      'project_participant:sunrise-jp',
    );
    const item = (await api.getJson(`/api/v1/cycle/items/${project}`)).body as {
      documents: { type: string; public_sha256: string; confidential: boolean }[];
    };
    const pdd = item.documents.find((d) => d.type === 'pdd');
    expect(pdd).toMatchObject({ public_sha256: sha(publicPdd), confidential: true });
    expect(JSON.stringify(item)).not.toContain(sha(fullPdd));
  });

  it('serves the full version to the TPE of the project and to the Joint Committee, logging each read', async () => {
    for (const roles of ['third_party_entity:verita', 'joint_committee:IN']) {
      const response = await api.get(full(), roles, `reader-${roles}`);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(fullPdd);
    }
    const reads = await platform.db.read((k) =>
      k
        .selectFrom('document_reads')
        .select(['item_id', 'full_sha256', 'actor', 'role'])
        .orderBy('id')
        .execute(),
    );
    expect(reads).toEqual([
      {
        item_id: project,
        full_sha256: sha(fullPdd),
        actor: 'reader-third_party_entity:verita',
        role: 'third_party_entity',
      },
      {
        item_id: project,
        full_sha256: sha(fullPdd),
        actor: 'reader-joint_committee:IN',
        role: 'joint_committee',
      },
    ]);
  });

  it("links the full version in the back office, served to the TPE's session", async () => {
    const tpeUser = await userSession(
      platform,
      clock,
      'tpe@example.org',
      'third_party_entity:verita',
    );
    const page = await (
      await app.request(`/office/items/${project}`, { headers: { cookie: tpeUser.cookie } })
    ).text();
    const link = `/api/v1/cycle/items/${project}/documents/pdd/full?version=1`;
    expect(page).toContain(link);
    const served = await app.request(link, { headers: { cookie: tpeUser.cookie } });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(fullPdd);
    const outsider = await userSession(
      platform,
      clock,
      'out@example.org',
      'project_participant:outsider-jp',
    );
    expect((await app.request(link, { headers: { cookie: outsider.cookie } })).status).toBe(403);
  });

  it('refuses everyone else, and logs no refused read', async () => {
    const logged = async () =>
      (await platform.db.read((k) => k.selectFrom('document_reads').select('id').execute())).length;
    const before = await logged();
    for (const [roles, status, code] of [
      [null, 401, 'unauthenticated'],
      ['project_participant:outsider-jp', 403, 'actor_not_authorised'],
      ['project_participant:sunrise-jp', 403, 'actor_not_authorised'],
      ['secretariat:IN', 403, 'actor_not_authorised'],
      ['third_party_entity:other-tpe', 403, 'document_confidential'],
      ['joint_committee:ID', 403, 'document_confidential'],
      // A participant who is also another project's TPE is still not this project's TPE.
      [
        'project_participant:outsider-jp,third_party_entity:other-tpe',
        403,
        'document_confidential',
      ],
    ] as const) {
      const refused = await api.getJson(full(), roles);
      expect([roles, refused.status, refused.body.code]).toEqual([roles, status, code]);
    }
    // The public route serves the public version, never the full one.
    const publicVersion = await api.get(`/api/v1/documents/${sha(publicPdd)}`);
    expect(Buffer.from(await publicVersion.arrayBuffer())).toEqual(publicPdd);
    const fullByHash = await api.getJson(`/api/v1/documents/${sha(fullPdd)}`);
    expect([fullByHash.status, fullByHash.body.code]).toEqual([404, 'document_not_found']);
    // A document without a full version, or none of that type: nothing confidential to serve.
    for (const type of ['moc_statement', 'validation_report']) {
      const none = await api.getJson(
        `/api/v1/cycle/items/${project}/documents/${type}/full`,
        'joint_committee:IN',
      );
      expect([none.status, none.body.code]).toEqual([404, 'document_not_found']);
    }
    expect(await logged()).toBe(before);
  });
});
