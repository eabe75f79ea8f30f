// The synthetic demo of the whole project cycle, clearly labelled: an India-Japan solar-plus-storage
// project taken from its idea note, through a methodology adopted into the catalogue, PDD, a
// published public comment, validation with one CAR (the report refers to the comment),
// registration with both governments' prior confirmation, two monitoring periods (the first crossing
// a calendar year end), verification and issuance split between Japan's and India's registries, then a
// transfer and a retirement for GX-ETS compliance. Each step runs on its own (scripted) date through
// the same services as the API; fixed idempotency keys make it safe to run twice.
import {
  demoActors as who,
  demoAllocation,
  demoDocument as document,
  demoMethodologyFile,
  demoOrganisations,
  demoPeriods,
  demoProject,
  label,
  type DemoPeriod,
} from './demo-data.ts';
import { seedPartnershipsDemo } from './demo-partnerships.ts';
import type { ActionDone } from './cycle-writes.ts';
import { DemoRun } from './demo-run.ts';
import { authoriseForJapan, demoArticle6Year, useAndAuthoriseForCorsia } from './demo-article6.ts';
import type { Platform } from './platform.ts';

/** The India demo's run: keys `demo-<step>`, actions at 09:00, decisions confirmed by both governments. */
function indiaRun(platform: Platform): DemoRun {
  return new DemoRun(platform, {
    keyPrefix: 'demo',
    name: 'demo',
    hour: '09',
    admin: who.admin,
    decisions: {
      secretariat: who.secretariat,
      jointCommittee: who.jointCommittee,
      confirmers: [who.japan, who.india],
    },
  });
}

/** A public comment sent on its scripted day and published by the secretariat; its id. */
async function publishedComment(
  run: DemoRun,
  day: string,
  item: string,
  from: { name: string; text: string },
): Promise<string> {
  run.on(day);
  const sent = await run.writes.comments.submit({ item, ...from }, 'demo', run.key());
  if (!sent.ok) run.refused('comment', sent.error);
  const published = await run.writes.comments.moderate({
    actor: who.secretariat,
    idempotencyKey: run.key(),
    input: { comment: sent.value.id, verdict: 'publish' },
  });
  if (!published.ok) run.refused('publish the comment', published.error);
  return sent.value.id;
}

/** Runs the demo; returns how many ledger entries and cycle actions were new. */
export async function seedDemo(platform: Platform): Promise<{ ledger: number; cycle: number }> {
  const run = indiaRun(platform);
  await openRegistries(run);
  await registerOrganisations(run);
  await ideaNoteAndMethodology(run);
  const project = await validateAndRegister(run);
  await authoriseForJapan(run);
  for (const period of demoPeriods) await monitorAndIssue(run, project, period);
  await tradeAndRetire(run);
  await useAndAuthoriseForCorsia(run);
  // Indonesia, Chile and the Philippines: one project each, registered and issued.
  const more = await seedPartnershipsDemo(platform);
  return { ledger: run.counts.ledger + more.ledger, cycle: run.counts.cycle + more.cycle };
}

async function openRegistries(run: DemoRun): Promise<void> {
  await run.ledger('open_registry', { registry: 'JP', name: "Japan's JCM registry" });
  await run.ledger('open_registry', { registry: 'IN', name: "India's JCM registry" });
  const accounts = [
    ['JP', 'government_holding', 'gov-jp', `Government of Japan ${label}`],
    ['JP', 'holding', 'example-trading-jp', `Example Trading Co., Ltd. ${label}`],
    ['IN', 'government_holding', 'gov-in', `Government of India ${label}`],
    ['IN', 'holding', 'example-solar-in', `Example Solar Developer Pvt Ltd ${label}`],
  ] as const;
  for (const [registry, accountType, holderId, holderName] of accounts)
    await run.ledger('open_account', { registry, accountType, holderId, holderName });
}

/** Organisations and the TPE designation; their idempotency keys make a second run a replay. */
async function registerOrganisations(run: DemoRun): Promise<void> {
  for (const [id, name, kind, country] of demoOrganisations) {
    const done = await run.writes.organisations.register({
      actor: who.admin,
      idempotencyKey: `demo-organisation-${id}`,
      input: { id, name, kind, country, synthetic: true },
    });
    if (!done.ok) run.refused(`register ${id}`, done.error);
  }
  // The Joint Committee decides the designation, which is then recorded (issue 13).
  const terms = {
    sectoralScopes: [1],
    functions: ['validation', 'verification'],
    validFrom: '2025-08-07',
    validUntil: '2028-08-06',
  };
  const text =
    'Designates Example Verification Co. for sectoral scope 1, validation and verification.';
  const proposed = await run.act('2025-08-07', who.secretariat, 'propose_decision', {
    subject: { item: 'example-verification', action: 'designate_tpe', text },
    partnership: 'IN',
    designation: terms,
    documents: [document('decision_text', text)],
  });
  await run.act('2025-08-07', who.jointCommittee, 'adopt_decision', { item: proposed.item });
  const designated = await run.writes.organisations.designate({
    actor: who.jointCommittee,
    idempotencyKey: 'demo-designation-example-verification',
    input: {
      organisation: 'example-verification',
      partnership: 'IN',
      ...terms,
      accreditation: 'iso_14065',
      decision: proposed.item,
    },
  });
  if (!designated.ok) run.refused('designate', designated.error);
}

/**
 * A Project Idea Note with no objection, and a methodology proposal (a draft modelled on the
 * catalogue's IN_AM009, which serves India's activity 1) that the Joint Committee adopts as India's
 * next catalogue entry, version 1.0.
 */
async function ideaNoteAndMethodology(run: DemoRun): Promise<void> {
  const pin = await run.act('2025-08-20', who.trader, 'submit_pin', {
    partnership: 'IN',
    project: demoProject,
    documents: [
      document('pin_form', 'Project Idea Note'),
      document('credit_allocation', 'Credit allocation plan'),
    ],
  });
  const noObjection = await run.decide(
    '2025-09-01',
    pin.item,
    'record_no_objection',
    'No objection to the solar-plus-storage idea note.',
  );
  await run.act('2025-09-05', who.jointCommittee, 'record_no_objection', {
    item: pin.item,
    decision: noObjection,
  });
  const proposal = await run.act('2025-08-25', who.developer, 'propose_methodology', {
    partnership: 'IN',
    documents: [
      document(
        'methodology_proposal',
        'Proposed methodology: stored solar electricity (modelled on IN_AM009)',
      ),
      demoMethodologyFile(run.platform.methodologies.get('IN_AM009')?.file ?? {}),
    ],
    note: "Solar electricity discharged from storage (India's activity 1); adopted, it becomes India's next catalogue entry.",
  });
  await run.act('2025-08-29', who.secretariat, 'accept_complete', { item: proposal.item });
  await run.act('2025-09-15', who.secretariat, 'close_public_input', { item: proposal.item });
  const approval = await run.decide(
    '2025-09-29',
    proposal.item,
    'approve_methodology',
    "Approves the proposed solar PV methodology as India's next catalogue entry, version 1.0.",
  );
  await run.act('2025-09-30', who.jointCommittee, 'approve_methodology', {
    item: proposal.item,
    decision: approval,
  });
}

/** PDD, public input, validation with one CAR, registration; returns the project. */
async function validateAndRegister(run: DemoRun): Promise<ActionDone> {
  const project = await run.act('2025-10-01', who.trader, 'submit_pdd', {
    partnership: 'IN',
    project: demoProject,
    documents: [
      document('pdd', 'Project design document'),
      document('moc_statement', 'MoC statement'),
      document('project_information_sheet', 'Project Information Sheet'),
    ],
  });
  const item = project.item;
  const comment = await publishedComment(run, '2025-10-15', item, {
    name: `Example Resident ${label}`,
    text: `How is the battery storage protected against fire, and who is told if it fails? ${label}`,
  });
  await run.act('2025-11-01', who.secretariat, 'close_public_input', { item });
  await run.act('2025-11-10', who.tpe, 'raise_finding', {
    item,
    finding: {
      kind: 'CAR',
      text: 'The monitoring plan must state the calibration interval of the export meter.',
    },
  });
  const car = await firstFinding(run.platform, item);
  await run.act('2025-11-14', who.trader, 'answer_finding', {
    item,
    finding: {
      id: car,
      answer: 'Annual calibration by an accredited laboratory, added to section B.7.',
    },
  });
  await run.act('2025-11-18', who.tpe, 'close_finding', { item, finding: { id: car } });
  await run.act('2025-11-20', who.tpe, 'issue_positive_validation', {
    item,
    comments: [comment],
    note: `The validation report answers public comment ${comment} (fire protection of the storage).`,
    documents: [document('validation_report', 'Validation report')],
  });
  await run.act('2025-11-25', who.trader, 'request_registration', {
    item,
    allocation: demoAllocation(2026, 100n),
    documents: [
      document('registration_request', 'Registration request'),
      document(
        'credit_allocation',
        'Credit allocation (10% Government of Japan, 45% each participant)',
      ),
    ],
  });
  await run.act('2025-11-28', who.secretariat, 'accept_complete', { item });
  const decision = await run.decide(
    '2026-01-12',
    item,
    'register_project',
    'Registers the Surat solar-plus-storage project.',
  );
  return run.act('2026-01-15', who.jointCommittee, 'register_project', { item, decision });
}

async function firstFinding(platform: Platform, item: string): Promise<string> {
  const found = await platform.cycleQueries.item(item);
  const finding = found.ok ? (found.value.findings as { id: bigint }[])[0] : undefined;
  if (finding === undefined) throw new Error(`demo: ${item} has no finding`);
  return String(finding.id);
}

/** One monitoring period: report, verification, issuance request, decision, issuance, closing. */
async function monitorAndIssue(
  run: DemoRun,
  project: ActionDone,
  period: DemoPeriod,
): Promise<void> {
  const monitoring = await run.act(period.submitted, who.trader, 'submit_monitoring_report', {
    parent: project.item,
    monitoring: {
      monitoring_points: Object.keys(period.values),
      periods: [{ id: period.id, start: period.start, end: period.end }],
      fixed: {},
      monitored: {
        [period.id]: Object.fromEntries(
          Object.entries(period.values).map(([p, v]) => [p, { EG_i: v }]),
        ),
      },
    },
    documents: [
      document('monitoring_report', `Monitoring report ${period.id}`),
      document('monitoring_spreadsheet', `Monitoring spreadsheet ${period.id}`),
    ],
  });
  const found = await run.platform.cycleQueries.item(monitoring.item);
  const vintages = (
    (found.ok ? found.value.data : {}) as {
      calculation: { vintages: { vintage: number; credits: string }[] };
    }
  ).calculation.vintages;
  await run.act(period.verified, who.tpe, 'issue_verification', {
    item: monitoring.item,
    verified: Object.fromEntries(vintages.map((v) => [String(v.vintage), v.credits])),
    documents: [document('verification_report', `Verification report ${period.id}`)],
  });
  const request = await run.act(period.verified, who.trader, 'request_issuance', {
    parent: monitoring.item,
    allocation: vintages.flatMap((v) => demoAllocation(v.vintage, BigInt(v.credits))),
    documents: [
      document('issuance_request', 'Issuance request'),
      document('credit_allocation', 'Credit allocation'),
      document('monitoring_report', 'Monitoring report'),
      document('verification_report', 'Verification report'),
    ],
  });
  await run.act(period.verified, who.secretariat, 'accept_complete', { item: request.item });
  const text = `Issues the verified credits of ${project.reference ?? ''} ${period.id}.`;
  const decision = await run.decide(period.issued, request.item, 'decide_issuance', text);
  await run.act(period.issued, who.jointCommittee, 'decide_issuance', {
    item: request.item,
    decision,
  });
  for (let line = 1; line <= vintages.length * 3; line += 1) {
    const registry = line % 3 === 0 ? 'IN' : 'JP';
    await run.ledger(
      'issue',
      { registry, decision, line },
      registry === 'JP' ? who.managerJp : who.managerIn,
    );
  }
  await run.act(period.issued, who.managerJp, 'confirm_issued', { item: request.item });
  await run.act(period.issued, who.managerIn, 'confirm_issued', { item: request.item });
  await run.act(period.issued, who.secretariat, 'close_issuance', { item: request.item });
}

/** Trading and use: a transfer to Japan's government account and a GX-ETS retirement. */
async function tradeAndRetire(run: DemoRun): Promise<void> {
  await run.ledger(
    'transfer',
    { from: 'JP-000005', to: 'JP-000004', selection: { quantity: '500' } },
    who.traderRegistry,
  );
  await run.ledger(
    'retire',
    {
      from: 'JP-000005',
      selection: { quantity: '1000' },
      purpose: 'gx_ets_compliance',
      beneficiary: `Example Trading Co., Ltd. ${label}`,
      note: 'GX-ETS compliance, fiscal year 2026',
      yearOfUse: demoArticle6Year,
    },
    who.traderRegistry,
  );
}

export { demoProject };
