// Issue 13, the rest of the cycle: an approved methodology proposal becomes a catalogue entry, end to
// end through the API. The proposal carries its methodology file (checked when it is filed); the
// Joint Committee's approval stores it under the partnership's next id, version 1.0, with its
// decision; the catalogue (API, portal) serves it; a project calculates with it; an approved
// revision raises the version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { ApiClient, devToken, textDocument } from '../support/api-client.ts';
import { runCli } from '../support/cli.ts';
import {
  allocation,
  CycleFixtures,
  methodologyFileDocument,
  methodologyFileText,
  projectData,
  registerOrganisations,
} from '../support/cycle-fixtures.ts';
import {
  freshPlatform,
  testDbKind,
  type TestClock,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';
import { allItems } from '../support/pages.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let api: ApiClient;

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  api = new ApiClient(createApp(platform, { devToken }));
  await registerOrganisations(platform);
});
afterAll(async () => {
  await testDb.drop();
});

const participant = 'project_participant:sunrise-jp';
/** The proposal's file: IN_AM001 with the emission factor a Joint Committee would set (0.5). */
const withFactor = (factor: string) =>
  methodologyFileText((t) =>
    t
      .replace("default: '0.757'", `default: '${factor}'`)
      .replace(
        /source: illustrative, to be set by the Joint Committee\n(\s+range: \{ min: '0', max: '1.5' \})/,
        `source: set by the Joint Committee\n$1`,
      ),
  );
const proposal = (file = methodologyFileDocument(withFactor('0.5'))) => ({
  partnership: 'IN',
  documents: [textDocument('methodology_proposal'), file],
});

/** The next number after the catalogue's illustrative files of India (IN_AM009 with eight). */
function nextIndiaId(): string {
  const numbers = platform.methodologies
    .fileIds()
    .filter((id) => id.startsWith('IN_AM'))
    .map((id) => Number(id.slice(5)));
  return `IN_AM${String(Math.max(...numbers) + 1).padStart(3, '0')}`;
}

/** Takes a proposal (or a revision) through completeness, public input and approval. */
async function approve(item: string, action = 'approve_methodology'): Promise<string> {
  await api.act('accept_complete', { item }, 'secretariat:IN');
  clock.advanceDays(16);
  await api.act('close_public_input', { item }, 'secretariat:IN');
  const decision = await api.decide(item, action);
  await api.act(action, { item, decision }, 'joint_committee:IN');
  return decision;
}

describe(`an approved methodology proposal becomes a catalogue entry, on ${testDbKind}`, () => {
  let proposalId = '';
  let decision = '';
  let adopted = '';

  it('refuses a proposal without a methodology file, or with one that is not a methodology', async () => {
    const without = await api.post(
      '/api/v1/cycle/actions/propose_methodology',
      { partnership: 'IN', documents: [textDocument('methodology_proposal')] },
      participant,
    );
    expect([without.status, without.body.code]).toEqual([422, 'cycle_documents_missing']);
    const cases = [
      // Not YAML or JSON.
      textDocument('methodology_file', 'a methodology, in words'),
      // An equation naming a symbol nobody defines.
      methodologyFileDocument(
        methodologyFileText((t) => t.replace('sum(EG_i) * EF_RE', 'sum(EG_i) * EF_XX')),
      ),
      // Not a methodology of this partnership.
      methodologyFileDocument(
        methodologyFileText((t) => t.replace('partner_countries: [IN]', 'partner_countries: [ID]')),
      ),
      // Not YAML at all.
      methodologyFileDocument('id: [unclosed'),
      // Larger than any methodology needs (the YAML reader's key check is quadratic).
      methodologyFileDocument(`${'x: 1\n'.repeat(10_000)}`),
      // Serving an activity that is not on India's list.
      methodologyFileDocument(
        methodologyFileText((t) => t.replace("activity: '1'", "activity: '999'")),
      ),
      // Serving none of India's Article 6.2 activities: no Indian project could apply it.
      methodologyFileDocument(
        methodologyFileText((t) =>
          t.replace(/^eligible_activities: .*$/m, 'eligible_activities: { IN: [] }'),
        ),
      ),
    ];
    for (const file of cases) {
      const refused = await api.post(
        '/api/v1/cycle/actions/propose_methodology',
        proposal(file),
        participant,
      );
      expect([refused.status, refused.body.code]).toEqual([422, 'methodology_file_invalid']);
    }
    expect(
      (await allItems((r) => platform.cycleQueries.list({ machine: 'methodology' }, r))).length,
    ).toBe(0);
  });

  it('adopts the approved proposal as the next id of the partnership, version 1.0, with its decision', async () => {
    proposalId = await api.act('propose_methodology', proposal(), participant);
    adopted = nextIndiaId();
    // The catalogue does not list a proposal.
    expect((await api.getJson(`/api/v1/methodologies/${adopted}`)).status).toBe(404);
    await api.act('accept_complete', { item: proposalId }, 'secretariat:IN');
    clock.advanceDays(16);
    await api.act('close_public_input', { item: proposalId }, 'secretariat:IN');
    decision = await api.decide(proposalId, 'approve_methodology');
    // Another partnership's Joint Committee may not approve it; a forged catalogue id is no part.
    const foreign = await api.post(
      '/api/v1/cycle/actions/approve_methodology',
      { item: proposalId, decision },
      'joint_committee:ID',
    );
    expect([foreign.status, foreign.body.code]).toEqual([403, 'cycle_role_not_allowed']);
    const forged = await api.post(
      '/api/v1/cycle/actions/approve_methodology',
      { item: proposalId, decision, catalogueId: 'IN_AM001', version: '7.0' },
      'joint_committee:IN',
    );
    expect([forged.status, forged.body.code]).toEqual([400, 'invalid_request']);
    await api.act('approve_methodology', { item: proposalId, decision }, 'joint_committee:IN');

    const list = (await api.getJson('/api/v1/methodologies')).body as unknown as {
      id: string;
      version: string;
      status: string;
      adoption?: { decision: string; proposal: string; adoptedAt: string };
    }[];
    const entry = list.find((m) => m.id === adopted);
    expect(entry).toMatchObject({
      version: '1.0',
      status: 'approved',
      adoption: { decision, proposal: proposalId },
    });
    // The illustrative files stay illustrative.
    expect(list.find((m) => m.id === 'IN_AM001')?.status).toBe('illustrative');
    const shown = await api.getJson(`/api/v1/methodologies/${adopted}`);
    expect(shown.status).toBe(200);
    expect(
      (
        shown.body as { file: { parameters: { symbol: string; default?: string }[] } }
      ).file.parameters.find((p) => p.symbol === 'EF_RE')?.default,
    ).toBe('0.5');
    const item = (await api.getJson(`/api/v1/cycle/items/${proposalId}`)).body as {
      data: { catalogueId: string; version: string };
    };
    expect(item.data).toMatchObject({ catalogueId: adopted, version: '1.0' });
    // Stored with its decision, in the database.
    const rows = await platform.db.read((k) =>
      k.selectFrom('methodology_entries').selectAll().execute(),
    );
    expect(rows.map((r) => [r.id, r.version, r.decision_id, r.item_id])).toEqual([
      [adopted, '1.0', decision, proposalId],
    ]);
  });

  it('lists the adopted entry with its decision on the command line', async () => {
    const run = await runCli(
      { openPlatform: async () => ({ ...platform, close: async () => undefined }) },
      '--json',
      'cycle',
      'adopted',
    );
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.out)).toEqual([
      expect.objectContaining({ id: adopted, version: '1.0', decision, proposal: proposalId }),
    ]);
  });

  it('shows the decision of the adopted entry on the portal', async () => {
    const page = await (await api.get(`/methodologies/${adopted}`)).text();
    expect(page).toContain(decision);
    expect(page).toContain(`href="/decisions?from=${decision}#${decision}"`);
    const catalogue = await (await api.get('/methodologies')).text();
    expect(catalogue).toContain(`adopted by Joint Committee decision`);
    expect(catalogue).toContain(adopted);
  });

  it('lets an Indian project apply the adopted entry (it serves an entry of the activity list)', async () => {
    const submitted = await api.post(
      '/api/v1/cycle/actions/submit_pdd',
      {
        partnership: 'IN',
        project: { ...projectData, methodology: { id: adopted, version: '1.0' } },
        documents: ['pdd', 'moc_statement', 'project_information_sheet'].map((t) =>
          textDocument(t),
        ),
      },
      participant,
    );
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  });

  it('calculates a project monitoring report with the adopted entry', async () => {
    const fixtures = new CycleFixtures(testDb.db, clock.now());
    const project = await fixtures.place({
      id: 'IN-PRJ901',
      machine: 'project',
      state: 'registered',
      reference: 'IN901',
      data: {
        project: { ...projectData, methodology: { id: adopted, version: '1.0' } },
        projectVersion: 1,
        allocation,
      },
    });
    const report = await api.act(
      'submit_monitoring_report',
      {
        parent: project,
        documents: [textDocument('monitoring_report'), textDocument('monitoring_spreadsheet')],
        monitoring: {
          monitoring_points: ['PV-1'],
          periods: [{ id: 'MP1', start: '2028-01-01', end: '2028-03-31' }],
          fixed: {},
          monitored: { MP1: { 'PV-1': { EG_i: '140.5' } } },
        },
      },
      participant,
    );
    const stored = (await api.getJson(`/api/v1/cycle/items/${report}`)).body as {
      data: { calculation: { methodology: { id: string; version: string }; credits: string } };
    };
    // 140.5 MWh at the adopted 0.5 tCO2/MWh, not the illustrative file's 0.757 (106 credits).
    expect(stored.data.calculation.methodology).toEqual({ id: adopted, version: '1.0' });
    expect(stored.data.calculation.credits).toBe('70');
  });

  it('raises the version of the same entry on an approved revision', async () => {
    // A revision carries no partnership: its file is checked against the stored proposal's.
    const foreignFile = await api.post(
      '/api/v1/cycle/actions/request_methodology_revision',
      {
        item: proposalId,
        documents: [
          textDocument('methodology_revision_request'),
          textDocument('methodology_proposal'),
          methodologyFileDocument(
            methodologyFileText((t) =>
              t.replace('partner_countries: [IN]', 'partner_countries: [ID]'),
            ),
          ),
        ],
      },
      participant,
    );
    expect([foreignFile.status, foreignFile.body.code]).toEqual([422, 'methodology_file_invalid']);
    const revision = await api.act(
      'request_methodology_revision',
      {
        item: proposalId,
        documents: [
          textDocument('methodology_revision_request'),
          textDocument('methodology_proposal'),
          methodologyFileDocument(withFactor('0.4')),
        ],
      },
      participant,
    );
    expect(revision).toBe(proposalId);
    const second = await approve(proposalId, 'approve_methodology_with_revisions');
    const shown = (await api.getJson(`/api/v1/methodologies/${adopted}`)).body as {
      version: string;
      versions: string[];
      adoption: { decision: string };
    };
    expect(shown).toMatchObject({
      version: '2.0',
      versions: ['1.0', '2.0'],
      adoption: { decision: second },
    });
    // Version 1.0 stays as adopted, for the projects that use it.
    const first = (await api.getJson(`/api/v1/methodologies/${adopted}?version=1.0`)).body as {
      adoption: { decision: string };
    };
    expect(first.adoption.decision).toBe(decision);
  });
});
