// The decisions of the accounts: a login attempt counted on the stored account (locked while it is
// counted, so that five failures lock it exactly, however many arrive at once, and a TOTP code opens
// one session only), and who may create users, reset passwords, disable accounts and hold API tokens.
// Pure: password and code checks arrive as facts, time as an argument.
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
  /** The TOTP time step of the last code accepted, or null: a code of that step or an older one is spent. */
  readonly totpStep: number | null;
}

/** What the password and code checks found (done before the account row is locked). */
export interface Credentials {
  /** The hash the password was checked against: if it changed meanwhile, the check is stale. */
  readonly checkedHash: string;
  readonly passwordOk: boolean;
  /** The time step of the code the user's secret accepts; null: no code, or a wrong one. */
  readonly codeStep: number | null;
}

export type LoginDecision =
  | { readonly kind: 'session'; readonly userId: string; readonly totpStep: number | null }
  | {
      readonly kind: 'failure';
      readonly userId: string;
      readonly failures: number;
      readonly lockedUntil: string | null;
    }
  | { readonly kind: 'refused' };

/** An instant in milliseconds; a stored instant the pattern does not read counts as long past. */
const instantMs = (iso: string) => instantMillis(iso) ?? 0;

/**
 * One login attempt on the locked account row. Every refusal looks alike to the client (the caller
 * answers `login_failed` whatever the kind): an unknown or disabled user, a locked account (which
 * counts nothing more, so the lockout ends when it says), and every failure on a live account, each
 * counted, the right password with a missing, wrong or spent code included. A code is spent once its
 * time step is accepted: only a later step opens another session.
 */
export function decideLogin(
  user: StoredUser | null,
  credentials: Credentials | null,
  now: string,
): LoginDecision {
  if (user === null || credentials === null || user.disabled) return { kind: 'refused' };
  if (user.lockedUntil !== null && instantMs(user.lockedUntil) > instantMs(now))
    return { kind: 'refused' };
  const passwordOk = credentials.passwordOk && credentials.checkedHash === user.passwordHash;
  const step = credentials.codeStep;
  const codeOk =
    !user.hasSecondFactor || (step !== null && (user.totpStep === null || step > user.totpStep));
  if (passwordOk && codeOk)
    return { kind: 'session', userId: user.id, totpStep: user.hasSecondFactor ? step : null };
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

const six = (n: number) => String(n).padStart(6, '0');

/** A user is numbered `user-000001`, an API token `tok_000001`, by counters the store locks. */
export const userIdOf = (n: number) => `user-${six(n)}`;
export const tokenIdOf = (n: number) => `tok_${six(n)}`;

export interface NewUserState {
  readonly exists: boolean;
  readonly organisationKnown: boolean;
  readonly counter: number;
}

/** Administrators (the operator's console acts as one) add users; an email address is used once. */
export function decideUserCreation(
  state: NewUserState,
  user: { readonly email: string; readonly organisation: string | null },
  actor: Actor,
): Result<{ id: string; number: number }> {
  const admin = mustBeAdministrator(actor, 'create users');
  if (!admin.ok) return admin;
  if (state.exists) return reject('user_already_exists', `a user with ${user.email} exists`);
  if (!state.organisationKnown)
    return reject('organisation_not_found', `no organisation ${user.organisation ?? ''}`);
  return ok({ id: userIdOf(state.counter + 1), number: state.counter + 1 });
}

/** Administrators reset passwords and disable or enable users, never disabling themselves. */
export function decideUserChange(
  user: StoredUser | null,
  change: { readonly email: string; readonly disabled?: boolean },
  actor: Actor,
): Result<string> {
  const admin = mustBeAdministrator(
    actor,
    change.disabled === undefined ? 'reset passwords' : 'disable and enable users',
  );
  if (!admin.ok) return admin;
  if (change.disabled === true && change.email === actor.id)
    return reject('invalid_request', 'administrators do not disable themselves');
  return user === null ? reject('user_not_found', `no user ${change.email}`) : ok(user.id);
}

export interface TokenState {
  readonly userId: string | null;
  /** The roles the user holds. */
  readonly userRoles: readonly string[];
  readonly counter: number;
}

/**
 * A new API token's scopes: some of the roles its user holds and, when the user asks for it with a
 * token or a session, some of the roles that credential carries (a narrow token mints no wider one).
 * `acting` is null for the operator's console on the server, which issues tokens for a user.
 */
export function decideTokenCreation(
  state: TokenState,
  requested: readonly string[] | null,
  acting: readonly string[] | null,
): Result<{ userId: string; id: string; number: number; scopes: readonly string[] }> {
  if (state.userId === null)
    return reject('actor_not_authorised', 'API tokens belong to users; log in first');
  const holds = state.userRoles.filter((r) => acting === null || acting.includes(r));
  const granted = requested ?? holds;
  const beyond = granted.filter((s) => !holds.includes(s));
  if (beyond.length > 0)
    return reject('actor_not_authorised', `the token may not carry ${beyond.join(', ')}`);
  return ok({
    userId: state.userId,
    id: tokenIdOf(state.counter + 1),
    number: state.counter + 1,
    scopes: granted,
  });
}

/** A user revokes their own tokens; administrators any. */
export function decideTokenRevocation(
  token: { readonly userId: string } | null,
  id: string,
  actorUserId: string | null,
  actor: Actor,
): Result<string> {
  return token === null || (!isAdministrator(actor) && token.userId !== actorUserId)
    ? reject('api_token_not_found', `no API token ${id} of yours`)
    : ok(id);
}

/** What a role change leaves: the roles to add and to remove, each held or not held today. */
export interface RoleChange {
  readonly userId: string;
  readonly add: readonly string[];
  readonly remove: readonly string[];
  /** The roles the user holds afterwards. */
  readonly roles: readonly string[];
}

/**
 * An administrator gives a user roles and takes roles away. A role that needs a second factor goes
 * only to a user enrolled in one; an administrator keeps their own administrator role.
 */
export function decideRoleChange(
  user: { readonly stored: StoredUser; readonly roles: readonly string[] } | null,
  change: {
    readonly email: string;
    readonly add: readonly string[];
    readonly remove: readonly string[];
    readonly addNeedsSecondFactor: boolean;
  },
  actor: Actor,
): Result<RoleChange> {
  const admin = mustBeAdministrator(actor, 'change roles');
  if (!admin.ok) return admin;
  if (user === null) return reject('user_not_found', `no user ${change.email}`);
  if (change.add.some((r) => change.remove.includes(r)))
    return reject('invalid_request', 'a role is both added and removed');
  if (change.email === actor.id && change.remove.includes('administrator'))
    return reject('invalid_request', 'administrators do not remove their own administrator role');
  if (change.addNeedsSecondFactor && !user.stored.hasSecondFactor)
    return reject(
      'invalid_request',
      `${change.email} has no second factor, which these roles need: create the user again with --totp`,
    );
  const add = change.add.filter((r) => !user.roles.includes(r));
  const remove = change.remove.filter((r) => user.roles.includes(r));
  const roles = [...user.roles.filter((r) => !remove.includes(r)), ...add].sort();
  return ok({ userId: user.stored.id, add, remove, roles });
}
