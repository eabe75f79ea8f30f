// Issue 14, item 7: double counting across mechanisms, end to end through the API, the back office,
// the portal and the CLI. A project's registrations elsewhere are recorded by its participants or the
// secretariat (never by whom the request names), strictly validated, with every version kept; a
// registration request is flagged against every project at the same site, of the same technology,
// with a participant in common, and the project cannot be registered until the secretariat concludes;
// an issuance whose monitoring period another mechanism credits is refused until that registration is
// recorded as cancelled for the days in common. Every refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { ApiClient, devToken } from '../support/api-client.ts';
import { runCli } from '../support/cli.ts';
import {
  allocation,
  CycleFixtures,
  openAllocationAccounts,
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
import { userSession } from '../support/sessions.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let api: ApiClient;
let fixtures: CycleFixtures;

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  app = createApp(platform, { devToken });
  api = new ApiClient(app);
  fixtures = new CycleFixtures(testDb.db, clock.now());
  await openAllocationAccounts(platform);
  await registerOrganisations(platform, [['other-dev', 'project_participant']]);
});
afterAll(async () => {
  await testDb.drop();
});

const participant = 'project_participant:sunrise-jp';
const secretariat = 'secretariat:IN';
const registrations = (ref: string) => `/api/v1/projects/${ref}/external-registrations`;
const flagsOf = (item: string) => `/api/v1/cycle/items/${item}/duplicate-flags`;
const conclusion = (flag: string) => `/api/v1/cycle/duplicate-flags/${flag}/conclusion`;
const doc = (type: string) => ({
  type,
  fileName: `${type}.pdf`,
  mediaType: 'application/pdf',
  content: Buffer.from(`%PDF ${type}`).toString('base64'),
});

/** The fixtures' project at a site of its own (half a degree, 55 km, from the next). */
const siteOf = (n: number) => ({
  ...projectData,
  location: `Test site ${n}, Gujarat`,
  latitude: 8 + n * 0.5,
});

const vcs = {
  mechanism: 'verra_vcs',
  identifier: 'VCS 4321',
  activity: 'Rooftop solar with storage at the textile park',
  creditingPeriod: { start: '2027-01-01', end: '2036-12-31' },
  status: 'active',
  evidence: { text: 'Listed as registered on the Verra registry.' },
};

/** Rows of the tables this item writes, and the cycle's events: a refusal changes none. */
function counts() {
  return platform.db.read(async (k) =>
    Promise.all(
      (
        [
          'external_registrations',
          'external_registration_versions',
          'duplicate_flags',
          'cycle_events',
        ] as const
      ).map(async (t) =>
        Number(
          (
            await k
              .selectFrom(t)
              .select((e) => e.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    ),
  );
}

async function requestRegistration(item: string, roles = participant) {
  return api.post(
    '/api/v1/cycle/actions/request_registration',
    {
      item,
      allocation,
      documents: [
        'registration_request',
        'pdd',
        'validation_report',
        'moc_statement',
        'credit_allocation',
      ].map(doc),
    },
    roles,
  );
}

type Flag = {
  id: string;
  other: string;
  state: string;
  reason: string | null;
  grounds: Record<string, unknown>;
};
const flags = async (item: string, roles = secretariat) =>
  (await api.getJson(flagsOf(item), roles)).body as unknown as Flag[];

describe(`a project's registrations in other mechanisms on ${testDbKind}`, () => {
  let project = '';
  let reference = '';

  it('refuses bad records, forged parts and the wrong recorders, in precedence order, changing nothing', async () => {
    project = await fixtures.project('registered', { data: siteOf(1) });
    reference = (await api.getJson(`/api/v1/cycle/items/${project}`)).body['reference'] as string;
    const period = (start: string, end: string) => ({ creditingPeriod: { start, end } });
    // Bad records, sent by a participant of the project: 400 and the code of the first broken rule.
    const bad: [string, Record<string, unknown>, string][] = [
      ['a control character', { activity: 'Solar\u0007' }, 'control_character_refused'],
      ['an unknown field', { approvedBy: 'jc' }, 'invalid_request'],
      ['a bad date', period('2027-02-30', '2036-12-31'), 'invalid_request'],
      ['a date not YYYY-MM-DD', period('2027/01/01', '2036-12-31'), 'invalid_request'],
      ['an identifier too long', { identifier: `VCS ${'9'.repeat(61)}` }, 'invalid_request'],
      ['an activity too long', { activity: 'a'.repeat(301) }, 'invalid_request'],
      ['evidence too long', { evidence: { text: 'e'.repeat(4001) } }, 'invalid_request'],
      ['an activity of two lines', { activity: 'Solar\nand storage' }, 'invalid_request'],
      [
        'an unknown mechanism',
        { mechanism: 'jcm_plus' },
        'external_registration_mechanism_unknown',
      ],
      ['`other` without its name', { mechanism: 'other' }, 'invalid_request'],
      [
        'a malformed identifier',
        { identifier: 'VCS<4321>' },
        'external_registration_identifier_malformed',
      ],
      [
        'an end before the start',
        period('2036-12-31', '2027-01-01'),
        'external_registration_period_reversed',
      ],
      ['cancelled with no period', { status: 'cancelled' }, 'invalid_request'],
    ];
    // A good record, sent by the wrong actor or for no project.
    const forged = {
      participants: ['other-dev'],
      participantsJapan: ['other-dev'],
      recordedBy: 'sunrise-jp',
    };
    const wrong: [string, Record<string, unknown>, string | null, string, number, string][] = [
      ['no such project', {}, participant, 'IN-PRJ999', 404, 'cycle_item_not_found'],
      ['nobody logged in', {}, null, project, 401, 'unauthenticated'],
      [
        'a third-party entity',
        {},
        'third_party_entity:verita',
        project,
        403,
        'actor_not_authorised',
      ],
      [
        'another organisation',
        {},
        'project_participant:other-dev',
        project,
        403,
        'cycle_role_not_allowed',
      ],
      [
        'another organisation naming itself a participant',
        forged,
        'project_participant:other-dev',
        project,
        403,
        'cycle_role_not_allowed',
      ],
      [
        "another partnership's secretariat",
        {},
        'secretariat:ID',
        reference,
        403,
        'cycle_role_not_allowed',
      ],
    ];
    const before = await counts();
    const got: unknown[] = [];
    for (const [, change] of bad) {
      const answer = await api.post(registrations(project), { ...vcs, ...change }, participant);
      got.push([answer.status, answer.body['code']]);
    }
    for (const [, change, roles, ref] of wrong) {
      const answer = await api.post(registrations(ref), { ...vcs, ...change }, roles);
      got.push([answer.status, answer.body['code']]);
    }
    expect(got).toEqual([
      ...bad.map(([, , code]) => [400, code]),
      ...wrong.map(([, , , , status, code]) => [status, code]),
    ]);
    expect(await counts()).toEqual(before);
  });

  it('records as the actor under its own role, ignoring forged recorder fields, once per identifier', async () => {
    const sent = clock.now();
    const done = await api.post(
      registrations(project),
      { ...vcs, recordedBy: 'secretariat:IN', recordedAt: '2013-01-01T00:00:00Z', version: 7 },
      participant,
      'staff@sunrise.example',
    );
    expect([done.status, done.body]).toEqual([
      201,
      { id: expect.any(String), project, version: 1 },
    ]);
    const stored = await platform.db.read((k) =>
      k
        .selectFrom('external_registration_versions')
        .select(['recorded_by', 'recorded_role', 'recorded_organisation', 'recorded_at', 'version'])
        .where('registration_id', '=', BigInt(done.body['id'] as string))
        .execute(),
    );
    expect(
      stored.map((s) => [s.recorded_by, s.recorded_role, s.recorded_organisation, s.version]),
    ).toEqual([['staff@sunrise.example', 'project_participant', 'sunrise-jp', 1]]);
    // Recorded at the platform's clock between the two readings, not at the forged instant.
    const at = Date.parse(new Date(stored[0]!.recorded_at).toISOString());
    expect(at).toBeGreaterThan(Date.parse(sent));
    expect(at).toBeLessThan(Date.parse(clock.now()));
    const before = await counts();
    const again = await api.post(
      registrations(reference),
      { ...vcs, identifier: 'vcs 4321' },
      secretariat,
    );
    expect([again.status, again.body['code']]).toEqual([
      409,
      'external_registration_already_recorded',
    ]);
    const missing = await api.post(`${registrations(project)}/99999/versions`, vcs, secretariat);
    expect([missing.status, missing.body['code']]).toEqual([
      404,
      'external_registration_not_found',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('keeps every version: a cancellation for a period by the secretariat, a change by the partner participant', async () => {
    const [current] = (await api.getJson(registrations(project))).body as unknown as {
      id: string;
    }[];
    const id = current!.id;
    const cancelled = {
      ...vcs,
      status: 'cancelled',
      cancellation: {
        period: { start: '2027-01-01', end: '2028-12-31' },
        reference: 'VCS-CXL-0007',
      },
      evidence: {
        text: 'Verra cancelled the issuance for 2027-2028.',
        document: 'https://registry.verra.org/app/projectDetail/VCS/4321',
      },
    };
    expect(
      (await api.post(`${registrations(reference)}/${id}/versions`, cancelled, secretariat)).body,
    ).toEqual({ id, project, version: 2 });
    const third = await api.post(
      `${registrations(project)}/${id}/versions`,
      { ...cancelled, activity: 'Rooftop solar with storage, phase 1' },
      'project_participant:surya-in',
    );
    expect(third.body).toEqual({ id, project, version: 3 });
    const listed = (await api.getJson(registrations(reference))).body as unknown as {
      id: string;
      version: number;
      status: string;
      activity: string;
      mechanismWords: string;
      history: {
        version: number;
        status: string;
        activity: string;
        recordedBy: string;
        cancellation: unknown;
      }[];
    }[];
    expect(listed).toHaveLength(1);
    expect([
      listed[0]!.version,
      listed[0]!.status,
      listed[0]!.activity,
      listed[0]!.mechanismWords,
    ]).toEqual([
      3,
      'cancelled',
      'Rooftop solar with storage, phase 1',
      "Verra's Verified Carbon Standard",
    ]);
    expect(listed[0]!.history.map((v) => [v.version, v.status, v.activity, v.recordedBy])).toEqual([
      [1, 'active', vcs.activity, 'project participant, sunrise-jp'],
      [2, 'cancelled', vcs.activity, 'JCM secretariat, Japan-IN'],
      [3, 'cancelled', 'Rooftop solar with storage, phase 1', 'project participant, surya-in'],
    ]);
    expect(listed[0]!.history[1]!.cancellation).toEqual({
      period: { start: '2027-01-01', end: '2028-12-31' },
      reference: 'VCS-CXL-0007',
    });
    // The versions are append-only in the database too.
    await expect(
      platform.db.transaction((k) =>
        k.updateTable('external_registration_versions').set({ activity: 'rewritten' }).execute(),
      ),
    ).rejects.toThrow(/append-only/);
  });

  it('shows them on the portal in plain words, and through the CLI', async () => {
    const portal = await (await app.request(`/projects/${project}`)).text();
    expect(portal).toContain('Registrations in other mechanisms');
    expect(portal).toContain('Verra&#39;s Verified Carbon Standard');
    expect(portal).toContain('VCS 4321');
    expect(portal).toContain('1 Jan 2027 to 31 Dec 2036');
    expect(portal).toContain('Cancelled for 1 Jan 2027 to 31 Dec 2028 (cancellation VCS-CXL-0007)');
    const jcm = (...args: string[]) =>
      runCli(
        { openPlatform: async () => ({ ...platform, close: async () => undefined }) },
        ...args,
      );
    const recorded = await jcm(
      '--as',
      participant,
      'project',
      'external-registration',
      'record',
      reference,
      '--mechanism',
      'ccts_offset',
      '--identifier',
      'CCTS-OFF-00012',
      '--activity',
      'Rooftop solar',
      '--from',
      '2026-04-01',
      '--until',
      '2026-12-31',
      '--evidence',
      'Registered under the CCTS offset mechanism.',
    );
    expect([recorded.exitCode, recorded.out.trim()]).toEqual([
      0,
      expect.stringMatching(new RegExp(`^${project}: registration elsewhere \\d+, version 1$`)),
    ]);
    const refused = await jcm(
      '--as',
      'project_participant:other-dev',
      'project',
      'external-registration',
      'record',
      reference,
      '--mechanism',
      'cdm',
      '--identifier',
      'CDM 1',
      '--activity',
      'x',
      '--from',
      '2026-01-01',
      '--until',
      '2026-12-31',
      '--evidence',
      'x',
    );
    expect([refused.exitCode, refused.err.trim()]).toEqual([
      1,
      expect.stringMatching(/^error cycle_role_not_allowed: /),
    ]);
    const listed = await jcm('project', 'external-registration', 'list', project);
    expect(listed.out).toContain('CCTS-OFF-00012');
    expect(listed.out).toContain("India's Carbon Credit Trading Scheme (offset mechanism)");
    const json = JSON.parse(
      (await jcm('--json', 'project', 'external-registration', 'list', project)).out,
    ) as { identifier: string; version: number }[];
    expect(json.map((r) => [r.identifier, r.version])).toEqual([
      ['VCS 4321', 3],
      ['CCTS-OFF-00012', 1],
    ]);
  });
});

describe(`no project twice in the JCM, on ${testDbKind}`, () => {
  const same = {
    distanceMetres: 0,
    sameLocationText: true,
    methodology: 'IN_AM009',
    activity: '1',
    sharedParticipants: ['sunrise-jp', 'surya-in'],
  };
  // The other project, as it differs from the one asking for registration (both at site n).
  it.each([
    [
      20,
      'the same site, technology and participants',
      (n: number) => siteOf(n),
      'registered',
      'IN',
      same,
    ],
    [
      21,
      '556 m north under another name',
      (n: number) => ({
        ...siteOf(n),
        location: `Textile park ${n}`,
        latitude: siteOf(n).latitude + 0.005,
      }),
      'registered',
      'IN',
      { ...same, distanceMetres: 556, sameLocationText: false },
    ],
    [22, 'of another partnership', (n: number) => siteOf(n), 'registered', 'ID', same],
    [23, 'still in validation', (n: number) => siteOf(n), 'validation', 'IN', same],
    [
      24,
      'with one participant in common',
      (n: number) => ({ ...siteOf(n), participantsPartner: ['other-in'] }),
      'registered',
      'IN',
      { ...same, sharedParticipants: ['sunrise-jp'] },
    ],
    [
      25,
      '1 001 m north under another name',
      (n: number) => ({
        ...siteOf(n),
        location: `Navsari ${n}`,
        latitude: siteOf(n).latitude + 0.009,
      }),
      'registered',
      'IN',
      null,
    ],
    [
      26,
      'of another technology',
      (n: number) => ({
        ...siteOf(n),
        methodology: { id: 'IN_AM001', version: '1.0' },
        activity: '2',
      }),
      'registered',
      'IN',
      null,
    ],
    [
      27,
      'with no participant in common',
      (n: number) => ({
        ...siteOf(n),
        participantsJapan: ['other-dev'],
        participantsPartner: ['other-in'],
        focalPoint: 'other-dev',
      }),
      'registered',
      'IN',
      null,
    ],
    [28, 'withdrawn', (n: number) => siteOf(n), 'withdrawn', 'IN', null],
  ] as const)(
    'at site %i, against another project %s: %j',
    async (n, _name, data, state, partnership, grounds) => {
      const other = await fixtures.project(state, { partnership, data: data(n) });
      const asking = await fixtures.project('validated', { data: siteOf(n) });
      const requested = await requestRegistration(asking);
      expect(requested.status).toBe(201);
      const flagged = await flags(asking);
      expect(flagged.map((f) => [f.other, f.state, f.grounds])).toEqual(
        grounds === null ? [] : [[other, 'open', grounds]],
      );
      // The project asked about is not flagged: it did not ask.
      expect(await flags(other, `secretariat:${partnership}`)).toEqual([]);
    },
  );

  async function flaggedPair(n: number): Promise<{ asking: string; other: string; flag: string }> {
    const other = await fixtures.project('registered', { data: siteOf(n) });
    const asking = await fixtures.project('validated', { data: siteOf(n) });
    expect((await requestRegistration(asking)).status).toBe(201);
    await api.act('accept_complete', { item: asking }, secretariat);
    const [flag] = await flags(asking);
    return { asking, other, flag: flag!.id };
  }

  it('keeps the project from registration until the secretariat concludes it is not a duplicate', async () => {
    const { asking, other, flag } = await flaggedPair(60);
    const decision = await api.decide(asking, 'register_project');
    const before = await counts();
    const blocked = await api.post(
      '/api/v1/cycle/actions/register_project',
      { item: asking, decision },
      'joint_committee:IN',
    );
    expect([blocked.status, blocked.body['code']]).toEqual([422, 'cycle_duplicate_flag_open']);
    expect(blocked.body['detail']).toContain(`flag ${flag} (${other})`);
    // Read by the secretariat and the Joint Committee of the partnership, and no one else.
    expect((await flags(asking, 'joint_committee:IN')).map((f) => f.id)).toEqual([flag]);
    expect(await flags(asking, 'secretariat:ID')).toEqual([]);
    expect((await api.getJson(flagsOf(asking), participant)).status).toBe(403);
    expect((await api.getJson(flagsOf(asking))).status).toBe(401);
    const refusals: [string | null, unknown, string, number, string][] = [
      [
        participant,
        { conclusion: 'not_duplicate', reason: 'Another roof.' },
        flag,
        403,
        'actor_not_authorised',
      ],
      [
        'joint_committee:IN',
        { conclusion: 'not_duplicate', reason: 'Another roof.' },
        flag,
        403,
        'actor_not_authorised',
      ],
      [
        'secretariat:ID',
        { conclusion: 'not_duplicate', reason: 'Another roof.' },
        flag,
        403,
        'cycle_role_not_allowed',
      ],
      [secretariat, { conclusion: 'not_duplicate' }, flag, 400, 'invalid_request'],
      [secretariat, { conclusion: 'maybe', reason: 'x' }, flag, 400, 'invalid_request'],
      [
        secretariat,
        { conclusion: 'not_duplicate', reason: 'x' },
        '987654',
        404,
        'duplicate_flag_not_found',
      ],
    ];
    for (const [roles, body, id, status, code] of refusals) {
      const refused = await api.post(conclusion(id), body, roles);
      expect([refused.status, refused.body['code']], `${roles} ${JSON.stringify(body)}`).toEqual([
        status,
        code,
      ]);
    }
    expect(await counts()).toEqual(before);
    const concluded = await api.post(
      conclusion(flag),
      { conclusion: 'not_duplicate', reason: 'The other project is the roof of another mill.' },
      secretariat,
      'secretary@jcm.example',
    );
    expect([concluded.status, concluded.body]).toEqual([
      201,
      { id: flag, project: asking, state: 'not_duplicate' },
    ]);
    const again = await api.post(conclusion(flag), { conclusion: 'duplicate' }, secretariat);
    expect([again.status, again.body['code']]).toEqual([409, 'duplicate_flag_already_concluded']);
    expect((await flags(asking)).map((f) => [f.state, f.reason])).toEqual([
      ['not_duplicate', 'The other project is the roof of another mill.'],
    ]);
    const registered = await api.post(
      '/api/v1/cycle/actions/register_project',
      { item: asking, decision },
      'joint_committee:IN',
    );
    expect([registered.status, registered.body['to']]).toEqual([201, 'registered']);
  });

  it('keeps a project concluded a duplicate from registration; the Joint Committee rejects the request', async () => {
    const { asking, flag } = await flaggedPair(61);
    expect(
      (await api.post(conclusion(flag), { conclusion: 'duplicate' }, secretariat)).status,
    ).toBe(201);
    const decision = await api.decide(asking, 'register_project');
    const blocked = await api.post(
      '/api/v1/cycle/actions/register_project',
      { item: asking, decision },
      'joint_committee:IN',
    );
    expect([blocked.status, blocked.body['code']]).toEqual([422, 'cycle_project_is_duplicate']);
    const rejection = await api.decide(asking, 'reject_registration');
    const rejected = await api.post(
      '/api/v1/cycle/actions/reject_registration',
      { item: asking, decision: rejection },
      'joint_committee:IN',
    );
    expect([rejected.status, rejected.body['to']]).toEqual([201, 'validated']);
    // Asked again, the pair keeps its conclusion: no second flag.
    expect((await requestRegistration(asking)).status).toBe(201);
    expect((await flags(asking)).map((f) => [f.id, f.state])).toEqual([[flag, 'duplicate']]);
  });

  it('shows the flags on the item page of the back office, where the secretariat concludes', async () => {
    const { asking, other, flag } = await flaggedPair(62);
    const user = await userSession(platform, clock, 'secretary2@jcm.example', secretariat);
    const page = await (
      await app.request(`/office/items/${asking}`, { headers: { cookie: user.cookie } })
    ).text();
    expect(page).toContain('Possible duplicates in the JCM');
    expect(page).toContain(`href="/office/items/${other}"`);
    expect(page).toContain('the same location; methodology IN_AM009 and activity 1');
    expect(page).toContain(`action="/office/items/${asking}/duplicate-flags/conclude"`);
    const form = new FormData();
    form.set('csrf', user.csrf);
    form.set('flag', flag);
    form.set('conclusion', 'not_duplicate');
    const missing = await app.request(`/office/items/${asking}/duplicate-flags/conclude`, {
      method: 'POST',
      headers: { cookie: user.cookie },
      body: form,
    });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('(invalid_request)');
    form.set('reason', 'Separate grid connections and meters.');
    const done = await app.request(`/office/items/${asking}/duplicate-flags/conclude`, {
      method: 'POST',
      headers: { cookie: user.cookie },
      body: form,
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`Flag ${flag} concluded: not duplicate.`);
    expect((await flags(asking)).map((f) => f.state)).toEqual(['not_duplicate']);
  });

  it("records a registration elsewhere through the back office form of the project's page", async () => {
    const project = await fixtures.project('registered', { data: siteOf(63) });
    const user = await userSession(platform, clock, 'staff2@sunrise.example', participant);
    const page = await (
      await app.request(`/office/items/${project}`, { headers: { cookie: user.cookie } })
    ).text();
    expect(page).toContain(`action="/office/items/${project}/external-registrations/record"`);
    const form = new FormData();
    for (const [k, v] of Object.entries({
      csrf: user.csrf,
      mechanism: 'gold_standard',
      identifier: 'GS11208',
      activity: 'Solar water pumps',
      crediting_start: '2026-01-01',
      crediting_end: '2030-12-31',
      status: 'active',
      evidence: 'Gold Standard registry entry GS11208.',
    }))
      form.set(k, v);
    const done = await app.request(`/office/items/${project}/external-registrations/record`, {
      method: 'POST',
      headers: { cookie: user.cookie },
      body: form,
    });
    expect(done.status).toBe(200);
    const shown = await done.text();
    expect(shown).toMatch(/Recorded: registration elsewhere \d+, version 1\./);
    expect(shown).toContain('the Gold Standard');
    const other = await userSession(
      platform,
      clock,
      'staff@other.example',
      'project_participant:other-dev',
    );
    // Another organisation is not offered the form, and its post is refused by the service.
    const otherPage = await (
      await app.request(`/office/items/${project}`, { headers: { cookie: other.cookie } })
    ).text();
    expect(otherPage).not.toContain(`/office/items/${project}/external-registrations/record`);
    form.set('csrf', other.csrf);
    const refused = await app.request(`/office/items/${project}/external-registrations/record`, {
      method: 'POST',
      headers: { cookie: other.cookie },
      body: form,
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('(cycle_role_not_allowed)');
  });
});

describe(`an issuance for days another mechanism credits, on ${testDbKind}`, () => {
  it('is refused on overlap, naming the mechanism and identifier, and accepted once cancelled for the overlap', async () => {
    const project = await fixtures.project('registered', { data: siteOf(80) });
    const monitoring = await fixtures.place({
      id: fixtures.id('MP'),
      machine: 'monitoring',
      state: 'verified',
      parent: project,
      data: {
        calculation: {
          methodology: { id: 'IN_AM009', version: '1.0' },
          credits: '100',
          vintages: [{ vintage: 2028, credits: '100' }],
          periods: [{ period: 'MP1', start: '2028-01-01', end: '2028-12-31' }],
        },
        verified: { '2028': '100' },
      },
    });
    const request = () =>
      api.post(
        '/api/v1/cycle/actions/request_issuance',
        {
          parent: monitoring,
          allocation,
          documents: [
            'issuance_request',
            'credit_allocation',
            'monitoring_report',
            'verification_report',
          ].map(doc),
        },
        participant,
      );
    // A registration whose crediting period ended before the monitoring period does not count.
    expect(
      (
        await api.post(
          registrations(project),
          {
            ...vcs,
            mechanism: 'cdm',
            identifier: 'CDM 0042',
            creditingPeriod: { start: '2020-01-01', end: '2027-12-31' },
          },
          participant,
        )
      ).status,
    ).toBe(201);
    const recorded = await api.post(registrations(project), vcs, participant);
    const id = recorded.body['id'] as string;
    const before = await counts();
    const refused = await request();
    expect([refused.status, refused.body['code']]).toEqual([
      422,
      'cycle_monitoring_period_registered_elsewhere',
    ]);
    expect(refused.body['detail']).toContain(
      "the monitoring period 2028-01-01..2028-12-31 overlaps the crediting period 2027-01-01..2036-12-31 of VCS 4321 in Verra's Verified Carbon Standard",
    );
    expect(await counts()).toEqual(before);
    // Cancelled for half of the overlap only: still refused, for the other half.
    const half = {
      ...vcs,
      status: 'cancelled',
      cancellation: {
        period: { start: '2027-01-01', end: '2028-06-30' },
        reference: 'VCS-CXL-0100',
      },
    };
    expect(
      (await api.post(`${registrations(project)}/${id}/versions`, half, secretariat)).status,
    ).toBe(201);
    const still = await request();
    expect([still.status, still.body['code']]).toEqual([
      422,
      'cycle_monitoring_period_registered_elsewhere',
    ]);
    expect(still.body['detail']).toContain('on 2028-01-01..2028-12-31');
    const whole = {
      ...half,
      cancellation: {
        period: { start: '2027-01-01', end: '2028-12-31' },
        reference: 'VCS-CXL-0101',
      },
    };
    expect(
      (await api.post(`${registrations(project)}/${id}/versions`, whole, secretariat)).status,
    ).toBe(201);
    const accepted = await request();
    expect([accepted.status, accepted.body['to']]).toEqual([201, 'issuance_completeness']);
    const issuance = accepted.body['item'] as string;

    // A registration recorded after the request stops the Joint Committee's decision.
    await api.act('accept_complete', { item: issuance }, secretariat);
    expect(
      (
        await api.post(
          registrations(project),
          {
            ...vcs,
            mechanism: 'gold_standard',
            identifier: 'GS 11208',
            creditingPeriod: { start: '2028-06-01', end: '2030-12-31' },
          },
          participant,
        )
      ).status,
    ).toBe(201);
    const decision = await api.decide(issuance, 'decide_issuance');
    const decided = await api.post(
      '/api/v1/cycle/actions/decide_issuance',
      { item: issuance, decision },
      'joint_committee:IN',
    );
    expect([decided.status, decided.body['code']]).toEqual([
      422,
      'cycle_monitoring_period_registered_elsewhere',
    ]);
    expect(decided.body['detail']).toContain('GS 11208 in the Gold Standard');
    expect(decided.body['detail']).toContain('on 2028-06-01..2028-12-31');
  });
});
