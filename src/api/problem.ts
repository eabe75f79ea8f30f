// The one place that knows HTTP statuses: every rejection code maps to a status here, and every error
// leaves as application/problem+json with its stable code and the request id.
import type { Context } from 'hono';
import type { AppEnv } from '../services/request-scope.ts';
import type { ErrorCode } from '../core/shared/error-codes.ts';
import type { Rejection, Result } from '../core/shared/result.ts';
import { contentDisposition } from '../core/shared/content-disposition.ts';
import { jsonText } from '../core/shared/json-text.ts';

const statusByCode: Partial<Record<ErrorCode, number>> = {
  // Messages between deployments (issue 16)
  message_malformed: 400,
  message_wrong_receiver: 422,
  message_sender_unknown: 403,
  message_key_unknown: 403,
  message_key_expired: 403,
  message_signature_invalid: 403,
  message_sequence_reused: 409,
  message_idempotency_conflict: 409,
  message_sequence_gap: 409,
  message_kind_unsupported: 422,
  federation_not_configured: 404,
  federation_link_unknown: 404,
  checkpoint_nothing_to_sign: 409,
  checkpoint_time_not_after_last: 409,
  checkpoint_does_not_extend: 409,
  checkpoint_head_not_in_journal: 409,
  checkpoint_malformed: 422,
  registry_not_hosted: 422,
  registry_hosted_elsewhere: 409,
  peer_not_configured: 404,
  message_body_invalid: 422,
  message_sender_not_in_partnership: 403,
  notification_line_registry_unknown: 422,
  notification_no_line_here: 422,
  notification_decision_mismatch: 409,
  record_registry_not_hosted_here: 422,
  account_not_from_host: 403,
  account_record_conflict: 409,
  record_refusal_unknown: 422,
  first_transfer_not_from_host: 403,
  first_transfer_party_not_here: 422,
  first_transfer_conflict: 409,
  article6_party_hosted_elsewhere: 409,
  confirmation_line_unknown: 422,
  confirmation_not_from_host: 403,
  confirmation_exceeds_line: 422,
  confirmation_range_differs: 422,
  confirmation_conflict: 409,
  export_not_ready: 503,
  export_malformed: 422,
  peer_export_unreadable: 502,

  // Backup and restore (issue 15, lane R2)
  backup_target_not_empty: 409,
  backup_not_configured: 409,
  backup_data_folder_in_use: 409,
  backup_document_unreadable: 500,
  backup_tool_failed: 500,
  backup_manifest_invalid: 422,
  backup_database_file_corrupt: 422,
  backup_document_missing: 422,
  backup_document_corrupt: 422,
  backup_kind_mismatch: 422,
  restore_target_not_empty: 409,
  restore_heads_mismatch: 422,
  restore_documents_incomplete: 422,
  restore_audit_failed: 422,

  article6_authorisation_narrows_covered: 409,

  article6_approach_not_found: 404,
  article6_approach_id_changed: 409,
  article6_approach_information_missing: 422,
  article6_party_not_in_approach: 422,
  article6_registry_not_in_approach: 422,
  article6_project_not_in_approach: 422,
  article6_vintage_range_invalid: 422,
  article6_authorisation_period_invalid: 422,
  article6_authorisation_date_in_future: 422,
  article6_authorisation_date_before_previous: 422,
  article6_oimp_name_mismatch: 422,
  article6_first_transfer_definition_missing: 422,
  article6_first_transfer_definition_without_oimp: 422,
  article6_authorised_party_not_in_approach: 422,
  article6_ndc_purpose_in_own_registry: 422,
  article6_registry_party_not_authorised: 422,
  article6_authorisation_party_changed: 409,
  article6_authorisation_cap_below_covered: 409,
  article6_authorisation_not_found: 404,
  article6_authorisation_version_not_current: 409,
  article6_authorisation_already_confirmed: 409,
  article6_confirmation_by_authorising_party: 409,
  article6_issuance_not_authorised: 409,
  article6_vintage_not_authorised: 409,
  article6_project_not_authorised: 409,
  article6_authorisation_not_confirmed: 409,
  article6_authorisation_expired: 409,
  article6_authorisation_cap_exceeded: 409,
  article6_purpose_not_authorised: 409,
  article6_party_not_authorised: 409,
  article6_entity_not_authorised: 409,
  article6_year_of_use_required: 422,
  article6_year_of_use_before_vintage: 422,
  article6_year_outside_ndc_period: 422,
  article6_ndc_information_missing: 422,
  article6_period_finalised: 409,
  article6_period_already_finalised: 409,
  article6_units_already_authorised: 409,
  article6_already_first_transferred: 409,
  article6_authorisation_covers_at_issuance: 409,
  article6_account_not_in_authorised_registry: 409,

  malformed_json: 400,
  control_character_refused: 400,
  invalid_request: 400,
  registry_id_malformed: 400,
  account_id_malformed: 400,
  project_ref_malformed: 400,
  block_id_malformed: 400,
  itmo_id_malformed: 400,
  decision_id_malformed: 400,
  quantity_malformed: 400,
  quantity_must_be_whole: 400,
  quantity_must_be_positive: 400,
  quantity_too_large: 400,
  serial_malformed: 400,
  serial_must_be_positive: 400,
  serial_too_large: 400,
  serial_range_reversed: 400,
  serial_ranges_overlap: 400,
  too_many_ranges: 400,
  vintage_out_of_range: 400,
  retirement_purpose_unknown: 400,
  idempotency_key_required: 400,
  idempotency_key_malformed: 400,
  decision_needs_lines: 400,
  decision_too_many_lines: 400,
  verification_vintage_repeated: 400,
  accounts_must_be_different: 400,
  unauthenticated: 401,
  login_failed: 401,
  login_rate_limited: 429,
  comment_rate_limited: 429,
  comment_not_found: 404,
  comment_already_moderated: 409,
  external_registration_mechanism_unknown: 400,
  external_registration_identifier_malformed: 400,
  external_registration_period_reversed: 400,
  external_registration_not_found: 404,
  external_registration_already_recorded: 409,
  duplicate_flag_not_found: 404,
  duplicate_flag_already_concluded: 409,
  document_confidential: 403,
  csrf_token_invalid: 403,
  user_already_exists: 409,
  user_not_found: 404,
  api_token_not_found: 404,
  actor_not_authorised: 403,
  not_found: 404,
  page_cursor_invalid: 400,
  registry_not_found: 404,
  account_not_found: 404,
  block_not_found: 404,
  decision_not_found: 404,
  allocation_line_not_found: 404,
  methodology_not_found: 404,
  transfer_request_not_found: 404,
  transfer_request_not_pending: 409,
  cycle_item_not_found: 404,
  organisation_not_found: 404,
  document_not_found: 404,
  partnership_not_found: 404,
  cycle_role_not_allowed: 403,
  organisation_already_exists: 409,
  tpe_designation_overlaps: 409,
  cycle_item_changed: 409,
  content_type_unsupported: 415,
  cycle_document_type_not_accepted: 415,
  journal_entry_not_found: 404,
  idempotency_key_reused_with_different_input: 409,
  registry_already_exists: 409,
  decision_already_recorded: 409,
  verification_already_used: 409,
  allocation_line_already_issued: 409,
  journal_entry_already_reversed: 409,
  account_already_frozen: 409,
  account_not_frozen: 409,
  account_already_closed: 409,
  payload_too_large: 413,
  request_headers_too_large: 431,
  request_timeout: 408,
  request_incomplete: 400,
  workbook_too_many_entries: 413,
  workbook_too_large_unpacked: 413,
  workbook_too_many_rows: 413,
  workbook_archive_malformed: 422,
  calculation_busy: 503,
  // Certificates (issue 15, lane C)
  certificate_reference_malformed: 400,
  certificate_hash_malformed: 400,
  certificate_entry_not_certifiable: 409,
  certificate_entry_hash_mismatch: 409,
  certificate_too_large_for_pdf: 422,
  internal_error: 500,
  database_unavailable: 503,
  // Histories, reports and the register of retirements (issue 15, lane H2)
  report_too_large: 413,
};

/** Business rules not listed above are 422: the request was understood and refused. */
export function statusOf(code: ErrorCode): number {
  return statusByCode[code] ?? 422;
}

export function problem(c: Context, rejection: Rejection): Response {
  return problemResponse(
    c,
    rejection.code,
    rejection.message,
    rejection.details === undefined ? {} : { details: rejection.details },
  );
}

/** A rejection with a list of located issues (a monitoring report or methodology file with errors). */
export function issuesProblem(
  c: Context,
  code: ErrorCode,
  message: string,
  issues: readonly { readonly code: string; readonly message: string; readonly where: string }[],
): Response {
  return problemResponse(c, code, message, { issues });
}

function problemResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown>,
): Response {
  const status = statusOf(code);
  const body = {
    ...problemDocument(code, message),
    requestId: (c as Context<AppEnv>).get('requestId'),
    ...extra,
  };
  // A refusal that says when to come back (`calculation_busy`) says it in Retry-After too.
  const retryAfter = (extra['details'] as Record<string, unknown> | undefined)?.[
    'retryAfterSeconds'
  ];
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/problem+json',
      ...(typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}),
    },
  });
}

/** The problem+json document of a code (RFC 9457), also for answers written without a request. */
export function problemDocument(code: ErrorCode, message: string) {
  const status = statusOf(code);
  return { type: `https://jcm.example/errors/${code}`, title: code, status, code, detail: message };
}

export { contentDisposition, jsonText };

export function json(value: unknown, status = 200): Response {
  return new Response(jsonText(value), { status, headers: { 'content-type': 'application/json' } });
}

/** A service's result as an answer: its value as JSON, or its rejection as problem+json. */
export function answer<T>(c: Context, result: Result<T>, status = 200): Response {
  return result.ok ? json(result.value, status) : problem(c, result.error);
}

/** A schema mismatch as `invalid_request`, naming each field that failed (at most twenty). */
export function invalidRequest(
  c: Context,
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): Response {
  const details = Object.fromEntries(
    issues
      .slice(0, 20)
      .map((issue) => [issue.path.map(String).join('.') || '(body)', issue.message]),
  );
  return problem(c, {
    code: 'invalid_request',
    message: 'the request does not match the schema of this operation',
    details,
  });
}

/** A file as a download, its name in a Content-Disposition that any name can be written in. */
export function attachment(file: {
  mediaType: string;
  fileName: string;
  bytes: Uint8Array;
}): Response {
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'content-type': file.mediaType,
      'content-disposition': contentDisposition(file.fileName),
    },
  });
}

/**
 * The code of an HTTPException a library threw (hono's validators and body reading): its status kept
 * where a code says it, else 400 `invalid_request`. Errors of the server itself are not these.
 */
export function httpExceptionCode(status: number, message: string): ErrorCode {
  if (status === 400) return /json/i.test(message) ? 'malformed_json' : 'invalid_request';
  const byStatus: Partial<Record<number, ErrorCode>> = {
    401: 'unauthenticated',
    403: 'actor_not_authorised',
    404: 'not_found',
    413: 'payload_too_large',
    415: 'content_type_unsupported',
  };
  return byStatus[status] ?? 'invalid_request';
}
