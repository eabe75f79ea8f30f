// Who an allocation line's credits go to, derived from stored facts: the account the line names (its
// registry, type and holder, as the registry keeps them) and the project's stored participants. The
// holder kind the submitter declares is only checked against the derived one; the rulebook's
// allocation rules (Indonesia's 10% to its government, the MOEJ model projects' 50% to Japan's,
// Palau's nothing to private Palau-side participants) are checked on the derived kinds.
import { assert } from '../shared/assert.ts';
import { japanRegistryId as japanRegistry } from '../shared/ids.ts';
import { reject, type Result } from '../shared/result.ts';
import type { AllocationLineData } from './items.ts';
import type { ProjectData } from './project-data.ts';
import { checkAllocation, type HolderKind, type RulesInForce } from './rulebook.ts';

/** An account as the registry stores it (the store loads the one each allocation line names). */
export interface AllocationAccount {
  readonly id: string;
  readonly registry: string;
  /** holding, government_holding, retirement, cancellation or reserve. */
  readonly type: string;
  readonly holder: string;
}

/**
 * The holder kind of an account for a project of a partnership: a government holding account in
 * Japan's registry is the Government of Japan's, one in the partner's registry the partner
 * government's; a holding account of one of the project's participants is that side's; anything
 * else (another company, another government's account, a system account) is `other`.
 */
export function holderKindOf(
  account: AllocationAccount,
  partnership: string,
  project: ProjectData | null,
): HolderKind {
  if (account.type === 'government_holding') {
    if (account.registry === japanRegistry) return 'government_japan';
    if (account.registry === partnership) return 'government_partner';
    return 'other';
  }
  if (account.type !== 'holding' || project === null) return 'other';
  if (project.participantsJapan.includes(account.holder)) return 'participant_japan';
  if (project.participantsPartner.includes(account.holder)) return 'participant_partner';
  return 'other';
}

/**
 * Checks an allocation on stored facts, in this order: every line is in Japan's registry or the
 * partner's (1); every account exists (2) in the line's registry (3); each line's declared holder is
 * the one derived from its account (4); the rulebook's allocation rules hold for the derived
 * holders (5).
 */
export function checkAllocationOnAccounts(
  lines: readonly AllocationLineData[],
  accounts: ReadonlyMap<string, AllocationAccount>,
  partnership: string,
  project: ProjectData | null,
  rules: RulesInForce,
): Result<true> {
  const derived: { holder: HolderKind; quantity: bigint }[] = [];
  for (const [i, line] of lines.entries()) {
    const where = `allocation line ${i + 1}`;
    // Refused here, before a Joint Committee adopts it, not only when the ledger records it.
    if (line.registry !== japanRegistry && line.registry !== partnership)
      return reject(
        'allocation_line_registry_not_in_partnership',
        `${where}: registry ${line.registry} is neither Japan's nor that of the partnership ${partnership}`,
      );
    const account = accounts.get(line.account);
    if (account === undefined)
      return reject('allocation_account_not_found', `${where}: no account ${line.account}`);
    assert(account.id === line.account, 'the store keys accounts by their id');
    if (account.registry !== line.registry)
      return reject(
        'allocation_account_not_in_registry',
        `${where}: account ${line.account} is in registry ${account.registry}, not ${line.registry}`,
      );
    const holder = holderKindOf(account, partnership, project);
    if (holder !== line.holder)
      return reject(
        'allocation_holder_mismatch',
        `${where}: account ${line.account} (${account.type} of ${account.holder} in registry ${account.registry}) is held by ${holder}, not ${line.holder}`,
        { line: i + 1, account: line.account, declared: line.holder, derived: holder },
      );
    derived.push({ holder, quantity: BigInt(line.quantity) });
  }
  assert(derived.length === lines.length, 'every line has a derived holder');
  return checkAllocation(rules, derived);
}
