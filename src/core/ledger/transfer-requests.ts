// Transfers out of government accounts take two people (SPEC section 6): one requests, another
// approves or rejects. Who may do which, decided on the stored account and the stored request (its
// row locked while deciding, so an approval and a rejection that race cannot both win).
import { isAdministrator, managesRegistry, type Actor } from './actor.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import type { RegistryId } from '../shared/ids.ts';

export interface AccountFacts {
  readonly id: string;
  readonly registry: string;
  readonly type: string;
  readonly holderId: string;
}

export interface StoredTransferRequest {
  readonly id: string;
  readonly registry: string;
  readonly fromAccount: string;
  readonly status: 'pending' | 'approved' | 'rejected';
  readonly requestedBy: string;
  readonly input: unknown;
}

/** Whether the actor acts for an account: its registry's manager (or an administrator), or its holder. */
function actsFor(actor: Actor, account: { registry: string; holderId: string | null }): boolean {
  return (
    managesRegistry(actor, account.registry as RegistryId) ||
    (account.holderId !== null &&
      actor.roles.some((r) => r.kind === 'account_holder' && r.holderId === account.holderId))
  );
}

/** A request is only for a government account, by its holder or its registry's manager. */
export function decideTransferRequest(
  account: AccountFacts | null,
  from: string,
  actor: Actor,
): Result<AccountFacts> {
  if (account === null) return reject('account_not_found', `no account ${from}`);
  if (account.type !== 'government_holding')
    return reject(
      'invalid_request',
      `${account.id} is not a government account: transfer from it directly`,
    );
  if (!actsFor(actor, account))
    return reject('actor_not_authorised', `${actor.id} does not act for ${account.id}`);
  return ok(account);
}

/** A pending request that the actor, not being its requester, may decide. */
function decidable(
  request: StoredTransferRequest | null,
  id: string,
  actor: Actor,
): Result<StoredTransferRequest> {
  if (request === null) return reject('transfer_request_not_found', `no transfer request ${id}`);
  if (request.status !== 'pending')
    return reject('transfer_request_not_pending', `${id} is ${request.status}`);
  if (request.requestedBy === actor.id)
    return reject(
      'second_approver_must_differ',
      'the person who requested the transfer cannot decide it; another person does',
    );
  return ok(request);
}

/** The second person approves; the ledger then checks the transfer itself, with the requester named. */
export function decideApproval(
  request: StoredTransferRequest | null,
  id: string,
  actor: Actor,
): Result<StoredTransferRequest> {
  return decidable(request, id, actor);
}

/** Only the registry's manager (another person than the requester) rejects a request. */
export function decideRejection(
  request: StoredTransferRequest | null,
  id: string,
  actor: Actor,
): Result<StoredTransferRequest> {
  const found = decidable(request, id, actor);
  if (!found.ok) return found;
  if (!managesRegistry(actor, found.value.registry as RegistryId) && !isAdministrator(actor))
    return reject(
      'actor_not_authorised',
      `${actor.id} does not manage registry ${found.value.registry}`,
    );
  return found;
}
