// The rest of the cycle (issue 13), end to end through the API: the Joint Committee rejects an
// issuance request (its monitoring period may be requested again); monitoring periods may not
// overlap nor leave the stored crediting period; a renewal changes the crediting period as a new
// version of the project data, on the timeline; a TPE designation needs the Joint Committee's adopted
// decision on the same terms. Each step is refused to a participant or body of another organisation
// and with forged parts, and a refusal changes nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import {
  allocation,
  CycleFixtures,
  designationDecision,
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

const devToken = 'steps-token';
let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let fixtures: CycleFixtures;

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  app = createApp(platform, { devToken });
  fixtures = new CycleFixtures(testDb.db, clock.now());
  await openAllocationAccounts(platform);
  await registerOrganisations(platform, [
    ['other-dev', 'project_participant'],
    ['second-tpe', 'third_party_entity'],
  ]);
});
afterAll(async () => {
  await testDb.drop();
});

const participant = 'project_participant:sunrise-jp';
const outsider = 'project_participant:other-dev';
const doc = (type: string) => ({
  type,
  fileName: `${type}.pdf`,
  mediaType: 'application/pdf',
  content: Buffer.from(`%PDF ${type}`).toString('base64'),
});

async function post(path: string, body: unknown, roles: string) {
  const response = await app.request(path, {
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
const act = (action: string, body: unknown, roles: string) =>
  post(`/api/v1/cycle/actions/${action}`, body, roles);
async function mustAct(action: string, body: unknown, roles: string) {
  const done = await act(action, body, roles);
  expect(done.status, `${action}: ${JSON.stringify(done.json)}`).toBe(201);
  return done.json as { item: string; to: string };
}
/** Refused with this status and code, and nothing changed. */
async function refused(action: string, body: unknown, roles: string, status: number, code: string) {
  const before = await everything();
  const answer = await act(action, body, roles);
  expect([answer.status, answer.code], JSON.stringify(answer.json)).toEqual([status, code]);
  expect(await everything()).toEqual(before);
}
async function everything() {
  return platform.db.read(async (k) => {
    const items = await k.selectFrom('cycle_items').selectAll().orderBy('id').execute();
    const events = await k.selectFrom('cycle_events').select('seq').execute();
    const designations = await k.selectFrom('tpe_designations').select('id').execute();
    return JSON.stringify([items, events.length, designations.length]);
  });
}
async function item(id: string) {
  const found = await platform.cycleQueries.item(id);
  if (!found.ok) throw new Error(found.error.message);
  return found.value as {
    state: string;
    data: { usedBy?: string; project?: { creditingPeriod: unknown }; projectVersion?: number };
    timeline: { action: string; payload: { projectVersion?: number } }[];
  };
}
/** A decision proposed by the secretariat, confirmed by both governments and adopted, via the API. */
async function adopted(subject: string, action: string) {
  const proposed = await mustAct(
    'propose_decision',
    {
      subject: { item: subject, action, text: `Decides ${action}.` },
      documents: [doc('decision_text')],
    },
    'secretariat:IN',
  );
  await mustAct('confirm_decision', { item: proposed.item }, 'government_japan');
  await mustAct('confirm_decision', { item: proposed.item }, 'government_partner:IN');
  await mustAct('adopt_decision', { item: proposed.item }, 'joint_committee:IN');
  return proposed.item;
}
const monitoringReport = (project: string, start: string, end: string) => ({
  parent: project,
  monitoring: {
    monitoring_points: ['PV-1'],
    periods: [{ id: 'MP1', start, end }],
    fixed: {},
    monitored: { MP1: { 'PV-1': { EG_i: '140.5' } } },
  },
  documents: [doc('monitoring_report'), doc('monitoring_spreadsheet')],
});

describe(`post-registration changes and form 3.3 on ${testDbKind}`, () => {
  it('a re-assessment of reference emissions (form 3.3) changes only the methodology and the expected reductions, as a new version', async () => {
    const project = await fixtures.project('registered');
    const reassessed = {
      ...projectData,
      // India's activity 1 is served by IN_AM009 alone, so the re-assessment keeps the methodology
      // (IN_AM001 would be refused by the activity list before this rule is reached).
      expectedReductionsPerYear: '8200',
    };
    const request = {
      item: project,
      project: reassessed,
      documents: [doc('reference_emissions_assessment')],
    };
    await refused('request_reference_assessment', request, outsider, 403, 'cycle_role_not_allowed');
    // Forged: the participants named anew, or the crediting period stretched, in a re-assessment.
    for (const forged of [
      { participantsJapan: ['other-dev'] },
      { creditingPeriod: { start: '2028-01-01', end: '2047-12-31' } },
    ])
      await refused(
        'request_reference_assessment',
        { ...request, project: { ...reassessed, ...forged } },
        forged.participantsJapan === undefined ? participant : outsider,
        forged.participantsJapan === undefined ? 422 : 403,
        forged.participantsJapan === undefined
          ? 'cycle_reassessment_changes_other_data'
          : 'cycle_role_not_allowed',
      );
    await refused(
      'request_reference_assessment',
      { ...request, documents: [doc('post_registration_change_request')] },
      participant,
      422,
      'cycle_documents_missing',
    );
    expect((await mustAct('request_reference_assessment', request, participant)).to).toBe(
      'reassessment_review',
    );
    const decision = await adopted(project, 'approve_reassessment');
    await refused(
      'approve_reassessment',
      { item: project, decision },
      'joint_committee:ID',
      403,
      'cycle_role_not_allowed',
    );
    await refused(
      'approve_reassessment',
      { item: project, decision, project: { ...reassessed, expectedReductionsPerYear: '99999' } },
      'joint_committee:IN',
      400,
      'invalid_request',
    );
    await mustAct('approve_reassessment', { item: project, decision }, 'joint_committee:IN');
    const shown = await item(project);
    expect([
      shown.state,
      (shown.data.project as { expectedReductionsPerYear?: string }).expectedReductionsPerYear,
      shown.data.projectVersion,
    ]).toEqual(['registered', '8200', 2]);
    // A post-registration change then makes version 3; both are on the timeline.
    await mustAct(
      'request_post_registration_change',
      {
        item: project,
        project: { ...reassessed, title: 'Solar with storage, extended (synthetic test data)' },
        documents: [doc('post_registration_change_request')],
      },
      participant,
    );
    const change = await adopted(project, 'approve_change');
    await mustAct('approve_change', { item: project, decision: change }, 'joint_committee:IN');
    expect(
      (await item(project)).timeline
        .filter((e) => e.payload.projectVersion !== undefined)
        .map((e) => [e.action, e.payload.projectVersion]),
    ).toEqual([
      ['approve_reassessment', 2],
      ['approve_change', 3],
    ]);
    const versions = await platform.cycleQueries.projectVersions(project);
    expect(versions.map((v) => [v.version, v.action])).toEqual([
      [2, 'approve_reassessment'],
      [3, 'approve_change'],
    ]);
    // The public project page shows each version on its timeline.
    const page = await (await app.request(`/projects/${project}`)).text();
    expect(page).toContain(
      'assessment of reference emissions approved by the Joint Committee (project data version 2)',
    );
    expect(page).toContain(
      'post-registration change approved by the Joint Committee (project data version 3)',
    );
  });
});

describe(`the rest of the cycle on ${testDbKind}`, () => {
  it('the Joint Committee rejects an issuance request, and the monitoring period may be requested again', async () => {
    const issuance = await fixtures.issuance('jc_issuance');
    const monitoring = (await platform.cycleQueries.item(issuance)).ok
      ? ((await item(issuance)).data as { monitoring?: string }).monitoring
      : undefined;
    expect(monitoring).toBeDefined();
    const decision = await adopted(issuance, 'reject_issuance');
    // The Joint Committee of another partnership, a participant, forged parts, a decision of
    // another action: refused, nothing changes.
    await refused(
      'reject_issuance',
      { item: issuance, decision },
      'joint_committee:ID',
      403,
      'cycle_role_not_allowed',
    );
    await refused(
      'reject_issuance',
      { item: issuance, decision },
      participant,
      403,
      'cycle_role_not_allowed',
    );
    await refused(
      'reject_issuance',
      { item: issuance, decision, allocation },
      'joint_committee:IN',
      400,
      'invalid_request',
    );
    const other = await adopted(issuance, 'decide_issuance');
    await refused(
      'reject_issuance',
      { item: issuance, decision: other },
      'joint_committee:IN',
      422,
      'cycle_decision_not_adopted',
    );
    const done = await mustAct(
      'reject_issuance',
      { item: issuance, decision },
      'joint_committee:IN',
    );
    expect(done.to).toBe('rejected');
    expect((await item(monitoring!)).data.usedBy).toBeUndefined();
    // Rejected is the end of this request: the decision to issue cannot be carried out on it.
    await refused(
      'decide_issuance',
      { item: issuance, decision: other },
      'joint_committee:IN',
      422,
      'cycle_action_not_allowed_in_state',
    );
    // A new request on revised documents may use the period again.
    const again = await mustAct(
      'request_issuance',
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
    expect((await item(monitoring!)).data.usedBy).toBe(again.item);
  });

  it('monitoring periods may not overlap another report nor leave the crediting period', async () => {
    const project = await fixtures.project('registered');
    // The fixtures' crediting period is 2028-01-01..2037-12-31; the clock is past March 2028.
    await mustAct(
      'submit_monitoring_report',
      monitoringReport(project, '2028-01-01', '2028-02-29'),
      participant,
    );
    await refused(
      'submit_monitoring_report',
      monitoringReport(project, '2028-02-01', '2028-03-15'),
      participant,
      422,
      'cycle_monitoring_period_overlaps',
    );
    await refused(
      'submit_monitoring_report',
      monitoringReport(project, '2027-12-01', '2028-01-15'),
      participant,
      422,
      'cycle_monitoring_period_outside_crediting_period',
    );
    await refused(
      'submit_monitoring_report',
      monitoringReport(project, '2028-03-01', '2028-03-15'),
      outsider,
      403,
      'cycle_role_not_allowed',
    );
    // A forged crediting period or project data is not taken by a monitoring report.
    await refused(
      'submit_monitoring_report',
      {
        ...monitoringReport(project, '2027-12-01', '2027-12-31'),
        project: { ...projectData, creditingPeriod: { start: '2027-01-01', end: '2037-12-31' } },
      },
      participant,
      400,
      'invalid_request',
    );
    await refused(
      'submit_monitoring_report',
      {
        ...monitoringReport(project, '2027-12-01', '2027-12-31'),
        creditingPeriod: { start: '2027-01-01', end: '2037-12-31' },
      },
      participant,
      400,
      'invalid_request',
    );
    await mustAct(
      'submit_monitoring_report',
      monitoringReport(project, '2028-03-01', '2028-03-15'),
      participant,
    );
  });

  it('a renewal changes the crediting period as a new version of the project data, on the timeline', async () => {
    const project = await fixtures.project('registered');
    const renewal = {
      item: project,
      creditingPeriod: { start: '2038-01-01', end: '2047-12-31' },
      documents: [doc('renewal_request')],
    };
    await refused('request_renewal', renewal, outsider, 403, 'cycle_role_not_allowed');
    await refused(
      'request_renewal',
      { ...renewal, project: projectData },
      participant,
      400,
      'invalid_request',
    );
    await mustAct('request_renewal', renewal, participant);
    const decision = await adopted(project, 'renew_crediting_period');
    await refused(
      'renew_crediting_period',
      { item: project, decision },
      'joint_committee:ID',
      403,
      'cycle_role_not_allowed',
    );
    // The period renewed is the one requested, whatever the member carrying it out sends.
    await refused(
      'renew_crediting_period',
      { item: project, decision, creditingPeriod: { start: '2038-01-01', end: '2099-12-31' } },
      'joint_committee:IN',
      400,
      'invalid_request',
    );
    await mustAct('renew_crediting_period', { item: project, decision }, 'joint_committee:IN');
    const renewed = await item(project);
    expect([
      renewed.state,
      renewed.data.project?.creditingPeriod,
      renewed.data.projectVersion,
    ]).toEqual(['registered', { start: '2038-01-01', end: '2047-12-31' }, 2]);
    const versions = await platform.cycleQueries.projectVersions(project);
    expect(versions.map((v) => [v.version, v.action])).toEqual([[2, 'renew_crediting_period']]);
    expect(
      renewed.timeline
        .filter((e) => e.payload.projectVersion !== undefined)
        .map((e) => [e.action, e.payload.projectVersion]),
    ).toEqual([['renew_crediting_period', 2]]);
    // The renewed period is the one monitoring is checked against: 2038 reports are taken once
    // 2038 has begun, and 2028 ones no longer.
    clock.advanceDays(3650 + 120);
    const control = await fixtures.project('registered');
    await refused(
      'submit_monitoring_report',
      monitoringReport(control, '2038-01-01', '2038-01-31'),
      participant,
      422,
      'cycle_monitoring_period_outside_crediting_period',
    );
    await refused(
      'submit_monitoring_report',
      monitoringReport(project, '2028-01-01', '2028-01-31'),
      participant,
      422,
      'cycle_monitoring_period_outside_crediting_period',
    );
    await mustAct(
      'submit_monitoring_report',
      monitoringReport(project, '2038-01-01', '2038-01-31'),
      participant,
    );
  });
});

describe(`TPE designations on ${testDbKind}`, () => {
  const terms = {
    sectoralScopes: [1, 3],
    functions: ['verification'],
    validFrom: '2040-01-01',
    validUntil: '2041-12-31',
  };
  const designation = (decision: string, more: Record<string, unknown> = {}) => ({
    organisation: 'second-tpe',
    partnership: 'IN',
    ...terms,
    accreditation: 'iso_14065',
    decision,
    ...more,
  });
  const designate = (body: unknown, roles = 'joint_committee:IN') =>
    post('/api/v1/tpe-designations', body, roles);
  async function designateRefused(body: unknown, status: number, code: string, roles?: string) {
    const before = await everything();
    const answer = await designate(body, roles);
    expect([answer.status, answer.code], JSON.stringify(answer.json)).toEqual([status, code]);
    expect(await everything()).toEqual(before);
  }
  async function proposed(subject: string, more: Record<string, unknown> = {}) {
    return mustAct(
      'propose_decision',
      {
        subject: { item: subject, action: 'designate_tpe', text: `Designates ${subject}.` },
        partnership: 'IN',
        designation: terms,
        documents: [doc('decision_text')],
        ...more,
      },
      'secretariat:IN',
    );
  }

  it('may cover sectoral scope 16 (CCS and CCUS), so that a CCS project can be validated', async () => {
    const ccs = {
      ...terms,
      sectoralScopes: [16],
      validFrom: '2045-01-01',
      validUntil: '2046-12-31',
    };
    const { item: decision } = await proposed('second-tpe', { designation: ccs });
    await mustAct('adopt_decision', { item: decision }, 'joint_committee:IN');
    const answer = await designate({ ...designation(decision), ...ccs });
    expect(answer.status, JSON.stringify(answer.json)).toBe(201);
  });

  it('need an adopted Joint Committee decision to designate that TPE on the same terms, once', async () => {
    const { item: decision } = await proposed('second-tpe');
    // Without a decision; on a decision only proposed; by another body; on other terms.
    await designateRefused(designation(decision, { decision: undefined }), 400, 'invalid_request');
    await designateRefused(designation(decision), 422, 'tpe_designation_decision_missing');
    await mustAct('adopt_decision', { item: decision }, 'joint_committee:IN');
    await designateRefused(
      designation(decision),
      403,
      'actor_not_authorised',
      'joint_committee:ID',
    );
    await designateRefused(designation(decision), 403, 'actor_not_authorised', 'secretariat:IN');
    await designateRefused(designation(decision), 403, 'actor_not_authorised', outsider);
    for (const forged of [
      { sectoralScopes: [1, 3, 4] },
      { functions: ['validation', 'verification'] },
      { validUntil: '2045-12-31' },
      { partnership: 'ID' },
    ])
      // The Joint Committee of Indonesia may designate in its partnership, but this decision is India's.
      await designateRefused(
        designation(decision, forged),
        422,
        'tpe_designation_decision_missing',
        forged.partnership === undefined ? undefined : 'joint_committee:ID',
      );
    // A decision about another TPE does not designate this one.
    await designateRefused(
      designation(decision, { organisation: 'verita' }),
      422,
      'tpe_designation_decision_missing',
    );
    // The same scopes in another order are the same terms.
    const done = await designate(designation(decision, { sectoralScopes: [3, 1] }));
    expect([done.status, done.json]).toEqual([201, { designations: 2 }]);
    // Carried out once: a second designation on it is refused, even one that would not overlap.
    await designateRefused(
      designation(decision, { validFrom: '2042-01-01', validUntil: '2043-12-31' }),
      422,
      'tpe_designation_decision_missing',
    );
  });

  it('are decided only about a registered third-party entity, by the secretariat of the partnership', async () => {
    const refusedProposal = async (
      subject: string,
      roles: string,
      status: number,
      code: string,
      more = {},
    ) => {
      const before = await everything();
      const answer = await act(
        'propose_decision',
        {
          subject: { item: subject, action: 'designate_tpe', text: 'Designates.' },
          partnership: 'IN',
          designation: terms,
          documents: [doc('decision_text')],
          ...more,
        },
        roles,
      );
      expect([answer.status, answer.code], JSON.stringify(answer.json)).toEqual([status, code]);
      expect(await everything()).toEqual(before);
    };
    await refusedProposal('other-dev', 'secretariat:IN', 422, 'cycle_decision_subject_invalid');
    await refusedProposal('ghost-tpe', 'secretariat:IN', 422, 'cycle_decision_subject_invalid');
    await refusedProposal('second-tpe', 'secretariat:ID', 403, 'cycle_role_not_allowed');
    await refusedProposal('second-tpe', outsider, 403, 'cycle_role_not_allowed');
    await refusedProposal('second-tpe', 'secretariat:IN', 422, 'cycle_input_incomplete', {
      designation: undefined,
    });
    // Designation terms belong to a decision to designate a TPE, not to others.
    const project = await fixtures.project('jc_registration');
    const forged = await act(
      'propose_decision',
      {
        subject: { item: project, action: 'register_project', text: 'Registers.' },
        designation: terms,
        documents: [doc('decision_text')],
      },
      'secretariat:IN',
    );
    expect([forged.status, forged.code]).toEqual([400, 'invalid_request']);
  });
});

describe(`a CCS project's periods on ${testDbKind}`, () => {
  it('are its injection period and the end of its termination period, through the API', async () => {
    // A TPE designated for the CCS and CCUS scope, on a Joint Committee decision, valid today (the
    // test clock has moved on by this test).
    const year = Number(clock.now().slice(0, 4));
    const terms = {
      sectoralScopes: [16],
      functions: ['validation', 'verification'],
      validFrom: `${year}-01-01`,
      validUntil: `${year + 1}-12-31`,
    } as const;
    const decision = await designationDecision(platform, 'second-tpe', terms);
    const designated = await post(
      '/api/v1/tpe-designations',
      {
        organisation: 'second-tpe',
        partnership: 'IN',
        ...terms,
        sectoralScopes: [...terms.sectoralScopes],
        functions: [...terms.functions],
        accreditation: 'iso_14065',
        decision,
      },
      'joint_committee:IN',
    );
    expect(designated.status, JSON.stringify(designated.json)).toBe(201);
    const ccs = {
      ...projectData,
      title: 'CO2 storage in a depleted gas field (synthetic test data)',
      tpe: 'second-tpe',
      sectoralScopes: [16],
      methodology: { id: 'IN_AM006', version: '1.0' },
      activity: '13',
    };
    const storage = {
      injectionStart: '2028-01-01',
      injectionEnd: '2037-12-31',
      terminationEnd: '2047-12-31',
    };
    const submission = (project: object) => ({
      partnership: 'IN',
      project,
      documents: [doc('pdd'), doc('moc_statement'), doc('project_information_sheet')],
    });
    const code = 'cycle_ccs_periods_invalid';
    // No injection period; credited past the end of injection; storage periods on a solar project.
    await refused('submit_pdd', submission(ccs), participant, 422, code);
    await refused(
      'submit_pdd',
      submission({ ...ccs, storage: { ...storage, injectionEnd: '2035-12-31' } }),
      participant,
      422,
      code,
    );
    await refused(
      'submit_pdd',
      // IN_AM009 (stored solar electricity), validated by the same TPE, is no CCS methodology.
      submission({ ...projectData, tpe: 'second-tpe', sectoralScopes: [16], storage }),
      participant,
      422,
      code,
    );
    expect((await mustAct('submit_pdd', submission({ ...ccs, storage }), participant)).to).toBe(
      'public_input',
    );

    // A registered CCS project cannot renew its crediting period past the end of injection.
    const registered = await fixtures.place({
      id: 'IN-PRJ950',
      machine: 'project',
      state: 'registered',
      reference: 'IN950',
      data: { project: { ...ccs, storage }, projectVersion: 1, allocation },
    });
    await refused(
      'request_renewal',
      {
        item: registered,
        creditingPeriod: { start: '2038-01-01', end: '2047-12-31' },
        documents: [doc('renewal_request')],
      },
      participant,
      422,
      code,
    );
  });
});
