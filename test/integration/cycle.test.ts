// The project cycle end to end on the real database: an India-Japan solar-plus-storage project from
// PDD to issued credits, through public input, validation with a CAR, registration with both
// governments' prior confirmation, monitoring by the methodology engine, verification, the Joint
// Committee's issuance decision and issuance in both registries. Each refusal on the way has its
// stable code and changes nothing.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorWithRoles } from '../../src/core/ledger/actor.ts';
import { freshPlatform, testDbKind, type TestClock, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { designationDecision } from '../support/cycle-fixtures.ts';
import { mustRun } from '../support/scenario.ts';
import { blankSheet, replaced } from '../support/zip-bomb.ts';
import { allItems } from '../support/pages.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;

/** This test's own document store: a refused action must leave no file in it. */
const documentsDir = mkdtempSync(join(tmpdir(), 'jcm-cycle-documents-'));
const filesOnDisk = () => readdirSync(documentsDir, { recursive: true }).map(String).sort();

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform({ documentsDir }));
  await mustRun(platform, 'open_registry', { registry: 'JP', name: "Japan's registry" });
  await mustRun(platform, 'open_registry', { registry: 'IN', name: "India's registry" });
  await mustRun(platform, 'open_account', {
    registry: 'JP',
    accountType: 'holding',
    holderId: 'sunrise-jp',
    holderName: 'Sunrise Energy KK',
  });
  await mustRun(platform, 'open_account', {
    registry: 'IN',
    accountType: 'holding',
    holderId: 'surya-in',
    holderName: 'Surya Storage Pvt Ltd',
  });
});
afterAll(async () => {
  await testDb.drop();
});

const actor = actorWithRoles;
const pp = actor('asha', 'project_participant:sunrise-jp');
const tpe = actor('kenji', 'third_party_entity:verita');
const secretariat = actor('sec', 'secretariat:IN');
const jc = actor('co-chair', 'joint_committee:IN');
const govJp = actor('moej', 'government_japan');
const govIn = actor('moefcc', 'government_partner:IN');

const doc = (type: string) => ({
  type,
  fileName: `${type}.pdf`,
  mediaType: 'application/pdf',
  content: Buffer.from(`%PDF ${type} of the demo project`).toString('base64'),
});

async function act(
  who: ReturnType<typeof actor>,
  action: string,
  envelope: Record<string, unknown>,
) {
  return platform.cycle.act(action, { actor: who, idempotencyKey: randomUUID(), input: envelope });
}
async function mustAct(
  who: ReturnType<typeof actor>,
  action: string,
  envelope: Record<string, unknown>,
) {
  const result = await act(who, action, envelope);
  if (!result.ok) throw new Error(`${action}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}
/** Refused with the code, and nothing changed: the event log and every cycle table are as before. */
async function refused(
  who: ReturnType<typeof actor>,
  action: string,
  envelope: Record<string, unknown>,
  code: string,
) {
  const before = [await cycleSnapshot(), filesOnDisk()];
  const result = await act(who, action, envelope);
  expect(result.ok ? 'ok' : result.error.code).toBe(code);
  expect([await cycleSnapshot(), filesOnDisk()]).toEqual(before);
}
async function cycleSnapshot() {
  return platform.db.read(async (k) => {
    const rows = await sql<{
      t: string;
    }>`SELECT concat_ws('|', (SELECT count(*) FROM cycle_events), (SELECT string_agg(id || ':' || state || ':' || coalesce(due_date, '') || ':' || data::text, ',' ORDER BY id) FROM cycle_items), (SELECT string_agg(id::text || state, ',' ORDER BY id) FROM cycle_findings), (SELECT count(*) FROM cycle_documents)) AS t`.execute(
      k,
    );
    return rows.rows[0]?.t;
  });
}

/** 60% to the Japanese participant, 40% to the Indian one (India's rulebook sets no minimum share). */
const allocation = [
  {
    holder: 'participant_japan',
    registry: 'JP',
    account: 'JP-000004',
    vintage: 2028,
    quantity: '60',
  },
  {
    holder: 'participant_partner',
    registry: 'IN',
    account: 'IN-000004',
    vintage: 2028,
    quantity: '40',
  },
];

const projectData = {
  title: '12 MW solar with 24 MWh storage for a textile park in Gujarat (synthetic)',
  location: 'Surat, Gujarat',
  latitude: 21.17,
  longitude: 72.83,
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
  expectedReductionsPerYear: '14000',
};

describe(`the project cycle on ${testDbKind}`, () => {
  let project = '';
  let monitoring = '';
  let issuance = '';

  it('registers organisations and designates the TPE', async () => {
    const admin = actor('admin', 'administrator');
    for (const [id, name, kind, country] of [
      ['sunrise-jp', 'Sunrise Energy KK', 'project_participant', 'JP'],
      ['surya-in', 'Surya Storage Pvt Ltd', 'project_participant', 'IN'],
      ['verita', 'Verita Assurance', 'third_party_entity', 'JP'],
    ] as const) {
      const done = await platform.organisations.register({
        actor: admin,
        idempotencyKey: `org-${id}`,
        input: { id, name, kind, country },
      });
      expect(done.ok).toBe(true);
    }
    const terms = {
      sectoralScopes: [1],
      functions: ['validation', 'verification'],
      validFrom: '2028-01-01',
      validUntil: '2030-12-31',
    } as const;
    const input = {
      organisation: 'verita',
      partnership: 'IN',
      ...terms,
      accreditation: 'iso_14065',
    };
    // Not without an adopted Joint Committee decision to designate it (issue 13).
    const undecided = await platform.organisations.designate({
      actor: jc,
      idempotencyKey: 'designate-verita-undecided',
      input,
    });
    expect(undecided.ok ? 'ok' : undecided.error.code).toBe('invalid_request');
    const decision = await designationDecision(platform, 'verita', terms);
    const designated = await platform.organisations.designate({
      actor: jc,
      idempotencyKey: 'designate-verita',
      input: { ...input, decision },
    });
    expect(designated.ok && designated.value.designations).toBe(2);
  });

  it("takes the PDD with the documents the cycle and India's rulebook ask for, into 30 days of public input", async () => {
    const envelope = {
      partnership: 'IN',
      project: projectData,
      documents: [doc('pdd'), doc('moc_statement')],
    };
    await refused(pp, 'submit_pdd', envelope, 'cycle_documents_missing');
    await refused(
      pp,
      'submit_pdd',
      {
        ...envelope,
        project: { ...projectData, activity: '99' },
        documents: [doc('pdd'), doc('moc_statement'), doc('project_information_sheet')],
      },
      'cycle_activity_not_eligible',
    );
    // The activity is tied to the methodology (issue 13, item 2): plain solar PV (IN_AM001) serves
    // none of India's list, and compressed biogas (IN_AM007) serves activity 5, not activity 1.
    for (const [methodology, code] of [
      ['IN_AM001', 'cycle_methodology_serves_no_eligible_activity'],
      ['IN_AM007', 'cycle_methodology_does_not_serve_activity'],
      ['XX_AM999', 'cycle_methodology_serves_no_eligible_activity'],
    ] as const) {
      await refused(
        pp,
        'submit_pdd',
        {
          ...envelope,
          project: { ...projectData, methodology: { id: methodology, version: '1.0' } },
          documents: [doc('pdd'), doc('moc_statement'), doc('project_information_sheet')],
        },
        code,
      );
    }
    await refused(
      pp,
      'submit_pdd',
      {
        ...envelope,
        project: { ...projectData, sectoralScopes: [1, 3] },
        documents: [doc('pdd'), doc('moc_statement'), doc('project_information_sheet')],
      },
      'cycle_tpe_not_designated',
    );
    await refused(
      tpe,
      'submit_pdd',
      {
        ...envelope,
        documents: [doc('pdd'), doc('moc_statement'), doc('project_information_sheet')],
      },
      'cycle_role_not_allowed',
    );
    const done = await mustAct(pp, 'submit_pdd', {
      ...envelope,
      documents: [doc('pdd'), doc('moc_statement'), doc('project_information_sheet')],
    });
    project = done.item;
    expect(done).toMatchObject({
      item: 'IN-PRJ001',
      to: 'public_input',
      due: { date: '2028-05-01', role: 'secretariat' },
    });
    const inbox = await allItems((r) =>
      platform.cycleQueries.inbox('secretariat', 'IN', undefined, r),
    );
    expect(inbox.map((e) => [e.item, e.step])).toEqual([[project, 'public input']]);
  });

  it('validates with a CAR that must be closed before a positive opinion', async () => {
    await refused(
      secretariat,
      'close_public_input',
      { item: project },
      'cycle_public_input_still_open',
    );
    clock.advanceDays(31);
    await mustAct(secretariat, 'close_public_input', { item: project });
    await mustAct(tpe, 'raise_finding', {
      item: project,
      finding: {
        kind: 'CAR',
        text: 'The monitoring plan lacks the calibration frequency of the export meter.',
      },
    });
    const finding = (
      (await platform.cycleQueries.item(project)) as {
        ok: true;
        value: { findings: { id: bigint }[] };
      }
    ).value.findings[0]!.id;
    await mustAct(pp, 'answer_finding', {
      item: project,
      finding: { id: String(finding), answer: 'Annual calibration added (section B.7).' },
    });
    await refused(
      tpe,
      'issue_positive_validation',
      { item: project, documents: [doc('validation_report')] },
      'cycle_findings_open',
    );
    await refused(
      tpe,
      'close_finding',
      { item: project, finding: { id: '999' } },
      'cycle_finding_not_found',
    );
    await mustAct(tpe, 'close_finding', { item: project, finding: { id: String(finding) } });
    const validated = await mustAct(tpe, 'issue_positive_validation', {
      item: project,
      documents: [doc('validation_report')],
    });
    expect(validated.to).toBe('validated');
  });

  it('registers the project after both governments confirm the Joint Committee decision', async () => {
    const requested = await mustAct(pp, 'request_registration', {
      item: project,
      allocation,
      documents: [doc('registration_request'), doc('credit_allocation')],
    });
    expect(requested.due?.step).toBe('completeness check');
    await mustAct(secretariat, 'return_for_revision', { item: project });
    // The revision waits in the inbox of the project's own participants, not of others.
    const waiting = (organisation: string) =>
      allItems((r) =>
        platform.cycleQueries.inbox('project_participant', undefined, organisation, r),
      ).then((entries) => entries.map((e) => [e.item, e.step]));
    expect(await waiting('surya-in')).toEqual([[project, 'revision of editorial issues']]);
    expect(await waiting('sunrise-jp')).toEqual([[project, 'revision of editorial issues']]);
    expect(await waiting('another-developer')).toEqual([]);
    await mustAct(pp, 'resubmit_registration', {
      item: project,
      allocation,
      documents: [doc('registration_request')],
    });
    await mustAct(secretariat, 'accept_complete', { item: project });
    const decision = await mustAct(secretariat, 'propose_decision', {
      parent: project,
      subject: {
        item: project,
        action: 'register_project',
        text: 'The Joint Committee registers IN-PRJ001.',
      },
      documents: [doc('decision_text')],
    });
    // The second decision of 2028: the first designated the TPE.
    expect(decision.item).toBe('JC-IN-2028-002');
    await refused(
      jc,
      'register_project',
      { item: project, decision: decision.item },
      'cycle_decision_not_adopted',
    );
    await refused(
      jc,
      'adopt_decision',
      { item: decision.item, method: 'electronic' },
      'cycle_government_confirmation_missing',
    );
    await mustAct(govJp, 'confirm_decision', { item: decision.item });
    await refused(
      jc,
      'adopt_decision',
      { item: decision.item },
      'cycle_government_confirmation_missing',
    );
    await mustAct(govIn, 'confirm_decision', { item: decision.item });
    await mustAct(jc, 'adopt_decision', { item: decision.item, method: 'electronic' });
    const registered = await mustAct(jc, 'register_project', {
      item: project,
      decision: decision.item,
    });
    expect(registered).toMatchObject({ to: 'registered', reference: 'IN001' });
    // A refused withdrawal with three large documents leaves nothing behind, on disk either.
    const large = (n: number) => ({
      ...doc('project_withdrawal_request'),
      fileName: `withdrawal-${n}.pdf`,
      content: Buffer.concat([
        Buffer.from(`%PDF ${n} `),
        Buffer.alloc(7 * 1024 * 1024, n),
      ]).toString('base64'),
    });
    await refused(
      actor('intruder', 'project_participant:another-developer'),
      'withdraw_project',
      { item: project, documents: [large(1), large(2), large(3)] },
      'cycle_role_not_allowed',
    );
  });

  it('calculates the monitoring report with the methodology engine and verifies it', async () => {
    // A monitoring period is reported once it has ended.
    clock.advanceDays(250);
    const monitoringData = {
      monitoring_points: ['PV-STORAGE-1'],
      periods: [{ id: 'MP1', start: '2028-06-01', end: '2028-12-31' }],
      fixed: {},
      monitored: { MP1: { 'PV-STORAGE-1': { EG_i: '140.5' } } },
    };
    // A document whose name, type and content disagree is not filed.
    await refused(
      pp,
      'submit_monitoring_report',
      {
        parent: project,
        monitoring: monitoringData,
        documents: [
          { ...doc('monitoring_report'), content: Buffer.from('MZ not a PDF').toString('base64') },
          doc('monitoring_spreadsheet'),
        ],
      },
      'cycle_document_type_not_accepted',
    );
    // In-process callers can pass numbers JSON cannot carry: refused, not thrown.
    await refused(
      pp,
      'submit_monitoring_report',
      {
        parent: project,
        monitoring: { ...monitoringData, monitored: { MP1: { 'PV-STORAGE-1': { EG_i: NaN } } } },
      },
      'invalid_request',
    );
    await refused(
      pp,
      'submit_monitoring_report',
      {
        parent: project,
        monitoring: { ...monitoringData, monitored: { MP1: { 'PV-STORAGE-1': { EG_i: '-1' } } } },
        documents: [doc('monitoring_report'), doc('monitoring_spreadsheet')],
      },
      'monitoring_report_invalid',
    );
    // A spreadsheet that unpacks to hundreds of MB is refused before it is parsed (issue 12).
    const template = await platform.methodologies.template(platform.methodologies.get('IN_AM009')!);
    const bomb = await replaced(template, await blankSheet('xl/worksheets/sheet5.xml', 300));
    await refused(
      pp,
      'submit_monitoring_report',
      {
        parent: project,
        documents: [
          doc('monitoring_report'),
          {
            type: 'monitoring_spreadsheet',
            fileName: 'monitoring.xlsx',
            mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            content: bomb.toString('base64'),
          },
        ],
      },
      'workbook_too_large_unpacked',
    );
    const submitted = await mustAct(pp, 'submit_monitoring_report', {
      parent: project,
      monitoring: monitoringData,
      documents: [doc('monitoring_report'), doc('monitoring_spreadsheet')],
    });
    monitoring = submitted.item;
    // 140.5 MWh x 0.757 tCO2/MWh = 106.3585 -> 106 credits of vintage 2028.
    await refused(
      tpe,
      'issue_verification',
      { item: monitoring, verified: { '2028': '107' }, documents: [doc('verification_report')] },
      'cycle_verified_exceeds_calculated',
    );
    const verified = await mustAct(tpe, 'issue_verification', {
      item: monitoring,
      verified: { '2028': '100' },
      documents: [doc('verification_report')],
    });
    expect(verified.to).toBe('verified');
    // The same reductions are never reported twice, nor before they happened, nor out of the
    // crediting period.
    const again = (start: string, end: string) => ({
      parent: project,
      monitoring: { ...monitoringData, periods: [{ id: 'MP1', start, end }] },
      documents: [doc('monitoring_report'), doc('monitoring_spreadsheet')],
    });
    for (const [start, end, code] of [
      ['2028-12-01', '2028-12-31', 'cycle_monitoring_period_overlaps'],
      ['2028-06-01', '2028-06-01', 'cycle_monitoring_period_overlaps'],
      ['2029-02-01', '2029-12-31', 'cycle_monitoring_period_invalid'],
      ['2028-05-01', '2028-05-31', 'cycle_monitoring_period_outside_crediting_period'],
      ['2028-05-31', '2028-06-01', 'cycle_monitoring_period_outside_crediting_period'],
    ] as const)
      await refused(pp, 'submit_monitoring_report', again(start, end), code);
  });

  it('calculates a monitoring report filed as the filled monitoring spreadsheet, and locates its mistakes', async () => {
    clock.advanceDays(190);
    const methodology = platform.methodologies.get('IN_AM009')!;
    const layout = {
      points: ['PV-STORAGE-1'],
      periods: [{ id: 'MP2', start: '2029-01-01', end: '2029-06-30' }],
    };
    const sheet = (value: string) =>
      platform.methodologies.template(methodology, {
        layout,
        prefill: (symbol, period) => (symbol === 'EG_i' && period !== null ? value : undefined),
      });
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const filed = (bytes: Buffer) => ({
      type: 'monitoring_spreadsheet',
      fileName: 'monitoring.xlsx',
      mediaType: xlsx,
      content: bytes.toString('base64'),
    });
    const bad = await act(pp, 'submit_monitoring_report', {
      parent: project,
      documents: [doc('monitoring_report'), filed(await sheet('-5'))],
    });
    expect(bad.ok ? '' : `${bad.error.code}: ${bad.error.message}`).toBe(
      "monitoring_report_invalid: sheet 'Monitoring' cell C4: EG_i may not be negative (got -5)",
    );
    const good = await mustAct(pp, 'submit_monitoring_report', {
      parent: project,
      documents: [doc('monitoring_report'), filed(await sheet('200'))],
    });
    const item = await platform.cycleQueries.item(good.item);
    // 200 MWh x 0.757 = 151.4 -> 151 credits of vintage 2029.
    const calculation = ((item.ok ? item.value.data : {}) as { calculation: { credits: string } })
      .calculation;
    expect(calculation.credits).toBe('151');
  });

  it('issues through the Joint Committee decision and both registries', async () => {
    const docs = [
      doc('issuance_request'),
      doc('credit_allocation'),
      doc('monitoring_report'),
      doc('verification_report'),
    ];
    const requested = await mustAct(pp, 'request_issuance', {
      parent: monitoring,
      allocation,
      documents: docs,
    });
    issuance = requested.item;
    await refused(
      pp,
      'request_issuance',
      { parent: monitoring, allocation, documents: docs },
      'cycle_monitoring_not_verified',
    );
    await mustAct(secretariat, 'return_for_revision', { item: issuance });
    // An issuance request's project is two levels up (request -> monitoring period -> project).
    const waiting = (organisation: string) =>
      allItems((r) =>
        platform.cycleQueries.inbox('project_participant', 'IN', organisation, r),
      ).then((entries) => entries.map((e) => e.item));
    expect(await waiting('sunrise-jp')).toEqual([issuance]);
    expect(await waiting('another-developer')).toEqual([]);
    await mustAct(pp, 'resubmit_issuance', {
      item: issuance,
      allocation,
      documents: [doc('issuance_request'), doc('credit_allocation')],
    });
    await mustAct(secretariat, 'accept_complete', { item: issuance });
    const decision = await mustAct(secretariat, 'propose_decision', {
      parent: issuance,
      subject: {
        item: issuance,
        action: 'decide_issuance',
        text: 'Issue 100 credits of vintage 2028 to IN001.',
      },
      documents: [doc('decision_text')],
    });
    await mustAct(govJp, 'confirm_decision', { item: decision.item });
    await mustAct(govIn, 'confirm_decision', { item: decision.item });
    await mustAct(jc, 'adopt_decision', { item: decision.item, method: 'meeting' });
    const decided = await mustAct(jc, 'decide_issuance', {
      item: issuance,
      decision: decision.item,
    });
    expect(decided.to).toBe('governments_notified');
    const managerJp = actor('rm-jp', 'registry_manager:JP');
    const managerIn = actor('rm-in', 'registry_manager:IN');
    const issue = (registry: string, line: number, who: ReturnType<typeof actor>) =>
      mustRun(platform, 'issue', { registry, decision: decision.item, line }, who);
    await refused(managerJp, 'confirm_issued', { item: issuance }, 'cycle_lines_not_all_issued');
    await issue('JP', 1, managerJp);
    await mustAct(managerJp, 'confirm_issued', { item: issuance });
    await refused(managerIn, 'confirm_issued', { item: issuance }, 'cycle_lines_not_all_issued');
    await refused(secretariat, 'close_issuance', { item: issuance }, 'cycle_lines_not_all_issued');
    await issue('IN', 2, managerIn);
    await refused(
      secretariat,
      'close_issuance',
      { item: issuance },
      'cycle_registry_confirmation_missing',
    );
    await mustAct(managerIn, 'confirm_issued', { item: issuance });
    const closed = await mustAct(secretariat, 'close_issuance', { item: issuance });
    expect(closed.to).toBe('issued');
    const holdings = await platform.queries.account('JP-000004');
    expect(holdings.ok && holdings.value.balance).toBe(60n);
    const audit = await platform.audit();
    expect(audit.passed).toBe(true);
  });

  it('keeps a public timeline of every step', async () => {
    const shown = await platform.cycleQueries.item(project);
    if (!shown.ok) throw new Error(shown.error.message);
    const timeline = (shown.value.timeline as { action: string }[]).map((e) => e.action);
    expect(timeline).toEqual([
      'submit_pdd',
      'close_public_input',
      'raise_finding',
      'answer_finding',
      'close_finding',
      'issue_positive_validation',
      'request_registration',
      'return_for_revision',
      'resubmit_registration',
      'accept_complete',
      'register_project',
    ]);
  });
});
