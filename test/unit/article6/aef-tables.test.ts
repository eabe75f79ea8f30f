// India's AEF for 2027 built from the hand-written input (aef-fixture.ts): every row written out by
// hand, in the description's column order, codes as the template's labels, dates dd/mm/yyyy.
import { describe, expect, it } from 'vitest';
import { buildAefTables, type AefTables } from '../../../src/core/article6/aef-tables.ts';
import { approach, description, input } from './aef-fixture.ts';

const built = (): AefTables => {
  const result = buildAefTables(input, description);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

/** The columns every Actions and Holdings row of the fixture shares. */
const unitColumns = {
  cooperative_approach_id: 'CA0001',
  first_transferring_party: 'IND',
  unit_registry: 'JCM',
  metric: 'GHG',
  gwp_values: null,
  non_ghg_metric: null,
  quantity_non_ghg: null,
  mitigation_type: 'Emission reductions',
  vintage: '2027',
};

const actionColumns = {
  ...unitColumns,
  transferring_party: null,
  acquiring_party: null,
  oimp_purpose: null,
  using_party: null,
  using_entity: null,
  year_of_use: null,
  consistency_check_result: null,
};

describe('buildAefTables', () => {
  it('writes the Submission with the NDC period of the Party', () => {
    expect(built().submission).toEqual([
      {
        party: 'IND',
        version: '1.0',
        reported_year: '2027',
        date_of_submission: '10/04/2028',
        review_status: null,
        consistency_check_result: null,
        ndc_first_year: '2021',
        ndc_last_year: '2030',
        review_report_reference: null,
      },
    ]);
  });

  it("lists every version of the Party's authorisations up to 31 December, by id and version", () => {
    const ndc = {
      authorization_id: 'IND-AUTH-1',
      cooperative_approach_id: 'CA0001',
      metric: 'GHG',
      gwp_values: null,
      non_ghg_metric: null,
      sectors: 'Energy generation',
      activity_types: 'Solar',
      purposes: 'NDC',
      authorized_parties: 'JPN',
      authorized_entities: 'U40106DL2020PTC000001',
      oimp: null,
      authorized_timeframe: 'Occurred: from 2026 to 2030. Use: from 01/05/2026 to 31/12/2031',
      terms: "For use towards Japan's NDC.",
      authorization_documentation: null,
      first_transfer_definition: null,
      additional_information: 'Projects IN001.',
    };
    expect(built().authorizations).toEqual([
      {
        ...ndc,
        authorization_date: '01/05/2026',
        authorization_version: '1',
        authorized_quantity: '20000',
      },
      {
        ...ndc,
        authorization_date: '01/03/2027',
        authorization_version: '2',
        authorized_quantity: '25000',
      },
      {
        ...ndc,
        authorization_id: 'IND-AUTH-2',
        authorization_date: '01/02/2027',
        authorization_version: '1',
        authorized_quantity: '1000',
        purposes: 'OIMP',
        authorized_parties: null,
        authorized_entities: null,
        oimp: 'CORSIA',
        authorized_timeframe: 'Occurred: from 2027 to 2027',
        terms: null,
        first_transfer_definition: 'Issuance',
      },
    ]);
  });

  it("lists the Party's actions of the year by date and journal entry, each naming its entry", () => {
    expect(built().actions).toEqual([
      {
        ...actionColumns,
        action_date: '10/04/2027',
        action_type: 'First transfer',
        action_subtype: 'Issuance',
        authorization_id: 'IND-AUTH-2',
        party_registry_id: 'IND01',
        first_id: 'CA0001-IND01-IND-001.12001-2027',
        last_id: 'CA0001-IND01-IND-001.12500-2027',
        first_unit_id: 'JCM-IN-001-2027-12001-12001',
        last_unit_id: 'JCM-IN-001-2027-12500-12500',
        quantity: '500',
        transferring_party: 'IND',
        oimp_purpose: 'CORSIA',
        additional_information: 'Journal entry IN#7.',
      },
      {
        ...actionColumns,
        action_date: '10/04/2027',
        action_type: 'First transfer',
        action_subtype: 'First transfer to another Party',
        authorization_id: 'IND-AUTH-1',
        party_registry_id: 'JPN01',
        first_id: 'CA0001-JPN01-IND-001.1-2027',
        last_id: 'CA0001-JPN01-IND-001.12000-2027',
        first_unit_id: 'JCM-IN-001-2027-1-1',
        last_unit_id: 'JCM-IN-001-2027-12000-12000',
        quantity: '12000',
        transferring_party: 'IND',
        acquiring_party: 'JPN',
        additional_information: 'Journal entry JP#41.',
      },
      {
        ...actionColumns,
        action_date: '30/06/2027',
        action_type: 'Cancellation',
        action_subtype: 'Voluntary cancellation to deliver OMGE',
        authorization_id: 'IND-AUTH-2',
        party_registry_id: 'IND01',
        first_id: 'CA0001-IND01-IND-001.12401-2027',
        last_id: 'CA0001-IND01-IND-001.12500-2027',
        first_unit_id: 'JCM-IN-001-2027-12401-12401',
        last_unit_id: 'JCM-IN-001-2027-12500-12500',
        quantity: '100',
        using_party: 'IND',
        additional_information: 'Journal entry IN#9.',
      },
      {
        ...actionColumns,
        action_date: '15/09/2027',
        action_type: 'Use',
        action_subtype: null,
        authorization_id: 'IND-AUTH-2',
        party_registry_id: 'IND01',
        first_id: 'CA0001-IND01-IND-001.12001-2027',
        last_id: 'CA0001-IND01-IND-001.12100-2027',
        first_unit_id: 'JCM-IN-001-2027-12001-12001',
        last_unit_id: 'JCM-IN-001-2027-12100-12100',
        quantity: '100',
        oimp_purpose: 'CORSIA',
        using_entity: 'AIRLINE-IN-01',
        additional_information: 'Journal entry IN#12.',
      },
    ]);
  });

  it('lists the holdings at 31 December by approach, registry, project, vintage and serial', () => {
    const held = { ...unitColumns, authorization_id: 'IND-AUTH-2', party_registry_id: 'IND01' };
    expect(built().holdings).toEqual([
      {
        ...held,
        first_id: 'CA0001-IND01-IND-001.12101-2027',
        last_id: 'CA0001-IND01-IND-001.12200-2027',
        first_unit_id: 'JCM-IN-001-2027-12101-12101',
        last_unit_id: 'JCM-IN-001-2027-12200-12200',
        quantity: '100',
      },
      {
        ...held,
        first_id: 'CA0001-IND01-IND-001.12201-2027',
        last_id: 'CA0001-IND01-IND-001.12400-2027',
        first_unit_id: 'JCM-IN-001-2027-12201-12201',
        last_unit_id: 'JCM-IN-001-2027-12400-12400',
        quantity: '200',
      },
    ]);
  });

  it('lists the entities authorised up to 31 December, linked to their organisation', () => {
    expect(built().authorized_entities).toEqual([
      {
        authorization_date: '01/05/2026',
        name: 'Example Solar Pvt Ltd',
        country: 'IND',
        identifier: 'U40106DL2020PTC000001',
        cooperative_approach_id: 'CA0001',
        conditions: 'Holds and transfers ITMOs of IN001 only.',
        change_conditions: null,
        additional_information: 'Organisation ORG-7; authorization IND-AUTH-1.',
      },
    ]);
  });

  it("keys every row by the description's fields, in its order", () => {
    const tables = built();
    for (const table of description.tables)
      for (const row of tables[table.key])
        expect(Object.keys(row)).toEqual(table.fields.map((f) => f.key));
  });

  it.each([
    [
      'the Party has no NDC in any approach',
      { approaches: [{ ...approach, ndcs: approach.ndcs.filter((n) => n.party !== 'IND') }] },
    ],
    ['the year is after the NDC period', { year: 2031 }],
    ['the year is before the NDC period', { year: 2020 }],
  ])('refuses an AEF when %s', (_, change) => {
    const result = buildAefTables({ ...input, ...change }, description);
    expect(result.ok ? null : result.error.code).toBe('article6_ndc_information_missing');
  });
});
