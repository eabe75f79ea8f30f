// The AEF on a Party's page: the files of the year (XLSX with one sheet per table, JSON with the
// checks, one CSV per table) and the result of the reviewer's consistency checks, each failed check
// by its code with the rows it names, or that all of them pass.
import { html } from 'hono/html';
import { aefCheckCodes, type AefCheckFailure } from '../core/article6/aef-checks.ts';
import { aefTable } from '../core/article6/aef-description.ts';
import { errorCodes } from '../core/shared/error-codes.ts';
import type { Result } from '../core/shared/result.ts';
import type { AefReport } from '../services/article6-reads.ts';
import type { Platform } from '../services/platform.ts';
import { type Html } from './layout.ts';

/** The number of consistency checks the platform runs on an AEF. */
export const aefCheckCount = Object.keys(aefCheckCodes).length;

export function aefHref(party: string, year: number, file: 'xlsx' | 'json' | string): string {
  return file === 'xlsx' || file === 'json'
    ? `/article6/aef/${party}/${year}.${file}`
    : `/article6/aef/${party}/${year}/${file}.csv`;
}

function rowsWords(rows: readonly number[]): string {
  if (rows.length === 0) return 'the table as a whole';
  const shown = rows.slice(0, 20).map((r) => String(r + 1));
  return `row${rows.length === 1 ? '' : 's'} ${shown.join(', ')}${rows.length > 20 ? ` and ${rows.length - 20} more` : ''}`;
}

function checksWords(platform: Platform, failures: readonly AefCheckFailure[]): Html {
  if (failures.length === 0)
    return html`<p role="status" id="aef-checks">All ${aefCheckCount} checks pass.</p>`;
  const d = platform.article6.description;
  return html`<div role="alert" id="aef-checks">
    <p>${failures.length} of the checks fail${failures.length === 1 ? 's' : ''}:</p>
    <ul>
      ${failures.map(
        (f) =>
          html`<li>
            <strong>${f.code}</strong>: ${aefCheckCodes[f.code]} In ${aefTable(d, f.table).label},
            ${rowsWords(f.rows)} (counted from the first row under the heading): ${f.message}.
          </li>`,
      )}
    </ul>
  </div>`;
}

export function aefSection(
  platform: Platform,
  party: string,
  year: number,
  aef: Result<AefReport>,
): Html {
  const d = platform.article6.description;
  const heading = html`<h2 id="aef">The AEF of ${year}</h2>`;
  if (!aef.ok)
    return html`${heading}
      <div role="alert">
        <p>${errorCodes[aef.error.code]} (${aef.error.code})</p>
        <p>${aef.error.message}</p>
      </div>`;
  const tables = aef.value.tables;
  return html`${heading}
    <p>
      The agreed electronic format (AEF) of the annual information for ${year}, due by 15 April
      ${year + 1} (decision 2/CMA.3, annex, paragraph 20), generated from the actions, holdings and
      authorisations above. Format: ${d.title}, edition ${d.version}; source: ${d.source.title},
      ${d.source.publisher}, ${d.source.date}.
    </p>
    <ul>
      <li>
        <a href="${aefHref(party, year, 'xlsx')}" download>All tables as XLSX</a> (one sheet a
        table)
      </li>
      <li>
        <a href="${aefHref(party, year, 'json')}" download>All tables as JSON</a>, with the result
        of the checks
      </li>
      ${d.tables.map(
        (t) =>
          html`<li>
            <a href="${aefHref(party, year, t.key)}" download>${t.label} as CSV</a>
            (${tables[t.key].length} row${tables[t.key].length === 1 ? '' : 's'})
          </li>`,
      )}
    </ul>
    <h3>Consistency checks</h3>
    <p>
      The checks a reviewer runs: every action traceable to journal entries, holdings at 31 December
      equal to the registry's, identifiers in order and not overlapping, used or cancelled units no
      longer held, unchanged unit attributes, authorisations that exist and cover the vintage,
      purpose and quantity, required fields present and controlled values valid.
    </p>
    ${checksWords(platform, aef.value.failures)}`;
}
