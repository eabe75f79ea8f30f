// The pure parts of the guard against double counting: the days two periods share and whether one
// covers another, the distance between two sites (worked by hand), the grounds on which two projects
// may be one, the day range another mechanism credits, the checks of a record and who may make it,
// and the secretariat's conclusion. Every expected value is written out by hand.
import { describe, expect, it } from 'vitest';
import {
  covers,
  creditedElsewhere,
  decideConclusion,
  distanceMetres,
  duplicateDistanceMetresMax,
  duplicateGrounds,
  earthRadiusMetres,
  overlapOf,
  type StoredFlag,
} from '../../../src/core/cycle/double-counting.ts';
import {
  checkRegistrationFields,
  decideRecording,
  type RegistrationInput,
  type StoredRegistration,
} from '../../../src/core/cycle/external-registrations.ts';
import type { ProjectData } from '../../../src/core/cycle/project-data.ts';
import { actorWithRoles } from '../../../src/core/ledger/actor.ts';

const p = (start: string, end: string) => ({ start, end });

describe('overlapOf and covers', () => {
  it.each([
    ['disjoint, before', p('2028-01-01', '2028-06-30'), p('2028-07-01', '2028-12-31'), null],
    [
      'touching on one day',
      p('2028-01-01', '2028-07-01'),
      p('2028-07-01', '2028-12-31'),
      p('2028-07-01', '2028-07-01'),
    ],
    [
      'partly',
      p('2027-07-01', '2028-06-30'),
      p('2028-01-01', '2028-12-31'),
      p('2028-01-01', '2028-06-30'),
    ],
    [
      'one inside the other',
      p('2028-03-01', '2028-03-31'),
      p('2027-01-01', '2036-12-31'),
      p('2028-03-01', '2028-03-31'),
    ],
    [
      'the same',
      p('2028-01-01', '2028-12-31'),
      p('2028-01-01', '2028-12-31'),
      p('2028-01-01', '2028-12-31'),
    ],
    [
      'across a year end',
      p('2028-12-15', '2029-01-15'),
      p('2029-01-01', '2029-12-31'),
      p('2029-01-01', '2029-01-15'),
    ],
  ])('%s', (_, a, b, expected) => {
    expect(overlapOf(a, b)).toEqual(expected);
    expect(overlapOf(b, a)).toEqual(expected);
  });

  it.each([
    [p('2027-01-01', '2028-12-31'), p('2028-01-01', '2028-12-31'), true],
    [p('2028-01-01', '2028-12-31'), p('2028-01-01', '2028-12-31'), true],
    [p('2028-01-01', '2028-06-30'), p('2028-01-01', '2028-12-31'), false],
    [p('2028-01-02', '2028-12-31'), p('2028-01-01', '2028-12-31'), false],
  ])('%j covers %j: %s', (outer, inner, expected) => {
    expect(covers(outer, inner)).toBe(expected);
  });
});

describe('distanceMetres', () => {
  // One degree of arc on a sphere of the Earth's mean radius 6 371 008.8 m is
  // 6 371 008.8 × π / 180 = 111 195.080 m; along a meridian the haversine is exact for it.
  const degree = 111_195.080_233_5;
  it.each([
    ['the same point', [21.17, 72.83], [21.17, 72.83], 0],
    ['0.005° north (half of 0.01°)', [21.17, 72.83], [21.175, 72.83], 0.005 * degree],
    ['0.0089° north, inside the limit', [21.17, 72.83], [21.1789, 72.83], 0.0089 * degree],
    ['0.009° north, just past the limit', [21.17, 72.83], [21.179, 72.83], 0.009 * degree],
    ['a quarter of a great circle', [0, 0], [0, 90], (Math.PI * earthRadiusMetres) / 2],
    ['antipodes', [0, 0], [0, 180], Math.PI * earthRadiusMetres],
    // At 60° north: h = cos²60° · sin²0.5° = 0.25 · 0.008726535498² ; d = 2R · asin(0.5 · sin 0.5°)
    // = 2 × 6 371 008.8 × 0.004363281606 = 55 597.011 m (a flat 0.5 × 111 195.080 = 55 597.540 m).
    ['1° of longitude at 60° north', [60, 0], [60, 1], 55_597.011],
  ])('%s', (_, [lat1, lon1], [lat2, lon2], metres) => {
    const a = { latitude: lat1 ?? 0, longitude: lon1 ?? 0 };
    const b = { latitude: lat2 ?? 0, longitude: lon2 ?? 0 };
    expect(distanceMetres(a, b)).toBeCloseTo(metres as number, 2);
    expect(distanceMetres(b, a)).toBeCloseTo(metres as number, 2);
  });

  it('puts the limit between 0.0089° and 0.009° of latitude', () => {
    expect(duplicateDistanceMetresMax).toBe(1000);
    expect(
      distanceMetres(
        { latitude: 21.17, longitude: 72.83 },
        { latitude: 21.1789, longitude: 72.83 },
      ),
    ).toBeLessThan(1000);
    expect(
      distanceMetres({ latitude: 21.17, longitude: 72.83 }, { latitude: 21.179, longitude: 72.83 }),
    ).toBeGreaterThan(1000);
  });
});

const site: ProjectData = {
  title: 'Solar with storage',
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
  creditingPeriod: { start: '2028-01-01', end: '2037-12-31' },
  expectedReductionsPerYear: '9000',
  coBenefits: '',
};

describe('duplicateGrounds', () => {
  it.each([
    [
      'the same site, technology and participants',
      {},
      {
        distanceMetres: 0,
        sameLocationText: true,
        methodology: 'IN_AM009',
        activity: '1',
        sharedParticipants: ['sunrise-jp', 'surya-in'],
      },
    ],
    [
      '556 m away under another name, another version of the methodology, one participant shared',
      {
        location: 'Textile park, Surat',
        latitude: 21.175,
        methodology: { id: 'IN_AM009', version: '2.0' },
        participantsPartner: ['other-in'],
      },
      {
        distanceMetres: 556,
        sameLocationText: false,
        methodology: 'IN_AM009',
        activity: '1',
        sharedParticipants: ['sunrise-jp'],
      },
    ],
    [
      'the same location text far away, the same activity under another methodology',
      {
        location: '  surat,   GUJARAT ',
        latitude: 22.5,
        methodology: { id: 'IN_AM001', version: '1.0' },
      },
      {
        distanceMetres: 147_889,
        sameLocationText: true,
        methodology: null,
        activity: '1',
        sharedParticipants: ['sunrise-jp', 'surya-in'],
      },
    ],
    ['another site (1 001 m, another name)', { location: 'Navsari', latitude: 21.179 }, null],
    [
      'another technology (methodology and activity)',
      { methodology: { id: 'IN_AM001', version: '1.0' }, activity: '2' },
      null,
    ],
    [
      'another methodology, and no activity declared',
      { methodology: { id: 'IN_AM001', version: '1.0' }, activity: undefined },
      null,
    ],
    [
      'no participant in common',
      {
        participantsJapan: ['other-jp'],
        participantsPartner: ['other-in'],
        focalPoint: 'other-jp',
      },
      null,
    ],
  ])('%s', (_, change, expected) => {
    const other = { ...site, ...change } as ProjectData;
    expect(duplicateGrounds(site, other)).toEqual(expected);
    expect(duplicateGrounds(other, site)).toEqual(expected);
  });
});

const registration = (
  id: string,
  creditingPeriod: { start: string; end: string },
  cancelled: { start: string; end: string } | null = null,
): StoredRegistration => ({
  id,
  project: 'IN-PRJ001',
  version: 1,
  mechanism: 'verra_vcs',
  mechanismName: null,
  identifier: `VCS ${id}`,
  activity: 'Solar',
  creditingPeriod,
  status: cancelled === null ? 'active' : 'cancelled',
  cancellation: cancelled === null ? null : { period: cancelled, reference: 'CXL-1' },
  evidence: { text: 'Registry page', document: null },
});

describe('creditedElsewhere', () => {
  const monitoring = [p('2028-01-01', '2028-12-31')];
  it.each([
    ['no registration', [], null],
    [
      'a crediting period that ends before',
      [registration('1', p('2020-01-01', '2027-12-31'))],
      null,
    ],
    [
      'an active one that overlaps',
      [registration('2', p('2027-01-01', '2036-12-31'))],
      ['2', '2028-01-01', '2028-12-31'],
    ],
    [
      'an active one that overlaps one day',
      [registration('3', p('2028-12-31', '2036-12-31'))],
      ['3', '2028-12-31', '2028-12-31'],
    ],
    [
      'cancelled for every day in common',
      [registration('4', p('2027-01-01', '2036-12-31'), p('2027-01-01', '2028-12-31'))],
      null,
    ],
    [
      'cancelled for the days in common exactly',
      [registration('5', p('2028-07-01', '2036-12-31'), p('2028-07-01', '2028-12-31'))],
      null,
    ],
    [
      'cancelled for part of them',
      [registration('6', p('2027-01-01', '2036-12-31'), p('2028-01-01', '2028-06-30'))],
      ['6', '2028-01-01', '2028-12-31'],
    ],
    [
      'the first of several that credits a day',
      [
        registration('7', p('2020-01-01', '2027-12-31')),
        registration('8', p('2028-06-01', '2029-05-31')),
      ],
      ['8', '2028-06-01', '2028-12-31'],
    ],
  ])('%s', (_, registrations, expected) => {
    const found = creditedElsewhere(monitoring, registrations);
    expect(
      found === null ? null : [found.registration.id, found.overlap.start, found.overlap.end],
    ).toEqual(expected);
  });
});

const input: RegistrationInput = {
  mechanism: 'verra_vcs',
  identifier: 'VCS 4321',
  activity: 'Rooftop solar, Surat',
  creditingPeriod: p('2027-01-01', '2036-12-31'),
  status: 'active',
  evidence: { text: 'Registered on the Verra registry.' },
};

describe('checkRegistrationFields', () => {
  it.each([
    ['a control character', { activity: 'Solar\u0007' }, 'control_character_refused'],
    ['an unknown mechanism', { mechanism: 'jcm_plus' }, 'external_registration_mechanism_unknown'],
    ['`other` without its name', { mechanism: 'other' }, 'invalid_request'],
    ['a name for a listed mechanism', { mechanismName: 'Mine' }, 'invalid_request'],
    [
      'an identifier with < >',
      { identifier: 'VCS <1>' },
      'external_registration_identifier_malformed',
    ],
    [
      'an identifier starting with a space',
      { identifier: ' VCS' },
      'external_registration_identifier_malformed',
    ],
    [
      'an evidence document neither SHA-256 nor https',
      { evidence: { text: 'x', document: 'http://x.example' } },
      'invalid_request',
    ],
    [
      'a crediting period reversed',
      { creditingPeriod: p('2036-12-31', '2027-01-01') },
      'external_registration_period_reversed',
    ],
    ['cancelled without a cancellation', { status: 'cancelled' }, 'invalid_request'],
    [
      'a cancellation while active',
      { cancellation: { period: p('2028-01-01', '2028-12-31'), reference: 'C-1' } },
      'invalid_request',
    ],
    [
      'a cancelled period reversed',
      {
        status: 'cancelled',
        cancellation: { period: p('2028-12-31', '2028-01-01'), reference: 'C-1' },
      },
      'external_registration_period_reversed',
    ],
    ['a listed mechanism', {}, 'ok'],
    ['`other` with its name', { mechanism: 'other', mechanismName: 'Puro.earth' }, 'ok'],
    [
      'cancelled for a period',
      {
        status: 'cancelled',
        cancellation: { period: p('2028-01-01', '2028-12-31'), reference: 'VCS-CXL-7' },
      },
      'ok',
    ],
  ] as const)('%s: %s', (_, change, code) => {
    const result = checkRegistrationFields({ ...input, ...change } as RegistrationInput);
    expect(result.ok ? 'ok' : result.error.code).toBe(code);
  });
});

describe('decideRecording', () => {
  const fields = checkRegistrationFields(input);
  if (!fields.ok) throw new Error('the fields are valid');
  const project = { id: 'IN-PRJ001', machine: 'project', partnership: 'IN', project: site };
  const stored = { ...registration('9', p('2027-01-01', '2036-12-31')), identifier: 'VCS 4321' };
  it.each([
    ['no such project', null, 'project_participant:sunrise-jp', null, [], 'cycle_item_not_found'],
    [
      'an idea note, not a project',
      { ...project, machine: 'pin' },
      'project_participant:sunrise-jp',
      null,
      [],
      'cycle_item_not_found',
    ],
    [
      'a participant of another project',
      project,
      'project_participant:other-dev',
      null,
      [],
      'cycle_role_not_allowed',
    ],
    [
      'the secretariat of another partnership',
      project,
      'secretariat:ID',
      null,
      [],
      'cycle_role_not_allowed',
    ],
    ['the Joint Committee', project, 'joint_committee:IN', null, [], 'cycle_role_not_allowed'],
    [
      'a version of a registration it does not have',
      project,
      'secretariat:IN',
      '77',
      [],
      'external_registration_not_found',
    ],
    [
      'the same mechanism and identifier again',
      project,
      'project_participant:surya-in',
      null,
      [stored],
      'external_registration_already_recorded',
    ],
    [
      'the Japanese participant',
      project,
      'project_participant:sunrise-jp',
      null,
      [],
      'project_participant:sunrise-jp v1',
    ],
    ['the secretariat, a new version', project, 'secretariat:IN', '9', [stored], 'secretariat v2'],
  ] as const)('%s', (_, of, roles, target, existing, expected) => {
    const result = decideRecording(
      of,
      'IN-PRJ001',
      existing,
      target,
      fields.value,
      actorWithRoles('a', roles),
    );
    expect(
      result.ok
        ? `${result.value.recordedAs.role}${result.value.recordedAs.organisation === null ? '' : `:${result.value.recordedAs.organisation}`} v${result.value.version}`
        : result.error.code,
    ).toBe(expected);
  });
});

describe('decideConclusion', () => {
  const flag: StoredFlag = {
    id: '3',
    project: 'IN-PRJ002',
    other: 'IN-PRJ001',
    partnership: 'IN',
    state: 'open',
  };
  it.each([
    ['no such flag', null, 'secretariat:IN', 'duplicate_flag_not_found'],
    ['a participant', flag, 'project_participant:sunrise-jp', 'cycle_role_not_allowed'],
    ['the Joint Committee', flag, 'joint_committee:IN', 'cycle_role_not_allowed'],
    ['the secretariat of another partnership', flag, 'secretariat:ID', 'cycle_role_not_allowed'],
    [
      'a flag concluded already',
      { ...flag, state: 'not_duplicate' },
      'secretariat:IN',
      'duplicate_flag_already_concluded',
    ],
    ['the secretariat of the partnership', flag, 'secretariat:IN', 'ok'],
  ] as const)('%s', (_, stored, roles, code) => {
    const result = decideConclusion(stored, '3', actorWithRoles('s', roles));
    expect(result.ok ? 'ok' : result.error.code).toBe(code);
  });
});
