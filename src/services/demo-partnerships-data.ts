// The data of the three partnerships' demo, clearly labelled synthetic: for Indonesia, Chile and the
// Philippines, the organisations, one project modelled on an example project of "Implementation
// Status and Potential of JCM" (Ministry of the Environment of Japan, September 2025; slides of the
// three example projects), its allocation of credits and its monitoring period. The participants
// are invented (the slides' companies are real and did not file these documents); the titles,
// places and expected reductions follow the slides. The organisations are in the demo's one list
// (demoOrganisations), which marks every demo organisation synthetic.
import { demoOrganisations, label } from './demo-data.ts';

interface Organisation {
  readonly id: string;
  readonly name: string;
}

/** Whose account a line of the allocation goes to, and its share in percent. */
export interface PartnershipAllocationLine {
  readonly holder: 'government_partner' | 'participant_japan' | 'participant_partner';
  readonly account: 'government' | 'participantJapan' | 'participantPartner';
  readonly percent: bigint;
}

const organisation = (id: string): Organisation => {
  const found = demoOrganisations.find(([oid]) => oid === id);
  if (found === undefined) throw new Error(`demo: no organisation ${id}`);
  return { id: found[0], name: found[1] };
};

const common = {
  programme: 'private_sector_jcm',
  greenhouseGases: ['CO2'],
  tpe: 'example-verification',
  creditingPeriod: { start: '2026-01-01', end: '2035-12-31' },
} as const;

/** The scripted days of the steps before registration (calendar days: 30 of public input). */
const days = {
  pdd: '2025-10-06',
  publicInputClosed: '2025-11-10',
  validated: '2025-11-24',
  registrationRequested: '2025-12-01',
  registered: '2025-12-22',
};

/** The scripted days of the monitoring period of the first half of 2026. */
const firstHalf2026 = {
  start: '2026-01-01',
  end: '2026-06-30',
  submitted: '2026-07-20',
  verified: '2026-08-24',
  issued: '2026-09-28',
};

/** Half to each participant (the partner's participant, the last line, takes the odd credit). */
const participantsOnly: readonly PartnershipAllocationLine[] = [
  { holder: 'participant_japan', account: 'participantJapan', percent: 50n },
  { holder: 'participant_partner', account: 'participantPartner', percent: 50n },
];

export const demoPartnerships = [
  {
    code: 'ID',
    registryName: "Indonesia's JCM registry (on this platform, demo)",
    government: { id: 'gov-id', name: `Government of Indonesia ${label}` },
    participantJapan: organisation('example-pharma-jp'),
    participantPartner: organisation('example-infusion-id'),
    designatedFrom: '2025-09-01',
    days,
    project: {
      ...common,
      title: `Energy saving by high-efficiency autoclaves at an infusion factory ${label}`,
      location: 'West Java, Indonesia',
      latitude: -6.3,
      longitude: 107.15,
      participantsJapan: ['example-pharma-jp'],
      participantsPartner: ['example-infusion-id'],
      focalPoint: 'example-pharma-jp',
      sectoralScopes: [3, 4],
      methodology: { id: 'ID_AM001', version: '1.0' },
      expectedReductionsPerYear: '8806',
      coBenefits:
        'Less steam per batch and pure water reused in sterilisation (modelled on the slides).',
    },
    extraPddDocuments: ['sd_plan'],
    extraMonitoringDocuments: ['sd_report'],
    // Indonesia's rulebook: at least 10% to the Government of Indonesia.
    allocation: [
      { holder: 'government_partner', account: 'government', percent: 10n },
      { holder: 'participant_japan', account: 'participantJapan', percent: 45n },
      { holder: 'participant_partner', account: 'participantPartner', percent: 45n },
    ],
    allocationText: '10% Government of Indonesia, 45% each participant',
    period: {
      ...firstHalf2026,
      expectedCredits: 4403n,
      values: {
        'AC-LINE-1': { Q_i: '31000', FC_PJ_i: '1860000' },
        'AC-LINE-2': { Q_i: '28340.5', FC_PJ_i: '1700430' },
      },
    },
  },
  {
    code: 'CL',
    registryName: "Chile's JCM registry (on this platform, demo)",
    government: { id: 'gov-cl', name: `Government of Chile ${label}` },
    participantJapan: organisation('example-farmland-jp'),
    participantPartner: organisation('example-solar-cl'),
    designatedFrom: '2025-09-01',
    days,
    project: {
      ...common,
      title: `26.3 MW solar power and 48 MWh storage battery on farmland in the Metropolitan and O'Higgins regions ${label}`,
      location: "Metropolitan and O'Higgins regions, Chile",
      latitude: -34.17,
      longitude: -70.74,
      participantsJapan: ['example-farmland-jp'],
      participantsPartner: ['example-solar-cl'],
      focalPoint: 'example-farmland-jp',
      sectoralScopes: [1],
      methodology: { id: 'CL_AM001', version: '1.0' },
      expectedReductionsPerYear: '20197',
      coBenefits:
        'Clean electricity sold to distribution companies under PMGD (modelled on the slides).',
    },
    extraPddDocuments: [],
    extraMonitoringDocuments: [],
    allocation: participantsOnly,
    allocationText: '50% each participant',
    period: {
      ...firstHalf2026,
      expectedCredits: 10099n,
      values: {
        'FARM-RM-1': { EG_exp_i: '9400.5', EG_imp_i: '60.1' },
        'FARM-RM-2': { EG_exp_i: '8500.25', EG_imp_i: '48.05' },
        'FARM-OH-1': { EG_exp_i: '7500.5', EG_imp_i: '45.3' },
      },
    },
  },
  {
    code: 'PH',
    registryName: "The Philippines' JCM registry (on this platform, demo)",
    government: { id: 'gov-ph', name: `Government of the Philippines ${label}` },
    participantJapan: organisation('example-engineering-jp'),
    participantPartner: organisation('example-cement-ph'),
    designatedFrom: '2025-09-01',
    days,
    project: {
      ...common,
      title: `6 MW power generation by waste heat recovery at a cement plant ${label}`,
      location: 'Bulacan, Central Luzon, Philippines',
      latitude: 14.79,
      longitude: 120.88,
      participantsJapan: ['example-engineering-jp'],
      participantsPartner: ['example-cement-ph'],
      focalPoint: 'example-engineering-jp',
      sectoralScopes: [1, 4],
      methodology: { id: 'PH_AM001', version: '1.0' },
      expectedReductionsPerYear: '21244',
      coBenefits:
        'Waste heat of the kiln used; less grid electricity bought (modelled on the slides).',
    },
    extraPddDocuments: [],
    extraMonitoringDocuments: [],
    allocation: participantsOnly,
    allocationText: '50% each participant',
    period: {
      ...firstHalf2026,
      expectedCredits: 10622n,
      values: { 'WHR-GEN-1': { EG_gross_i: '16400.5', EC_aux_i: '1226.2' } },
    },
  },
] as const satisfies readonly unknown[];
export type DemoPartnership = (typeof demoPartnerships)[number];
