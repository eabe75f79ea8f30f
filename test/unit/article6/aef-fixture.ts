// A hand-written AEF input: India (IND) reports 2027 under the India-Japan approach CA0001. Project
// IN001 issues vintage 2027: serials 1-12000 into Japan's registry under an NDC authorisation (the
// first transfer to Japan), 12001-12500 into India's registry under an OIMP authorisation whose first
// transfer is issuance; 12001-12100 are used for CORSIA by an airline, 12401-12500 cancelled for OMGE,
// 12101-12400 held at 31 December. Records of other Parties, of other years and of 2028 are left out.
import { loadAefDescription } from '../../../src/formats/aef-description-file.ts';
import type { AefInput, Holding } from '../../../src/core/article6/aef-tables.ts';
import type {
  Action,
  Authorisation,
  CooperativeApproach,
  Ndc,
} from '../../../src/core/article6/types.ts';
import type { ProjectRef, RegistryId } from '../../../src/core/shared/ids.ts';

export const description = await loadAefDescription();

const IN001 = 'IN001' as ProjectRef;
const JP = 'JP' as RegistryId;
const IN = 'IN' as RegistryId;

const ndc = (party: string): Ndc => ({
  party,
  kind: 'single_year',
  firstYear: 2021,
  lastYear: 2030,
  targetYear: 2030,
  metric: 't_co2e',
  method: 'averaging',
  trajectory: [],
  budget: null,
  emissions: [],
});

export const approach: CooperativeApproach = {
  id: 'CA0001',
  partnership: IN,
  version: 1,
  parties: ['JPN', 'IND'],
  registries: [
    { registry: JP, partyRegistryId: 'JPN01', party: 'JPN' },
    { registry: IN, partyRegistryId: 'IND01', party: 'IND' },
  ],
  ndcs: [ndc('JPN'), ndc('IND')],
  confirmationRequired: true,
  description: 'The India-Japan JCM.',
  environmentalIntegrity: 'JCM methodologies, conservative reference emissions.',
  sustainableDevelopment: 'Sustainable development plans per project.',
};

const solar = {
  organisation: 'ORG-7',
  name: 'Example Solar Pvt Ltd',
  country: 'IN',
  identifier: 'U40106DL2020PTC000001',
};

const ndcAuthorisation: Authorisation = {
  id: 'IND-AUTH-1',
  version: 1,
  party: 'IND',
  approach: 'CA0001',
  date: '2026-05-01',
  registry: JP,
  projects: [IN001],
  vintageFirst: 2026,
  vintageLast: 2030,
  quantityCap: 20_000n,
  validFrom: '2026-05-01',
  validUntil: '2031-12-31',
  purposes: ['ndc'],
  oimp: null,
  firstTransferDefinition: null,
  authorisedParties: ['JPN'],
  authorisedEntities: [solar],
  terms: "For use towards Japan's NDC.",
};

const oimpAuthorisation: Authorisation = {
  ...ndcAuthorisation,
  id: 'IND-AUTH-2',
  date: '2027-02-01',
  registry: IN,
  vintageFirst: 2027,
  vintageLast: 2027,
  quantityCap: 1_000n,
  validFrom: null,
  validUntil: null,
  purposes: ['oimp'],
  oimp: 'CORSIA',
  firstTransferDefinition: 'issuance',
  authorisedParties: [],
  authorisedEntities: [],
  terms: '',
};

const action = (over: Partial<Action> & Pick<Action, 'type' | 'date' | 'entry'>): Action => ({
  party: 'IND',
  subtype: null,
  approach: 'CA0001',
  authorisation: 'IND-AUTH-2',
  firstParty: 'IND',
  registry: IN,
  partyRegistryId: 'IND01',
  project: IN001,
  vintage: 2027,
  serialFirst: 12_001n,
  serialLast: 12_500n,
  quantity: 500n,
  transferringParty: null,
  acquiringParty: null,
  purpose: 'oimp',
  usingOrCancelling: null,
  yearOfUse: null,
  ...over,
});

const holding = (serialFirst: bigint, serialLast: bigint): Holding => ({
  approach: 'CA0001',
  authorisation: 'IND-AUTH-2',
  registry: IN,
  partyRegistryId: 'IND01',
  firstParty: 'IND',
  project: IN001,
  vintage: 2027,
  serialFirst,
  serialLast,
  quantity: serialLast - serialFirst + 1n,
  purpose: 'oimp',
});

export const input: AefInput = {
  party: 'IND',
  year: 2027,
  version: '1.0',
  submittedOn: '2028-04-10',
  approaches: [approach],
  authorisations: [
    oimpAuthorisation,
    { ...ndcAuthorisation, version: 2, date: '2027-03-01', quantityCap: 25_000n },
    ndcAuthorisation,
    // Japan's own authorisation, and one India makes after the year: neither is in India's 2027 AEF.
    { ...ndcAuthorisation, id: 'JPN-AUTH-1', party: 'JPN' },
    { ...ndcAuthorisation, id: 'IND-AUTH-3', date: '2028-01-10' },
  ],
  actions: [
    action({
      type: 'use',
      subtype: 'oimp',
      date: '2027-09-15',
      serialLast: 12_100n,
      quantity: 100n,
      usingOrCancelling: 'AIRLINE-IN-01',
      entry: { chain: 'IN', seq: 12n },
    }),
    action({
      type: 'first_transfer',
      date: '2027-04-10',
      authorisation: 'IND-AUTH-1',
      registry: JP,
      partyRegistryId: 'JPN01',
      serialFirst: 1n,
      serialLast: 12_000n,
      quantity: 12_000n,
      transferringParty: 'IND',
      acquiringParty: 'JPN',
      purpose: 'ndc',
      entry: { chain: 'JP', seq: 41n },
    }),
    action({
      type: 'cancellation',
      subtype: 'omge',
      date: '2027-06-30',
      serialFirst: 12_401n,
      quantity: 100n,
      usingOrCancelling: 'IND',
      entry: { chain: 'IN', seq: 9n },
    }),
    action({
      type: 'first_transfer',
      date: '2027-04-10',
      transferringParty: 'IND',
      entry: { chain: 'IN', seq: 7n },
    }),
    // Of 2026, and Japan's: not in India's 2027 AEF.
    action({ type: 'transfer', date: '2026-12-31', entry: { chain: 'IN', seq: 3n } }),
    action({
      type: 'acquisition',
      date: '2027-04-10',
      party: 'JPN',
      entry: { chain: 'JP', seq: 41n },
    }),
  ],
  holdings: [holding(12_201n, 12_400n), holding(12_101n, 12_200n)],
  entities: [
    {
      approach: 'CA0001',
      authorisation: 'IND-AUTH-1',
      date: '2026-05-01',
      organisation: 'ORG-7',
      name: 'Example Solar Pvt Ltd',
      country: 'IND',
      identifier: 'U40106DL2020PTC000001',
      conditions: 'Holds and transfers ITMOs of IN001 only.',
      changeConditions: null,
    },
    {
      approach: 'CA0001',
      authorisation: 'IND-AUTH-3',
      date: '2028-01-10',
      organisation: 'ORG-9',
      name: 'Later Entity Ltd',
      country: 'IND',
      identifier: 'L-2028',
      conditions: null,
      changeConditions: null,
    },
  ],
  projects: [
    {
      project: IN001,
      sectors: ['energy_generation'],
      activityTypes: ['solar'],
      mitigationType: 'emission_reductions',
    },
  ],
};

/** The journal entries the actions come from, and India's registry holdings at 31 December 2027. */
export const knownEntries = new Set(['IN#7', 'JP#41', 'IN#9', 'IN#12']);
export const registryHoldings = [
  {
    approach: 'CA0001',
    partyRegistryId: 'IND01',
    firstParty: 'IND',
    project: IN001,
    vintage: 2027,
    serialFirst: 12_101n,
    serialLast: 12_400n,
  },
];
