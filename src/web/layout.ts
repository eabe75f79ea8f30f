// The portal's page frame: a skip link, the site navigation (the current page marked for assistive
// technology), the main landmark and a footer that says where the data comes from.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { countryNames, scopeNames } from './names.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const nav = [
  ['/', 'Overview'],
  ['/partnerships', 'Partnerships'],
  ['/projects', 'Projects'],
  ['/methodologies', 'Methodologies'],
  ['/public-input', 'Public input'],
  ['/decisions', 'Decisions'],
  ['/registry', 'Registry'],
  ['/article6', 'Article 6.2'],
  ['/reference', 'Reference data'],
  ['/serial', 'Serial checker'],
  ['/downloads', 'Downloads'],
  ['/office', 'Back office'],
] as const;

export function page(title: string, path: string, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · JCM platform</title>
        <link rel="stylesheet" href="/static/site.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <nav aria-label="Main">
            <a class="brand" href="/">JCM platform</a>
            ${nav.map(([href, label]) => html`<a href="${href}" ${href === path ? raw(' aria-current="page"') : ''}>${label}</a>`)}
          </nav>
        </header>
        <main id="main">
          <h1>${title}</h1>
          ${body}
        </main>
        <footer class="site">
          <p>
            The Joint Crediting Mechanism between Japan and its partner countries. Figures come from
            the registries' journals and the project cycle of this platform; reference data name
            their source. Records marked "synthetic demo data" are examples, not real projects. Data
            as <a href="/downloads">CSV, XLSX and JSON</a>; the <a href="/api/openapi.json">API</a>.
          </p>
        </footer>
      </body>
    </html>`;
}

/** A number with thousands separators (credits are whole tonnes). */
export function tonnes(value: bigint | number | string): string {
  return BigInt(value).toLocaleString('en-US');
}

/** A registry by its country: "Japan's registry" rather than its code. */
export function registryName(code: string): string {
  if (code === 'JP') return "Japan's registry";
  const name = countryName(code);
  // "the Philippines' registry", not "Philippines's".
  return name.endsWith('s') ? `the ${name}' registry` : `${name}'s registry`;
}

/**
 * A partner country's name from its ISO alpha-2 code, for the countries of the JCM's partnerships;
 * the code itself for one the list lacks. The reference table holds the same names with their source.
 */
export function countryName(code: string): string {
  return countryNames[code] ?? code;
}

/** A sectoral scope by its number and name ("1. Energy industries ..."). */
export function scopeName(scope: number): string {
  const name = scopeNames[scope];
  return name === undefined ? `scope ${scope}` : `${scope}. ${name}`;
}

/** The day of an instant, YYYY-MM-DD (the drivers give timestamps as Date or as text). */
export function day(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

/** An instant to the second, in UTC. */
export function instant(value: unknown): string {
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `${text.slice(0, 19).replace('T', ' ')} UTC`;
}

export type Cell = Html | string;

/**
 * A data table: column headings (a leading `#` right-aligns a numeric column), rows of cells and an
 * optional caption.
 */
export function table(
  columns: readonly string[],
  rows: readonly (readonly Cell[])[],
  caption?: string,
): Html {
  const numeric = columns.map((c) => c.startsWith('#'));
  const cls = (i: number) => (numeric[i] === true ? raw(' class="num"') : '');
  return html`<table>
    ${
      caption === undefined
        ? ''
        : html`<caption class="note">
            ${caption}
          </caption>`
    }
    <thead>
      <tr>
        ${columns.map((c, i) => html`<th scope="col" ${cls(i)}>${numeric[i] === true ? c.slice(1) : c}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            ${r.map((cell, i) => html`<td${cls(i)}>${cell}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}
