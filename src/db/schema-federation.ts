// Kysely's view of migration 024's and 026's tables (issue 16): the links between deployments, the
// messages waiting to be sent and the messages received; the signed checkpoints. Schema extends this
// interface.
import type { Generated } from 'kysely';

export interface FederationTables {
  federation_links_out: {
    receiver: string;
    last_sequence: bigint;
    acknowledged: bigint;
    attempts: number;
    last_attempt_at: string | null;
    last_error: string | null;
    stopped_sequence: bigint | null;
    stopped_code: string | null;
  };
  federation_outbox: {
    receiver: string;
    sequence: bigint;
    kind: string;
    idempotency_key: string;
    body: string;
    written_at: string;
  };
  federation_links_in: { sender: string; next_sequence: bigint };
  federation_received: {
    sender: string;
    sequence: bigint;
    idempotency_key: string;
    kind: string;
    body_hash: string;
    message: string;
    received_at: string;
    applied_at: string | null;
  };
  checkpoints: {
    id: Generated<bigint>;
    registry_id: string;
    deployment: string;
    at: string;
    head_seq: bigint;
    head_hash: string;
    body: string;
    key_id: string;
    public_key: string;
    signature: string;
  };
  federation_hosted_elsewhere: { registry_id: string; deployment: string };
  peer_decisions: { decision_id: string; sender: string; received_at: string };
  issuance_confirmations: {
    decision_id: string;
    line_no: number;
    registry_id: string;
    sender: string;
    serial_first: bigint;
    serial_last: bigint;
    entry_chain: string;
    entry_seq: bigint;
    entry_hash: string;
    received_at: string;
  };
  article6_forwarded: {
    id: Generated<bigint>;
    receiver: string;
    sequence: bigint;
    kind: 'authorisation' | 'confirmation';
    registry_id: string;
    authorisation: string;
    record: string;
    actor: string;
    recorded_at: string;
    refused_code: string | null;
    refused_message: string | null;
    refused_at: string | null;
  };
  article6_records_refused: {
    sender: string;
    sequence: bigint;
    code: string;
    message: string;
    refused_at: string;
  };
  peer_accounts: {
    id: string;
    registry_id: string;
    type: string;
    holder_id: string;
    sender: string;
    received_at: string;
  };
  article6_first_transfers_received: {
    sender: string;
    chain: string;
    seq: bigint;
    n: number;
    party: string;
    action_date: string;
    approach: string;
    authorisation: string;
    registry_id: string;
    project: string;
    vintage: number;
    serial_first: bigint;
    serial_last: bigint;
    quantity: bigint;
    acquiring_party: string | null;
    received_at: string;
  };
}
