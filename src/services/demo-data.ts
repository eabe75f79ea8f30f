// The synthetic demo's data, clearly labelled: its actors, its project, the documents it files (text
// placeholders), its allocation of credits and its two monitoring periods.
import { actorWithRoles } from '../core/ledger/actor.ts';

export const label = '(synthetic demo data)';

const actor = actorWithRoles;
export const demoActors = {
  admin: actor('demo-admin', 'administrator'),
  developer: actor('demo-developer', 'project_participant:example-solar-in'),
  trader: actor('demo-trader', 'project_participant:example-trading-jp'),
  tpe: actor('demo-auditor', 'third_party_entity:example-verification'),
  secretariat: actor('demo-secretariat', 'secretariat:IN'),
  jointCommittee: actor('demo-jc-co-chair', 'joint_committee:IN'),
  japan: actor('demo-moej', 'government_japan'),
  india: actor('demo-moefcc', 'government_partner:IN'),
  managerJp: actor('demo-registry-jp', 'registry_manager:JP'),
  managerIn: actor('demo-registry-in', 'registry_manager:IN'),
  traderRegistry: actor('demo-trader-registry', 'account_holder:example-trading-jp'),
  solarRegistry: actor('demo-solar-registry', 'account_holder:example-solar-in'),
};

export const demoOrganisations = [
  ['example-trading-jp', `Example Trading Co., Ltd. ${label}`, 'project_participant', 'JP'],
  ['example-solar-in', `Example Solar Developer Pvt Ltd ${label}`, 'project_participant', 'IN'],
  ['example-verification', `Example Verification Co. ${label}`, 'third_party_entity', 'JP'],
  // The Indonesia, Chile and Philippines partnerships' demo (src/services/demo-partnerships.ts).
  [
    'example-pharma-jp',
    `Example Pharmaceutical Factory Co., Ltd. ${label}`,
    'project_participant',
    'JP',
  ],
  ['example-infusion-id', `PT Example Infusion Indonesia ${label}`, 'project_participant', 'ID'],
  [
    'example-farmland-jp',
    `Example Farmland Energy Co., Ltd. ${label}`,
    'project_participant',
    'JP',
  ],
  ['example-solar-cl', `Example Solar Chile SpA ${label}`, 'project_participant', 'CL'],
  [
    'example-engineering-jp',
    `Example Global Engineering Co., Ltd. ${label}`,
    'project_participant',
    'JP',
  ],
  ['example-cement-ph', `Example Cement Philippines Inc. ${label}`, 'project_participant', 'PH'],
] as const;

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
  // India's activity 1 is renewable energy with storage, only the stored component: IN_AM009 credits
  // only the electricity the batteries discharge after charging from the PV plant (issue 13, item 2).
  methodology: { id: 'IN_AM009', version: '1.0' },
  activity: '1',
  tpe: 'example-verification',
  creditingPeriod: { start: '2025-10-01', end: '2035-09-30' },
  // Two 12 MWh battery blocks discharging about 0.8 full cycles a day: 2 x 12 x 0.8 x 365 = 7,008
  // MWh a year x 0.757 tCO2/MWh = 5,305 t, rounded down.
  expectedReductionsPerYear: '5300',
  coBenefits: 'Daytime solar stored for the evening shift; fewer diesel back-up hours in the park.',
};

/** A placeholder document: a short text saying what it stands for. */
export function demoDocument(type: string, title: string) {
  return {
    type,
    fileName: `${type}.txt`,
    mediaType: 'text/plain',
    content: Buffer.from(
      `${title} ${label}\nThis document is a placeholder of the JCM platform's demo.\n`,
    ).toString('base64'),
  };
}

/**
 * A methodology file to propose: a catalogue entry's file as a draft (JSON, which YAML includes);
 * the cycle gives it its id and version when a Joint Committee adopts it.
 */
export function demoMethodologyFile(file: { readonly title?: string }) {
  const title = file.title ?? 'Proposed methodology';
  return {
    type: 'methodology_file',
    fileName: 'proposed-methodology.json',
    mediaType: 'application/json',
    content: Buffer.from(
      JSON.stringify({ ...file, status: 'draft', title: `${title} ${label}` }, null, 2),
    ).toString('base64'),
  };
}

/** 10% to the Government of Japan, 45% to each participant; the partner's share takes the rest. */
export function demoAllocation(vintage: number, credits: bigint) {
  const jp = (credits * 10n) / 100n;
  const trading = (credits * 45n) / 100n;
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
}

/**
 * Two monitoring periods, the first crossing 31 December, with their scripted days. The values are
 * the electricity each 12 MWh battery block discharged (IN_AM009's EG_i, MWh): about 0.8 cycles a
 * day over 182 and 183 days.
 */
export const demoPeriods = [
  {
    id: 'MP1',
    start: '2025-10-01',
    end: '2026-03-31',
    values: { 'BESS-A': '1747.25', 'BESS-B': '1731.5' },
    submitted: '2026-04-20',
    verified: '2026-05-20',
    issued: '2026-06-30',
  },
  {
    id: 'MP2',
    start: '2026-04-01',
    end: '2026-09-30',
    values: { 'BESS-A': '1802.5', 'BESS-B': '1790.75' },
    submitted: '2026-10-15',
    verified: '2026-10-30',
    issued: '2026-11-16',
  },
] as const;
export type DemoPeriod = (typeof demoPeriods)[number];
