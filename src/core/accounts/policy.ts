// The account rules: who needs a second factor, how strong a password must be, when an account
// locks, how long a session lives. Pure: the services apply them.
import type { Role } from '../ledger/actor.ts';

/** Roles whose users must log in with a TOTP second factor (SPEC section 13). */
const secondFactorRoles: ReadonlySet<Role['kind']> = new Set([
  'administrator',
  'government_japan',
  'government_partner',
  'joint_committee',
  'secretariat',
  'registry_manager',
]);

export function needsSecondFactor(roles: readonly Role[]): boolean {
  return roles.some((role) => secondFactorRoles.has(role.kind));
}

export const passwordLengthMin = 12;
export const passwordLengthMax = 256;
/** Failed logins in a row that lock an account. */
export const failedLoginsMax = 5;
export const lockoutMinutes = 15;
export const sessionHours = 8;
/** Login attempts per client address per minute, whatever the account. */
export const loginAttemptsPerMinuteMax = 20;

export function passwordProblem(password: string, email: string): string | null {
  if (password.length < passwordLengthMin)
    return `a password has at least ${passwordLengthMin} characters`;
  if (password.length > passwordLengthMax)
    return `a password has at most ${passwordLengthMax} characters`;
  if (password.toLowerCase().includes(email.split('@')[0]?.toLowerCase() ?? '\u0000'))
    return 'a password may not contain the name of its email address';
  if (new Set(password).size < 5) return 'a password needs more different characters';
  return null;
}
