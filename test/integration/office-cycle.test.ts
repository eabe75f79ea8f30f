// The whole project cycle through the back office's HTML forms, as people would do it in a browser
// (the same requests, without one): the first administrator (made as `jcm admin create` does) logs
// in, adds a user for each role and registers an organisation; a Joint Committee member designates a
// TPE; then an idea note, a methodology, a PDD with validation and a finding, registration, a
// monitoring spreadsheet (a bad one first), verification, an issuance request, the Joint Committee's
// decision with both governments' confirmation, each registry manager issuing their lines and
// confirming, and the secretariat closing. Every step first checks that the page offers the form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { totpCode } from '../../src/services/accounts.ts';
import { designationDecision } from '../support/cycle-fixtures.ts';
import { operator } from '../support/scenario.ts';
import { methodologyFileText } from '../support/cycle-fixtures.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { authoriseForJapan } from '../support/demo-authorisation.ts';
import type { Platform } from '../../src/services/platform.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';
import { allItems } from '../support/pages.ts';

let platform: Platform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
const password = 'a long enough passphrase';

interface User {
  readonly email: string;
  readonly cookie: string;
  readonly csrf: string;
}
const users: Record<string, User> = {};
const authenticators: Record<string, { email: string; uri: string }> = {};

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  // The demo gives the registries, their accounts, the organisations and a designated TPE.
  await seedDemo(platform);
  app = createApp(platform, { devToken: null });
});
afterAll(async () => {
  await testDb.drop();
});

const cookieOf = (response: Response, name: string) =>
  (response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? '').split(';')[0] ?? '';

/** Logs in through the login form (its CSRF cookie, password, authenticator code). */
async function logIn(email: string, totpUri: string): Promise<User> {
  const form = await app.request('/login');
  const loginCookie = cookieOf(form, 'jcm_login_csrf');
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const body = new URLSearchParams({
    csrf,
    email,
    password,
    code: totpCode(email, totpUri, Date.parse(clock.now())),
  });
  const response = await app.request('/login', {
    method: 'POST',
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  expect(response.status).toBe(303);
  const cookie = cookieOf(response, 'jcm_session');
  const office = await (await app.request('/office', { headers: { cookie } })).text();
  expect(office).toContain(`Logged in as ${email}`);
  return { email, cookie, csrf: /name="csrf" value="([^"]+)"/.exec(office)?.[1] ?? '' };
}

async function get(user: User, path: string) {
  const response = await app.request(path, { headers: { cookie: user.cookie } });
  return { status: response.status, text: await response.text() };
}

type Fields = Record<string, string | string[] | File>;

async function post(user: User, path: string, fields: Fields) {
  const body = new FormData();
  body.set('csrf', user.csrf);
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) for (const one of v) body.append(k, one);
    else body.set(k, v);
  }
  const response = await app.request(path, {
    method: 'POST',
    headers: { cookie: user.cookie },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const file = (name: string, text = `${name} (test document)`) =>
  new File([text], `${name}.txt`, { type: 'text/plain' });
const docs = (...types: string[]) => Object.fromEntries(types.map((t) => [`doc_${t}`, file(t)]));

/** Form fields without a label (a `<label for>` naming their id, or an aria-label). */
function unlabelled(html: string): string[] {
  const fields = [...html.matchAll(/<(input|select|textarea)\b[^>]*>/g)].map((m) => m[0]);
  return fields.filter((f) => {
    if (/type="hidden"/.test(f) || /aria-label="[^"]+"/.test(f)) return false;
    const id = /\sid="([^"]+)"/.exec(f)?.[1];
    return id === undefined || !html.includes(`for="${id}"`);
  });
}

/** Checks the page offers the form with every field labelled, posts it, and returns the answer. */
async function step(role: string, page: string, action: string, fields: Fields = {}) {
  const user = users[role]!;
  const path = `/office/items/${page}/${action}`;
  const shown = (await get(user, `/office/items/${page}`)).text;
  expect(shown).toContain(`action="${path}"`);
  expect(unlabelled(shown)).toEqual([]);
  const done = await post(user, path, fields);
  expect([done.status, /role="alert"[\s\S]*?<\/div>/.exec(done.text)?.[0] ?? '']).toEqual([
    200,
    '',
  ]);
  expect(done.text).toContain(`Done: ${action.replaceAll('_', ' ')}`);
  return done.text;
}

/** Days pass (public input periods): sessions end, so everyone logs in again. */
async function daysPass(days: number) {
  clock.advanceDays(days);
  for (const [key, { email, uri }] of Object.entries(authenticators))
    users[key] = await logIn(email, uri);
}

/** The id of the item a page shows (its heading). */
const shownItem = (text: string) => /<h1>([A-Za-z0-9_-]+):/.exec(text)?.[1] ?? '';

/** A Joint Committee decision about an item, proposed, confirmed by both governments, adopted. */
async function decide(item: string, action: string): Promise<string> {
  const proposed = await step('secretariat', item, 'propose_decision', {
    subject_action: action,
    subject_text: `Authorises ${action} of ${item}.`,
    ...docs('decision_text'),
  });
  const decision = shownItem(proposed);
  await step('japan', decision, 'confirm_decision');
  await step('india', decision, 'confirm_decision');
  await step('jc', decision, 'adopt_decision', { method: 'meeting' });
  return decision;
}

const project = {
  p_title: 'Rooftop solar for cold storage in Nashik (test)',
  p_location: 'Nashik, Maharashtra, India',
  p_latitude: '19.99',
  p_longitude: '73.79',
  p_programme: 'private_sector_jcm',
  p_participantsJapan: 'example-trading-jp',
  p_participantsPartner: 'example-solar-in',
  p_focalPoint: 'example-trading-jp',
  p_sectoralScopes: '1',
  p_gases: ['CO2'],
  p_methodology: 'IN_AM009@1.0',
  p_activity: '1',
  p_tpe: 'example-verification',
  p_creditingStart: '2028-04-01',
  p_creditingEnd: '2038-03-31',
  p_expected: '1200',
  p_coBenefits: 'Less food lost to spoilage.',
};

/** Allocation rows of the forms: 10% Government of Japan, 45% each participant. */
function allocation(vintage: number, credits: bigint): Fields {
  const jp = (credits * 10n) / 100n;
  const trading = (credits * 45n) / 100n;
  const rows = [
    ['government_japan', 'JP', 'JP-000004', jp],
    ['participant_japan', 'JP', 'JP-000005', trading],
    ['participant_partner', 'IN', 'IN-000005', credits - jp - trading],
  ] as const;
  return Object.fromEntries(
    rows.flatMap(([holder, registry, account, quantity], i) => [
      [`a_holder_${i}`, holder],
      [`a_registry_${i}`, registry],
      [`a_account_${i}`, account],
      [`a_vintage_${i}`, String(vintage)],
      [`a_quantity_${i}`, String(quantity)],
    ]),
  );
}

async function balance(account: string): Promise<bigint> {
  const found = await platform.queries.account(account);
  return found.ok ? found.value.balance : -1n;
}

describe(`the project cycle in the back office on ${testDbKind}`, () => {
  let pin = '';
  let pdd = '';
  let monitoring = '';
  let issuance = '';
  let credits = 0n;

  it('lets the first administrator add a user for each role and register an organisation', async () => {
    const created = await platform.accounts.createUser({
      actor: operator,
      input: { email: 'admin@jcm.example', name: 'Admin', password, roles: 'administrator' },
    });
    if (!created.ok) throw new Error(created.error.message);
    users['admin'] = await logIn('admin@jcm.example', created.value.totpUri ?? '');
    const roles = {
      participant: 'project_participant:example-trading-jp',
      tpe: 'third_party_entity:example-verification',
      secretariat: 'secretariat:IN',
      jc: 'joint_committee:IN',
      japan: 'government_japan',
      india: 'government_partner:IN',
      registryJp: 'registry_manager:JP',
      registryIn: 'registry_manager:IN',
    };
    for (const [key, role] of Object.entries(roles)) {
      const email = `${key.toLowerCase()}@jcm.example`;
      const added = await post(users['admin']!, '/office/users/add', {
        email,
        name: key,
        roles: role,
        password,
        // Participants and TPEs need no second factor; these users enrol one anyway.
        totp: 'yes',
      });
      expect(added.status).toBe(200);
      const uri =
        /id="totp-uri">\s*([^<\s]+)\s*</.exec(added.text)?.[1]?.replaceAll('&amp;', '&') ?? '';
      expect(uri.startsWith('otpauth://totp/')).toBe(true);
      authenticators[key] = { email, uri };
      users[key] = await logIn(email, uri);
    }
    const listed = await get(users['admin']!, '/office/users');
    expect(listed.text).toContain('registry_manager:IN');
    // Nobody but an administrator sees the page; a weak password changes nothing.
    expect((await get(users['participant']!, '/office/users')).status).toBe(403);
    const weak = await post(users['admin']!, '/office/users/add', {
      email: 'weak@jcm.example',
      name: 'Weak',
      roles: 'government_japan',
      password: 'short',
    });
    expect([weak.status, weak.text.includes('password_too_weak')]).toEqual([422, true]);
    expect((await platform.accounts.listUsers()).some((u) => u.email === 'weak@jcm.example')).toBe(
      false,
    );

    const registered = await post(users['admin']!, '/office/organisations/add', {
      id: 'second-verifier',
      name: 'Second Verification Ltd (test)',
      kind: 'third_party_entity',
      country: 'jp',
    });
    expect(registered.text).toContain('Registered second-verifier');
    // The synthetic flag: an administrator may set it; a secretariat's forged field is refused.
    const demo = await post(users['admin']!, '/office/organisations/add', {
      id: 'office-demo',
      name: 'Office Demo Ltd (synthetic demo data)',
      kind: 'project_participant',
      country: 'IN',
      synthetic: 'yes',
    });
    expect(demo.text).toContain('Registered office-demo');
    const forged = await post(users['secretariat']!, '/office/organisations/add', {
      id: 'forged-demo',
      name: 'Forged',
      kind: 'project_participant',
      country: 'IN',
      synthetic: 'yes',
    });
    expect(forged.text).toContain('actor_not_authorised');
    const flags = new Map(
      (await platform.cycleQueries.organisations()).map((o) => [o.id, o.synthetic]),
    );
    expect([
      flags.get('office-demo'),
      flags.get('second-verifier'),
      flags.has('forged-demo'),
    ]).toEqual([true, false, false]);
    // The Joint Committee's decision to designate it comes first (issue 13).
    const decision = await designationDecision(platform, 'second-verifier', {
      sectoralScopes: [1, 3],
      functions: ['validation', 'verification'],
      validFrom: '2028-01-01',
      validUntil: '2030-12-31',
    });
    const designated = await post(users['jc']!, '/office/organisations/designate', {
      organisation: 'second-verifier',
      partnership: 'IN',
      scopes: '1, 3',
      functions: ['validation', 'verification'],
      accreditation: 'iso_14065',
      validFrom: '2028-01-01',
      validUntil: '2030-12-31',
      decision,
    });
    expect(designated.text).toContain('Designated second-verifier');
    expect(
      (await platform.cycleQueries.designations()).filter(
        (d) => d.organisation_id === 'second-verifier',
      ),
    ).toHaveLength(4);
  });

  it('takes an idea note to no objection', async () => {
    const form = await get(users['participant']!, '/office/new');
    expect(form.text).toContain('action="/office/new/submit_pin"');
    expect(unlabelled(form.text)).toEqual([]);
    for (const page of ['/office', '/office/users', '/office/organisations', '/office/tokens'])
      expect(unlabelled((await get(users['admin']!, page)).text)).toEqual([]);
    expect(unlabelled((await get(users['registryJp']!, '/office/registry')).text)).toEqual([]);
    const submitted = await post(users['participant']!, '/office/new/submit_pin', {
      partnership: 'IN',
      ...project,
      ...docs('pin_form', 'credit_allocation'),
    });
    expect(submitted.status).toBe(200);
    pin = shownItem(submitted.text);
    expect(pin).toMatch(/^IN_PIN\d+$/);
    // A missing field is named, and nothing is created.
    const before = (await allItems((r) => platform.cycleQueries.list({ machine: 'pin' }, r)))
      .length;
    const incomplete = await post(users['participant']!, '/office/new/submit_pin', {
      partnership: 'IN',
      ...project,
      p_latitude: 'north',
      ...docs('pin_form', 'credit_allocation'),
    });
    expect([incomplete.status, incomplete.text.includes('latitude')]).toEqual([422, true]);
    expect((await allItems((r) => platform.cycleQueries.list({ machine: 'pin' }, r))).length).toBe(
      before,
    );

    const decision = await decide(pin, 'record_no_objection');
    await step('jc', pin, 'record_no_objection', { decision });
  });

  it('approves a methodology proposal after completeness and public input', async () => {
    const proposed = await post(users['participant']!, '/office/new/propose_methodology', {
      partnership: 'IN',
      ...docs('methodology_proposal'),
      doc_methodology_file: new File([methodologyFileText()], 'proposal.yaml', {
        type: 'application/yaml',
      }),
    });
    const methodology = shownItem(proposed.text);
    await step('secretariat', methodology, 'accept_complete');
    await daysPass(16);
    await step('secretariat', methodology, 'close_public_input');
    const decision = await decide(methodology, 'approve_methodology');
    await step('jc', methodology, 'approve_methodology', { decision });
  });

  it('validates the PDD through a finding and registers the project', async () => {
    const submitted = await post(users['participant']!, '/office/new/submit_pdd', {
      partnership: 'IN',
      ...project,
      ...docs('pdd', 'moc_statement', 'project_information_sheet'),
      docfull_pdd: file('pdd', 'the PDD with its confidential annex'),
    });
    expect(submitted.status).toBe(200);
    pdd = shownItem(submitted.text);
    // Filed with its confidential full version, which the public route does not serve.
    const filed = await platform.cycleQueries.item(pdd);
    expect(
      filed.ok && (filed.value['documents'] as { type: string; confidential: boolean }[]),
    ).toContainEqual(expect.objectContaining({ type: 'pdd', confidential: true }));
    await daysPass(31);
    await step('secretariat', pdd, 'close_public_input');
    await step('tpe', pdd, 'raise_finding', {
      finding_kind: 'CAR',
      finding_text: 'State the calibration interval of the meter.',
    });
    const page = await get(users['participant']!, `/office/items/${pdd}`);
    const findingId = /<option value="(\d+)">\s*\1 CAR/.exec(page.text)?.[1] ?? '';
    expect(findingId).toMatch(/^\d+$/);
    await step('participant', pdd, 'answer_finding', {
      finding: findingId,
      answer: 'Yearly, by an accredited laboratory.',
    });
    await step('tpe', pdd, 'close_finding', { finding: findingId });
    // With no finding left open, nobody is offered to answer or close one.
    const after = await get(users['tpe']!, `/office/items/${pdd}`);
    expect(after.text).not.toContain(`/office/items/${pdd}/close_finding"`);
    await step('tpe', pdd, 'issue_positive_validation', docs('validation_report'));
    await step('participant', pdd, 'request_registration', {
      ...allocation(2028, 100n),
      ...docs('registration_request', 'credit_allocation'),
    });
    await step('secretariat', pdd, 'accept_complete');
    const decision = await decide(pdd, 'register_project');
    const registered = await step('jc', pdd, 'register_project', { decision });
    expect(registered).toMatch(/reference IN\d{3}/);
    // Article 6.2: India's authorisation of credits in Japan's registry names its projects; a new
    // version adds this one, and Japan confirms it, before any issuance.
    await authoriseForJapan(platform, /reference (IN\d{3})/.exec(registered)?.[1] ?? '');
    expect(registered).toMatch(/<li>\s*2028-\d{2}-\d{2} register project → registered/);
  });

  it('files a monitoring spreadsheet, shows its located mistakes, and verifies the good one', async () => {
    // May 2028 is reported once it has ended.
    await daysPass(60);
    const methodology = platform.methodologies.get('IN_AM009')!;
    const sheet = async (value: string) =>
      new File(
        [
          await platform.methodologies.template(methodology, {
            layout: {
              points: ['ROOF-1'],
              periods: [{ id: 'MP1', start: '2028-05-01', end: '2028-05-31' }],
            },
            prefill: (symbol, period) => (symbol === 'EG_i' && period !== null ? value : undefined),
          }),
        ],
        'monitoring.xlsx',
        { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      );
    const path = `/office/items/${pdd}/submit_monitoring_report`;
    expect((await get(users['participant']!, `/office/items/${pdd}`)).text).toContain(path);
    const misnamed = await post(users['participant']!, path, {
      doc_monitoring_report: new File(['not a PDF'], 'report.pdf', { type: 'application/pdf' }),
      doc_monitoring_spreadsheet: await sheet('1000'),
    });
    expect([misnamed.status, misnamed.text.includes('cycle_document_type_not_accepted')]).toEqual([
      422,
      true,
    ]);
    const bad = await post(users['participant']!, path, {
      ...docs('monitoring_report'),
      doc_monitoring_spreadsheet: await sheet('-5'),
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(
      /<li>\s*sheet &#39;Monitoring&#39; cell C4: EG_i may not be negative \(got -5\) \(monitoring_value_negative\)\s*<\/li>/,
    );
    expect((await platform.cycleQueries.item(pdd)).ok).toBe(true);
    expect(
      (await allItems((r) => platform.cycleQueries.list({ machine: 'monitoring' }, r))).filter(
        (m) => m.parent_id === pdd,
      ),
    ).toEqual([]);
    const good = await post(users['participant']!, path, {
      ...docs('monitoring_report'),
      doc_monitoring_spreadsheet: await sheet('1000'),
    });
    expect(good.status).toBe(200);
    monitoring = shownItem(good.text);
    expect(monitoring).toMatch(/-MP\d+$/);
    // 1000 MWh x 0.757 tCO2/MWh = 757 credits of vintage 2028.
    const form = await get(users['tpe']!, `/office/items/${monitoring}`);
    expect(form.text).toMatch(/name="verified"[^>]*>\s*2028=757<\/textarea>/);
    credits = 757n;
    await step('tpe', monitoring, 'issue_verification', {
      verified: '2028=757',
      ...docs('verification_report'),
    });
  });

  it('issues through the Joint Committee, both registry managers and the secretariat', async () => {
    const before = {
      jp: await balance('JP-000004'),
      trading: await balance('JP-000005'),
      in: await balance('IN-000005'),
    };
    const requested = await step('participant', monitoring, 'request_issuance', {
      ...allocation(2028, credits),
      ...docs('issuance_request', 'credit_allocation', 'monitoring_report', 'verification_report'),
    });
    issuance = shownItem(requested);
    await step('secretariat', issuance, 'accept_complete');
    const decision = await decide(issuance, 'decide_issuance');
    await step('jc', issuance, 'decide_issuance', { decision });

    for (const [manager, registry] of [
      ['registryJp', 'JP'],
      ['registryIn', 'IN'],
    ] as const) {
      const page = await get(users[manager]!, '/office/registry');
      const lines = [...page.text.matchAll(/name="line" value="(\d+)"/g)].map((m) => m[1] ?? '');
      expect(lines.length).toBe(registry === 'JP' ? 2 : 1);
      for (const line of lines) {
        const issued = await post(users[manager]!, '/office/registry/issue', {
          registry,
          decision,
          line,
        });
        expect(issued.text).toContain(`Issued line ${line} of ${decision}`);
      }
      // A second press changes nothing: the line is issued once.
      const again = await post(users[manager]!, '/office/registry/issue', {
        registry,
        decision,
        line: lines[0]!,
      });
      expect(again.status).toBe(422);
      await step(manager, issuance, 'confirm_issued');
    }
    await step('secretariat', issuance, 'close_issuance');
    expect({
      jp: (await balance('JP-000004')) - before.jp,
      trading: (await balance('JP-000005')) - before.trading,
      in: (await balance('IN-000005')) - before.in,
    }).toEqual({ jp: 75n, trading: 340n, in: 342n });
    const closed = await platform.cycleQueries.item(issuance);
    expect(closed.ok ? closed.value.state : '').toBe('issued');
    expect((await platform.audit()).passed).toBe(true);
  });

  it('opens an account and sends a transfer out of a government account to a second person', async () => {
    const opened = await post(users['registryJp']!, '/office/registry/open_account', {
      registry: 'JP',
      accountType: 'holding',
      holderId: 'office-buyer',
      holderName: 'Office Buyer KK (test)',
    });
    expect(opened.text).toContain('Opened an account for Office Buyer KK (test) in JP');
    const account = /<td>(JP-\d{6})<\/td>\s*<td>holding<\/td>\s*<td>Office Buyer KK/.exec(
      opened.text,
    )?.[1];
    expect(account).toMatch(/^JP-\d{6}$/);
    const requested = await post(users['registryJp']!, '/office/registry/transfer', {
      from: 'JP-000004',
      to: account ?? '',
      quantity: '5',
    });
    expect(requested.text).toContain('it waits for a second person');
    expect(await balance(account ?? '')).toBe(0n);
    const direct = await post(users['registryJp']!, '/office/registry/transfer', {
      from: 'JP-000005',
      to: account ?? '',
      quantity: '3',
    });
    expect(direct.text).toContain('Transferred.');
    expect(await balance(account ?? '')).toBe(3n);
  });

  it('lets a user create and revoke their own API token', async () => {
    const created = await post(users['registryIn']!, '/office/tokens/create', {
      name: 'reporting script',
      scopes: ['registry_manager:IN'],
    });
    const secret = /id="token-secret">\s*([^<\s]+)\s*</.exec(created.text)?.[1] ?? '';
    expect(secret.startsWith('jcm_tok_')).toBe(true);
    const actor = await platform.accounts.tokenActor(secret);
    expect(actor?.id).toBe('registryin@jcm.example');
    const id = /name="id" value="(tok_[^"]+)"/.exec(created.text)?.[1] ?? '';
    await post(users['registryIn']!, '/office/tokens/revoke', { id });
    expect(await platform.accounts.tokenActor(secret)).toBeNull();
  });
});
