// The back office's part of the guard against double counting, on a project's item page: its
// registrations in other mechanisms with the form that records one or its next version (the project's
// participants, the secretariat), and the possible duplicates flagged at its registration request
// with the secretariat's conclusion form. The services decide; these pages only ask and show.
import { html, raw } from 'hono/html';
import { mechanisms, mechanismWords, recordingRole } from '../core/cycle/external-registrations.ts';
import type { ProjectData } from '../core/cycle/project-data.ts';
import type { DuplicateGrounds } from '../core/cycle/double-counting.ts';
import { readableDate } from '../core/shared/readable.ts';
import type { PublicRegistration } from '../services/external-registrations.ts';
import type { Platform } from '../services/platform.ts';
import { instant, table, type Html } from './layout.ts';
import { actionPanel, field, type OfficeForm, type OfficeSession } from './office-session.ts';

/** The form paths of a project's page (the matrix's rows `/office/items/{id}/...`). */
export const recordPath = (id: string) => `/office/items/${id}/external-registrations/record`;
export const concludePath = (id: string) => `/office/items/${id}/duplicate-flags/conclude`;

const period = (p: { start: string; end: string }) =>
  `${readableDate(p.start)} to ${readableDate(p.end)}`;

function statusWords(r: PublicRegistration): string {
  return r.cancellation === null
    ? 'active'
    : `cancelled for ${period(r.cancellation.period)} (${r.cancellation.reference})`;
}

function registrationsTable(registrations: readonly PublicRegistration[]): Html {
  return table(
    ['Id', 'Mechanism', 'Identifier', 'Activity', 'Crediting period', 'Status', 'Recorded'],
    registrations.map((r) => [
      r.id,
      r.mechanismWords,
      r.identifier,
      r.activity,
      period(r.creditingPeriod),
      statusWords(r),
      `version ${r.version}, ${r.recordedBy}, ${instant(r.recordedAt)}`,
    ]),
    registrations.length === 0 ? 'No registration in another mechanism is recorded.' : undefined,
  );
}

/** A field of the form; `extra` is this file's own attribute text (a type, required). */
const input = (name: string, text: string, extra = '') =>
  html`<label for="er-${name}"
    >${text}<input id="er-${name}" name="${name}" ${raw(extra)}
  /></label>`;

/** The fields of a registration elsewhere; `registration` chooses a new one or one to change. */
function recordFields(registrations: readonly PublicRegistration[]): Html {
  return html`<label for="er-registration"
      >Registration<select id="er-registration" name="registration">
        <option value="">a new registration</option>
        ${registrations.map((r) => html`<option value="${r.id}">new version of ${r.id}: ${r.identifier}</option>`)}
      </select></label
    >
    <label for="er-mechanism"
      >Mechanism<select id="er-mechanism" name="mechanism">
        ${mechanisms.map((m) => html`<option value="${m}">${m === 'other' ? 'other (name it)' : mechanismWords[m]}</option>`)}
      </select></label
    >
    ${input('mechanism_name', 'Name of the other mechanism')}
    ${input('identifier', 'Identifier there', 'required')}
    ${input('activity', 'Activity it covers', 'required')}
    ${input('crediting_start', 'Crediting period from', 'type="date" required')}
    ${input('crediting_end', 'Crediting period until', 'type="date" required')}
    <label for="er-status"
      >Status<select id="er-status" name="status">
        <option value="active">active</option>
        <option value="cancelled">cancelled for a period</option>
      </select></label
    >
    ${input('cancelled_start', 'Cancelled from', 'type="date"')}
    ${input('cancelled_end', 'Cancelled until', 'type="date"')}
    ${input('cancellation_reference', 'Reference of the cancellation')}
    <label for="er-evidence"
      >Evidence<textarea id="er-evidence" name="evidence" required></textarea>
    </label>
    ${input('evidence_document', 'Document (SHA-256 on this platform, or an https:// address)')}
    <button type="submit">Record</button>`;
}

/** A posted registration form as the service's input (empty optional fields left out). */
export function registrationFrom(form: OfficeForm, project: string): Record<string, unknown> {
  const optional = (key: string, value: unknown) => (value === undefined ? {} : { [key]: value });
  const cancelledStart = field(form, 'cancelled_start');
  const cancelledEnd = field(form, 'cancelled_end');
  const reference = field(form, 'cancellation_reference');
  const registration = field(form, 'registration');
  return {
    project,
    ...optional('registration', registration),
    mechanism: field(form, 'mechanism') ?? '',
    ...optional('mechanismName', field(form, 'mechanism_name')),
    identifier: field(form, 'identifier') ?? '',
    activity: field(form, 'activity') ?? '',
    creditingPeriod: {
      start: field(form, 'crediting_start') ?? '',
      end: field(form, 'crediting_end') ?? '',
    },
    status: field(form, 'status') ?? '',
    ...(cancelledStart === undefined && cancelledEnd === undefined && reference === undefined
      ? {}
      : {
          cancellation: {
            period: { start: cancelledStart ?? '', end: cancelledEnd ?? '' },
            reference: reference ?? '',
          },
        }),
    evidence: {
      text: field(form, 'evidence') ?? '',
      ...optional('document', field(form, 'evidence_document')),
    },
  };
}

/** A posted conclusion form as the service's input. */
export function conclusionFrom(form: OfficeForm): Record<string, unknown> {
  const reason = field(form, 'reason');
  return {
    flag: field(form, 'flag') ?? '',
    conclusion: field(form, 'conclusion') ?? '',
    ...(reason === undefined ? {} : { reason }),
  };
}

function groundsWords(g: DuplicateGrounds): string {
  return [
    g.sameLocationText ? 'the same location' : `${g.distanceMetres} m apart`,
    [
      g.methodology === null ? null : `methodology ${g.methodology}`,
      g.activity === null ? null : `activity ${g.activity}`,
    ]
      .filter((t) => t !== null)
      .join(' and '),
    `participants in common: ${g.sharedParticipants.join(', ')}`,
  ].join('; ');
}

type Flags = Awaited<ReturnType<Platform['externalRegistrations']['flags']>>;

function flagsSection(session: OfficeSession, id: string, flags: Flags): Html | '' {
  if (flags.length === 0) return '';
  const open = flags.filter((f) => f.state === 'open');
  return html`<h2>Possible duplicates in the JCM</h2>
    <p>
      Flagged when the project asked for registration: another project at the same site, of the same
      technology, with a participant in common. The project cannot be registered while a flag is
      open; a flag concluded "duplicate" keeps it from registration, and the Joint Committee rejects
      the request.
    </p>
    ${table(
      ['Flag', 'Other project', 'Grounds', 'Raised', 'Conclusion'],
      flags.map((f) => [
        f.id,
        html`<a href="/office/items/${f.other}">${f.otherReference ?? f.other}</a>
          ${f.otherTitle ?? ''} (${f.otherState.replaceAll('_', ' ')})`,
        groundsWords(f.grounds),
        instant(f.raisedAt),
        f.state === 'open'
          ? 'open'
          : `${f.state.replace('_', ' ')}${f.reason === null ? '' : `: ${f.reason}`} (${f.concludedBy ?? ''})`,
      ]),
    )}
    ${
      open.length === 0
        ? ''
        : actionPanel(
            session,
            concludePath(id),
            'Conclude on a possible duplicate',
            html`<label for="dc-flag"
                >Flag<select id="dc-flag" name="flag">
                  ${open.map((f) => html`<option value="${f.id}">${f.id}: ${f.other}</option>`)}
                </select></label
              >
              <label for="dc-conclusion"
                >Conclusion<select id="dc-conclusion" name="conclusion">
                  <option value="not_duplicate">not a duplicate</option>
                  <option value="duplicate">a duplicate</option>
                </select></label
              >
              <label for="dc-reason"
                >Reason (required for "not a duplicate")<textarea
                  id="dc-reason"
                  name="reason"
                ></textarea>
              </label>
              <button type="submit">Conclude</button>`,
            3,
          )
    }`;
}

/**
 * The double-counting sections of a project's item page: its registrations elsewhere with the form
 * to record one, and its possible duplicates (for the secretariat and the Joint Committee).
 */
export async function doubleCountingSections(
  platform: Platform,
  session: OfficeSession,
  item: { id: string; machine: string; partnership: string; data: Record<string, unknown> },
): Promise<Html | ''> {
  if (item.machine !== 'project') return '';
  // The form is offered to those the service lets record: the stored project's participants and
  // the secretariat of its partnership (the service decides again on the posted form).
  const records =
    recordingRole(session.actor, {
      ...item,
      project: (item.data['project'] as ProjectData | undefined) ?? null,
    }) !== null;
  const [registrations, flags] = await Promise.all([
    platform.externalRegistrations.list(item.id),
    platform.externalRegistrations.flags(session.actor, item.id),
  ]);
  const current = registrations.ok ? registrations.value : [];
  return html`${flagsSection(session, item.id, flags)}
    <h2>Registrations in other mechanisms</h2>
    ${registrationsTable(current)}
    ${
      records
        ? actionPanel(
            session,
            recordPath(item.id),
            'Record a registration in another mechanism',
            recordFields(current),
            3,
          )
        : ''
    }`;
}
