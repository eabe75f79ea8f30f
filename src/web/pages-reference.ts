// The reference data, browsable: the sectoral scopes, the greenhouse gases, India's list of
// activities eligible for Article 6.2 and the methodologies approved by 2019, each with its source.
// The partner countries and the projects financed 2013-2019 have pages of their own.
import { html } from 'hono/html';
import type { Platform } from '../services/platform.ts';
import { page, table, type Html } from './layout.ts';

type Rows = readonly Record<string, unknown>[];

/** Each browsable table: its title, what it is, its columns (heading and field) and row order. */
const tables = {
  'sectoral-scopes': {
    title: 'Sectoral scopes',
    about:
      'The sectoral scopes of the JCM: fifteen based on those of the Clean Development Mechanism, and one for CCS and CCUS added with the CCS/CCUS guidelines.',
    columns: [
      ['#Number', 'number'],
      ['Sectoral scope', 'scope'],
    ],
  },
  'greenhouse-gases': {
    title: 'Greenhouse gases',
    about: 'The greenhouse gases a JCM project may reduce.',
    columns: [
      ['Formula', 'formula'],
      ['Gas', 'name'],
    ],
  },
  'india-article6-activities': {
    title: "India's activities eligible for Article 6.2",
    about:
      'Activities the Ministry of Environment, Forest and Climate Change of India lists as eligible for trading of carbon credits under Article 6.2.',
    columns: [
      ['#Number', 'number'],
      ['Category', 'category'],
      ['Activity', 'activity'],
    ],
  },
  'methodologies-2019': {
    title: 'Methodologies approved by October 2019',
    about:
      'The JCM methodologies approved by the Joint Committees as of 31 October 2019, with the number of approved projects using each (spelling as printed in the source).',
    columns: [
      ['Partner country', 'partner_country'],
      ['Title', 'title'],
      ['Type', 'methodology_type'],
      ['#Approved projects', 'approved_projects'],
    ],
  },
} as const;
type Browsable = keyof typeof tables;

const others = [
  ['/partnerships', 'Partner countries and the signing of their bilateral documents'],
  ['/projects/historical', 'Projects financed under the JCM programmes 2013-2019'],
] as const;

export function referenceIndexPage(): Html {
  const body = html`<p>
      Facts about the JCM taken from public documents, each table with its source. They are
      reference data: they name what exists outside this platform and are never counted as credits.
    </p>
    <ul>
      ${Object.entries(tables).map(([name, t]) => html`<li><a href="/reference/${name}">${t.title}</a></li>`)}
      ${others.map(([href, title]) => html`<li><a href="${href}">${title}</a></li>`)}
    </ul>`;
  return page('Reference data', '/reference', body);
}

export async function referencePage(platform: Platform, name: string): Promise<Html | null> {
  if (!Object.hasOwn(tables, name)) return null;
  const t = tables[name as Browsable];
  const rows: Rows = sortedRows(name as Browsable, await platform.reference(name as Browsable));
  const body = html`<p>${t.about}</p>
    ${table(
      t.columns.map(([heading]) => heading),
      rows.map((r) => t.columns.map(([, field]) => String(r[field] ?? ''))),
    )}
    <p class="note">Source: ${String(rows[0]?.['source'] ?? '')}</p>`;
  return page(t.title, '/reference', body);
}

function sortedRows(name: Browsable, rows: Rows): Rows {
  const key = name === 'greenhouse-gases' ? null : name === 'methodologies-2019' ? 'id' : 'number';
  return key === null ? rows : [...rows].sort((a, b) => Number(a[key]) - Number(b[key]));
}
