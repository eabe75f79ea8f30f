// A login attempt decided on the locked account row: one row per case. Every refusal is alike for the
// client; what differs is whether it is counted (and locks at the fifth) and which TOTP step a
// session spends.
import { describe, expect, it } from 'vitest';
import {
  decideLogin,
  type Credentials,
  type StoredUser,
} from '../../../src/core/accounts/decide.ts';

const now = '2028-04-01T09:00:00.000Z';
const user: StoredUser = {
  id: 'user-000001',
  email: 'a@example.org',
  passwordHash: '$argon2id$h1',
  hasSecondFactor: true,
  failedLogins: 0,
  lockedUntil: null,
  disabled: false,
  totpStep: 100,
};
const right: Credentials = { checkedHash: '$argon2id$h1', passwordOk: true, codeStep: 101 };
const failure = (failures: number, lockedUntil: string | null = null) => ({
  kind: 'failure',
  userId: 'user-000001',
  failures,
  lockedUntil,
});

describe('decideLogin', () => {
  it.each<[string, StoredUser | null, Credentials | null, unknown]>([
    ['an unknown user: refused, nothing to count', null, null, { kind: 'refused' }],
    ['a disabled user: refused', { ...user, disabled: true }, right, { kind: 'refused' }],
    [
      'a locked account: refused, not counted (the lock ends when it says)',
      { ...user, failedLogins: 5, lockedUntil: '2028-04-01T09:10:00.000Z' },
      right,
      { kind: 'refused' },
    ],
    ['a wrong password: counted', user, { ...right, passwordOk: false }, failure(1)],
    [
      'a password checked against a hash since changed: counted',
      user,
      { ...right, checkedHash: '$argon2id$h0' },
      failure(1),
    ],
    [
      'the right password without a code (or a wrong one): counted',
      user,
      { ...right, codeStep: null },
      failure(1),
    ],
    ['a code of the step already spent: counted', user, { ...right, codeStep: 100 }, failure(1)],
    ['a code of an earlier step: counted', user, { ...right, codeStep: 99 }, failure(1)],
    [
      'the fifth failure in a row locks for 15 minutes',
      { ...user, failedLogins: 4 },
      { ...right, codeStep: null },
      failure(5, '2028-04-01T09:15:00.000Z'),
    ],
    [
      'a later step: a session that spends it',
      user,
      right,
      { kind: 'session', userId: 'user-000001', totpStep: 101 },
    ],
    [
      'a first code: a session',
      { ...user, totpStep: null },
      right,
      { kind: 'session', userId: 'user-000001', totpStep: 101 },
    ],
    [
      'no second factor: the password alone, no step spent',
      { ...user, hasSecondFactor: false, totpStep: null },
      { ...right, codeStep: null },
      { kind: 'session', userId: 'user-000001', totpStep: null },
    ],
    [
      'an expired lock: decided as any attempt',
      { ...user, failedLogins: 5, lockedUntil: '2028-04-01T08:59:00.000Z' },
      right,
      { kind: 'session', userId: 'user-000001', totpStep: 101 },
    ],
  ])('%s', (_case, stored, credentials, expected) => {
    expect(decideLogin(stored, credentials, now)).toEqual(expected);
  });
});
