// Identifiers of registries, accounts, projects, decisions and idempotency keys: branded strings
// made only by these parsers.
import type { Brand } from './brand.ts';
import { identifierLengthMax, idempotencyKeyLengthMax } from './limits.ts';
import { ok, reject, type Result } from './result.ts';

/** `JP` for Japan's registry, or the partner country's ISO 3166 alpha-2 code. */
export type RegistryId = Brand<string, 'RegistryId'>;
/** `{registry}-{six digits}`, e.g. `JP-000001`. */
export type AccountId = Brand<string, 'AccountId'>;
/** `{partner alpha-2}{three or more digits}`, e.g. `IN001`. */
export type ProjectRef = Brand<string, 'ProjectRef'>;
export type DecisionId = Brand<string, 'DecisionId'>;
export type IdempotencyKey = Brand<string, 'IdempotencyKey'>;
/** A journal chain: a registry id, or `JC-{alpha-2}` for a Joint Committee's decisions. */
export type ChainId = Brand<string, 'ChainId'>;

const registryPattern = /^[A-Z]{2}$/;
const accountPattern = /^([A-Z]{2})-(\d{6})$/;
const projectPattern = /^([A-Z]{2})(\d{3,6})$/;
const decisionPattern = /^[A-Za-z0-9._/-]{1,64}$/;
const keyPattern = /^[A-Za-z0-9._:-]+$/;

export const japanRegistryId = 'JP' as RegistryId;

export function parseRegistryId(raw: string): Result<RegistryId> {
  return registryPattern.test(raw)
    ? ok(raw as RegistryId)
    : reject(
        'registry_id_malformed',
        `"${clip(raw)}" is not a registry id (JP or an ISO 3166 alpha-2 code)`,
      );
}

export function parseAccountId(raw: string): Result<AccountId> {
  return accountPattern.test(raw)
    ? ok(raw as AccountId)
    : reject('account_id_malformed', `"${clip(raw)}" is not an account id like JP-000001`);
}

export function accountRegistry(id: AccountId): RegistryId {
  return id.slice(0, 2) as RegistryId;
}

export function formatAccountId(registry: RegistryId, sequence: number): AccountId {
  return `${registry}-${String(sequence).padStart(6, '0')}` as AccountId;
}

export function parseProjectRef(raw: string): Result<ProjectRef> {
  return projectPattern.test(raw)
    ? ok(raw as ProjectRef)
    : reject('project_ref_malformed', `"${clip(raw)}" is not a project reference like IN001`);
}

/** The partner country of a project: the first two letters of its reference. */
export function projectCountry(ref: ProjectRef): RegistryId {
  return ref.slice(0, 2) as RegistryId;
}

/** The project number as printed in block ids (at least three digits). */
export function projectNumber(ref: ProjectRef): string {
  return ref.slice(2);
}

export function parseDecisionId(raw: string): Result<DecisionId> {
  return decisionPattern.test(raw)
    ? ok(raw as DecisionId)
    : reject('decision_id_malformed', `"${clip(raw)}" is not a decision id`);
}

export function parseIdempotencyKey(raw: string): Result<IdempotencyKey> {
  return raw.length >= 1 && raw.length <= idempotencyKeyLengthMax && keyPattern.test(raw)
    ? ok(raw as IdempotencyKey)
    : reject(
        'idempotency_key_malformed',
        'an idempotency key is 1-128 characters of [A-Za-z0-9._:-]',
      );
}

export function registryChain(registry: RegistryId): ChainId {
  return registry as string as ChainId;
}

export function jointCommitteeChain(partner: RegistryId): ChainId {
  return `JC-${partner}` as ChainId;
}

function clip(raw: string): string {
  return raw.length > identifierLengthMax ? `${raw.slice(0, identifierLengthMax)}…` : raw;
}
