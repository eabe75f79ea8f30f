// Every stable error code the platform answers with, and what it means. `docs/errors.md` lists the
// same codes; test/unit/errors-doc.test.ts keeps the two in sync. Codes are named after the broken
// rule and never change meaning once published.
import { article6ErrorCodes } from './error-codes-article6.ts';
import { certificateErrorCodes } from './error-codes-certificates.ts';
import { backupErrorCodes } from './error-codes-backup.ts';
import { federationErrorCodes } from './error-codes-federation.ts';
export const errorCodes = {
  // Request envelope
  malformed_json: 'The request body is not valid JSON.',
  invalid_request:
    'The request does not match the schema of the operation; `details` names each field.',
  payload_too_large: 'The request body exceeds the size limit.',
  request_headers_too_large:
    'The request line or headers are larger than the server reads (16 KB).',
  request_timeout: 'The request did not arrive in full within the time the server waits for it.',
  request_incomplete:
    'The request body ended before its declared length (the client closed the connection).',
  control_character_refused:
    'A control character (U+0000-U+001F but tab, CR, LF; U+007F-U+009F) in the path, query or body.',
  not_found: 'No such route.',
  page_cursor_invalid:
    'The `after` cursor of a list is not one the list gave out (lists are paged by the cursor in `next`).',
  unauthenticated:
    'No valid API token, session cookie or (in development) development token was presented.',
  actor_not_authorised:
    'The actor holds no role that allows this command on this registry or account.',
  idempotency_key_required:
    'Every write that changes the registries, the project cycle or the organisations needs an Idempotency-Key.',
  idempotency_key_malformed:
    'The idempotency key is empty, too long or has characters outside [A-Za-z0-9._:-].',
  idempotency_key_reused_with_different_input:
    'The idempotency key was already used for a different command or input; nothing was done.',
  // Identifiers and values
  registry_id_malformed: 'A registry id is JP or a partner country ISO 3166 alpha-2 code.',
  account_id_malformed: 'An account id is {registry}-{six digits}, e.g. JP-000001.',
  project_ref_malformed: 'A project reference is {alpha-2}{three or more digits}, e.g. IN001.',
  block_id_malformed: 'A block id is JCM-{alpha-2}-{project number}-{vintage}-{first}-{last}.',
  itmo_id_malformed:
    'An ITMO id is {approach}-{Party registry id}-{first transferring Party}-{project number}.{serial}-{vintage}.',
  quantity_malformed: 'A quantity is a whole number written as a decimal string.',
  quantity_must_be_whole: 'Credits are whole tCO2e; fractions are refused.',
  quantity_must_be_positive: 'A quantity must be at least 1.',
  quantity_too_large: 'A quantity may not exceed the per-command limit (10^12).',
  serial_malformed: 'A serial number is a whole number written as a decimal string.',
  serial_must_be_positive: 'Serial numbers start at 1.',
  serial_too_large: 'A serial number may not exceed 2^62.',
  serial_range_reversed: 'A serial range must have first <= last.',
  serial_ranges_overlap: 'The serial ranges of one request overlap each other.',
  too_many_ranges: 'Too many serial ranges in one request.',
  vintage_out_of_range: 'A vintage is a calendar year between 2013 and 2100.',
  retirement_purpose_unknown:
    'A retirement purpose is one of ndc_use, gx_ets_compliance, shk_reporting, voluntary_offsetting, oimp.',
  // Registries and accounts
  registry_not_found: 'No registry with this id.',
  registry_already_exists: 'A registry with this id is already open.',
  registry_country_unknown:
    'The registry is not the partner registry of a partnership with a record on this platform (partnerships/*.yaml).',
  account_not_found: 'No account with this id.',
  account_type_cannot_be_opened:
    'Retirement, cancellation and reserve accounts are opened with their registry, once.',
  account_is_system_account:
    'Retirement, cancellation and reserve accounts cannot be frozen or closed.',
  account_already_frozen: 'The account is already frozen.',
  account_not_frozen: 'The account is not frozen.',
  account_already_closed: 'The account is closed; closing is final.',
  account_must_be_empty_to_close: 'An account can be closed only when it holds no credits.',
  // Movements
  accounts_must_be_different: 'Source and destination are the same account.',
  accounts_must_be_in_same_registry:
    'Transfers move credits between accounts of one registry only.',
  source_account_frozen: 'A frozen account sends nothing.',
  source_account_closed: 'A closed account sends nothing.',
  destination_account_frozen: 'A frozen account receives nothing.',
  destination_account_closed: 'A closed account receives nothing.',
  source_account_type_cannot_send:
    'Credits in retirement and cancellation accounts never move again; reserve credits leave only by release or cancellation.',
  destination_account_type_not_allowed:
    'This command cannot move credits into an account of this type.',
  source_holds_insufficient_credits:
    'The source account holds fewer matching credits than requested.',
  serial_range_not_held_by_account:
    'Part of a requested serial range is not held by the source account.',
  block_not_found: 'No issued block contains this serial number.',
  // Issuance
  decision_id_malformed: 'A decision id is 1-64 characters of [A-Za-z0-9._/-].',
  decision_already_recorded: 'An issuance decision with this id exists.',
  decision_not_found: 'No issuance decision with this id.',
  decision_project_registry_not_found: 'The partner registry of the project is not open.',
  decision_needs_lines: 'An issuance decision needs at least one allocation line.',
  decision_too_many_lines: 'Too many allocation lines in one decision.',
  decision_serial_range_not_contiguous:
    "The decision's first serial must continue right after the project's last decided serial.",
  decision_exceeds_verified_reductions:
    'The allocation lines of a vintage add up to more than the verified reductions of that vintage.',
  decision_vintage_not_verified:
    'An allocation line names a vintage the verification does not cover.',
  verification_already_used:
    'This verification has already been used by another issuance decision.',
  verification_vintage_repeated: 'A vintage is listed twice in the verification.',
  allocation_line_registry_not_in_partnership:
    "An allocation line names a registry other than Japan's and the project's partner.",
  decision_reserve_invalid:
    'A notified decision gives a line a reserve below 0 or above its quantity, or not one reserve per line (issue 16).',
  allocation_line_account_not_in_registry:
    "The allocation line's account is not in the line's registry.",
  allocation_line_not_found: 'The decision has no allocation line with this number.',
  allocation_line_not_for_registry:
    "The allocation line belongs to another registry; that registry's manager issues it.",
  allocation_line_already_issued:
    'This allocation line has already been issued; issuance happens exactly once.',
  transfer_needs_second_approver:
    'A transfer out of a government account is requested by one person and approved by a second (transfer requests).',
  second_approver_must_differ:
    'The person who requested a transfer out of a government account cannot approve it.',
  transfer_request_not_found: 'No transfer request with this id.',
  transfer_request_not_pending: 'The transfer request has already been approved or rejected.',
  // Corrections
  journal_entry_not_found: 'No journal entry with this sequence number in the registry.',
  journal_entry_not_reversible:
    'Only transfers, reservations and releases can be reversed; issuance is corrected by cancellation.',
  journal_entry_already_reversed: 'This entry has already been reversed.',
  reversal_credits_no_longer_held:
    'The credits of the entry have moved on; reverse the later entries first.',
  // Methodology files (each names the place in the file)
  methodology_file_malformed:
    'The methodology file is not valid YAML or JSON; the message names the line.',
  methodology_schema_invalid:
    'A field of the methodology file is missing, misspelt or of the wrong type (see docs/methodology.schema.json).',
  methodology_symbol_duplicate: 'Two parameters, equations or estimate inputs share a symbol.',
  methodology_symbol_unknown:
    'An expression refers to a symbol that no parameter or equation defines.',
  methodology_expression_malformed:
    'An expression cannot be read or uses an operator outside the language (+ - * /, sum, min, max).',
  methodology_function_unknown: 'An expression calls a function other than sum, min and max.',
  methodology_equations_circular: 'Equations depend on each other in a circle.',
  methodology_unit_unknown: 'A unit is not one the platform knows (see docs/methodologies.md).',
  methodology_unit_mismatch:
    'Quantities of different dimensions are added or compared, or an equation gives another dimension than its declared unit.',
  methodology_sum_needs_monitoring_point:
    'sum() runs over monitoring points, so its argument must depend on a per-point value.',
  methodology_per_point_value_outside_sum:
    'A project-level output uses a per-monitoring-point value outside sum().',
  methodology_output_missing:
    'An output (reference emissions, project emissions, emission reductions) is not defined by an equation in tCO2.',
  methodology_range_impossible:
    'A range has min above max, a default lies outside its range, or a discount factor or reserve share lies outside [0, 1].',
  methodology_parameter_incomplete:
    'A fixed parameter lacks its default or source, or a monitored one lacks its monitoring option.',
  methodology_estimate_incomplete:
    'The ex-ante estimate does not give every monitored parameter an expression, or gives one for a symbol that is not monitored.',
  monitoring_report_invalid:
    'The monitoring report has errors; `issues` lists every one with its code and place. Nothing was calculated.',
  methodology_invalid:
    'The methodology file has errors; `issues` lists every one with its code and place.',
  content_type_unsupported:
    'The request body has a content type this operation does not take (see the OpenAPI document).',
  methodology_not_found: 'No methodology with this id (and version) in the catalogue.',
  methodology_file_invalid:
    "A methodology proposal's methodology file is not a methodology in the platform's format (YAML or JSON, compiled without errors, for the proposal's partnership); `issues` locates each problem.",
  // Monitoring data (each names the sheet and cell, or the CSV line)
  monitoring_file_unreadable: 'The monitoring file is not a readable XLSX or CSV file.',
  monitoring_sheet_missing: 'The workbook lacks a sheet the methodology needs.',
  monitoring_column_unknown: 'A column header names no parameter of the methodology.',
  monitoring_column_missing: 'A column for a parameter is missing.',
  monitoring_value_missing: 'A required value is empty.',
  monitoring_value_not_a_number: 'A value is not a decimal number.',
  monitoring_unit_mismatch: 'The unit written for a value is not the unit of its parameter.',
  monitoring_value_negative: 'A value is negative where the parameter allows no negative values.',
  monitoring_value_out_of_range: 'A value lies outside the range the methodology allows.',
  monitoring_point_unknown: 'A row names a monitoring point that is not listed.',
  monitoring_point_repeated: 'A monitoring point is listed twice.',
  monitoring_period_unknown: 'A row names a monitoring period that is not listed.',
  monitoring_period_malformed:
    'A monitoring period needs an id, and start and end dates (YYYY-MM-DD, 2013-2100) with start <= end.',
  monitoring_periods_overlap: 'Two monitoring periods overlap or share an id.',
  monitoring_row_repeated: 'The same monitoring point and period appear on two rows.',
  monitoring_row_missing: 'A monitoring point has no row for a monitoring period.',
  monitoring_parameter_unknown:
    'A value is given for a symbol that is not a parameter of the methodology.',
  monitoring_too_large: 'Too many monitoring points, periods or rows in one report.',
  // Spreadsheet uploads (issue 12): refused before they are parsed, or stopped in their worker
  workbook_too_many_entries: 'The workbook (a ZIP archive) has more entries than allowed.',
  workbook_too_large_unpacked:
    'The workbook unpacks to more than allowed, in one entry or in total (declared or real size).',
  workbook_too_many_rows: 'A sheet of the workbook has more rows than allowed.',
  workbook_archive_malformed:
    'The workbook is a ZIP archive laid out in a way an XLSX file is not (bytes before or after it, ZIP64, a broken directory).',
  calculation_busy:
    'Every calculation worker is busy and the queue is full; try again after Retry-After seconds.',
  calculation_limit_exceeded:
    'The calculation needed more time or memory than a calculation worker is given, and was stopped.',
  calculation_division_by_zero:
    'An equation divides by zero for the values given; the message names where.',
  estimate_input_missing: 'A size parameter of the estimate is missing or not a number.',
  estimate_input_out_of_range: 'A size parameter lies outside its allowed range.',
  // Project cycle (in the precedence of src/core/cycle/transition.ts)
  cycle_action_unknown: 'This kind of item has no such action.',
  cycle_action_not_allowed_in_state: 'The action is not allowed in the current state of the item.',
  cycle_role_not_allowed: 'The actor holds none of the roles that take this action.',
  cycle_document_type_not_accepted:
    'A filed document is not of an accepted type, or its name, declared type and content disagree.',
  cycle_documents_missing:
    'A document the step needs (by the cycle or the rulebook in force) is not on file.',
  cycle_public_input_still_open: 'The public input period has not ended yet.',
  cycle_findings_open: 'A CAR or CL of the validation or verification is still open.',
  cycle_tpe_not_designated:
    'The chosen third-party entity is not designated for this sectoral scope and function, or its designation has expired.',
  cycle_activity_not_eligible:
    "The project activity is not on the partner's list of activities eligible for Article 6.2.",
  cycle_methodology_serves_no_eligible_activity:
    "The project's methodology serves none of the entries of the partner's list of activities eligible for Article 6.2 (or is not in the catalogue).",
  cycle_methodology_does_not_serve_activity:
    "The project's methodology serves entries of the partner's eligible-activity list, but not the activity the project declares.",
  allocation_rule_violated:
    'The credit allocation breaks a rule of the rulebook in force; the message names the rule and its version.',
  allocation_account_not_found: 'An allocation line names an account that does not exist.',
  allocation_account_not_in_registry:
    "An allocation line names an account of another registry than the line's.",
  allocation_holder_mismatch:
    "An allocation line's declared holder is not the one its account shows (a government holding account of Japan's or the partner's registry, a holding account of a participant of the project's stored Japanese or partner side, or other).",
  cycle_decision_not_adopted:
    'The Joint Committee decision this action carries out is not adopted.',
  cycle_government_confirmation_missing:
    'The rulebook requires prior confirmation of this decision by a government that has not confirmed.',
  cycle_monitoring_not_verified:
    'The monitoring period is not verified, or is already used for issuance.',
  cycle_monitoring_period_invalid: 'A monitoring period has not ended yet.',
  cycle_monitoring_period_outside_crediting_period:
    "A monitoring period lies (in part) outside the project's stored crediting period (for a CCS or CCUS project, up to the end of its termination period).",
  cycle_monitoring_period_overlaps:
    'A monitoring period overlaps the period of another monitoring report of the project.',
  cycle_ccs_periods_invalid:
    "A CCS or CCUS project's crediting period is not its injection period, or its injection and termination periods are missing, or a project of another methodology states them.",
  cycle_verified_exceeds_calculated:
    'The verified reductions of a vintage exceed the calculation of the monitoring report.',
  cycle_lines_not_all_issued:
    'An allocation line of the issuance decision is not yet issued in its registry.',
  cycle_registry_confirmation_missing:
    'A registry with allocation lines has not confirmed the issuance yet.',
  cycle_project_not_registered: 'The project this item belongs to is not registered.',
  cycle_participant_not_registered:
    'A participant the project data names is not a registered project-participant organisation.',
  cycle_reassessment_changes_other_data:
    'A re-assessment of reference emissions (form 3.3) changes project data other than the methodology applied and the expected reductions; that is a post-registration change (form 3.12).',
  cycle_decision_subject_invalid:
    'A decision must be about an existing item and authorise an action that item takes with a Joint Committee decision.',
  cycle_item_not_found:
    'No cycle item (PIN, proposal, project, monitoring period, issuance request or decision) with this id.',
  cycle_item_required: 'This action acts on an existing item: name it in `item`.',
  cycle_input_incomplete:
    'The action needs a part of the envelope that is missing (the message names it).',
  cycle_finding_not_found: 'No open finding with this id on this item.',
  comment_outside_public_input:
    'The item is not in its public input period (not open for public input, or the period has ended): comments are taken only while it runs.',
  comment_not_found: 'No public comment with this id (on this item).',
  comment_already_moderated: 'The comment is already published or rejected.',
  comment_rate_limited: 'Too many comments from this address in a minute.',
  // Double counting across mechanisms (src/core/cycle/double-counting.ts, external-registrations.ts)
  cycle_monitoring_period_registered_elsewhere:
    "The issuance's monitoring period overlaps the crediting period of a registration of the project in another mechanism that is not recorded as cancelled for those days; the message names the mechanism and identifier.",
  cycle_duplicate_flag_open:
    'A possible duplicate of the project, flagged at its registration request, awaits the conclusion of the secretariat.',
  cycle_project_is_duplicate:
    'The secretariat concluded that the project duplicates another project of the JCM; the Joint Committee rejects its registration request.',
  external_registration_mechanism_unknown:
    'A mechanism is one of ccts_offset, cdm, verra_vcs, gold_standard or other (with its name).',
  external_registration_identifier_malformed:
    'An identifier in another registry (or a cancellation reference) is 1-64 letters, digits, spaces and . _ / : # ( ) -, a letter or digit first.',
  external_registration_period_reversed:
    'A crediting period or cancelled period of a registration elsewhere ends before it starts.',
  external_registration_not_found: 'The project has no registration elsewhere with this id.',
  external_registration_already_recorded:
    'The project has a registration with this mechanism and identifier already; record a new version of it.',
  external_registrations_too_many:
    'A project carries at most 20 registrations elsewhere, and each at most 100 versions.',
  duplicate_flag_not_found: 'No possible-duplicate flag with this id.',
  duplicate_flag_already_concluded: 'The secretariat has concluded on this flag already.',
  document_confidential:
    "The full version of a confidential document is served only to the project's third-party entity and to the partnership's Joint Committee.",
  cycle_item_changed:
    'The item changed since it was read (another action came first); read it again and retry.',
  organisation_already_exists: 'An organisation with this id is registered.',
  organisation_not_found: 'No registered organisation of the needed kind with this id.',
  tpe_designation_overlaps:
    'The third-party entity is already designated for this sectoral scope and function for part of this time.',
  tpe_designation_decision_missing:
    'A TPE designation needs an adopted Joint Committee decision of the partnership to designate this third-party entity, for these scopes, functions and dates, not yet carried out.',
  document_not_found: 'No public document with this SHA-256.',
  rulebook_invalid: 'A rulebook file is not valid YAML or does not match the rulebook format.',
  partnership_not_found: 'No partnership with this code has a record on this platform.',
  partnership_invalid:
    "A partnership file is not valid YAML or does not match the partnership format (one co-chair per side, the partner's own registry, both countries among the participating Parties).",
  // Article 6.2 accounting (decision 2/CMA.3, annex)
  article6_ndc_metric_unsupported:
    'Corresponding adjustments are computed for NDCs measured in t CO2 eq only (paragraph 8); a non-GHG metric (paragraph 9) is not supported.',
  article6_ndc_method_not_allowed:
    'A multi-year NDC applies a multi-year trajectory or budget (paragraph 7(b)); averaging is for single-year NDCs only (paragraph 7(a)(ii)).',
  // Article 6.2: the Agreed Electronic Format (src/core/article6/aef-*.ts, src/formats/aef-*.ts)
  aef_description_invalid:
    'The description of the AEF (article6/aef.yaml) is not valid YAML or does not match its schema; the message names the line and column.',
  article6_ndc_information_missing:
    'The Party has no NDC in any cooperative approach, or the reported year lies outside every NDC implementation period it has: no AEF is made for that year.',
  aef_file_too_large:
    'An AEF file to read (XLSX, CSV or JSON) is larger than the reader accepts (aefFileBytesMax, 64 MB).',
  aef_file_too_many_rows:
    'A table of an AEF file to read has more rows than the reader accepts (aefRowsMax, 100,000).',
  aef_file_unreadable:
    'An AEF file to read is not a readable XLSX workbook, CSV file or JSON document.',
  aef_file_invalid:
    "An AEF file does not have the description's tables and columns: a sheet, file, column or key is missing or unknown, or a cell is not text.",
  // Accounts
  login_failed:
    'The email address, password or authenticator code is not right, or the account is locked for a while after repeated failures (the answer does not say which).',
  login_rate_limited: 'Too many login attempts from this address in a minute.',
  password_too_weak:
    'The password is too short, too long, too repetitive or contains the email name.',
  user_already_exists: 'A user with this email address exists.',
  user_not_found: 'No user with this email address.',
  api_token_not_found: 'No such API token of yours.',
  csrf_token_invalid:
    'A write with a session cookie needs the session CSRF token (header X-CSRF-Token).',
  // The database
  database_unavailable:
    'The database cannot be reached now; send again after Retry-After seconds with the same idempotency key (a write already made is not made twice).',
  // Catch-all
  internal_error:
    'An unexpected failure; the request id identifies it in the logs. Nothing was changed.',
  ...article6ErrorCodes, // Article 6.2 accounting (docs/article6.md)
  ...certificateErrorCodes, // certificates of issuance and retirement (issue 15, lane C)
  ...backupErrorCodes, // Backup and restore (issue 15, lane R2)
  ...federationErrorCodes, // Messages between deployments (issue 16)
  report_too_large:
    'The report has more rows than an XLSX (200,000) or a PDF table (20,000) holds; take the CSV, or page it from the API.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

export const errorCodeList = Object.keys(errorCodes) as readonly ErrorCode[];
