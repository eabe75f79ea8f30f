// Allocation rules on stored facts (issue 13, item 1), through the API: each line's holder is derived
// from the account it names (registry, type, holder) and the project's stored participants, so that a
// participant's account labelled as a government's cannot meet Indonesia's 10% or the MOEJ model
// projects' 50%, nor a private Palau-side participant's account pass as `other`; the registration
// request, the issuance request and the Joint Committee's issuance decision all check it. Refusals
// change nothing, and a participant of another organisation is refused before its allocation counts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { allocation, CycleFixtures, projectData } from '../support/cycle-fixtures.ts';
import {
  freshPlatform,
  testDbKind,
  type TestClock,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';
import { mustRun } from '../support/scenario.ts';

const devToken = 'allocation-token';
let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let fixtures: CycleFixtures;

/** Accounts opened in this order get these ids (each registry numbers from 000004). */
const accounts = [
  ['JP', 'holding', 'sunrise-jp', 'JP-000004'],
  ['JP', 'government_holding', 'gov-jp', 'JP-000005'],
  ['JP', 'holding', 'stranger-jp', 'JP-000006'],
  ['ID', 'holding', 'nusantara-id', 'ID-000004'],
  ['ID', 'government_holding', 'gov-id', 'ID-000005'],
  ['PW', 'holding', 'koror-pw', 'PW-000004'],
  ['PW', 'government_holding', 'gov-pw', 'PW-000005'],
  ['IN', 'holding', 'surya-in', 'IN-000004'],
] as const;

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  app = createApp(platform, { devToken });
  fixtures = new CycleFixtures(testDb.db, clock.now());
  for (const [registry, name] of [
    ['JP', "Japan's registry"],
    ['ID', "Indonesia's registry"],
    ['PW', "Palau's registry"],
    ['IN', "India's registry"],
  ])
    await mustRun(platform, 'open_registry', { registry, name });
  for (const [registry, accountType, holderId, id] of accounts) {
    await mustRun(platform, 'open_account', {
      registry,
      accountType,
      holderId,
      holderName: holderId,
    });
    const found = await platform.queries.account(id);
    expect(found.ok ? found.value.holderId : 'missing').toBe(holderId);
  }
});
afterAll(async () => {
  await testDb.drop();
});

const doc = (type: string) => ({
  type,
  fileName: `${type}.pdf`,
  mediaType: 'application/pdf',
  content: Buffer.from(`%PDF ${type}`).toString('base64'),
});
const registrationDocuments = [
  'registration_request',
  'pdd',
  'validation_report',
  'moc_statement',
  'credit_allocation',
].map(doc);

async function post(action: string, body: unknown, roles: string) {
  const response = await app.request(`/api/v1/cycle/actions/${action}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${devToken}`,
      'x-jcm-actor': `actor-${roles}`,
      'x-jcm-roles': roles,
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  return { status: response.status, code: (json['code'] as string | undefined) ?? 'ok', json };
}

type Holder = (typeof allocation)[number]['holder'] | 'government_japan' | 'government_partner';
const line = (account: string, holder: Holder | 'other', quantity: string) => ({
  holder,
  registry: account.slice(0, 2),
  account,
  vintage: 2028,
  quantity,
});

async function state(item: string): Promise<[string, number]> {
  const found = await platform.cycleQueries.item(item);
  return found.ok ? [String(found.value['state']), Number(found.value['version'])] : ['missing', 0];
}

/** A validated project of a partnership, its participants on each side as given. */
function validated(partnership: string, partner: string, programme = 'private_sector_jcm') {
  return fixtures.project('validated', {
    partnership,
    data: {
      participantsJapan: ['sunrise-jp'],
      participantsPartner: [partner],
      focalPoint: 'sunrise-jp',
      programme,
    },
  });
}

/** Rows in order; each refused one changes nothing; the last row of each table is accepted. */
async function requestRegistration(
  project: string,
  rows: readonly [name: string, lines: ReturnType<typeof line>[], code: string][],
) {
  for (const [name, lines, code] of rows) {
    const before = await state(project);
    const answer = await post(
      'request_registration',
      { item: project, allocation: lines, documents: registrationDocuments },
      'project_participant:sunrise-jp',
    );
    expect([answer.code, answer.status], `${name}: ${JSON.stringify(answer.json)}`).toEqual([
      code,
      code === 'ok' ? 201 : 422,
    ]);
    if (code !== 'ok') expect(await state(project), `${name} changed nothing`).toEqual(before);
  }
}

describe(`allocation rules on stored accounts on ${testDbKind}`, () => {
  it("Indonesia: at least 10% to the Government of Indonesia's account, not to a relabelled one", async () => {
    const project = await validated('ID', 'nusantara-id');
    await requestRegistration(project, [
      [
        "the participant's account labelled the Government of Indonesia's",
        [
          line('ID-000004', 'government_partner', '10'),
          line('JP-000004', 'participant_japan', '90'),
        ],
        'allocation_holder_mismatch',
      ],
      [
        "a stranger's account labelled the Japanese participant's",
        [
          line('ID-000005', 'government_partner', '10'),
          line('JP-000006', 'participant_japan', '90'),
        ],
        'allocation_holder_mismatch',
      ],
      [
        'an account nobody opened',
        [
          line('ID-000005', 'government_partner', '10'),
          line('JP-000099', 'participant_japan', '90'),
        ],
        'allocation_account_not_found',
      ],
      [
        "an account of Japan's registry named in Indonesia's",
        [
          line('ID-000005', 'government_partner', '10'),
          { ...line('JP-000004', 'participant_japan', '90'), registry: 'ID' },
        ],
        'allocation_account_not_in_registry',
      ],
      [
        'honestly labelled, 9% to the Government of Indonesia',
        [
          line('ID-000005', 'government_partner', '9'),
          line('JP-000004', 'participant_japan', '91'),
        ],
        'allocation_rule_violated',
      ],
      [
        '10% to the Government of Indonesia',
        [
          line('ID-000005', 'government_partner', '10'),
          line('JP-000004', 'participant_japan', '60'),
          line('ID-000004', 'participant_partner', '30'),
        ],
        'ok',
      ],
    ]);
    expect((await state(project))[0]).toBe('registration_completeness');
  });

  it('a participant of another organisation, or forged project data, is refused before the allocation', async () => {
    const project = await validated('ID', 'nusantara-id');
    const honest = [
      line('ID-000005', 'government_partner', '10'),
      line('JP-000006', 'participant_japan', '90'),
    ];
    // The stranger holds JP-000006, but it is no participant of the stored project.
    const stranger = await post(
      'request_registration',
      { item: project, allocation: honest, documents: registrationDocuments },
      'project_participant:stranger-jp',
    );
    expect([stranger.status, stranger.code]).toEqual([403, 'cycle_role_not_allowed']);
    // Naming itself in forged project data changes nothing: the action does not take project data.
    const forged = await post(
      'request_registration',
      {
        item: project,
        allocation: honest,
        project: { ...projectData, participantsJapan: ['stranger-jp'] },
        documents: registrationDocuments,
      },
      'project_participant:sunrise-jp',
    );
    expect([forged.status, forged.code]).toEqual([400, 'invalid_request']);
    expect(await state(project)).toEqual(['validated', 1]);
  });

  it('MOEJ model projects: at least 50% to the Government of Japan, derived from its account', async () => {
    const project = await validated('ID', 'nusantara-id', 'moej_model_project');
    await requestRegistration(project, [
      [
        "the Japanese participant's account labelled the Government of Japan's",
        [
          line('JP-000005', 'government_japan', '40'),
          line('JP-000004', 'government_japan', '10'),
          line('ID-000005', 'government_partner', '10'),
          line('ID-000004', 'participant_partner', '40'),
        ],
        'allocation_holder_mismatch',
      ],
      [
        '40% to the Government of Japan',
        [
          line('JP-000005', 'government_japan', '40'),
          line('JP-000004', 'participant_japan', '10'),
          line('ID-000005', 'government_partner', '10'),
          line('ID-000004', 'participant_partner', '40'),
        ],
        'allocation_rule_violated',
      ],
      [
        '50% to the Government of Japan and 10% to the Government of Indonesia',
        [
          line('JP-000005', 'government_japan', '50'),
          line('ID-000005', 'government_partner', '10'),
          line('ID-000004', 'participant_partner', '40'),
        ],
        'ok',
      ],
    ]);
  });

  it('Palau: nothing to private Palau-side participants, however the line is labelled', async () => {
    const project = await validated('PW', 'koror-pw');
    await requestRegistration(project, [
      [
        "the Palau-side participant's account labelled other",
        [line('JP-000004', 'participant_japan', '90'), line('PW-000004', 'other', '10')],
        'allocation_holder_mismatch',
      ],
      [
        "the Palau-side participant's account labelled the Government of Palau's",
        [
          line('JP-000004', 'participant_japan', '90'),
          line('PW-000004', 'government_partner', '10'),
        ],
        'allocation_holder_mismatch',
      ],
      [
        "10 credits to the Palau-side participant's account",
        [
          line('JP-000004', 'participant_japan', '90'),
          line('PW-000004', 'participant_partner', '10'),
        ],
        'allocation_rule_violated',
      ],
      [
        "10 credits to the Government of Palau's account",
        [
          line('JP-000004', 'participant_japan', '90'),
          line('PW-000005', 'government_partner', '10'),
        ],
        'ok',
      ],
    ]);
  });

  it('the issuance request and the issuance decision derive their holders too', async () => {
    const project = await fixtures.project('registered');
    const monitoring = await fixtures.monitoring('verified', project);
    const mislabelled = [
      line('JP-000004', 'government_japan', '60'),
      line('IN-000004', 'participant_partner', '40'),
    ];
    const requested = await post(
      'request_issuance',
      {
        parent: monitoring,
        allocation: mislabelled,
        documents: [
          'issuance_request',
          'credit_allocation',
          'monitoring_report',
          'verification_report',
        ].map(doc),
      },
      'project_participant:sunrise-jp',
    );
    expect([requested.status, requested.code]).toEqual([422, 'allocation_holder_mismatch']);
    // A decision is not proposed on a mislabelled allocation, for the governments to confirm...
    const issuance = await fixtures.issuance('jc_issuance');
    const proposed = await post(
      'propose_decision',
      {
        subject: { item: issuance, action: 'decide_issuance', text: 'Decides the issuance.' },
        allocation: mislabelled,
        documents: [doc('decision_text')],
      },
      'secretariat:IN',
    );
    expect([proposed.status, proposed.code]).toEqual([422, 'allocation_holder_mismatch']);
    // ...and one stored with a mislabelled allocation cannot be carried out.
    const decision = await fixtures.decision(issuance, 'decide_issuance');
    await testDb.db.transaction((trx) =>
      trx
        .updateTable('cycle_items')
        .set({
          data: JSON.stringify({
            subject: {
              item: issuance,
              action: 'decide_issuance',
              text: 'Decides the issuance.',
              version: 1,
              allocation: mislabelled,
            },
            confirmations: { government_japan: clock.now(), government_partner: clock.now() },
            adoptedAt: clock.now(),
            method: 'meeting',
          }),
        })
        .where('id', '=', decision)
        .execute(),
    );
    const decided = await post(
      'decide_issuance',
      { item: issuance, decision },
      'joint_committee:IN',
    );
    expect([decided.status, decided.code]).toEqual([422, 'allocation_holder_mismatch']);
    expect((await state(issuance))[0]).toBe('jc_issuance');
  });
});
