// Table-driven authorisation of every action of the project cycle, through the API and the back
// office: for each row of the cycle's definition, an actor of another organisation, a TPE that is not
// the project's (and not designated), and the bodies of another partnership are refused, with and
// without project data forged to name them (`project` in the API, `p_*` fields in a form), and
// nothing changes: no item, event, finding, version, key or document row, and no file on disk. Then
// the right actor takes the action. Nothing that decides who may act comes from the request.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleDefinition, type TransitionRule } from '../../src/core/cycle/definition.ts';
import { extraDocuments, rulesInForce } from '../../src/core/cycle/rulebook.ts';
import { parseCivilDate } from '../../src/core/shared/civil-date.ts';
import { statusOf } from '../../src/api/problem.ts';
import { createApp } from '../../src/http/app.ts';
import { actionParts } from '../../src/services/cycle-input.ts';
import {
  allocation,
  CycleFixtures,
  methodologyFileDocument,
  participants,
  projectData,
  registerOrganisations,
  tpe,
} from '../support/cycle-fixtures.ts';
import {
  freshPlatform,
  testDbKind,
  type TestClock,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';
import { mustRun } from '../support/scenario.ts';
import { userSession } from '../support/sessions.ts';

const devToken = 'authorisation-token';
const documentsDir = mkdtempSync(join(tmpdir(), 'jcm-authorisation-documents-'));
let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let fixtures: CycleFixtures;

/** A registered participant that is in none of the fixtures' projects; a TPE nobody designated. */
const otherOrganisation = 'other-dev';
const otherTpe = 'rogue-tpe';
/** An organisation nobody registered. */
const unregistered = 'ghost-dev';

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform({ documentsDir }));
  app = createApp(platform, { devToken });
  fixtures = new CycleFixtures(testDb.db, clock.now());
  await mustRun(platform, 'open_registry', { registry: 'JP', name: "Japan's registry" });
  await mustRun(platform, 'open_registry', { registry: 'IN', name: "India's registry" });
  for (const [registry, holderId] of [
    ['JP', participants.japan],
    ['IN', participants.partner],
  ] as const)
    await mustRun(platform, 'open_account', {
      registry,
      accountType: 'holding',
      holderId,
      holderName: holderId,
    });
  await registerOrganisations(platform, [
    [otherOrganisation, 'project_participant'],
    [otherTpe, 'third_party_entity'],
  ]);
});
afterAll(async () => {
  await testDb.drop();
});

const right: Record<string, string> = {
  project_participant: `project_participant:${participants.japan}`,
  third_party_entity: `third_party_entity:${tpe}`,
  secretariat: 'secretariat:IN',
  joint_committee: 'joint_committee:IN',
  government_partner: 'government_partner:IN',
  government_japan: 'government_japan',
  registry_manager: 'registry_manager:JP',
};
const wrong: Record<string, string | null> = {
  project_participant: `project_participant:${otherOrganisation}`,
  third_party_entity: `third_party_entity:${otherTpe}`,
  secretariat: 'secretariat:ID',
  joint_committee: 'joint_committee:ID',
  government_partner: 'government_partner:ID',
  // Japan's government acts in every partnership: it has no outsider counterpart.
  government_japan: null,
  registry_manager: 'registry_manager:ID',
};

/**
 * Who must be refused, with or without forged project data, and with which code: the outsider of
 * each acting role (any participant may propose a methodology) is refused for who it is; forged
 * project data on an action that does not take it is refused as such; on one that does (a
 * resubmission, a change request), the stored project still decides who may act. A new PIN or PDD
 * is defined by what it submits, so there the forgery is an unregistered organisation naming itself.
 */
function attempts(rule: TransitionRule): { roles: string; forged: string | null; code: string }[] {
  if (rule.action === 'submit_pin' || rule.action === 'submit_pdd')
    return [
      {
        roles: `project_participant:${otherOrganisation}`,
        forged: null,
        code: 'cycle_role_not_allowed',
      },
      {
        roles: `project_participant:${unregistered}`,
        forged: unregistered,
        code: 'cycle_participant_not_registered',
      },
    ];
  const takesProject =
    actionParts[rule.action as keyof typeof actionParts].required.includes('project');
  return outsiders(rule).flatMap((roles) => [
    { roles, forged: null, code: 'cycle_role_not_allowed' },
    {
      roles,
      forged: roles.split(':')[1] ?? otherOrganisation,
      code: takesProject ? 'cycle_role_not_allowed' : 'invalid_request',
    },
  ]);
}

function outsiders(rule: TransitionRule): string[] {
  const open = rule.machine === 'methodology' && (rule.from === null || rule.from === 'approved');
  return [
    ...new Set(
      rule.roles.flatMap((role) =>
        (open && role === 'project_participant' ? [] : [wrong[role] ?? []]).flat(),
      ),
    ),
  ];
}

/** The documents an action needs, each with fresh content (so that a file on disk would be new). */
function documents(rule: TransitionRule) {
  const rules = rulesInForce(
    platform.rulebooks,
    'IN',
    'private_sector_jcm',
    parseCivilDate('2028-04-01')!,
  );
  return [...new Set([...rule.documents, ...extraDocuments(rules, rule.action)])].map((type) =>
    type === 'methodology_file'
      ? methodologyFileDocument()
      : {
          type,
          fileName: `${type}.pdf`,
          mediaType: 'application/pdf',
          content: Buffer.from(`%PDF ${type} ${randomBytes(12).toString('hex')}`).toString(
            'base64',
          ),
        },
  );
}

const monitoringData = {
  monitoring_points: ['PV-1'],
  // Ended before the clock's first day, within the fixtures' crediting period.
  periods: [{ id: 'MP1', start: '2028-01-01', end: '2028-03-31' }],
  fixed: {},
  monitored: { MP1: { 'PV-1': { EG_i: '140.5' } } },
};

/** The action's own parts for the right actor: what each action carries (cycle-input.ts). */
async function envelope(rule: TransitionRule, target: string): Promise<Record<string, unknown>> {
  const parts = actionParts[rule.action as keyof typeof actionParts];
  const all = [...parts.required, ...(parts.optional ?? [])];
  const body: Record<string, unknown> = { documents: documents(rule), note: 'table-driven test' };
  if (all.includes('item')) body['item'] = target;
  if (parts.required.includes('parent')) body['parent'] = target;
  if (all.includes('partnership')) body['partnership'] = 'IN';
  if (all.includes('project')) body['project'] = projectData;
  if (parts.required.includes('allocation')) body['allocation'] = allocation;
  if (all.includes('monitoring')) body['monitoring'] = monitoringData;
  if (all.includes('verified')) body['verified'] = { '2028': '100' };
  if (all.includes('creditingPeriod'))
    body['creditingPeriod'] = { start: '2038-01-01', end: '2047-12-31' };
  if (all.includes('subject'))
    body['subject'] = { item: target, action: 'register_project', text: 'Registers it.' };
  if (all.includes('finding'))
    body['finding'] =
      rule.action === 'raise_finding'
        ? { kind: 'CL', text: 'Which inverter model?' }
        : {
            id: String(await openFinding(target)),
            ...(rule.action === 'answer_finding' ? { answer: 'Model X.' } : {}),
          };
  if (parts.required.includes('decision'))
    body['decision'] = await fixtures.decision(target, rule.action);
  return body;
}

async function openFinding(item: string): Promise<bigint> {
  const row = await testDb.db.transaction((trx) =>
    trx
      .insertInto('cycle_findings')
      .values({
        item_id: item,
        kind: 'CL',
        text: 'Which meter?',
        state: 'open',
        answer: null,
        raised_by: 'tpe',
        raised_at: clock.now(),
        closed_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return BigInt(row.id);
}

/** The item or parent the rule acts on, in its state, with the ledger facts closing steps need. */
async function target(rule: TransitionRule): Promise<string> {
  if (rule.from !== null) {
    const item = await fixtures.itemFor(rule);
    if (rule.from === 'governments_notified')
      await issueInLedger(item, rule.action === 'close_issuance');
    return item;
  }
  switch (rule.machine) {
    case 'monitoring':
      return fixtures.project('registered');
    case 'issuance':
      return fixtures.monitoring('verified');
    case 'decision':
      return fixtures.project('jc_registration');
    default:
      return '';
  }
}

/** The Joint Committee's ledger decision of an issuance request, each line issued in its registry. */
async function issueInLedger(item: string, confirmed: boolean): Promise<void> {
  const row = await testDb.db.read((k) =>
    k
      .selectFrom('cycle_items')
      .select(['parent_id', 'data'])
      .where('id', '=', item)
      .executeTakeFirstOrThrow(),
  );
  const project = await testDb.db.read((k) =>
    k
      .selectFrom('cycle_items')
      .select('reference')
      .where('id', '=', row.parent_id ?? '')
      .executeTakeFirstOrThrow(),
  );
  const decision = fixtures.id('LD');
  await mustRun(platform, 'record_issuance_decision', {
    decision,
    project: project.reference,
    verification: { reference: item, reductions: [{ vintage: 2028, quantity: '100' }] },
    lines: allocation.map(({ registry, account, vintage, quantity }) => ({
      registry,
      account,
      vintage,
      quantity,
    })),
  });
  await mustRun(platform, 'issue', { registry: 'JP', decision, line: 1 });
  await mustRun(platform, 'issue', { registry: 'IN', decision, line: 2 });
  const data = {
    ...(typeof row.data === 'string' ? JSON.parse(row.data) : row.data),
    ledgerDecision: decision,
    ...(confirmed ? { registryConfirmations: { JP: clock.now(), IN: clock.now() } } : {}),
  };
  await testDb.db.transaction((trx) =>
    trx
      .updateTable('cycle_items')
      .set({ data: JSON.stringify(data) })
      .where('id', '=', item)
      .execute(),
  );
}

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
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every table the cycle writes and every file of the document store, as text. */
async function everything(): Promise<string> {
  const rows = await testDb.db.read((k) =>
    sql<{ t: string }>`SELECT concat_ws('|',
      (SELECT count(*) FROM cycle_events), (SELECT count(*) FROM cycle_documents),
      (SELECT count(*) FROM project_versions), (SELECT count(*) FROM write_idempotency),
      (SELECT count(*) FROM journal), (SELECT count(*) FROM outbox),
      (SELECT string_agg(id || ':' || state || ':' || version || ':' || data::text, ',' ORDER BY id) FROM cycle_items),
      (SELECT string_agg(id::text || state, ',' ORDER BY id) FROM cycle_findings),
      (SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM counters)) AS t`.execute(k),
  );
  return `${rows.rows[0]?.t ?? ''}\n${filesOnDisk().join(',')}`;
}

function filesOnDisk(): string[] {
  return readdirSync(documentsDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
}

/** The project data an outsider forges to name itself as the participants and TPE. */
function forgedFor(organisation: string) {
  return {
    ...projectData,
    participantsJapan: [organisation],
    participantsPartner: [organisation],
    focalPoint: organisation,
    tpe: organisation,
  };
}

const name = (r: TransitionRule) => `${r.machine} ${r.from ?? '(new)'} --${r.action}--> ${r.to}`;

describe(`every cycle action refuses outsiders and forged project data on ${testDbKind}`, () => {
  it.each(cycleDefinition.map((r) => [name(r), r] as const))('%s', async (_name, rule) => {
    const on = await target(rule);
    const body = await envelope(rule, on);
    for (const { roles, forged, code } of attempts(rule)) {
      const sent = forged === null ? body : { ...body, project: forgedFor(forged) };
      const before = await everything();
      const answer = await post(rule.action, sent, roles);
      const what = `${roles}${forged === null ? '' : ' with forged project data'}`;
      expect(
        [answer.status, answer.body['code']],
        `${what}: ${JSON.stringify(answer.body)}`,
      ).toEqual([statusOf(code as never), code]);
      expect(await everything(), `${what} changed nothing`).toBe(before);
    }
    // The right actor, with the right parts and nothing forged, takes the action.
    const done = await post(rule.action, body, right[rule.roles[0] ?? ''] ?? '');
    expect([done.status, done.body['to'] ?? done.body['code']], JSON.stringify(done.body)).toEqual([
      201,
      rule.to,
    ]);
  });
});

/** Back-office sessions of the outsiders, made once each. */
const sessions = new Map<string, { cookie: string; csrf: string }>();
async function sessionOf(roles: string) {
  const known = sessions.get(roles);
  if (known !== undefined) return known;
  const email = `${roles.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}@outsider.example`;
  const session = await userSession(platform, clock, email, roles);
  sessions.set(roles, session);
  return session;
}

/** The project data as the back office's `p_*` fields carry it. */
function projectFields(project: typeof projectData): Record<string, string> {
  return {
    p_title: project.title,
    p_location: project.location,
    p_latitude: String(project.latitude),
    p_longitude: String(project.longitude),
    p_programme: project.programme,
    p_participantsJapan: project.participantsJapan.join(','),
    p_participantsPartner: project.participantsPartner.join(','),
    p_focalPoint: project.focalPoint,
    p_sectoralScopes: project.sectoralScopes.join(','),
    p_gases: 'CO2',
    p_methodology: `${project.methodology.id}@${project.methodology.version}`,
    p_activity: project.activity,
    p_tpe: project.tpe,
    p_creditingStart: project.creditingPeriod.start,
    p_creditingEnd: project.creditingPeriod.end,
    p_expected: project.expectedReductionsPerYear,
  };
}

/** The form of an action: the same parts the API envelope carries, as the office's fields and files. */
async function officeForm(
  rule: TransitionRule,
  body: Record<string, unknown>,
  csrf: string,
): Promise<FormData> {
  const form = new FormData();
  const text: Record<string, string> = {
    csrf,
    idempotency_key: `office-${randomUUID()}`,
    note: 'table-driven test',
  };
  if (typeof body['decision'] === 'string') text['decision'] = body['decision'];
  if (body['verified'] !== undefined) text['verified'] = '2028=100';
  if (body['creditingPeriod'] !== undefined)
    Object.assign(text, { renewal_start: '2038-01-01', renewal_end: '2047-12-31' });
  const finding = body['finding'] as Record<string, string> | undefined;
  if (finding?.['kind'] !== undefined)
    Object.assign(text, { finding_kind: finding['kind'], finding_text: finding['text'] });
  if (finding?.['id'] !== undefined)
    Object.assign(text, {
      finding: finding['id'],
      ...(finding['answer'] === undefined ? {} : { answer: finding['answer'] }),
    });
  if (body['subject'] !== undefined)
    Object.assign(text, { subject_action: 'register_project', subject_text: 'Registers it.' });
  if (body['project'] !== undefined)
    Object.assign(text, projectFields(body['project'] as typeof projectData));
  (body['allocation'] as typeof allocation | undefined)?.forEach((line, i) =>
    Object.assign(text, {
      [`a_holder_${i}`]: line.holder,
      [`a_registry_${i}`]: line.registry,
      [`a_account_${i}`]: line.account,
      [`a_vintage_${i}`]: String(line.vintage),
      [`a_quantity_${i}`]: line.quantity,
    }),
  );
  for (const [k, v] of Object.entries(text)) form.append(k, v);
  for (const d of body['documents'] as { type: string; fileName: string; content: string }[])
    form.append(
      `doc_${d.type}`,
      new File([Buffer.from(d.content, 'base64')], d.fileName, { type: 'application/pdf' }),
    );
  if (rule.action.endsWith('monitoring_report'))
    form.set('doc_monitoring_spreadsheet', await spreadsheet());
  return form;
}

async function spreadsheet(): Promise<File> {
  const methodology = platform.methodologies.get('IN_AM009');
  if (methodology === undefined) throw new Error('IN_AM009 is in the catalogue');
  const bytes = await platform.methodologies.template(methodology, {
    layout: { points: ['PV-1'], periods: [{ id: 'MP1', start: '2028-06-01', end: '2028-12-31' }] },
    prefill: (symbol, period) => (symbol === 'EG_i' && period !== null ? '140.5' : undefined),
  });
  return new File([new Uint8Array(bytes)], 'monitoring.xlsx', {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
}

describe(`every cycle form of the back office refuses outsiders and forged p_* fields on ${testDbKind}`, () => {
  const rules = cycleDefinition.filter(
    (r) =>
      r.action !== 'submit_pin' && r.action !== 'submit_pdd' && r.action !== 'propose_methodology',
  );
  it.each(rules.map((r) => [name(r), r] as const))('%s', async (_name, rule) => {
    const on = await target(rule);
    const body = await envelope(rule, on);
    for (const { roles, forged, code } of attempts(rule)) {
      const session = await sessionOf(roles);
      const sent = forged === null ? body : { ...body, project: forgedFor(forged) };
      const before = await everything();
      const response = await app.request(`/office/items/${on}/${rule.action}`, {
        method: 'POST',
        headers: { cookie: session.cookie },
        body: await officeForm(rule, sent, session.csrf),
      });
      const page = await response.text();
      const what = `${roles}${forged === null ? '' : ' with forged p_* fields'}`;
      expect(
        [response.status, page.includes(`(${code})`)],
        `${what}: ${page.slice(page.indexOf('role="alert"'), page.indexOf('role="alert"') + 300)}`,
      ).toEqual([422, true]);
      expect(await everything(), `${what} changed nothing`).toBe(before);
    }
  });
});
