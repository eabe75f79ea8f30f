// Open data: each dataset of the portal as CSV, XLSX and JSON, with its source in the file. The
// projects and the decisions are read through their paged lists, a page of the largest size at a
// time, each page costing the same.
import { html } from 'hono/html';
import { assert } from '../core/shared/assert.ts';
import { pageSizeMax, type Page } from '../core/shared/page.ts';
import type { Result } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import { page, table, type Html } from './layout.ts';

type Row = Record<string, string | number | null>;

/** Every row of a paged list, read a page of `pageSizeMax` at a time after the previous one. */
async function allPages<T>(
  read: (request: { after?: string; limit: number }) => Promise<Result<Page<T>>>,
): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  do {
    const page: Result<Page<T>> = await read(
      after === null ? { limit: pageSizeMax } : { after, limit: pageSizeMax },
    );
    // The cursors are the list's own: a refusal here is a bug, not bad input.
    assert(page.ok, `a download's page was refused: ${page.ok ? '' : page.error.code}`);
    rows.push(...page.value.items);
    after = page.value.next;
  } while (after !== null);
  return rows;
}

export const datasets: Readonly<
  Record<string, { title: string; rows: (platform: Platform) => Promise<Row[]> }>
> = {
  projects: {
    title: 'Projects in the project cycle',
    rows: async (platform) =>
      (await allPages((r) => platform.portal.projects({}, r))).map((p) => ({
        id: p.id,
        reference: p.reference,
        partnership: p.partnership,
        status: p.state,
        title: p.title,
        programme: p.programme,
        sectoral_scopes: p.sectoralScopes.join(' '),
        methodology: p.methodology,
        expected_tco2_per_year: p.expectedPerYear,
        latitude: p.latitude,
        longitude: p.longitude,
        synthetic_demo_data: p.synthetic ? 'yes' : 'no',
      })),
  },
  decisions: {
    title: 'Joint Committee decisions',
    rows: async (platform) =>
      (await allPages((r) => platform.portal.decisions(r))).map((r) => {
        const d = r.data as {
          subject?: { item: string; action: string; text: string };
          adoptedAt?: string;
          method?: string;
        };
        return {
          id: r.id,
          partnership: r.partnership,
          status: r.state,
          subject_item: d.subject?.item ?? null,
          subject_action: d.subject?.action ?? null,
          text: d.subject?.text ?? null,
          adopted_at: d.adoptedAt ?? null,
          method: d.method ?? null,
          synthetic_demo_data: r.synthetic ? 'yes' : 'no',
        };
      }),
  },
  'registry-statistics': {
    title: 'Credits by registry and account type',
    rows: async (platform) => {
      const stats = await platform.portal.statistics();
      // Each row says whether it counts synthetic demo data, which no headline includes.
      return (['real', 'synthetic'] as const).flatMap((part) =>
        stats[part].byAccountType.map((r) => ({
          registry: r.registry,
          account_type: r.accountType,
          credits: String(r.quantity),
          synthetic_demo_data: part === 'synthetic' ? 'yes' : 'no',
        })),
      );
    },
  },
  partnerships: {
    title: 'Partner countries and signing dates',
    rows: async (platform) => (await platform.portal.partnerships()).map((r) => ({ ...r })),
  },
  'historical-projects': {
    title: 'Projects financed 2013-2019 (reference data)',
    rows: async (platform) =>
      (await platform.portal.historicalProjects()).map((r) => ({
        ...r,
        expected_reduction_tco2_per_year:
          r.expected_reduction_tco2_per_year === null
            ? null
            : String(r.expected_reduction_tco2_per_year),
      })),
  },
};

export function downloadsPage(): Html {
  const body = html`<p>
      Every dataset of the portal, free to reuse. Quantities are whole tCO2e written as text.
    </p>
    ${table(
      ['Dataset', 'CSV', 'XLSX', 'JSON'],
      Object.entries(datasets).map(([name, d]) => [
        d.title,
        ...['csv', 'xlsx', 'json'].map(
          (ext) => html`<a href="/downloads/${name}.${ext}">${name}.${ext}</a>`,
        ),
      ]),
    )}`;
  return page('Downloads', '/downloads', body);
}

export async function toXlsx(
  title: string,
  rows: readonly Row[],
): Promise<Uint8Array<ArrayBuffer>> {
  // Loaded on first use: a start does not pay for it.
  const book = new (await import('exceljs')).default.Workbook();
  const sheet = book.addWorksheet('data');
  const columns = Object.keys(rows[0] ?? {});
  sheet.addRow(columns).font = { bold: true };
  for (const r of rows) sheet.addRow(columns.map((c) => r[c] ?? null));
  const about = book.addWorksheet('about');
  about.addRow(['Dataset', title]);
  about.addRow([
    'Source',
    'JCM platform: the registries and the project cycle; reference data name their source in a column',
  ]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}
