// The accounts' rows: users with their roles, sessions and API tokens. Reads for the request path
// (the actor of a session or token) and the writes of the account families, each in the pipeline's
// transaction with the user's row locked where a decision depends on it.
import type { StoredUser } from '../core/accounts/decide.ts';
import { assert } from '../core/shared/assert.ts';
import { isoInstant } from './columns.ts';
import type { Db, Tx } from './connect.ts';

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  totp_secret: string | null;
  failed_logins: number;
  locked_until: unknown;
  disabled: boolean;
  totp_step: number | null;
}

const userColumns = [
  'id',
  'email',
  'password_hash',
  'totp_secret',
  'failed_logins',
  'locked_until',
  'disabled',
  'totp_step',
] as const;

function storedUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    hasSecondFactor: row.totp_secret !== null,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until === null ? null : isoInstant(row.locked_until),
    disabled: row.disabled,
    totpStep: row.totp_step,
  };
}

/** A user with its second-factor secret, read before the password is checked (no lock). */
export function userForLogin(db: Db, email: string) {
  return db
    .read((k) =>
      k
        .selectFrom('users')
        .select([...userColumns])
        .where('email', '=', email)
        .executeTakeFirst(),
    )
    .then((row) =>
      row === undefined ? null : { user: storedUser(row), totpSecret: row.totp_secret },
    );
}

/** The user's row, locked for the rest of the transaction. */
export async function lockUser(
  tx: Tx,
  by: { email: string } | { id: string },
): Promise<StoredUser | null> {
  let query = tx.selectFrom('users').select([...userColumns]);
  query = 'email' in by ? query.where('email', '=', by.email) : query.where('id', '=', by.id);
  const row = await query.forUpdate().executeTakeFirst();
  return row === undefined ? null : storedUser(row);
}

export async function countLoginFailure(
  tx: Tx,
  userId: string,
  failures: number,
  lockedUntil: string | null,
): Promise<void> {
  await tx
    .updateTable('users')
    .set({ failed_logins: failures, locked_until: lockedUntil })
    .where('id', '=', userId)
    .execute();
}

/**
 * A session starts: the failures are forgotten and the TOTP code's step, if any, is spent. The step
 * only moves forward, in the database too: a code already spent updates no row.
 */
export async function startSession(
  tx: Tx,
  session: {
    userId: string;
    totpStep: number | null;
    tokenHash: string;
    csrfToken: string;
    at: string;
    expiresAt: string;
  },
): Promise<void> {
  const step = session.totpStep;
  const updated = await tx
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null, ...(step === null ? {} : { totp_step: step }) })
    .where('id', '=', session.userId)
    .where((e) =>
      step === null ? e.lit(true) : e.or([e('totp_step', 'is', null), e('totp_step', '<', step)]),
    )
    .returning('id')
    .executeTakeFirst();
  assert(updated !== undefined, `the TOTP step of ${session.userId} was spent under its lock`);
  await tx
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: session.at,
      expires_at: session.expiresAt,
    })
    .execute();
}

export async function endSession(tx: Tx, tokenHash: string): Promise<boolean> {
  const rows = await tx.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  return rows.some((r) => Number(r.numDeletedRows) > 0);
}

export async function organisationKnown(tx: Tx, id: string): Promise<boolean> {
  const row = await tx
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertUser(
  tx: Tx,
  user: {
    id: string;
    email: string;
    name: string;
    organisation: string | null;
    passwordHash: string;
    totpSecret: string | null;
    roles: readonly string[];
    at: string;
  },
): Promise<boolean> {
  const inserted = await tx
    .insertInto('users')
    .values({
      id: user.id,
      email: user.email,
      name: user.name,
      organisation_id: user.organisation,
      password_hash: user.passwordHash,
      totp_secret: user.totpSecret,
      failed_logins: 0,
      locked_until: null,
      disabled: false,
      created_at: user.at,
      password_set_at: user.at,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted === undefined) return false;
  if (user.roles.length > 0)
    await tx
      .insertInto('user_roles')
      .values([...new Set(user.roles)].map((role) => ({ user_id: user.id, role })))
      .execute();
  return true;
}

/** A new password; the user's sessions end and its API tokens are revoked, in the same transaction. */
export async function setPassword(
  tx: Tx,
  userId: string,
  passwordHash: string,
  at: string,
): Promise<void> {
  await tx
    .updateTable('users')
    .set({ password_hash: passwordHash, password_set_at: at, failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .execute();
  await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  // Whoever knew the old password may have made tokens with it: they end with the sessions.
  await tx
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function setDisabled(tx: Tx, userId: string, disabled: boolean): Promise<void> {
  await tx.updateTable('users').set({ disabled }).where('id', '=', userId).execute();
  if (disabled) await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Gives a user roles and takes roles away (the roles added are not held, those removed are). */
export async function changeRoles(
  tx: Tx,
  userId: string,
  add: readonly string[],
  remove: readonly string[],
): Promise<void> {
  if (add.length > 0)
    await tx
      .insertInto('user_roles')
      .values(add.map((role) => ({ user_id: userId, role })))
      .execute();
  if (remove.length > 0)
    await tx
      .deleteFrom('user_roles')
      .where('user_id', '=', userId)
      .where('role', 'in', [...remove])
      .execute();
}

export async function rolesOf(k: Pick<Tx, 'selectFrom'>, userId: string): Promise<string[]> {
  const rows = await k
    .selectFrom('user_roles')
    .select('role')
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role);
}

export async function lockApiToken(tx: Tx, id: string) {
  return tx
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'revoked_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertApiToken(
  tx: Tx,
  token: {
    id: string;
    userId: string;
    tokenHash: string;
    name: string;
    scopes: readonly string[];
    at: string;
  },
): Promise<void> {
  await tx
    .insertInto('api_tokens')
    .values({
      id: token.id,
      user_id: token.userId,
      token_hash: token.tokenHash,
      name: token.name,
      scopes: token.scopes.join(','),
      created_at: token.at,
      revoked_at: null,
    })
    .execute();
}

export async function revokeApiToken(tx: Tx, id: string, at: string): Promise<void> {
  await tx
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The reads of the request path and the back office's lists. */
export class AccountQueries {
  constructor(private readonly db: Db) {}

  /** The user and CSRF token of a live session, by the hash of its cookie. */
  session(tokenHash: string) {
    return this.db
      .read((k) =>
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
          .where('sessions.token_hash', '=', tokenHash)
          .executeTakeFirst(),
      )
      .then((row) =>
        row === undefined ? null : { ...row, expires_at: isoInstant(row.expires_at) },
      );
  }

  /** The user and scopes of an API token, by the hash of its secret. */
  token(tokenHash: string) {
    return this.db.read((k) =>
      k
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select([
          'users.id',
          'users.email',
          'users.disabled',
          'api_tokens.scopes',
          'api_tokens.revoked_at',
        ])
        .where('api_tokens.token_hash', '=', tokenHash)
        .executeTakeFirst(),
    );
  }

  roles(userId: string) {
    return this.db.read((k) => rolesOf(k, userId));
  }

  async userIdOf(email: string): Promise<string | null> {
    const row = await this.db.read((k) =>
      k.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(),
    );
    return row?.id ?? null;
  }

  /** Every user with roles, second factor and lock state (never a hash or a secret). */
  async users() {
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

  /** A user's API tokens (names, scopes, dates; never the secret). */
  apiTokens(userId: string) {
    return this.db.read((k) =>
      k
        .selectFrom('api_tokens')
        .select(['id', 'name', 'scopes', 'created_at', 'revoked_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute(),
    );
  }
}
