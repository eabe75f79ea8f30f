// The pure rules of Article 6.2 records between deployments (core/federation/article6-records.ts):
// whom a government role speaks for, what a record made here may be forwarded, and which records and
// first transfers a peer sends are this deployment's to apply. One row per refusal, in precedence order.
//
// The two deployments: `jp` hosts Japan's registry (JP), `in` hosts India's (IN), under CA0001.
import { describe, expect, it } from 'vitest';
import {
  checkFirstTransfer,
  checkRecordHere,
  decideForward,
  governmentRoles,
  partyRegistries,
  peerGovernment,
  recordRegistry,
  speaksOnlyElsewhere,
  type Article6Record,
  type FirstTransfer,
} from '../../../src/core/federation/article6-records.ts';
import type { Actor } from '../../../src/core/ledger/actor.ts';
import type { ProjectRef, RegistryId } from '../../../src/core/shared/ids.ts';
import { approach } from '../article6/aef-fixture.ts';

const japan: Actor = { id: 'moej', roles: [{ kind: 'government_japan' }] };
const india: Actor = { id: 'moefcc', roles: [{ kind: 'government_partner', partnership: 'IN' }] };
const manager: Actor = {
  id: 'rm',
  roles: [{ kind: 'registry_manager', registry: 'JP' as RegistryId }],
};
const JP = 'JP' as RegistryId;
const IN = 'IN' as RegistryId;
const recordedAt = '2027-06-01T00:00:00Z';

/** India's authorisation of credits in Japan's registry, made on `in` and forwarded to `jp`. */
const authorisation: Extract<Article6Record, { kind: 'authorisation' }> = {
  kind: 'authorisation',
  authorisation: {
    id: 'IND-AUTH-1',
    party: 'IND',
    approach: 'CA0001',
    date: '2026-05-01',
    registry: JP,
    projects: ['IN001' as ProjectRef],
    vintageFirst: 2026,
    vintageLast: 2030,
    quantityCap: 20_000n,
    validFrom: null,
    validUntil: null,
    purposes: ['ndc'],
    oimp: null,
    firstTransferDefinition: null,
    authorisedParties: ['JPN'],
    authorisedEntities: [],
    terms: '',
  },
};
const withAuthorisation = (
  change: Partial<(typeof authorisation)['authorisation']>,
): Article6Record => ({
  kind: 'authorisation',
  authorisation: { ...authorisation.authorisation, ...change },
});
/** Japan's confirmation, made on `jp`, of India's authorisation of credits in India's registry. */
const confirmation: Article6Record = {
  kind: 'confirmation',
  registry: IN,
  authorisation: 'IND-AUTH-2',
  version: 1,
};

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('whom a government role speaks for', () => {
  it('maps each hosted registry to its Party government, and a peer acts as those', () => {
    expect(governmentRoles(['JP', 'IN'])).toEqual([
      { kind: 'government_japan' },
      { kind: 'government_partner', partnership: 'IN' },
    ]);
    expect(peerGovernment('in', ['IN'])).toEqual({
      id: 'federation:in',
      roles: [{ kind: 'government_partner', partnership: 'IN' }],
    });
    expect(peerGovernment('xx', []).roles).toEqual([]);
  });

  it('speaks only elsewhere when every government role is for a registry a peer hosts', () => {
    const both: Actor = { id: 'both', roles: [...japan.roles, ...india.roles] };
    const cases: [string, Actor, string[], boolean][] = [
      ['Japan, JP hosted by a peer', japan, ['JP'], true],
      ['India, IN hosted by a peer', india, ['IN'], true],
      ['India, only JP hosted by a peer', india, ['JP'], false],
      ['both governments, one Party here', both, ['JP'], false],
      ['both governments, both elsewhere', both, ['JP', 'IN'], true],
      ['no government role', manager, ['JP', 'IN'], false],
      ['nothing hosted elsewhere', japan, [], false],
    ];
    for (const [what, actor, elsewhere, expected] of cases)
      expect([what, speaksOnlyElsewhere(actor, elsewhere)]).toEqual([what, expected]);
  });
});

describe('a record made here for a registry a peer hosts', () => {
  it('is refused for the first rule it breaks, in order', () => {
    const cases: [string, Actor, Article6Record, string[], string][] = [
      [
        'no such approach',
        india,
        withAuthorisation({ approach: 'CA0009', party: 'KEN' }),
        ['JP'],
        'article6_approach_not_found',
      ],
      [
        'a Party not in the approach',
        japan,
        withAuthorisation({ party: 'KEN' }),
        ['JP'],
        'article6_party_not_in_approach',
      ],
      ['another Party’s government', japan, authorisation, ['JP'], 'actor_not_authorised'],
      ['no government', manager, authorisation, ['IN'], 'actor_not_authorised'],
      [
        'its Party’s registry is hosted by a peer',
        india,
        authorisation,
        ['JP'],
        'article6_party_hosted_elsewhere',
      ],
      [
        'content: vintages backwards',
        india,
        withAuthorisation({ vintageFirst: 2030, vintageLast: 2026 }),
        ['IN'],
        'article6_vintage_range_invalid',
      ],
      [
        'content: dated after it is recorded',
        india,
        withAuthorisation({ date: '2027-06-02' }),
        ['IN'],
        'article6_authorisation_date_in_future',
      ],
      [
        'a confirmation for a Party hosted by a peer',
        japan,
        confirmation,
        ['IN'],
        'actor_not_authorised',
      ],
      [
        'a confirmation in a registry no approach uses',
        japan,
        { ...confirmation, registry: 'KE' as RegistryId },
        ['JP'],
        'actor_not_authorised',
      ],
    ];
    for (const [what, actor, record, hostedHere, expected] of cases)
      expect([
        what,
        code(decideForward({ actor, record, approaches: [approach], hostedHere, recordedAt })),
      ]).toEqual([what, expected]);
  });

  it('is forwarded when its Party’s government acts on the deployment that hosts that Party', () => {
    const forward = (actor: Actor, record: Article6Record, hostedHere: string[]) =>
      code(decideForward({ actor, record, approaches: [approach], hostedHere, recordedAt }));
    expect(forward(india, authorisation, ['IN'])).toBe('ok');
    expect(forward(japan, confirmation, ['JP'])).toBe('ok');
    // Whether the confirming Party authored the record, and which version exists, only the peer
    // that holds the authorisation knows: that is its ledger's to refuse.
    expect(forward(india, { ...confirmation, registry: JP }, ['IN'])).toBe('ok');
    expect(recordRegistry(authorisation)).toBe('JP');
    expect(recordRegistry(confirmation)).toBe('IN');
  });
});

describe('a record a peer sends', () => {
  it('is applied only when this deployment hosts its registry', () => {
    expect(code(checkRecordHere('in', authorisation, ['JP']))).toBe('ok');
    expect(code(checkRecordHere('in', authorisation, ['IN']))).toBe(
      'record_registry_not_hosted_here',
    );
    expect(code(checkRecordHere('jp', confirmation, ['IN']))).toBe('ok');
    expect(code(checkRecordHere('jp', confirmation, []))).toBe('record_registry_not_hosted_here');
  });
});

describe('a first transfer a peer reports', () => {
  /** Issued into Japan's registry on `jp`: India's first transfer, reported to `in`. */
  const transfer: FirstTransfer = {
    chain: 'JP',
    seq: 12n,
    n: 0,
    party: 'IND',
    date: '2027-03-01',
    approach: 'CA0001',
    authorisation: 'IND-AUTH-1',
    registry: 'JP',
    project: 'IN001',
    vintage: 2027,
    serialFirst: 1n,
    serialLast: 12_000n,
    acquiringParty: 'JPN',
  };
  const registries = partyRegistries([approach]);
  const input = {
    sender: 'jp',
    senderHosts: ['JP'],
    transfer,
    partyRegistry: registries.get('IND'),
    hostedHere: ['IN'],
  };

  it('finds each Party’s own registry in the approaches', () => {
    expect([...registries]).toEqual([
      ['JPN', 'JP'],
      ['IND', 'IN'],
    ]);
  });

  it('is refused for the first rule it breaks, in order', () => {
    const cases: [string, Parameters<typeof checkFirstTransfer>[0], string][] = [
      [
        'the sender does not hold the credits',
        { ...input, senderHosts: ['IN'] },
        'first_transfer_not_from_host',
      ],
      [
        'a Party of no approach',
        { ...input, partyRegistry: undefined },
        'first_transfer_party_not_here',
      ],
      [
        'a Party hosted elsewhere',
        { ...input, hostedHere: ['KE'] },
        'first_transfer_party_not_here',
      ],
      [
        'serials backwards',
        { ...input, transfer: { ...transfer, serialFirst: 12_000n, serialLast: 1n } },
        'message_body_invalid',
      ],
    ];
    for (const [what, args, expected] of cases)
      expect([what, code(checkFirstTransfer(args))]).toEqual([what, expected]);
  });

  it('is recorded by the deployment that hosts the transferring Party', () => {
    expect(code(checkFirstTransfer(input))).toBe('ok');
  });
});
