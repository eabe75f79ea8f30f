// The bench's project as a real project of the project cycle, registered through the same services
// as the API (the demo's scripted clock, src/services/demo-run.ts): its participants and TPE
// registered, the TPE designated on a Joint Committee decision, the PDD through public input and
// validation to registration on a decision both governments confirmed. India's first registered
// project takes the reference IN001, the project the bench's issuance decisions name, so the
// portal's project page and the API's item read answer for the credits the bench issues.
import { actorWithRoles } from '../src/core/ledger/actor.ts';
import type { ActionDone } from '../src/services/cycle-writes.ts';
import { DemoRun } from '../src/services/demo-run.ts';
import type { Platform } from '../src/services/platform.ts';

const actor = actorWithRoles;

/** A placeholder document: a line saying what it stands for. */
function placeholder(type: string, title: string) {
  return {
    type,
    fileName: `${type}.txt`,
    mediaType: 'text/plain',
    content: Buffer.from(`${title}: a placeholder of bench:scale.\n`).toString('base64'),
  };
}

const who = {
  admin: actor('bench-scale', 'administrator'),
  participant: actor('bench-participant', 'project_participant:scale-solar-jp'),
  tpe: actor('bench-tpe', 'third_party_entity:scale-verification'),
  secretariat: actor('bench-secretariat', 'secretariat:IN'),
  jointCommittee: actor('bench-jc', 'joint_committee:IN'),
  japan: actor('bench-moej', 'government_japan'),
  india: actor('bench-moefcc', 'government_partner:IN'),
};

// Not synthetic: the bench measures a registry whose credits count in the headlines, as a real
// registry's do (its database is a scratch one).
const organisations = [
  ['scale-solar-jp', 'Scale Bench Solar KK', 'project_participant', 'JP'],
  ['scale-solar-in', 'Scale Bench Solar Pvt Ltd', 'project_participant', 'IN'],
  ['scale-verification', 'Scale Bench Verification', 'third_party_entity', 'JP'],
] as const;

const projectData = {
  title: 'Solar with storage (bench:scale)',
  location: 'Surat, Gujarat, India',
  latitude: 21.17,
  longitude: 72.83,
  programme: 'private_sector_jcm',
  participantsJapan: ['scale-solar-jp'],
  participantsPartner: ['scale-solar-in'],
  focalPoint: 'scale-solar-jp',
  sectoralScopes: [1],
  greenhouseGases: ['CO2'],
  methodology: { id: 'IN_AM009', version: '1.0' },
  activity: '1',
  tpe: 'scale-verification',
  // Covers the vintage the bench issues (2027).
  creditingPeriod: { start: '2026-04-01', end: '2036-03-31' },
  expectedReductionsPerYear: '5300',
  coBenefits: '',
};

/**
 * Registers the project (IN001) with its allocation on India's participant's holding account,
 * which it opens (after the build's accounts, so theirs stay as accountId() gives them). Registries JP and IN must be open. Fixed keys:
 * a run over a kept database replays it. Returns the project's cycle item id (the portal's
 * /projects/<id>).
 */
export async function registerScaleProject(platform: Platform, reference: string): Promise<string> {
  const run = new DemoRun(platform, {
    keyPrefix: 'scale-project',
    name: 'bench:scale project',
    hour: '10',
    admin: who.admin,
    decisions: {
      secretariat: who.secretariat,
      jointCommittee: who.jointCommittee,
      confirmers: [who.japan, who.india],
    },
  });
  // The participant's account: its number depends on how many accounts the build opened in IN.
  const opened = await platform.ledger.execute('open_account', {
    actor: who.admin,
    idempotencyKey: run.key(),
    input: {
      registry: 'IN',
      accountType: 'holding',
      holderId: 'scale-solar-in',
      holderName: 'Scale Bench Solar Pvt Ltd',
    } as never,
  });
  const event = opened.ok
    ? opened.value.event
    : run.refused('open the participant account', opened.error);
  if (event.type !== 'account_opened') throw new Error(`bench:scale: opened ${event.type}`);
  const account = event.account.id;
  for (const [id, name, kind, country] of organisations) {
    const done = await run.writes.organisations.register({
      actor: who.admin,
      idempotencyKey: run.key(),
      input: { id, name, kind, country },
    });
    if (!done.ok) run.refused(`register ${id}`, done.error);
  }
  await designate(run);
  const registered = await validateAndRegister(run, account);
  if (registered.reference !== reference)
    throw new Error(
      `bench:scale: the project was registered as ${registered.reference ?? 'nothing'}, not ${reference}`,
    );
  return registered.item;
}

/** The TPE designated for scope 1 on an adopted decision (a designation needs no confirmation). */
async function designate(run: DemoRun): Promise<void> {
  const terms = {
    sectoralScopes: [1],
    functions: ['validation', 'verification'],
    validFrom: '2026-01-01',
    validUntil: '2028-12-31',
  };
  const text = 'Designates Scale Bench Verification for sectoral scope 1.';
  const proposed = await run.act('2026-01-05', who.secretariat, 'propose_decision', {
    subject: { item: 'scale-verification', action: 'designate_tpe', text },
    partnership: 'IN',
    designation: terms,
    documents: [placeholder('decision_text', text)],
  });
  await run.act('2026-01-05', who.jointCommittee, 'adopt_decision', { item: proposed.item });
  const designated = await run.writes.organisations.designate({
    actor: who.jointCommittee,
    idempotencyKey: run.key(),
    input: {
      organisation: 'scale-verification',
      partnership: 'IN',
      ...terms,
      accreditation: 'iso_14065',
      decision: proposed.item,
    },
  });
  if (!designated.ok) run.refused('designate', designated.error);
}

/** PDD, public input, a positive validation, the registration request and decision. */
async function validateAndRegister(run: DemoRun, account: string): Promise<ActionDone> {
  const { item } = await run.act('2026-01-10', who.participant, 'submit_pdd', {
    partnership: 'IN',
    project: projectData,
    documents: [
      placeholder('pdd', 'Project design document'),
      placeholder('moc_statement', 'MoC statement'),
      placeholder('project_information_sheet', 'Project Information Sheet'),
    ],
  });
  await run.act('2026-02-20', who.secretariat, 'close_public_input', { item });
  await run.act('2026-02-25', who.tpe, 'issue_positive_validation', {
    item,
    documents: [placeholder('validation_report', 'Validation report')],
  });
  await run.act('2026-03-01', who.participant, 'request_registration', {
    item,
    allocation: [
      {
        holder: 'participant_partner',
        registry: 'IN',
        account,
        vintage: 2027,
        quantity: '100',
      },
    ],
    documents: [
      placeholder('registration_request', 'Registration request'),
      placeholder('credit_allocation', 'Credit allocation'),
    ],
  });
  await run.act('2026-03-02', who.secretariat, 'accept_complete', { item });
  const decision = await run.decide(
    '2026-03-10',
    item,
    'register_project',
    'Registers the bench:scale project.',
  );
  return run.act('2026-03-12', who.jointCommittee, 'register_project', { item, decision });
}
