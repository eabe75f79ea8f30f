// Accounts: users with argon2id password hashes and TOTP second factors, login with lockout and a
// per-address rate limit, sessions (HttpOnly cookie + CSRF token) and API tokens. Secrets are shown
// once and stored only as hashes; there are no default credentials (the first administrator is
// created with `jcm admin create`).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
// argon2id is the library's default algorithm; the users table refuses any other hash.
import { hash, verify } from '@node-rs/argon2';
import * as OTPAuth from 'otpauth';
import {
  failedLoginsMax,
  lockoutMinutes,
  loginAttemptsPerMinuteMax,
  needsSecondFactor,
  passwordProblem,
  sessionHours,
} from '../core/accounts/policy.ts';
import { parseRoles, type Actor } from '../core/ledger/actor.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Db } from '../db/connect.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const token = (bytes: number) => randomBytes(bytes).toString('base64url');

export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly password: string;
  readonly roles: string;
  readonly organisation?: string | undefined;
  /** Enrol a second factor even where the roles do not require one. */
  readonly secondFactor?: boolean | undefined;
}

export interface Session {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly user: { readonly id: string; readonly email: string; readonly roles: readonly string[] };
}

export class Accounts {
  /** Login attempts per client address in the current minute (a limit on everything). */
  private readonly attempts = new Map<string, { minute: number; count: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => string,
  ) {}

  /**
   * Creates a user. Needs an administrator, except for `jcm admin create` run by the operator on the
   * server (actor null). Returns the TOTP secret once when the roles need a second factor.
   */
  async createUser(
    input: NewUser,
    actor: Actor | null,
  ): Promise<Result<{ id: string; totpUri: string | null }>> {
    if (actor !== null && !actor.roles.some((r) => r.kind === 'administrator')) {
      return reject('actor_not_authorised', 'administrators create users');
    }
    const email = input.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(email) || email.length > 200)
      return reject('invalid_request', 'an email address is needed');
    const roles = parseRoles(email, input.roles);
    if (!roles.ok) return roles;
    const weak = passwordProblem(input.password, email);
    if (weak !== null) return reject('password_too_weak', weak);
    if ((await this.userIdOf(email)) !== null)
      return reject('user_already_exists', `a user with ${email} exists`);
    const secondFactor = input.secondFactor === true || needsSecondFactor(roles.value.roles);
    const secret = secondFactor ? new OTPAuth.Secret({ size: 20 }).base32 : null;
    const id = randomUUID();
    const now = this.clock();
    const passwordHash = await hash(input.password);
    await this.db.transaction(async (trx) => {
      await trx
        .insertInto('users')
        .values({
          id,
          email,
          name: input.name,
          organisation_id: input.organisation ?? null,
          password_hash: passwordHash,
          totp_secret: secret,
          failed_logins: 0,
          locked_until: null,
          disabled: false,
          created_at: now,
          password_set_at: now,
        })
        .execute();
      const roleTexts = input.roles
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== '');
      if (roleTexts.length > 0)
        await trx
          .insertInto('user_roles')
          .values(roleTexts.map((role) => ({ user_id: id, role })))
          .execute();
    });
    return ok({ id, totpUri: secret === null ? null : totpOf(email, secret).toString() });
  }

  async login(
    email: string,
    password: string,
    code: string | undefined,
    address: string,
  ): Promise<Result<Session>> {
    const now = this.clock();
    const minute = Math.floor(Date.parse(now) / 60_000);
    const seen = this.attempts.get(address);
    const count = seen?.minute === minute ? seen.count + 1 : 1;
    this.attempts.set(address, { minute, count });
    if (this.attempts.size > 10_000) this.attempts.clear();
    if (count > loginAttemptsPerMinuteMax)
      return reject(
        'login_rate_limited',
        'too many login attempts from this address; wait a minute',
      );
    const user = await this.db.read((k) =>
      k
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email.trim().toLowerCase())
        .executeTakeFirst(),
    );
    // The same answer whether the address is unknown or the password wrong: no user enumeration.
    const failed = reject<Session>(
      'login_failed',
      'the email address, password or code is not right',
    );
    if (user === undefined || user.disabled) {
      await hash(password); // as slow as a real check
      return failed;
    }
    if (user.locked_until !== null && Date.parse(String(user.locked_until)) > Date.parse(now)) {
      return reject(
        'account_locked',
        `too many failed logins; the account is locked for up to ${lockoutMinutes} minutes`,
      );
    }
    const roles = await this.rolesOf(user.id);
    const passwordOk = await verify(user.password_hash, password);
    const secondFactor = user.totp_secret !== null;
    if (passwordOk && secondFactor && (code === undefined || code === '')) {
      return reject('second_factor_required', 'enter the six-digit code of your authenticator app');
    }
    const codeOk =
      !secondFactor ||
      totpOf(user.email, user.totp_secret ?? '').validate({
        token: code ?? '',
        timestamp: Date.parse(now),
        window: 1,
      }) !== null;
    if (!passwordOk || !codeOk) {
      const failures = user.failed_logins + 1;
      await this.db.transaction((trx) =>
        trx
          .updateTable('users')
          .set({
            failed_logins: failures,
            locked_until:
              failures >= failedLoginsMax
                ? new Date(Date.parse(now) + lockoutMinutes * 60_000).toISOString()
                : null,
          })
          .where('id', '=', user.id)
          .execute(),
      );
      return failed;
    }
    const sessionToken = token(32);
    const csrfToken = token(24);
    const expiresAt = new Date(Date.parse(now) + sessionHours * 3_600_000).toISOString();
    await this.db.transaction(async (trx) => {
      await trx
        .updateTable('users')
        .set({ failed_logins: 0, locked_until: null })
        .where('id', '=', user.id)
        .execute();
      await trx
        .insertInto('sessions')
        .values({
          token_hash: sha256(sessionToken),
          user_id: user.id,
          csrf_token: csrfToken,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
    });
    return ok({
      token: sessionToken,
      csrfToken,
      expiresAt,
      user: { id: user.id, email: user.email, roles },
    });
  }

  async logout(sessionToken: string): Promise<void> {
    await this.db.transaction((trx) =>
      trx.deleteFrom('sessions').where('token_hash', '=', sha256(sessionToken)).execute(),
    );
  }

  /** The actor of a live session, and its CSRF token. */
  async sessionActor(sessionToken: string): Promise<{ actor: Actor; csrfToken: string } | null> {
    const row = await this.db.read((k) =>
      k
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'users.id',
          'users.email',
          'users.disabled',
          'sessions.csrf_token',
          'sessions.expires_at',
        ])
        .where('sessions.token_hash', '=', sha256(sessionToken))
        .executeTakeFirst(),
    );
    if (
      row === undefined ||
      row.disabled ||
      Date.parse(String(row.expires_at)) <= Date.parse(this.clock())
    )
      return null;
    const actor = await this.actorOf(row.id, row.email, null);
    return actor === null ? null : { actor, csrfToken: row.csrf_token };
  }

  /** Creates an API token for a user, limited to some of the user's roles. The token is shown once. */
  async createApiToken(
    userId: string,
    name: string,
    scopes: readonly string[] | null,
  ): Promise<Result<{ id: string; token: string }>> {
    const roles = await this.rolesOf(userId);
    const granted = scopes ?? roles;
    const beyond = granted.filter((s) => !roles.includes(s));
    if (beyond.length > 0)
      return reject('actor_not_authorised', `the user does not hold ${beyond.join(', ')}`);
    const id = `tok_${token(9)}`;
    const secret = `jcm_${id}_${token(32)}`;
    await this.db.transaction((trx) =>
      trx
        .insertInto('api_tokens')
        .values({
          id,
          user_id: userId,
          token_hash: sha256(secret),
          name,
          scopes: granted.join(','),
          created_at: this.clock(),
          revoked_at: null,
        })
        .execute(),
    );
    return ok({ id, token: secret });
  }

  async revokeApiToken(
    id: string,
    actor: Actor,
    userId: string | null,
  ): Promise<Result<{ id: string }>> {
    const row = await this.db.read((k) =>
      k
        .selectFrom('api_tokens')
        .select(['user_id', 'revoked_at'])
        .where('id', '=', id)
        .executeTakeFirst(),
    );
    const admin = actor.roles.some((r) => r.kind === 'administrator');
    if (row === undefined || (!admin && row.user_id !== userId))
      return reject('api_token_not_found', `no API token ${id} of yours`);
    await this.db.transaction((trx) =>
      trx
        .updateTable('api_tokens')
        .set({ revoked_at: this.clock() })
        .where('id', '=', id)
        .execute(),
    );
    return ok({ id });
  }

  /** The actor of an API token: the token's scopes, as far as its user still holds them. */
  async tokenActor(secret: string): Promise<Actor | null> {
    const row = await this.db.read((k) =>
      k
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select([
          'users.id',
          'users.email',
          'users.disabled',
          'api_tokens.scopes',
          'api_tokens.revoked_at',
          'api_tokens.token_hash',
        ])
        .where('api_tokens.token_hash', '=', sha256(secret))
        .executeTakeFirst(),
    );
    if (row === undefined || row.disabled || row.revoked_at !== null) return null;
    return this.actorOf(
      row.id,
      row.email,
      row.scopes.split(',').filter((s) => s !== ''),
    );
  }

  /** An administrator sets a new password (the user changes it after logging in). */
  async resetPassword(
    email: string,
    password: string,
    actor: Actor | null,
  ): Promise<Result<{ email: string }>> {
    if (actor !== null && !actor.roles.some((r) => r.kind === 'administrator'))
      return reject('actor_not_authorised', 'administrators reset passwords');
    const normalised = email.trim().toLowerCase();
    const weak = passwordProblem(password, normalised);
    if (weak !== null) return reject('password_too_weak', weak);
    const user = await this.userIdOf(normalised);
    if (user === null) return reject('user_not_found', `no user ${normalised}`);
    const passwordHash = await hash(password);
    await this.db.transaction(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          password_hash: passwordHash,
          password_set_at: this.clock(),
          failed_logins: 0,
          locked_until: null,
        })
        .where('id', '=', user)
        .execute();
      await trx.deleteFrom('sessions').where('user_id', '=', user).execute();
    });
    return ok({ email: normalised });
  }

  /** Every user with roles, second factor and lock state (never a hash or a secret). */
  async listUsers() {
    const [users, roles] = await this.db.read((k) =>
      Promise.all([
        k
          .selectFrom('users')
          .select(['id', 'email', 'name', 'organisation_id', 'disabled', 'locked_until'])
          .select((e) => e('totp_secret', 'is not', null).as('second_factor'))
          .orderBy('email')
          .execute(),
        k.selectFrom('user_roles').selectAll().orderBy('role').execute(),
      ]),
    );
    return users.map((u) => ({
      ...u,
      roles: roles.filter((r) => r.user_id === u.id).map((r) => r.role),
    }));
  }

  /** An administrator disables (ending every session) or enables a user. */
  async setDisabled(
    email: string,
    disabled: boolean,
    actor: Actor,
  ): Promise<Result<{ email: string }>> {
    if (!actor.roles.some((r) => r.kind === 'administrator'))
      return reject('actor_not_authorised', 'administrators disable and enable users');
    const normalised = email.trim().toLowerCase();
    if (disabled && normalised === actor.id)
      return reject('invalid_request', 'administrators do not disable themselves');
    const user = await this.userIdOf(normalised);
    if (user === null) return reject('user_not_found', `no user ${normalised}`);
    await this.db.transaction(async (trx) => {
      await trx.updateTable('users').set({ disabled }).where('id', '=', user).execute();
      if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', user).execute();
    });
    return ok({ email: normalised });
  }

  async userIdOf(email: string): Promise<string | null> {
    const row = await this.db.read((k) =>
      k.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(),
    );
    return row?.id ?? null;
  }

  /** A user's API tokens (names, scopes, dates; never the secret). */
  listApiTokens(userId: string) {
    return this.db.read((k) =>
      k
        .selectFrom('api_tokens')
        .select(['id', 'name', 'scopes', 'created_at', 'revoked_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute(),
    );
  }

  private async rolesOf(userId: string): Promise<string[]> {
    const rows = await this.db.read((k) =>
      k
        .selectFrom('user_roles')
        .select('role')
        .where('user_id', '=', userId)
        .orderBy('role')
        .execute(),
    );
    return rows.map((r) => r.role);
  }

  private async actorOf(
    userId: string,
    email: string,
    scopes: readonly string[] | null,
  ): Promise<Actor | null> {
    const roles = (await this.rolesOf(userId)).filter((r) => scopes === null || scopes.includes(r));
    const parsed = parseRoles(email, roles.join(','));
    return parsed.ok ? parsed.value : null;
  }
}

function totpOf(email: string, secret: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: 'JCM platform',
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

/** The current TOTP code of a secret (for tests and the CLI's enrolment check). */
export function totpCode(email: string, secretOrUri: string, timestamp: number): string {
  const secret = secretOrUri.startsWith('otpauth://')
    ? (new URL(secretOrUri).searchParams.get('secret') ?? '')
    : secretOrUri;
  return totpOf(email, secret).generate({ timestamp });
}
