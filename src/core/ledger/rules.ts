// Small rules shared by the decision functions: finding accounts and who may act for them.
import type { AccountId } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { holds, managesRegistry, type Actor } from './actor.ts';
import type { LedgerState } from './state.ts';
import type { Account } from './types.ts';

export function notAuthorised(actor: Actor, what: string): Result<never> {
  return reject('actor_not_authorised', `${actor.id} may not ${what}`);
}

export function findAccount(state: LedgerState, id: AccountId): Result<Account> {
  const account = state.accounts.get(id);
  return account === undefined ? reject('account_not_found', `no account ${id}`) : ok(account);
}

/** May this actor move credits out of this account as its holder or as its registry's manager? */
export function actsForAccount(actor: Actor, account: Account): boolean {
  // The registry's own retirement, cancellation and reserve accounts have no holder but its manager.
  const heldByPeople = account.type === 'holding' || account.type === 'government_holding';
  return (
    managesRegistry(actor, account.registry) || (heldByPeople && holds(actor, account.holderId))
  );
}
