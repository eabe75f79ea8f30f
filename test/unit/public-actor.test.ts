// The public name of an actor: a user's role that fits the place of the act, with their
// organisation; for an actor who is no user, what the place says; never the id itself.
import { describe, expect, it } from 'vitest';
import { publicActorName } from '../../src/core/ledger/public-actor.ts';

const registryJp = { roles: ['registry_manager' as const], scope: 'JP' };
const pdd = { roles: ['project_participant' as const], scope: 'IN' };

describe('the public name of an actor', () => {
  it.each([
    [
      'a manager of two registries, in one',
      'mika@example.org',
      { roles: ['registry_manager:IN', 'registry_manager:JP'], organisation: null },
      registryJp,
      'registry manager, registry JP',
    ],
    [
      'a participant, by organisation',
      'raj@example.org',
      { roles: ['project_participant:example-solar-in'], organisation: 'Example Solar Pvt Ltd' },
      pdd,
      'project participant, Example Solar Pvt Ltd',
    ],
    [
      'an administrator acting in a registry',
      'root@example.org',
      { roles: ['administrator'], organisation: null },
      registryJp,
      'platform administrator',
    ],
    [
      'a user whose roles do not fit, by organisation',
      'kei@example.org',
      { roles: ['secretariat:IN'], organisation: 'JCM Secretariat of India' },
      registryJp,
      'JCM Secretariat of India',
    ],
    [
      'an actor who is no user',
      'demo-registry-jp',
      undefined,
      registryJp,
      'registry manager, registry JP',
    ],
    [
      // The cycle's scope is the partnership: the registry it confirms for is not "registry IN".
      'a registry manager who is no user, confirming an issuance in the cycle',
      'demo-registry-jp',
      undefined,
      { roles: ['registry_manager' as const], scope: 'IN', scopeIsPartnership: true },
      'registry manager',
    ],
    ['the operator on the server', 'cli:operator', undefined, registryJp, 'platform operator'],
    [
      'a Joint Committee member who is no user',
      'jc@example.org',
      undefined,
      { roles: ['joint_committee' as const], scope: 'IN' },
      'Joint Committee, Japan-IN',
    ],
  ])('names %s', (_what, id, facts, context, expected) => {
    const name = publicActorName(id, facts, context);
    expect(name).toBe(expected);
    expect(name).not.toContain(id);
  });
});
