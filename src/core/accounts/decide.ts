// The decisions of the accounts: a login attempt counted on the stored account (locked while it is
// counted, so that five failures lock it exactly, however many arrive at once), and who may create
// users, reset passwords, disable accounts and hold API tokens. Pure: password and code checks arrive
// as facts, time as an argument.
import { isAdministrator, type Actor } from '../ledger/actor.ts';
import { formatInstant, instantMillis } from '../shared/civil-date.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { failedLoginsMax, lockoutMinutes } from './policy.ts';

export interface StoredUser {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly hasSecondFactor: boolean;
  readonly failedLogins: number;
  /** ISO instant, or null. */
  readonly lockedUntil: string | null;
  readonly disabled: boolean;
}

/** What the password and code checks found (done before the account row is locked). */
export interface Credentials {
  /** The hash the password was checked against: if it changed meanwhile, the check is stale. */
  readonly checkedHash: string;
  readonly passwordOk: boolean;
  readonly codeGiven: boolean;
  readonly codeOk: boolean;
}

export type LoginDecision =
  | { readonly kind: 'session'; readonly userId: string }
  | {
      readonly kind: 'failure';
      readonly userId: string;
      readonly failures: number;
      readonly lockedUntil: string | null;
    }
  | {
      readonly kind: 'refused';
      readonly code: 'login_failed' | 'account_locked' | 'second_factor_required';
    };

/** An instant in milliseconds; a stored instant the pattern does not read counts as long past. */
const instantMs = (iso: string) => instantMillis(iso) ?? 0;

/**
 * One login attempt on the locked account row. A locked account counts nothing more; a wrong
 * password or code counts one failure and locks the account at the fifth in a row.
 */
export function decideLogin(
  user: StoredUser | null,
  credentials: Credentials | null,
  now: string,
): LoginDecision {
  if (user === null || credentials === null || user.disabled)
    return { kind: 'refused', code: 'login_failed' };
  if (user.lockedUntil !== null && instantMs(user.lockedUntil) > instantMs(now))
    return { kind: 'refused', code: 'account_locked' };
  const passwordOk = credentials.passwordOk && credentials.checkedHash === user.passwordHash;
  if (passwordOk && user.hasSecondFactor && !credentials.codeGiven)
    return { kind: 'refused', code: 'second_factor_required' };
  if (passwordOk && (!user.hasSecondFactor || credentials.codeOk))
    return { kind: 'session', userId: user.id };
  const failures = user.failedLogins + 1;
  return {
    kind: 'failure',
    userId: user.id,
    failures,
    lockedUntil:
      failures >= failedLoginsMax ? formatInstant(instantMs(now) + lockoutMinutes * 60_000) : null,
  };
}

export function mustBeAdministrator(actor: Actor, what: string): Result<true> {
  return isAdministrator(actor)
    ? ok(true)
    : reject('actor_not_authorised', `administrators ${what}`);
}

/** Scopes of a new API token: a subset of the user's roles (all of them when none are named). */
export function tokenScopes(
  roles: readonly string[],
  scopes: readonly string[] | null,
): Result<readonly string[]> {
  const granted = scopes ?? roles;
  const beyond = granted.filter((s) => !roles.includes(s));
  return beyond.length > 0
    ? reject('actor_not_authorised', `the user does not hold ${beyond.join(', ')}`)
    : ok(granted);
}
