// The synthetic demo of three more partnerships, clearly labelled: Indonesia (with its 10% share for
// the Government of Indonesia and its sustainable development plan and report), Chile and the
// Philippines, each with one project modelled on an example project of the Ministry of the
// Environment's slides (September 2025), taken from its PDD through validation and registration to
// one monitoring period verified and issued into Japan's and the partner's registries. Every step
// runs through the same services as the API on its scripted day; fixed idempotency keys (their own,
// apart from the India demo's) make a second run a replay that changes nothing.
import { actorWithRoles } from '../core/ledger/actor.ts';
import type { ActionDone } from './cycle-writes.ts';
import { demoDocument as document } from './demo-data.ts';
import {
  demoPartnerships,
  type DemoPartnership,
  type PartnershipAllocationLine,
} from './demo-partnerships-data.ts';
import { DemoRun } from './demo-run.ts';
import type { Platform } from './platform.ts';

const admin = actorWithRoles('demo-admin', 'administrator');
const managerJp = actorWithRoles('demo-registry-jp', 'registry_manager:JP');
const tpe = actorWithRoles('demo-auditor', 'third_party_entity:example-verification');

/** The actors of one partnership: its secretariat, Joint Committee, registry manager, participants. */
function actorsOf(p: DemoPartnership) {
  const code = p.code.toLowerCase();
  return {
    secretariat: actorWithRoles(`demo-secretariat-${code}`, `secretariat:${p.code}`),
    jointCommittee: actorWithRoles(`demo-jc-co-chair-${code}`, `joint_committee:${p.code}`),
    manager: actorWithRoles(`demo-registry-${code}`, `registry_manager:${p.code}`),
    participant: actorWithRoles(
      `demo-participant-${code}`,
      `project_participant:${p.participantJapan.id}`,
    ),
  };
}

/** One partnership's run: keys `demo-<partnership>-<step>`, actions at 10:00, decisions unconfirmed. */
type PartnershipRun = DemoRun & { readonly partnership: DemoPartnership };

function partnershipRun(platform: Platform, partnership: DemoPartnership): PartnershipRun {
  const who = actorsOf(partnership);
  const run = new DemoRun(platform, {
    keyPrefix: `demo-${partnership.code.toLowerCase()}`,
    name: `demo ${partnership.code}`,
    hour: '10',
    admin,
    // These rulebooks ask no prior confirmation of the governments.
    decisions: { secretariat: who.secretariat, jointCommittee: who.jointCommittee, confirmers: [] },
  });
  return Object.assign(run, { partnership });
}

/** Runs the three partnerships' demo; returns how many ledger entries and cycle actions were new. */
export async function seedPartnershipsDemo(
  platform: Platform,
): Promise<{ ledger: number; cycle: number }> {
  const counts = { ledger: 0, cycle: 0 };
  for (const partnership of demoPartnerships) {
    const run = partnershipRun(platform, partnership);
    const accounts = await openRegistryAndAccounts(run);
    await designateTpe(run);
    const project = await validateAndRegister(run, accounts);
    await monitorAndIssue(run, project, accounts);
    counts.ledger += run.counts.ledger;
    counts.cycle += run.counts.cycle;
  }
  return counts;
}

/**
 * The partner's registry with the government's account and the partner participant's, and the
 * Japanese participant's account in Japan's registry (which the India demo opened). Each holder is
 * the organisation the project names, so an allocation's holder follows from its account.
 */
async function openRegistryAndAccounts(run: PartnershipRun): Promise<Accounts> {
  const p = run.partnership;
  await run.ledger('open_registry', { registry: p.code, name: p.registryName });
  const accounts = {
    government: [p.code, 'government_holding', p.government.id, p.government.name],
    participantPartner: [p.code, 'holding', p.participantPartner.id, p.participantPartner.name],
    participantJapan: ['JP', 'holding', p.participantJapan.id, p.participantJapan.name],
  } as const;
  const ids: Partial<Record<keyof typeof accounts, { registry: string; id: string }>> = {};
  for (const [key, [registry, accountType, holderId, holderName]] of Object.entries(accounts)) {
    await run.ledger('open_account', { registry, accountType, holderId, holderName });
    // The account's id is the registry's next number: found by its holder, not assumed.
    const account = await accountOfHolder(run, registry, holderId, accountType);
    if (account === undefined) throw new Error(`demo ${p.code}: no account of ${holderId}`);
    ids[key as keyof typeof accounts] = { registry, id: account.id };
  }
  return ids as Accounts;
}

/** The account of a holder and type in a registry, read a page at a time. */
async function accountOfHolder(run: DemoRun, registry: string, holderId: string, type: string) {
  let after: string | undefined;
  for (;;) {
    const listed = await run.platform.queries.listAccounts(registry, { after, limit: 500 });
    if (!listed.ok) return undefined;
    const found = listed.value.items.find((a) => a.holderId === holderId && a.type === type);
    if (found !== undefined || listed.value.next === null) return found;
    after = listed.value.next;
  }
}

type Accounts = Record<PartnershipAllocationLine['account'], { registry: string; id: string }>;

/**
 * The Joint Committee decides to designate the demo's TPE for the project's sectoral scopes, and
 * the designation is recorded on that decision.
 */
async function designateTpe(run: PartnershipRun): Promise<void> {
  const p = run.partnership;
  const terms = {
    sectoralScopes: [...p.project.sectoralScopes],
    functions: ['validation', 'verification'],
    validFrom: p.designatedFrom,
    validUntil: '2028-12-31',
  };
  const decision = await run.decide(
    p.designatedFrom,
    'example-verification',
    'designate_tpe',
    `Designates Example Verification Co. for sectoral scope ${terms.sectoralScopes.join(', ')}, validation and verification.`,
    { partnership: p.code, designation: terms },
  );
  const designated = await run.writes.organisations.designate({
    actor: actorsOf(p).jointCommittee,
    idempotencyKey: `demo-designation-example-verification-${p.code.toLowerCase()}`,
    input: {
      organisation: 'example-verification',
      partnership: p.code,
      ...terms,
      accreditation: 'iso_14065',
      decision,
    },
  });
  if (!designated.ok) run.refused('designate', designated.error);
}

/** PDD, 30 days of public input, positive validation, registration by the Joint Committee. */
async function validateAndRegister(run: PartnershipRun, accounts: Accounts): Promise<ActionDone> {
  const p = run.partnership;
  const who = actorsOf(p);
  const days = p.days;
  const project = await run.act(days.pdd, who.participant, 'submit_pdd', {
    partnership: p.code,
    project: p.project,
    documents: [
      document('pdd', 'Project design document'),
      document('moc_statement', 'MoC statement'),
      ...p.extraPddDocuments.map((type) => document(type, documentTitle(type))),
    ],
  });
  const item = project.item;
  await run.act(days.publicInputClosed, who.secretariat, 'close_public_input', { item });
  await run.act(days.validated, tpe, 'issue_positive_validation', {
    item,
    documents: [document('validation_report', 'Validation report')],
  });
  await run.act(days.registrationRequested, who.participant, 'request_registration', {
    item,
    allocation: allocationLines(p, accounts, 2026, p.period.expectedCredits),
    documents: [
      document('registration_request', 'Registration request'),
      document('credit_allocation', `Credit allocation (${p.allocationText})`),
    ],
  });
  await run.act(days.registrationRequested, who.secretariat, 'accept_complete', { item });
  const decision = await run.decide(
    days.registered,
    item,
    'register_project',
    `Registers the project "${p.project.title}".`,
  );
  return run.act(days.registered, who.jointCommittee, 'register_project', { item, decision });
}

/** The monitoring period: report, verification, issuance request, decision, issuance, closing. */
async function monitorAndIssue(
  run: PartnershipRun,
  project: ActionDone,
  accounts: Accounts,
): Promise<void> {
  const p = run.partnership;
  const who = actorsOf(p);
  const period = p.period;
  const monitoring = await run.act(period.submitted, who.participant, 'submit_monitoring_report', {
    parent: project.item,
    monitoring: {
      monitoring_points: Object.keys(period.values),
      periods: [{ id: 'MP1', start: period.start, end: period.end }],
      fixed: {},
      monitored: { MP1: period.values },
    },
    documents: [
      document('monitoring_report', 'Monitoring report MP1'),
      document('monitoring_spreadsheet', 'Monitoring spreadsheet MP1'),
      ...p.extraMonitoringDocuments.map((type) => document(type, documentTitle(type))),
    ],
  });
  const found = await run.platform.cycleQueries.item(monitoring.item);
  const vintages = (
    (found.ok ? found.value.data : {}) as {
      calculation: { vintages: { vintage: number; credits: string }[] };
    }
  ).calculation.vintages;
  await run.act(period.verified, tpe, 'issue_verification', {
    item: monitoring.item,
    verified: Object.fromEntries(vintages.map((v) => [String(v.vintage), v.credits])),
    documents: [document('verification_report', 'Verification report MP1')],
  });
  const allocation = vintages.flatMap((v) =>
    allocationLines(p, accounts, v.vintage, BigInt(v.credits)),
  );
  const request = await run.act(period.verified, who.participant, 'request_issuance', {
    parent: monitoring.item,
    allocation,
    documents: [
      document('issuance_request', 'Issuance request'),
      document('credit_allocation', `Credit allocation (${p.allocationText})`),
      document('monitoring_report', 'Monitoring report'),
      document('verification_report', 'Verification report'),
    ],
  });
  await run.act(period.verified, who.secretariat, 'accept_complete', { item: request.item });
  const decision = await run.decide(
    period.issued,
    request.item,
    'decide_issuance',
    `Issues the verified credits of ${project.reference ?? ''} MP1.`,
  );
  await run.act(period.issued, who.jointCommittee, 'decide_issuance', {
    item: request.item,
    decision,
  });
  for (const [index, line] of allocation.entries())
    await run.ledger(
      'issue',
      { registry: line.registry, decision, line: index + 1 },
      line.registry === 'JP' ? managerJp : who.manager,
    );
  await run.act(period.issued, managerJp, 'confirm_issued', { item: request.item });
  await run.act(period.issued, who.manager, 'confirm_issued', { item: request.item });
  await run.act(period.issued, who.secretariat, 'close_issuance', { item: request.item });
}

/** The allocation of a vintage's credits by the partnership's shares; the last line takes the rest. */
function allocationLines(p: DemoPartnership, accounts: Accounts, vintage: number, credits: bigint) {
  let given = 0n;
  return p.allocation.map((line: PartnershipAllocationLine, i) => {
    // A government's share is rounded up, so that a minimum share holds on any number of credits.
    const share = credits * line.percent;
    const quantity =
      i === p.allocation.length - 1
        ? credits - given
        : line.holder === 'government_partner'
          ? (share + 99n) / 100n
          : share / 100n;
    given += quantity;
    return {
      holder: line.holder,
      registry: accounts[line.account].registry,
      account: accounts[line.account].id,
      vintage,
      quantity: String(quantity),
    };
  });
}

function documentTitle(type: string): string {
  return type === 'sd_plan'
    ? 'Sustainable development implementation plan'
    : type === 'sd_report'
      ? 'Sustainable development implementation report'
      : type;
}
