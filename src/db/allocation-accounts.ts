// The accounts a Joint Committee decision's allocation lines name, as the cycle checks who holds each
// line's credits (core/cycle/allocation-holders.ts): this deployment's own, and those a peer
// reported of the registry it hosts (issue 16).
import type { AllocationAccount } from '../core/cycle/allocation-holders.ts';
import type { Tx } from './connect.ts';
import { peerAccounts } from './peer-issuance-store.ts';

/**
 * The accounts allocation lines name. Read without a lock: an account's registry, type and holder
 * never change once it is opened (only its status does, which the ledger checks when it issues), and
 * a lock here would order account rows before the ledger's chain head in an issuance decision. An
 * account of a registry a peer hosts comes from `peer_accounts` (its `account_record`).
 */
export async function accountsOf(
  tx: Tx,
  ids: readonly string[],
): Promise<Map<string, AllocationAccount>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('accounts')
    .select(['id', 'registry_id', 'type', 'holder_id'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  const found = new Map<string, AllocationAccount>(
    rows.map((r) => [
      r.id,
      { id: r.id, registry: r.registry_id, type: r.type, holder: r.holder_id },
    ]),
  );
  // An account of a registry a peer hosts is the peer's: as it reported it (issue 16).
  const missing = ids.filter((id) => !found.has(id));
  for (const a of await peerAccounts(tx, missing)) found.set(a.id, a);
  return found;
}
