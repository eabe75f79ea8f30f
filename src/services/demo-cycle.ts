// The synthetic demo of the whole project cycle, clearly labelled: an India-Japan solar-plus-storage
// project taken from its idea note, through an approved methodology, PDD, validation with one CAR,
// registration with both governments' prior confirmation, two monitoring periods (the first crossing
// a calendar year end), verification and issuance split between Japan's and India's registries, then a
// transfer and a retirement for GX-ETS compliance. Each step runs on its own (scripted) date through
// the same services as the API; fixed idempotency keys make it safe to run twice.
import type { Actor } from '../core/ledger/actor.ts';
import { actorWithRoles } from '../core/ledger/actor.ts';
import { CycleService, type ActionDone } from './cycle-service.ts';
import type { CommandInput, CommandName } from './ledger-schemas.ts';
import type { Platform } from './platform.ts';

const label = '(synthetic demo data)';

const actor = actorWithRoles;
const admin = actor('demo-admin', 'administrator');
const developer = actor('demo-developer', 'project_participant:example-solar-in');
const trader = actor('demo-trader', 'project_participant:example-trading-jp');
const tpe = actor('demo-auditor', 'third_party_entity:example-verification');
const secretariat = actor('demo-secretariat', 'secretariat:IN');
const jointCommittee = actor('demo-jc-co-chair', 'joint_committee:IN');
const japan = actor('demo-moej', 'government_japan');
const india = actor('demo-moefcc', 'government_partner:IN');
const managerJp = actor('demo-registry-jp', 'registry_manager:JP');
const managerIn = actor('demo-registry-in', 'registry_manager:IN');

const document = (type: string, title: string) => ({
  type,
  fileName: `${type}.txt`,
  mediaType: 'text/plain',
  content: Buffer.from(
    `${title} ${label}\nThis document is a placeholder of the JCM platform's demo.\n`,
  ).toString('base64'),
});

export const demoProject = {
  title: `12 MW solar PV with 24 MWh battery storage for a textile park in Surat ${label}`,
  location: 'Surat, Gujarat, India',
  latitude: 21.17,
  longitude: 72.83,
  programme: 'private_sector_jcm',
  participantsJapan: ['example-trading-jp'],
  participantsPartner: ['example-solar-in'],
  focalPoint: 'example-trading-jp',
  sectoralScopes: [1],
  greenhouseGases: ['CO2'],
  methodology: { id: 'IN_AM001', version: '1.0' },
  activity: '1',
  tpe: 'example-verification',
  creditingPeriod: { start: '2025-10-01', end: '2035-09-30' },
  expectedReductionsPerYear: '15000',
  coBenefits: 'Daytime solar stored for the evening shift; fewer diesel back-up hours in the park.',
};

/** Runs the demo; returns how many ledger entries and cycle actions were new. */
export async function seedDemo(platform: Platform): Promise<{ ledger: number; cycle: number }> {
  let instant = '2025-08-01T09:00:00.000Z';
  let tick = 0;
  // Each action happens on its scripted day, a second after the previous one.
  const clock = () => {
    tick += 1;
    return instant.replace(/T.*$/, `T09:00:${String(tick % 60).padStart(2, '0')}.000Z`);
  };
  const cycle = new CycleService(
    platform.db,
    platform.documents,
    platform.methodologies,
    platform.rulebooks,
    platform.ledger,
    clock,
  );
  const counts = { ledger: 0, cycle: 0 };
  let step = 0;

  const ledger = async (name: CommandName, input: CommandInput, who: Actor = admin) => {
    step += 1;
    const result = await platform.ledger.execute(name, input as never, who, `demo-${step}`);
    if (!result.ok)
      throw new Error(
        `demo step ${step} (${name}) was refused: ${result.error.code}: ${result.error.message}`,
      );
    if (!result.value.replayed) counts.ledger += 1;
  };
  const act = async (
    day: string,
    who: Actor,
    action: string,
    envelope: Record<string, unknown>,
  ): Promise<ActionDone> => {
    step += 1;
    instant = `${day}T09:00:00.000Z`;
    const result = await cycle.act(action, envelope, who, `demo-${step}`);
    if (!result.ok)
      throw new Error(
        `demo step ${step} (${action}) was refused: ${result.error.code}: ${result.error.message}`,
      );
    counts.cycle += 1;
    return result.value;
  };
  /** Proposes, confirms (both governments) and adopts a Joint Committee decision. */
  const decide = async (
    day: string,
    item: string,
    action: string,
    text: string,
  ): Promise<string> => {
    const proposed = await act(day, secretariat, 'propose_decision', {
      parent: item,
      subject: { item, action, text },
      documents: [document('decision_text', text)],
    });
    await act(day, japan, 'confirm_decision', { item: proposed.item });
    await act(day, india, 'confirm_decision', { item: proposed.item });
    await act(day, jointCommittee, 'adopt_decision', { item: proposed.item, method: 'electronic' });
    return proposed.item;
  };

  // The registries and their accounts.
  await ledger('open_registry', { registry: 'JP', name: "Japan's JCM registry" });
  await ledger('open_registry', { registry: 'IN', name: "India's JCM registry" });
  await ledger('open_account', {
    registry: 'JP',
    accountType: 'government_holding',
    holderId: 'gov-jp',
    holderName: `Government of Japan ${label}`,
  });
  await ledger('open_account', {
    registry: 'JP',
    accountType: 'holding',
    holderId: 'example-trading-jp',
    holderName: `Example Trading Co., Ltd. ${label}`,
  });
  await ledger('open_account', {
    registry: 'IN',
    accountType: 'government_holding',
    holderId: 'gov-in',
    holderName: `Government of India ${label}`,
  });
  await ledger('open_account', {
    registry: 'IN',
    accountType: 'holding',
    holderId: 'example-solar-in',
    holderName: `Example Solar Developer Pvt Ltd ${label}`,
  });

  // Organisations and the TPE designation (idempotent: skipped when already there).
  const organisations = [
    ['example-trading-jp', `Example Trading Co., Ltd. ${label}`, 'project_participant', 'JP'],
    ['example-solar-in', `Example Solar Developer Pvt Ltd ${label}`, 'project_participant', 'IN'],
    ['example-verification', `Example Verification Co. ${label}`, 'third_party_entity', 'JP'],
  ] as const;
  const fresh =
    (await platform.db.read((k) => k.selectFrom('organisations').select('id').limit(1).execute()))
      .length === 0;
  if (fresh) {
    for (const [id, name, kind, country] of organisations)
      await platform.cycle.registerOrganisation({ id, name, kind, country }, admin);
    await platform.cycle.designateTpe(
      {
        organisation: 'example-verification',
        partnership: 'IN',
        sectoralScopes: [1],
        functions: ['validation', 'verification'],
        accreditation: 'iso_14065',
        validFrom: '2025-08-07',
        validUntil: '2028-08-06',
      },
      jointCommittee,
    );
  }

  // Project Idea Note, with no objection from the Joint Committee.
  const pin = await act('2025-08-20', trader, 'submit_pin', {
    partnership: 'IN',
    project: demoProject,
    documents: [
      document('pin_form', 'Project Idea Note'),
      document('credit_allocation', 'Credit allocation plan'),
    ],
  });
  await act('2025-09-05', jointCommittee, 'record_no_objection', {
    item: pin.item,
    decision: await decide(
      '2025-09-01',
      pin.item,
      'record_no_objection',
      'No objection to the solar-plus-storage idea note.',
    ),
  });

  // A methodology proposal, approved after completeness check, public input and JC decision.
  const proposal = await act('2025-08-25', developer, 'propose_methodology', {
    partnership: 'IN',
    documents: [document('methodology_proposal', 'Proposed methodology: solar PV (IN_AM001)')],
    note: 'Solar PV displacing grid electricity; becomes IN_AM001 version 1.0.',
  });
  await act('2025-08-29', secretariat, 'accept_complete', { item: proposal.item });
  await act('2025-09-15', secretariat, 'close_public_input', { item: proposal.item });
  await act('2025-09-30', jointCommittee, 'approve_methodology', {
    item: proposal.item,
    decision: await decide(
      '2025-09-29',
      proposal.item,
      'approve_methodology',
      'Approves IN_AM001 version 1.0.',
    ),
  });

  // PDD, public input, validation with one CAR, registration.
  const project = await act('2025-10-01', trader, 'submit_pdd', {
    partnership: 'IN',
    project: demoProject,
    documents: [
      document('pdd', 'Project design document'),
      document('moc_statement', 'MoC statement'),
      document('project_information_sheet', 'Project Information Sheet'),
    ],
  });
  await act('2025-11-01', secretariat, 'close_public_input', { item: project.item });
  await act('2025-11-10', tpe, 'raise_finding', {
    item: project.item,
    finding: {
      kind: 'CAR',
      text: 'The monitoring plan must state the calibration interval of the export meter.',
    },
  });
  const carId = await platform.db.read((k) =>
    k
      .selectFrom('cycle_findings')
      .select('id')
      .where('item_id', '=', project.item)
      .orderBy('id')
      .executeTakeFirstOrThrow(),
  );
  await act('2025-11-14', trader, 'answer_finding', {
    item: project.item,
    finding: {
      id: String(carId.id),
      answer: 'Annual calibration by an accredited laboratory, added to section B.7.',
    },
  });
  await act('2025-11-18', tpe, 'close_finding', {
    item: project.item,
    finding: { id: String(carId.id) },
  });
  await act('2025-11-20', tpe, 'issue_positive_validation', {
    item: project.item,
    documents: [document('validation_report', 'Validation report')],
  });
  const allocationShares = {
    government_japan: 10n,
    participant_japan: 45n,
    participant_partner: 45n,
  };
  const lines = (vintage: number, credits: bigint) => {
    const jp = (credits * allocationShares.government_japan) / 100n;
    const trading = (credits * allocationShares.participant_japan) / 100n;
    return [
      {
        holder: 'government_japan',
        registry: 'JP',
        account: 'JP-000004',
        vintage,
        quantity: String(jp),
      },
      {
        holder: 'participant_japan',
        registry: 'JP',
        account: 'JP-000005',
        vintage,
        quantity: String(trading),
      },
      {
        holder: 'participant_partner',
        registry: 'IN',
        account: 'IN-000005',
        vintage,
        quantity: String(credits - jp - trading),
      },
    ];
  };
  await act('2025-11-25', trader, 'request_registration', {
    item: project.item,
    allocation: lines(2026, 100n),
    documents: [
      document('registration_request', 'Registration request'),
      document(
        'credit_allocation',
        'Credit allocation (10% Government of Japan, 45% each participant)',
      ),
    ],
  });
  await act('2025-11-28', secretariat, 'accept_complete', { item: project.item });
  const registered = await act('2026-01-15', jointCommittee, 'register_project', {
    item: project.item,
    decision: await decide(
      '2026-01-12',
      project.item,
      'register_project',
      'Registers the Surat solar-plus-storage project.',
    ),
  });

  // Two monitoring periods, the first crossing 31 December; each verified and issued.
  const periods = [
    {
      id: 'MP1',
      start: '2025-10-01',
      end: '2026-03-31',
      values: { 'PV-ARRAY-A': '5012.5', 'PV-ARRAY-B': '4987.25' },
      submitted: '2026-04-20',
      verified: '2026-05-20',
      issued: '2026-06-30',
    },
    {
      id: 'MP2',
      start: '2026-04-01',
      end: '2026-09-30',
      values: { 'PV-ARRAY-A': '5810.75', 'PV-ARRAY-B': '5795.5' },
      submitted: '2026-10-15',
      verified: '2026-10-30',
      issued: '2026-11-16',
    },
  ];
  for (const period of periods) {
    const monitoring = await act(period.submitted, trader, 'submit_monitoring_report', {
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
    const calculated = await platform.db.read((k) =>
      k
        .selectFrom('cycle_items')
        .select('data')
        .where('id', '=', monitoring.item)
        .executeTakeFirstOrThrow(),
    );
    const vintages = (
      calculated.data as { calculation: { vintages: { vintage: number; credits: string }[] } }
    ).calculation.vintages;
    await act(period.verified, tpe, 'issue_verification', {
      item: monitoring.item,
      verified: Object.fromEntries(vintages.map((v) => [String(v.vintage), v.credits])),
      documents: [document('verification_report', `Verification report ${period.id}`)],
    });
    const request = await act(period.verified, trader, 'request_issuance', {
      parent: monitoring.item,
      allocation: vintages.flatMap((v) => lines(v.vintage, BigInt(v.credits))),
      documents: [
        document('issuance_request', 'Issuance request'),
        document('credit_allocation', 'Credit allocation'),
        document('monitoring_report', 'Monitoring report'),
        document('verification_report', 'Verification report'),
      ],
    });
    await act(period.verified, secretariat, 'accept_complete', { item: request.item });
    const decision = await decide(
      period.issued,
      request.item,
      'decide_issuance',
      `Issues the verified credits of ${registered.reference ?? ''} ${period.id}.`,
    );
    await act(period.issued, jointCommittee, 'decide_issuance', { item: request.item, decision });
    const count = vintages.length * 3;
    for (let line = 1; line <= count; line += 1) {
      const registry = line % 3 === 0 ? 'IN' : 'JP';
      await ledger(
        'issue',
        { registry, decision, line },
        registry === 'JP' ? managerJp : managerIn,
      );
    }
    await act(period.issued, managerJp, 'confirm_issued', { item: request.item });
    await act(period.issued, managerIn, 'confirm_issued', { item: request.item });
    await act(period.issued, secretariat, 'close_issuance', { item: request.item });
  }

  // Trading and use: a transfer to Japan's government account and a GX-ETS retirement.
  await ledger(
    'transfer',
    { from: 'JP-000005', to: 'JP-000004', selection: { quantity: '500' } },
    actor('demo-trader-registry', 'account_holder:example-trading-jp'),
  );
  await ledger(
    'retire',
    {
      from: 'JP-000005',
      selection: { quantity: '1000' },
      purpose: 'gx_ets_compliance',
      beneficiary: `Example Trading Co., Ltd. ${label}`,
      note: 'GX-ETS compliance, fiscal year 2026',
    },
    actor('demo-trader-registry', 'account_holder:example-trading-jp'),
  );
  return counts;
}
