// Kysely's view of the tables (see migrations/ for the SQL, constraints and triggers).
import type { Generated } from 'kysely';
import type { DoubleCountingTables } from './schema-double-counting.ts';
import type { AggregateTables } from './schema-aggregates.ts';
import type { FederationTables } from './schema-federation.ts';

export interface Schema extends DoubleCountingTables, AggregateTables, FederationTables {
  chains: { id: string; head_seq: bigint; head_hash: string };
  journal: {
    chain: string;
    seq: bigint;
    prev_hash: string;
    hash: string;
    type: string;
    actor: string;
    recorded_at: string;
    idempotency_key: string | null;
    /** Canonical JSON of { chain, seq, type, actor, recordedAt, idempotencyKey, event }; hash = sha256(prev_hash || entry). */
    entry: string;
  };
  idempotency: { chain: string; key: string; request_hash: string; result: string; seq: bigint };
  registries: {
    id: string;
    name: string;
    kind: string;
    account_sequence: number;
    retirement_account: string;
    cancellation_account: string;
    reserve_account: string;
  };
  accounts: {
    id: string;
    registry_id: string;
    type: string;
    status: string;
    holder_id: string;
    holder_name: string;
  };
  decisions: {
    id: string;
    project: string;
    partner: string;
    verification_reference: string;
    serial_first: bigint;
    serial_last: bigint;
    chain: string;
    seq: bigint;
  };
  verified_reductions: { decision_id: string; vintage: number; quantity: bigint };
  decision_lines: {
    decision_id: string;
    line_no: number;
    registry_id: string;
    account_id: string;
    vintage: number;
    quantity: bigint;
    serial_first: bigint;
    serial_last: bigint;
    reserve: Generated<bigint>;
  };
  issuances: {
    decision_id: string;
    line_no: number;
    registry_id: string;
    chain: string;
    seq: bigint;
  };
  blocks: {
    project: string;
    serial_first: bigint;
    serial_last: bigint;
    vintage: number;
    registry_id: string;
    account_id: string;
    entry_chain: string;
    entry_seq: bigint;
    /** Article 6.2 (migration 015): all four set, or all null for credits no authorisation covers. */
    itmo_approach: string | null;
    itmo_authorisation: string | null;
    itmo_first_party: string | null;
    itmo_first_transferred: boolean | null;
  };
  reversals: { chain: string; reversed_seq: bigint; reversing_seq: bigint };
  /** Article 6.2 records (migration 015); `record` is the canonical JSON its journal event holds. */
  article6_approaches: {
    partnership: string;
    version: number;
    id: string;
    record: string;
    chain: string;
    seq: bigint;
  };
  article6_authorisations: {
    id: string;
    version: number;
    party: string;
    registry_id: string;
    record: string;
    chain: string;
    seq: bigint;
  };
  article6_confirmations: {
    id: string;
    version: number;
    party: string;
    chain: string;
    seq: bigint;
  };
  article6_authorisation_covered: {
    id: string;
    first_version: Generated<number>;
    quantity: bigint;
  };
  article6_finalisations: {
    party: string;
    first_year: number;
    last_year: number;
    finalised_on: string;
    chain: string;
    seq: bigint;
  };
  /** The actions of AEF table 3, derived from journal entries (n: the action's place in its entry). */
  article6_actions: {
    chain: string;
    seq: bigint;
    n: number;
    party: string;
    type: string;
    subtype: string | null;
    action_date: string;
    approach: string;
    authorisation: string;
    first_party: string;
    registry_id: string;
    party_registry_id: string;
    project: string;
    vintage: number;
    serial_first: bigint;
    serial_last: bigint;
    quantity: bigint;
    transferring_party: string | null;
    acquiring_party: string | null;
    purpose: string;
    using_or_cancelling: string | null;
    year_of_use: number | null;
  };
  audit_runs: { id: Generated<bigint>; ran_at: string; passed: boolean; report: string };
  /** Partnerships as records (migration 012), loaded from partnerships/*.yaml. */
  partnerships: {
    code: string;
    name: string;
    partner_alpha3: string;
    partner_name: string;
    document_kind: string;
    document_title: string;
    signed_on: string;
    signed_in: string | null;
    secretariat: string;
    japan_registry: string;
    partner_registry: string;
    rulebook: string | null;
    approach_id: string | null;
    /** jsonb: the participating Parties, ISO 3166 alpha-3. */
    participating_parties: unknown;
    /** jsonb: the whole record as read, with the source of every fact. */
    record: unknown;
  };
  partnership_members: {
    partnership: string;
    position: number;
    name: string;
    side: string;
    role: string;
    affiliation: string;
  };
  ref_partner_countries: {
    alpha2: string;
    alpha3: string;
    name: string;
    signed_on: string;
    signed_in: string | null;
    source: string;
  };
  ref_sectoral_scopes: { number: number; scope: string; source: string };
  ref_greenhouse_gases: { formula: string; name: string; source: string };
  ref_india_article6_activities: {
    number: number;
    category: string;
    activity: string;
    source: string;
  };
  ref_methodologies_2019: {
    id: Generated<number>;
    partner_country: string;
    title: string;
    methodology_type: string;
    approved_projects: number;
    source: string;
  };
  ref_financed_projects_2019: {
    no: number;
    /** As printed, e.g. 2015 or 2015~2016 for multi-year programmes. */
    year: string;
    partner_country: string;
    type: string;
    participants: string;
    title: string;
    sector: string;
    expected_reduction_tco2_per_year: bigint | null;
    flag: string | null;
    source: string;
  };
  organisations: {
    id: string;
    name: string;
    kind: string;
    country: string;
    created_at: string;
    synthetic: Generated<boolean>;
  };
  tpe_designations: {
    id: Generated<bigint>;
    organisation_id: string;
    partnership: string;
    sectoral_scope: number;
    function: string;
    accreditation: string;
    valid_from: string;
    valid_until: string;
    decision_id: string | null;
  };
  counters: { key: string; value: number };
  write_idempotency: {
    family: string;
    key: string;
    request_hash: string;
    /** jsonb: the answer, written when the write commits (null while it is under way). */
    result: unknown;
    at: string;
  };
  outbox: {
    id: Generated<bigint>;
    topic: string;
    payload: unknown;
    created_at: string;
    published_at: string | null;
  };
  project_versions: {
    item_id: string;
    version: number;
    data: unknown;
    action: string;
    actor: string;
    at: string;
  };
  cycle_items: {
    id: string;
    machine: string;
    partnership: string;
    parent_id: string | null;
    state: string;
    reference: string | null;
    /** jsonb, written as JSON text and read back as an object. */
    data: unknown;
    due_date: string | null;
    due_role: string | null;
    due_step: string | null;
    version: number;
    created_at: string;
    updated_at: string;
    /** Synthetic demo data (migration 022), kept by src/db/synthetic-flags.ts. */
    synthetic: Generated<boolean>;
  };
  cycle_events: {
    seq: Generated<bigint>;
    item_id: string;
    action: string;
    from_state: string | null;
    to_state: string;
    actor: string;
    at: string;
    payload: unknown;
  };
  cycle_findings: {
    id: Generated<bigint>;
    item_id: string;
    kind: string;
    text: string;
    state: string;
    answer: string | null;
    raised_by: string;
    raised_at: string;
    closed_at: string | null;
  };
  cycle_documents: {
    id: Generated<bigint>;
    item_id: string;
    type: string;
    version: number;
    file_name: string;
    media_type: string;
    public_sha256: string;
    full_sha256: string | null;
    bytes: bigint;
    uploaded_by: string;
    uploaded_at: string;
  };
  /** Catalogue entries adopted by a Joint Committee through the cycle (migration 011). */
  methodology_entries: {
    id: string;
    version: string;
    partnership: string;
    item_id: string;
    decision_id: string;
    file: string;
    file_sha256: string;
    adopted_at: string;
  };
  /** Comments of the public input periods and their moderation (migration 011). */
  public_comments: {
    id: Generated<bigint>;
    item_id: string;
    name: string;
    affiliation: string;
    text: string;
    state: string;
    submitted_at: string;
    moderated_by: string | null;
    moderated_at: string | null;
  };
  /** Reads of confidential full versions of documents (migration 011). */
  document_reads: {
    id: Generated<bigint>;
    item_id: string;
    full_sha256: string;
    actor: string;
    role: string;
    at: string;
  };
  users: {
    id: string;
    email: string;
    name: string;
    organisation_id: string | null;
    password_hash: string;
    totp_secret: string | null;
    failed_logins: number;
    locked_until: string | null;
    disabled: boolean;
    created_at: string;
    password_set_at: string;
    /** The TOTP time step of the last code accepted (migration 008). */
    totp_step: number | null;
  };
  user_roles: { user_id: string; role: string };
  sessions: {
    token_hash: string;
    user_id: string;
    csrf_token: string;
    created_at: string;
    expires_at: string;
  };
  api_tokens: {
    id: string;
    user_id: string;
    token_hash: string;
    name: string;
    /** Comma-separated roles the token may use (a subset of its user's). */
    scopes: string;
    created_at: string;
    revoked_at: string | null;
  };
  transfer_requests: {
    id: string;
    registry: string;
    from_account: string;
    input: unknown;
    requested_by: string;
    requested_at: string;
    status: string;
    decided_by: string | null;
    decided_at: string | null;
    entry_seq: bigint | null;
  };
}
