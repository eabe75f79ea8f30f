// A project's page, its registrations in other mechanisms in plain words: where else the same
// activity is (or was) registered, under which identifier and crediting period, and whether that
// registration is active or cancelled for a period; the JCM issues nothing for days it credits.
import { html } from 'hono/html';
import { readableDate } from '../core/shared/readable.ts';
import type { PublicRegistration } from '../services/external-registrations.ts';
import { table, type Html } from './layout.ts';

const period = (p: { start: string; end: string }) =>
  `${readableDate(p.start)} to ${readableDate(p.end)}`;

function status(r: PublicRegistration): string {
  return r.cancellation === null
    ? 'Active'
    : `Cancelled for ${period(r.cancellation.period)} (cancellation ${r.cancellation.reference})`;
}

/** The registrations elsewhere of a project, with how the JCM treats them. */
export function registrationsElsewhere(project: string, list: readonly PublicRegistration[]): Html {
  if (list.length === 0)
    return html`<p>No registration of this project in another mechanism is recorded.</p>`;
  return html`<p>
      The same activity is, or was, registered in another mechanism. No JCM credits are issued for a
      monitoring period that overlaps the crediting period of an active registration elsewhere; a
      registration cancelled for a period no longer counts for that period.
    </p>
    ${table(
      ['Mechanism', 'Identifier', 'Activity', 'Crediting period', 'Status', 'Recorded by'],
      list.map((r) => [
        r.mechanismWords,
        r.identifier,
        r.activity,
        period(r.creditingPeriod),
        status(r),
        `${r.recordedBy}, ${readableDate(r.recordedAt.slice(0, 10))} (version ${r.version})`,
      ]),
      'Registrations of this project in other mechanisms',
    )}
    <p class="note">
      Every version, with its evidence:
      <a href="/api/v1/projects/${project}/external-registrations">JSON</a>.
    </p>`;
}
