// The ledger's rows as the core's values: an account, a block (with its ITMO identifiers when an
// authorisation covers it) and an allocation line, each read one way wherever SQL returns them.
import type { Selectable } from 'kysely';
import type {
  Account,
  AccountStatus,
  AccountType,
  AllocationLine,
  Block,
} from '../core/ledger/types.ts';
import type { AccountId, ChainId, ProjectRef, RegistryId } from '../core/shared/ids.ts';
import { itmoFromRow } from './article6-rows.ts';
import type { Schema } from './schema.ts';

export function accountFromRow(row: Schema['accounts']): Account {
  return {
    id: row.id as AccountId,
    registry: row.registry_id as RegistryId,
    type: row.type as AccountType,
    status: row.status as AccountStatus,
    holderId: row.holder_id,
    holderName: row.holder_name,
  };
}

/** A row of `decision_lines` (read by the loader, the public export and the peer issuance store). */
export function allocationLineFromRow(l: Selectable<Schema['decision_lines']>): AllocationLine {
  return {
    lineNo: l.line_no,
    registry: l.registry_id as RegistryId,
    account: l.account_id as AccountId,
    vintage: l.vintage,
    quantity: l.quantity,
    serials: { first: l.serial_first, last: l.serial_last },
    reserve: l.reserve,
  };
}

export function blockFromRow(row: Omit<Schema['blocks'], never> & { serials?: unknown }): Block {
  const block: Block = {
    project: row.project as ProjectRef,
    vintage: row.vintage,
    serials: { first: row.serial_first, last: row.serial_last },
    registry: row.registry_id as RegistryId,
    account: row.account_id as AccountId,
    entry: { chain: row.entry_chain as ChainId, seq: row.entry_seq },
  };
  const itmo = itmoFromRow(row);
  // Absent, not undefined, for credits no authorisation covers: the core's blocks are built alike.
  return itmo === undefined ? block : { ...block, itmo };
}
