// Accounts on the one pipeline: users with argon2id password hashes and TOTP second factors, login
// attempts counted on the locked account row (lockout exact under concurrency, one session per TOTP
// code, every refusal answered alike) with a per-address rate limit (the edge finds the address:
// src/http/client-address.ts), sessions (HttpOnly cookie + CSRF token) and API tokens. Secrets are
// shown once and stored only as hashes; a replayed or dry-run answer withholds them. There are no
// default credentials (the first administrator is created with `jcm admin create`).
import { randomBytes } from 'node:crypto';
// argon2id is the library's default algorithm; the users table refuses any other hash.
import { hash, verify } from '@node-rs/argon2';
import { decideLogin, type Credentials, type LoginDecision } from '../core/accounts/decide.ts';
import { loginAttemptsPerMinuteMax, sessionHours } from '../core/accounts/policy.ts';
import { parseRoles, type Actor } from '../core/ledger/actor.ts';
import { formatInstant, instantMillis } from '../core/shared/civil-date.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import {
  AccountQueries,
  countLoginFailure,
  endSession,
  lockUser,
  rolesOf,
  startSession,
  userForLogin,
} from '../db/account-store.ts';
import type { Db } from '../db/connect.ts';
import { sha256Hex } from '../db/sha256.ts';
import {
  passwordReset,
  tokenCreation,
  tokenIssue,
  tokenRevocation,
  userCreation,
  userStatus,
  userRoles,
} from './account-families.ts';
import { totpStep } from './totp.ts';
import type { WriteEnvelope, WriteFamily, WritePipeline, Outcome } from './write-pipeline.ts';

const token = (bytes: number) => randomBytes(bytes).toString('base64url');
const anonymous: Actor = { id: 'anonymous', roles: [] };
/** Client addresses the login rate limit remembers at once. */
const loginAddressesTrackedMax = 10_000;

export interface Session {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly user: { readonly id: string; readonly email: string; readonly roles: readonly string[] };
}

interface LoginInput {
  readonly email: string;
  readonly credentials: Credentials | null;
}

type LoginAnswer =
  { readonly kind: 'session'; readonly session: Session } | { readonly kind: 'refused' };

/**
 * A hash of no one's password, for an unknown address to be checked against: the answer then takes
 * as long as a real check (argon2 with the same parameters), so its time does not tell who exists.
 */
let dummyHash: Promise<string> | undefined;
const dummyHashOnce = () => (dummyHash ??= hash(token(24)));

export class Accounts {
  /** Login attempts per client address in the current minute (a limit on everything). */
  private readonly attempts = new Map<string, { minute: number; count: number }>();
  private readonly queries: AccountQueries;
  private readonly login$: WriteFamily<
    LoginInput,
    Awaited<ReturnType<typeof lockUser>>,
    LoginDecision,
    LoginAnswer
  >;
  private readonly logout$: WriteFamily<string, null, string, { loggedOut: boolean }>;

  constructor(
    private readonly db: Db,
    private readonly pipeline: WritePipeline,
    private readonly clock: () => string,
  ) {
    this.queries = new AccountQueries(db);
    this.login$ = {
      name: 'session',
      keyRequired: false,
      parse: async (input) =>
        ok(
          await this.checkCredentials(input as { email: string; password: string; code?: string }),
        ),
      load: (tx, input) => lockUser(tx, { email: input.email }),
      decide: (user, input, _actor, ctx) => ok(decideLogin(user, input.credentials, ctx.now)),
      persist: async (tx, decision, input, _actor, ctx) => {
        if (decision.kind === 'failure')
          await countLoginFailure(tx, decision.userId, decision.failures, decision.lockedUntil);
        // Every refusal answers alike (unknown, disabled, locked, wrong password or code).
        if (decision.kind !== 'session') return ok({ answer: { kind: 'refused' }, outbox: [] });
        const session: Session = {
          token: token(32),
          csrfToken: token(24),
          expiresAt: formatInstant((instantMillis(ctx.now) ?? 0) + sessionHours * 3_600_000),
          user: {
            id: decision.userId,
            email: input.email,
            roles: await rolesOf(tx, decision.userId),
          },
        };
        await startSession(tx, {
          userId: decision.userId,
          totpStep: decision.totpStep,
          tokenHash: sha256Hex(session.token),
          csrfToken: session.csrfToken,
          at: ctx.now,
          expiresAt: session.expiresAt,
        });
        return ok({ answer: { kind: 'session', session }, outbox: [] });
      },
    };
    this.logout$ = {
      name: 'session_end',
      keyRequired: false,
      parse: async (input) => ok(sha256Hex(String(input))),
      load: async () => null,
      decide: (_state, tokenHash) => ok(tokenHash),
      persist: async (tx, tokenHash) =>
        ok({ answer: { loggedOut: await endSession(tx, tokenHash) }, outbox: [] }),
    };
  }

  /** Creates a user (administrators; the operator's `jcm admin create` acts as one). */
  createUser(envelope: WriteEnvelope): Promise<Outcome<{ id: string; totpUri: string | null }>> {
    return this.pipeline.run(userCreation, envelope);
  }

  /** An administrator sets a new password (ending the user's sessions, revoking its API tokens). */
  resetPassword(envelope: WriteEnvelope): Promise<Outcome<{ email: string }>> {
    return this.pipeline.run(passwordReset, envelope);
  }

  /** An administrator gives a user roles and takes roles away. */
  changeRoles(
    envelope: WriteEnvelope,
  ): Promise<Outcome<{ email: string; roles: readonly string[] }>> {
    return this.pipeline.run(userRoles, envelope);
  }

  /** An administrator disables (ending every session) or enables a user. */
  setDisabled(envelope: WriteEnvelope): Promise<Outcome<{ email: string }>> {
    return this.pipeline.run(userStatus, envelope);
  }

  /** Creates an API token for the actor's user, limited to some of its roles; shown once. */
  createApiToken(envelope: WriteEnvelope): Promise<Outcome<{ id: string; token: string | null }>> {
    return this.pipeline.run(tokenCreation, envelope);
  }

  /** The operator's console issues a token for a user (`input: {email, name, scopes?}`); shown once. */
  issueApiToken(envelope: WriteEnvelope): Promise<Outcome<{ id: string; token: string | null }>> {
    return this.pipeline.run(tokenIssue, envelope);
  }

  /** Revokes an API token: the actor's own (administrators: any). */
  revokeApiToken(envelope: WriteEnvelope): Promise<Outcome<{ id: string }>> {
    return this.pipeline.run(tokenRevocation, envelope);
  }

  async login(
    email: string,
    password: string,
    code: string | undefined,
    address: string,
  ): Promise<Result<Session>> {
    const now = this.clock();
    if (!this.withinRateLimit(address, now))
      return reject(
        'login_rate_limited',
        'too many login attempts from this address; wait a minute',
      );
    const done = await this.pipeline.run(this.login$, {
      actor: anonymous,
      input: { email, password, code, now },
    });
    if (!done.ok) return done;
    if (done.value.kind === 'session') return ok(done.value.session);
    // The same answer whatever failed, the lock included: it does not tell who exists, whose
    // password is right or which account is locked.
    return reject(
      'login_failed',
      'the email address, password or authenticator code is not right, or the account is locked for a while',
    );
  }

  async logout(sessionToken: string): Promise<void> {
    await this.pipeline.run(this.logout$, { actor: anonymous, input: sessionToken });
  }

  /** The actor of a live session, and its CSRF token. */
  async sessionActor(sessionToken: string): Promise<{ actor: Actor; csrfToken: string } | null> {
    const row = await this.queries.session(sha256Hex(sessionToken));
    if (row === null || row.disabled) return null;
    if ((instantMillis(row.expires_at) ?? 0) <= (instantMillis(this.clock()) ?? 0)) return null;
    const actor = await this.actorOf(row.id, row.email, null);
    return actor === null ? null : { actor, csrfToken: row.csrf_token };
  }

  /** The actor of an API token: the token's scopes, as far as its user still holds them. */
  async tokenActor(secret: string): Promise<Actor | null> {
    const row = await this.queries.token(sha256Hex(secret));
    if (row === undefined || row.disabled || row.revoked_at !== null) return null;
    return this.actorOf(
      row.id,
      row.email,
      row.scopes.split(',').filter((s) => s !== ''),
    );
  }

  listUsers() {
    return this.queries.users();
  }

  userIdOf(email: string): Promise<string | null> {
    return this.queries.userIdOf(email);
  }

  listApiTokens(userId: string) {
    return this.queries.apiTokens(userId);
  }

  private withinRateLimit(address: string, now: string): boolean {
    const minute = Math.floor((instantMillis(now) ?? 0) / 60_000);
    const seen = this.attempts.get(address);
    const count = seen?.minute === minute ? seen.count + 1 : 1;
    this.attempts.set(address, { minute, count });
    // A limit on the map too: past minutes go first, so a flood of addresses resets no one's count
    // of this minute until it has filled the map with live ones.
    if (this.attempts.size > loginAddressesTrackedMax) {
      for (const [key, value] of this.attempts)
        if (value.minute !== minute) this.attempts.delete(key);
      if (this.attempts.size > loginAddressesTrackedMax) this.attempts.clear();
    }
    return count <= loginAttemptsPerMinuteMax;
  }

  /**
   * The password and code checked before the account row is locked (argon2 is slow on purpose).
   * An unknown address is checked against a dummy hash: it costs as much as a real check. The code's
   * time step is found here; whether it is spent is decided on the locked row.
   */
  private async checkCredentials(input: {
    email: string;
    password: string;
    code?: string;
  }): Promise<LoginInput> {
    const email = String(input.email ?? '')
      .trim()
      .toLowerCase();
    const password = String(input.password ?? '');
    const code = input.code ?? '';
    const found = await userForLogin(this.db, email);
    if (found === null) {
      await verify(await dummyHashOnce(), password).catch(() => false);
      return { email, credentials: null };
    }
    const passwordOk = await verify(found.user.passwordHash, password).catch(() => false);
    return {
      email,
      credentials: {
        checkedHash: found.user.passwordHash,
        passwordOk,
        codeStep:
          found.totpSecret === null
            ? null
            : totpStep(email, found.totpSecret, code, instantMillis(this.clock()) ?? 0),
      },
    };
  }

  private async actorOf(
    userId: string,
    email: string,
    scopes: readonly string[] | null,
  ): Promise<Actor | null> {
    const roles = (await this.queries.roles(userId)).filter(
      (r) => scopes === null || scopes.includes(r),
    );
    const parsed = parseRoles(email, roles.join(','));
    return parsed.ok ? parsed.value : null;
  }
}

export { totpCode } from './totp.ts';
