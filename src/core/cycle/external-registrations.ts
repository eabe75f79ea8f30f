// A JCM project's registrations in other mechanisms (India's CCTS offset mechanism, the CDM, Verra's
// VCS, the Gold Standard, others): what one says, the checks its parts pass beyond their schema, and
// who may record one or its next version (the stored project's participants, or the secretariat of
// its partnership; never whoever the request names). Every change is a new version; none is lost.
import type { Actor } from '../ledger/actor.ts';
import { assert } from '../shared/assert.ts';
import { hasControlCharacter } from '../shared/control-characters.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { participantsOf, type ProjectData } from './project-data.ts';

export const mechanisms = ['ccts_offset', 'cdm', 'verra_vcs', 'gold_standard', 'other'] as const;
export type Mechanism = (typeof mechanisms)[number];

/** The mechanisms in words (`other` is named by the record itself). */
export const mechanismWords: Readonly<Record<Mechanism, string>> = {
  ccts_offset: "India's Carbon Credit Trading Scheme (offset mechanism)",
  cdm: 'the Clean Development Mechanism',
  verra_vcs: "Verra's Verified Carbon Standard",
  gold_standard: 'the Gold Standard',
  other: 'another mechanism',
};

/** Bounds of a record's parts (characters). */
export const externalRegistrationLimits = {
  mechanismName: 100,
  identifier: 64,
  activity: 300,
  reference: 100,
  evidence: 4000,
  document: 300,
} as const;
/** Registrations elsewhere one project may carry, and versions one registration may have. */
export const externalRegistrationsPerProjectMax = 20;
export const externalRegistrationVersionsMax = 100;

/** An identifier in another registry ("VCS 1234", "GS11208", "CDM-0001"): a letter or digit first. */
export const externalIdentifierPattern = /^[A-Za-z0-9][A-Za-z0-9 ._/:#()-]{0,63}$/;
/** A document behind the evidence: a document on this platform (its SHA-256) or an https address. */
const documentPattern = /^(?:[0-9a-f]{64}|https:\/\/[^\s<>"'`]{1,290})$/;

/** Whole days, both ends included, as YYYY-MM-DD texts (they compare as dates). */
export interface Period {
  readonly start: string;
  readonly end: string;
}

export type RegistrationStatus = 'active' | 'cancelled';

/** What a registration elsewhere says, in one version. */
export interface ExternalRegistrationFields {
  readonly mechanism: Mechanism;
  /** The name of an `other` mechanism; null for the listed ones. */
  readonly mechanismName: string | null;
  readonly identifier: string;
  /** The activity the other registration covers. */
  readonly activity: string;
  readonly creditingPeriod: Period;
  readonly status: RegistrationStatus;
  /**
   * Cancelled: the period for which the other registration was withdrawn or its credits cancelled,
   * with the reference of that cancellation; null while the registration is active.
   */
  readonly cancellation: { readonly period: Period; readonly reference: string } | null;
  readonly evidence: { readonly text: string; readonly document: string | null };
}

/** A stored registration elsewhere: its current version. */
export interface StoredRegistration extends ExternalRegistrationFields {
  readonly id: string;
  readonly project: string;
  readonly version: number;
}

/** The role a record was made under, derived from the actor and the stored project. */
export type RecordedAs =
  | { readonly role: 'project_participant'; readonly organisation: string }
  | { readonly role: 'secretariat'; readonly organisation: null };

/** The project a record is about, as stored (never as the request describes it). */
export interface RecordedProject {
  readonly id: string;
  readonly machine: string;
  readonly partnership: string;
  readonly project: ProjectData | null;
}

/** The parts of a record as they arrive, schema-checked but not yet checked against each other. */
export interface RegistrationInput {
  readonly mechanism: string;
  readonly mechanismName?: string | undefined;
  readonly identifier: string;
  readonly activity: string;
  readonly creditingPeriod: Period;
  readonly status: RegistrationStatus;
  readonly cancellation?: { readonly period: Period; readonly reference: string } | undefined;
  readonly evidence: { readonly text: string; readonly document?: string | undefined };
}

/** The name a record gives its mechanism: the listed words, or the name of an `other` one. */
export function mechanismName(r: Pick<ExternalRegistrationFields, 'mechanism' | 'mechanismName'>) {
  return r.mechanism === 'other'
    ? (r.mechanismName ?? 'another mechanism')
    : mechanismWords[r.mechanism];
}

/**
 * The parts of a record checked against each other, in this order: control characters, the
 * mechanism (and the name an `other` one needs), the identifiers, the periods (each ends on or
 * after its start) and the cancellation (given exactly when the status is `cancelled`).
 */
export function checkRegistrationFields(
  input: RegistrationInput,
): Result<ExternalRegistrationFields> {
  const texts = [
    input.mechanism,
    input.mechanismName ?? '',
    input.identifier,
    input.activity,
    input.cancellation?.reference ?? '',
    input.evidence.text,
    input.evidence.document ?? '',
  ];
  if (texts.some(hasControlCharacter))
    return reject('control_character_refused', 'the record holds a control character');
  if (!(mechanisms as readonly string[]).includes(input.mechanism))
    return reject(
      'external_registration_mechanism_unknown',
      `${input.mechanism.slice(0, 40)} is not one of ${mechanisms.join(', ')}`,
    );
  const mechanism = input.mechanism as Mechanism;
  if ((mechanism === 'other') !== (input.mechanismName !== undefined))
    return reject(
      'invalid_request',
      'mechanismName: name the mechanism when it is `other`, and only then',
    );
  for (const [what, value] of [
    ['identifier', input.identifier],
    ['cancellation.reference', input.cancellation?.reference],
  ] as const)
    if (value !== undefined && !externalIdentifierPattern.test(value))
      return reject(
        'external_registration_identifier_malformed',
        `${what}: letters, digits, space and . _ / : # ( ) -, a letter or digit first, at most ${externalRegistrationLimits.identifier} characters`,
      );
  const document = input.evidence.document;
  if (document !== undefined && !documentPattern.test(document))
    return reject(
      'invalid_request',
      'evidence.document: the SHA-256 of a document on this platform, or an https:// address',
    );
  return checkPeriods(input, mechanism, document ?? null);
}

function checkPeriods(
  input: RegistrationInput,
  mechanism: Mechanism,
  document: string | null,
): Result<ExternalRegistrationFields> {
  const periods: [string, Period][] = [['creditingPeriod', input.creditingPeriod]];
  if (input.cancellation !== undefined)
    periods.push(['cancellation.period', input.cancellation.period]);
  for (const [what, p] of periods)
    if (p.end < p.start)
      return reject(
        'external_registration_period_reversed',
        `${what}: it ends on ${p.end}, before its start on ${p.start}`,
      );
  if ((input.status === 'cancelled') !== (input.cancellation !== undefined))
    return reject(
      'invalid_request',
      'cancellation: give the cancelled period and its reference when the status is `cancelled`, and only then',
    );
  return ok({
    mechanism,
    mechanismName: input.mechanismName ?? null,
    identifier: input.identifier,
    activity: input.activity,
    creditingPeriod: { start: input.creditingPeriod.start, end: input.creditingPeriod.end },
    status: input.status,
    cancellation:
      input.cancellation === undefined
        ? null
        : { period: { ...input.cancellation.period }, reference: input.cancellation.reference },
    evidence: { text: input.evidence.text, document },
  });
}

/**
 * Who records for a project: a participant the stored project names (on either side), or the
 * secretariat of the project's partnership; the first of the actor's roles that fits.
 */
export function recordingRole(actor: Actor, project: RecordedProject): RecordedAs | null {
  const participants = project.project === null ? [] : participantsOf(project.project);
  for (const role of actor.roles) {
    if (role.kind === 'project_participant' && participants.includes(role.organisation))
      return { role: 'project_participant', organisation: role.organisation };
    if (role.kind === 'secretariat' && role.partnership === project.partnership)
      return { role: 'secretariat', organisation: null };
  }
  return null;
}

/** A record to write: a new registration (`registration` null) or the next version of one. */
export interface RecordingDecision {
  readonly project: string;
  readonly registration: string | null;
  readonly version: number;
  readonly recordedAs: RecordedAs;
  readonly fields: ExternalRegistrationFields;
}

/**
 * Records a registration elsewhere or its next version, in this order: the project exists (a project
 * of the cycle, by id or reference), the actor records for it, the registration to change is the
 * project's, no other current registration of the project has the same mechanism and identifier,
 * and the limits hold.
 */
export function decideRecording(
  project: RecordedProject | null,
  ref: string,
  existing: readonly StoredRegistration[],
  target: string | null,
  fields: ExternalRegistrationFields,
  actor: Actor,
): Result<RecordingDecision> {
  if (project === null || project.machine !== 'project')
    return reject('cycle_item_not_found', `no project ${ref}`);
  assert(
    existing.every((r) => r.project === project.id),
    'the registrations loaded are the project’s',
  );
  const recordedAs = recordingRole(actor, project);
  if (recordedAs === null)
    return reject(
      'cycle_role_not_allowed',
      `registrations elsewhere of ${project.id} are recorded by its participants or the secretariat of ${project.partnership}`,
    );
  const changed = target === null ? null : (existing.find((r) => r.id === target) ?? null);
  if (target !== null && changed === null)
    return reject(
      'external_registration_not_found',
      `${project.id} has no registration elsewhere ${target}`,
    );
  const twin = existing.find(
    (r) =>
      r.id !== target &&
      r.mechanism === fields.mechanism &&
      (r.mechanismName ?? '') === (fields.mechanismName ?? '') &&
      r.identifier.toLowerCase() === fields.identifier.toLowerCase(),
  );
  if (twin !== undefined)
    return reject(
      'external_registration_already_recorded',
      `${fields.identifier} of ${mechanismName(fields)} is recorded for ${project.id} already (${twin.id}); record a new version of it`,
    );
  if (changed === null && existing.length >= externalRegistrationsPerProjectMax)
    return reject(
      'external_registrations_too_many',
      `a project carries at most ${externalRegistrationsPerProjectMax} registrations elsewhere`,
    );
  if (changed !== null && changed.version >= externalRegistrationVersionsMax)
    return reject(
      'external_registrations_too_many',
      `a registration elsewhere has at most ${externalRegistrationVersionsMax} versions`,
    );
  return ok({
    project: project.id,
    registration: changed?.id ?? null,
    version: (changed?.version ?? 0) + 1,
    recordedAs,
    fields,
  });
}
