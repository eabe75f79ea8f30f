// The account writes as families of the one pipeline: creating users, resetting passwords, disabling
// and enabling users, creating (and, on the operator's console, issuing) and revoking API tokens.
// Each loads the user (or token) row under lock and decides in the core (core/accounts/decide.ts);
// passwords are hashed at the edge and left out of the request that idempotency keys compare, and
// secrets shown once are withheld from kept and dry-run answers.
import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { z } from 'zod';
import {
  decideTokenCreation,
  decideTokenRevocation,
  decideUserChange,
  decideRoleChange,
  decideUserCreation,
  type NewUserState,
  type RoleChange,
  type TokenState,
} from '../core/accounts/decide.ts';
import { needsSecondFactor, passwordProblem } from '../core/accounts/policy.ts';
import { parseRoles, roleText } from '../core/ledger/actor.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import {
  changeRoles,
  insertApiToken,
  insertUser,
  lockApiToken,
  lockUser,
  organisationKnown,
  revokeApiToken,
  rolesOf,
  setDisabled,
  setPassword,
} from '../db/account-store.ts';
import type { Tx } from '../db/connect.ts';
import { sha256Hex } from '../db/sha256.ts';
import { lockCounters, setCounters } from '../db/write-store.ts';
import { parseInput } from './parse-input.ts';
import { newTotpSecret, totpOf } from './totp.ts';
import type { WriteFamily } from './write-pipeline.ts';

const email = z
  .string()
  .max(200)
  .transform((e) => e.trim().toLowerCase())
  .refine((e) => /^[^@\s]+@[^@\s]+$/.test(e), 'an email address');
const withoutPassword = (input: unknown) => ({ ...(input as object), password: undefined });

const newUserSchema = z
  .object({
    email,
    name: z.string().trim().min(1).max(200),
    password: z.string().max(256),
    roles: z.string().max(500),
    organisation: z.string().max(64).optional(),
    /** Enrol a second factor even where the roles do not require one. */
    secondFactor: z.boolean().optional(),
  })
  .strict();

interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly organisation: string | null;
  readonly roles: readonly string[];
  readonly passwordHash: string;
  readonly totpSecret: string | null;
}

async function parseNewUser(input: unknown): Promise<Result<NewUser>> {
  const parsed = parseInput(newUserSchema, input);
  if (!parsed.ok) return parsed;
  const u = parsed.value;
  const roles = parseRoles(u.email, u.roles);
  if (!roles.ok) return roles;
  const weak = passwordProblem(u.password, u.email);
  if (weak !== null) return reject('password_too_weak', weak);
  const secondFactor = u.secondFactor === true || needsSecondFactor(roles.value.roles);
  return ok({
    email: u.email,
    name: u.name,
    organisation: u.organisation ?? null,
    roles: roles.value.roles.map(roleText),
    passwordHash: await hash(u.password),
    totpSecret: secondFactor ? newTotpSecret() : null,
  });
}

const passwordSchema = z.object({ email, password: z.string().max(256) }).strict();
const statusSchema = z.object({ email, disabled: z.boolean() }).strict();
const roleList = z.array(z.string().max(80)).max(20).default([]);
const rolesSchema = z.object({ email, add: roleList, remove: roleList }).strict();
const scopes = z.array(z.string().max(80)).max(20).optional();
const tokenSchema = z.object({ name: z.string().trim().min(1).max(100), scopes }).strict();
const issueSchema = z.object({ email, name: z.string().trim().min(1).max(100), scopes }).strict();
const revocationSchema = z
  .object({ id: z.string().regex(/^tok_[A-Za-z0-9_-]{1,40}$/, 'an API token id') })
  .strict();

/** Creating a user (administrators; the operator's console acts as one). */
export const userCreation: WriteFamily<
  NewUser,
  NewUserState,
  { id: string; number: number },
  { id: string; totpUri: string | null }
> = {
  name: 'user',
  keyRequired: false,
  parse: (input) => parseNewUser(input),
  requestOf: withoutPassword,
  load: async (tx, user) => ({
    exists: (await lockUser(tx, { email: user.email })) !== null,
    organisationKnown:
      user.organisation === null || (await organisationKnown(tx, user.organisation)),
    counter: (await lockCounters(tx, ['user'])).get('user') ?? 0,
  }),
  decide: (state, user, actor) => decideUserCreation(state, user, actor),
  persist: async (tx, { id, number }, user, _actor, ctx) => {
    await setCounters(tx, new Map([['user', number]]));
    if (!(await insertUser(tx, { ...user, id, at: ctx.now })))
      return reject('user_already_exists', `a user with ${user.email} exists`);
    const totpUri =
      user.totpSecret === null ? null : totpOf(user.email, user.totpSecret).toString();
    return ok({ answer: { id, totpUri }, outbox: [] });
  },
  redact: (answer) => ({ ...answer, totpUri: null }),
};

type Locked = Awaited<ReturnType<typeof lockUser>>;

/** An administrator sets a new password; the user's sessions end and its API tokens are revoked. */
export const passwordReset: WriteFamily<
  { email: string; passwordHash: string },
  Locked,
  string,
  { email: string }
> = {
  name: 'user_password',
  keyRequired: false,
  parse: async (input) => {
    const parsed = parseInput(passwordSchema, input);
    if (!parsed.ok) return parsed;
    const weak = passwordProblem(parsed.value.password, parsed.value.email);
    if (weak !== null) return reject('password_too_weak', weak);
    return ok({ email: parsed.value.email, passwordHash: await hash(parsed.value.password) });
  },
  requestOf: withoutPassword,
  load: (tx, input) => lockUser(tx, { email: input.email }),
  decide: (user, input, actor) => decideUserChange(user, { email: input.email }, actor),
  persist: async (tx, userId, input, _actor, ctx) => {
    await setPassword(tx, userId, input.passwordHash, ctx.now);
    return ok({ answer: { email: input.email }, outbox: [] });
  },
};

/** An administrator disables (ending every session) or enables a user. */
export const userStatus: WriteFamily<
  z.output<typeof statusSchema>,
  Locked,
  string,
  { email: string }
> = {
  name: 'user_status',
  keyRequired: false,
  parse: async (input) => parseInput(statusSchema, input),
  load: (tx, input) => lockUser(tx, { email: input.email }),
  decide: (user, input, actor) => decideUserChange(user, input, actor),
  persist: async (tx, userId, input) => {
    await setDisabled(tx, userId, input.disabled);
    return ok({ answer: { email: input.email }, outbox: [] });
  },
};

/** The roles as the core writes them, and whether any needs a second factor. */
function roleTexts(email: string, roles: readonly string[]) {
  const parsed = parseRoles(email, roles.join(','));
  return parsed.ok
    ? ok({
        texts: parsed.value.roles.map(roleText),
        secondFactor: needsSecondFactor(parsed.value.roles),
      })
    : parsed;
}

/** An administrator gives a user roles and takes roles away (`jcm user roles`). */
export const userRoles: WriteFamily<
  { email: string; add: string[]; remove: string[]; addNeedsSecondFactor: boolean },
  { stored: NonNullable<Locked>; roles: string[] } | null,
  RoleChange,
  { email: string; roles: readonly string[] }
> = {
  name: 'user_roles',
  keyRequired: false,
  parse: async (input) => {
    const parsed = parseInput(rolesSchema, input);
    if (!parsed.ok) return parsed;
    const { email: who, add, remove } = parsed.value;
    if (add.length + remove.length === 0)
      return reject('invalid_request', 'name a role to add or to remove');
    const added = roleTexts(who, add);
    if (!added.ok) return added;
    const removed = roleTexts(who, remove);
    if (!removed.ok) return removed;
    return ok({
      email: who,
      add: added.value.texts,
      remove: removed.value.texts,
      addNeedsSecondFactor: added.value.secondFactor,
    });
  },
  load: async (tx, input) => {
    const stored = await lockUser(tx, { email: input.email });
    return stored === null ? null : { stored, roles: await rolesOf(tx, stored.id) };
  },
  decide: (user, input, actor) => decideRoleChange(user, input, actor),
  persist: async (tx, change, input) => {
    await changeRoles(tx, change.userId, change.add, change.remove);
    return ok({ answer: { email: input.email, roles: change.roles }, outbox: [] });
  },
};

type TokenDecision = { userId: string; id: string; number: number; scopes: readonly string[] };
type TokenAnswer = { id: string; token: string | null };

async function tokenState(tx: Tx, userEmail: string): Promise<TokenState> {
  const user = await lockUser(tx, { email: userEmail });
  return {
    userId: user?.id ?? null,
    userRoles: user === null ? [] : await rolesOf(tx, user.id),
    counter: (await lockCounters(tx, ['token'])).get('token') ?? 0,
  };
}

async function persistToken(tx: Tx, decided: TokenDecision, name: string, at: string) {
  await setCounters(tx, new Map([['token', decided.number]]));
  const secret = `jcm_${decided.id}_${randomBytes(32).toString('base64url')}`;
  await insertApiToken(tx, { ...decided, tokenHash: sha256Hex(secret), name, at });
  return ok({ answer: { id: decided.id, token: secret }, outbox: [] });
}

/** An API token for the actor's own user, with some of the roles the acting credential carries. */
export const tokenCreation: WriteFamily<
  z.output<typeof tokenSchema>,
  TokenState,
  TokenDecision,
  TokenAnswer
> = {
  name: 'api_token',
  keyRequired: false,
  parse: async (input) => parseInput(tokenSchema, input),
  load: (tx, _input, actor) => tokenState(tx, actor.id),
  decide: (state, input, actor) =>
    decideTokenCreation(state, input.scopes ?? null, actor.roles.map(roleText)),
  persist: (tx, decided, input, _actor, ctx) => persistToken(tx, decided, input.name, ctx.now),
  redact: (answer) => ({ ...answer, token: null }),
};

/** The operator's console issues a token for a user, with some of the user's roles. */
export const tokenIssue: WriteFamily<
  z.output<typeof issueSchema>,
  TokenState,
  TokenDecision,
  TokenAnswer
> = {
  name: 'api_token_issue',
  keyRequired: false,
  parse: async (input) => parseInput(issueSchema, input),
  load: (tx, input) => tokenState(tx, input.email),
  decide: (state, input, actor) =>
    actor.roles.some((r) => r.kind === 'administrator')
      ? decideTokenCreation(state, input.scopes ?? null, null)
      : reject('actor_not_authorised', 'the operator issues tokens for users'),
  persist: (tx, decided, input, _actor, ctx) => persistToken(tx, decided, input.name, ctx.now),
  redact: (answer) => ({ ...answer, token: null }),
};

/** Revoking an API token: one's own, or any for an administrator. */
export const tokenRevocation: WriteFamily<
  z.output<typeof revocationSchema>,
  { token: { userId: string } | null; userId: string | null },
  string,
  { id: string }
> = {
  name: 'api_token_revocation',
  keyRequired: false,
  parse: async (input) => {
    const parsed = parseInput(revocationSchema, input);
    return parsed.ok ? parsed : reject('api_token_not_found', 'no such API token of yours');
  },
  load: async (tx, input, actor) => {
    const token = await lockApiToken(tx, input.id);
    return {
      token: token === undefined ? null : { userId: token.user_id },
      userId: (await lockUser(tx, { email: actor.id }))?.id ?? null,
    };
  },
  decide: (state, input, actor) =>
    decideTokenRevocation(state.token, input.id, state.userId, actor),
  persist: async (tx, id, _input, _actor, ctx) => {
    await revokeApiToken(tx, id, ctx.now);
    return ok({ answer: { id }, outbox: [] });
  },
};
