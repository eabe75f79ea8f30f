// The reports Japan's registry publishes: holdings per entity account, amount per account type and
// the annual transaction summary, as data (the portal's pages and the API's JSON) and as files
// (CSV, XLSX, PDF). The synthetic demo's credits are kept apart: its rows are flagged, and the
// totals of the real registry never count them.
import { japanRegistryId, parseRegistryId, type RegistryId } from '../core/shared/ids.ts';
import { assert } from '../core/shared/assert.ts';
import { csvField, toCsv } from '../core/shared/csv.ts';
import { afterKey, pageLimit, type Page } from '../core/shared/page.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { PortalQueries } from '../db/portal-queries.ts';
import { holdingKey, type AccountTypeRow, type AnnualRow } from '../db/registry-report-queries.ts';
import { pdfTableRowsMax } from '../formats/pdf/render-pdf.ts';
import { reportPdf } from '../formats/registry-report-pdf.ts';
import { reportXlsx, type ReportCell, type ReportTable } from '../formats/registry-report-xlsx.ts';
import type { Db } from '../db/connect.ts';
import { HistoryQueries } from '../db/history-queries.ts';
import { RegistryReportQueries } from '../db/registry-report-queries.ts';
import { Histories, type PageRequest } from './histories.ts';
import {
  holdingCells,
  holdingColumns,
  holdingCsvParts,
  holdingPages,
  type Holding,
} from './holdings-report.ts';

export type { ReportTable } from '../formats/registry-report-xlsx.ts';
export type { AnnualRow } from '../db/registry-report-queries.ts';
export type { Holding } from './holdings-report.ts';
export { streamOf } from './holdings-report.ts';

export const reportNames = ['holdings', 'account-types', 'annual'] as const;
export type ReportName = (typeof reportNames)[number];
export const reportFormats = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/**
 * A report file built in memory (XLSX; a PDF holds fewer) holds at most this many rows: the holdings
 * of a large registry are refused there, and taken as CSV, which is written a page at a time.
 */
export const reportRowsMax = 200_000;

export interface AccountTypeTotal {
  readonly registry: string;
  readonly accountType: string;
  readonly quantity: bigint;
  readonly blocks: bigint;
}
export interface Split<T> {
  /** What the registry's figures count: the credits of real projects. */
  readonly real: readonly T[];
  /** The synthetic demo's, shown only under its label. */
  readonly synthetic: readonly T[];
}

export interface ReportFile {
  readonly mediaType: string;
  readonly fileName: string;
  /**
   * The file's bytes a part at a time: the holdings CSV one part per page of holdings, each read
   * only when the reader takes the part before (src/services/holdings-report.ts); the others, built
   * in memory within their limits, in one part.
   */
  readonly parts: AsyncIterable<Uint8Array>;
}

async function* onePart(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

const reportTitles: Record<ReportName, string> = {
  holdings: 'Holdings per entity account',
  'account-types': 'Amount per account type',
  annual: 'Annual transaction summary',
};

const mediaTypes: Record<Exclude<ReportFormat, 'json'>, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

function sumBy<T>(rows: readonly T[], key: (r: T) => string, add: (a: T, b: T) => T): T[] {
  const totals = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const known = totals.get(k);
    totals.set(k, known === undefined ? r : add(known, r));
  }
  return [...totals.values()];
}

export class RegistryReports {
  constructor(
    private readonly queries: RegistryReportQueries,
    private readonly portal: PortalQueries,
    private readonly now: () => Date,
  ) {}

  private async registry(raw: string | undefined): Promise<Result<RegistryId>> {
    const id = parseRegistryId(raw ?? japanRegistryId);
    if (!id.ok) return id;
    if (!(await this.queries.registryExists(id.value)))
      return reject('registry_not_found', `no registry ${id.value}`);
    return id;
  }

  private syntheticProjects(): Promise<ReadonlySet<string>> {
    return this.portal.syntheticReferences();
  }

  /** Holdings per account of a registry (Japan's by default), a page at a time. */
  async holdings(registryRaw: string | undefined, request: PageRequest) {
    const registry = await this.registry(registryRaw);
    if (!registry.ok) return registry;
    const after = afterKey(request, holdingKey);
    if (!after.ok) return after;
    const page = await this.queries.holdings(registry.value, after.value, pageLimit(request));
    const synthetic = await this.syntheticProjects();
    return ok({
      registry: registry.value,
      items: page.items.map((h) => ({ ...h, synthetic: synthetic.has(h.project) })),
      next: page.next,
    } satisfies Page<Holding> & { registry: string });
  }

  /** Credits per registry and account type (one registry, or all when none is named). */
  async accountTypes(registryRaw: string | undefined): Promise<Result<Split<AccountTypeTotal>>> {
    const registry = registryRaw === undefined ? ok(null) : await this.registry(registryRaw);
    if (!registry.ok) return registry;
    const [rows, synthetic] = await Promise.all([
      this.queries.accountTypes(registry.value),
      this.syntheticProjects(),
    ]);
    const part = (isSynthetic: boolean) =>
      sumBy(
        rows
          .filter((r) => synthetic.has(r.project) === isSynthetic)
          .map(({ project: _, ...r }: AccountTypeRow) => r),
        (r) => `${r.registry} ${r.accountType}`,
        (a, b) => ({ ...a, quantity: a.quantity + b.quantity, blocks: a.blocks + b.blocks }),
      );
    return ok({ real: part(false), synthetic: part(true) });
  }

  /**
   * Entries and credits per registry, year and kind of movement; the demo's counted apart. Credits
   * go to the part of their project; an entry counts once, in the demo's part only when it moved
   * nothing but the demo's credits (so an entry that mixes both is the registry's).
   */
  async annual(registryRaw: string | undefined): Promise<Result<Split<AnnualRow>>> {
    const registry = registryRaw === undefined ? ok(null) : await this.registry(registryRaw);
    if (!registry.ok) return registry;
    const [all, demo] = await Promise.all([
      this.queries.annual(registry.value),
      this.queries.annualSynthetic(registry.value),
    ]);
    const key = (r: AnnualRow) => `${r.registry} ${r.year} ${r.kind}`;
    const demoBy = new Map(demo.map((r) => [key(r), r]));
    const real = all
      .map((r) => {
        const d = demoBy.get(key(r));
        if (d === undefined) return r;
        assert(
          d.entries <= r.entries && d.quantity <= r.quantity,
          `the demo's share of ${key(r)} is within its total`,
        );
        return { ...r, entries: r.entries - d.entries, quantity: r.quantity - d.quantity };
      })
      .filter((r) => r.entries > 0n || r.quantity > 0n);
    return ok({ real, synthetic: demo });
  }

  /** A report as tables: the registry's figures, then the synthetic demo's under its label. */
  async tables(
    name: ReportName,
    registryRaw: string | undefined,
    /** Holdings: refused beyond this many rows, found out after reading one more, not all. */
    rowsMax = reportRowsMax,
  ): Promise<Result<ReportTable[]>> {
    if (name === 'holdings') return this.holdingTables(registryRaw, rowsMax);
    if (name === 'account-types') {
      const report = await this.accountTypes(registryRaw);
      if (!report.ok) return report;
      const table = (title: string, rows: readonly AccountTypeTotal[]): ReportTable => ({
        title,
        columns: ['registry', 'account type', 'credits', 'blocks'],
        rows: rows.map((r) => [r.registry, r.accountType, r.quantity, r.blocks]),
      });
      return ok([
        table(reportTitles['account-types'], report.value.real),
        table('Synthetic demo data (not real credits)', report.value.synthetic),
      ]);
    }
    const report = await this.annual(registryRaw);
    if (!report.ok) return report;
    const table = (title: string, rows: readonly AnnualRow[]): ReportTable => ({
      title,
      columns: ['registry', 'year', 'kind', 'entries', 'credits'],
      rows: rows.map((r) => [r.registry, r.year, r.kind, r.entries, r.quantity]),
    });
    return ok([
      table(reportTitles.annual, report.value.real),
      table('Synthetic demo data (not real credits)', report.value.synthetic),
    ]);
  }

  /**
   * Every holding of a registry, read a page at a time, up to `rowsMax` rows (the files built in
   * memory); the registry and the synthetic projects looked up once, not once per page.
   */
  private async holdingTables(
    registryRaw: string | undefined,
    rowsMax: number,
  ): Promise<Result<ReportTable[]>> {
    const registry = await this.registry(registryRaw);
    if (!registry.ok) return registry;
    const synthetic = await this.syntheticProjects();
    const rows: ReportCell[][] = [];
    for await (const page of holdingPages(this.queries, registry.value, synthetic)) {
      for (const h of page) rows.push(holdingCells(h));
      if (rows.length > rowsMax)
        return reject(
          'report_too_large',
          rowsMax < reportRowsMax
            ? `a PDF table holds at most ${rowsMax} rows; take the CSV or XLSX`
            : `the report has more than ${rowsMax} rows; take the CSV, or read it a page at a time from the API`,
        );
    }
    return ok([{ title: reportTitles.holdings, columns: [...holdingColumns], rows }]);
  }

  /** The holdings CSV, any number of rows, made a page at a time as it is read. */
  private async holdingsCsv(registryRaw: string | undefined): Promise<Result<ReportFile>> {
    const registry = await this.registry(registryRaw);
    if (!registry.ok) return registry;
    const synthetic = await this.syntheticProjects();
    return ok({
      mediaType: mediaTypes.csv,
      fileName: `holdings-${registry.value}.csv`,
      parts: holdingCsvParts(holdingPages(this.queries, registry.value, synthetic)),
    });
  }

  /** A report as a file to download. */
  async file(
    name: ReportName,
    format: Exclude<ReportFormat, 'json'>,
    registryRaw: string | undefined,
  ): Promise<Result<ReportFile>> {
    if (name === 'holdings' && format === 'csv') return this.holdingsCsv(registryRaw);
    // A PDF table's limit is known before reading: a large registry's PDF is refused after
    // pdfTableRowsMax + 1 rows, not after reading up to reportRowsMax of them.
    const tables = await this.tables(
      name,
      registryRaw,
      format === 'pdf' ? Math.min(pdfTableRowsMax, reportRowsMax) : reportRowsMax,
    );
    if (!tables.ok) return tables;
    const fileName = `${name}-${registryRaw ?? (name === 'holdings' ? 'JP' : 'all')}.${format}`;
    const at = (bytes: Uint8Array) =>
      ok({ parts: onePart(bytes), mediaType: mediaTypes[format], fileName });
    if (format === 'xlsx') return at(await reportXlsx(tables.value));
    if (format === 'pdf') {
      if (tables.value.some((t) => t.rows.length > pdfTableRowsMax))
        return reject(
          'report_too_large',
          `a PDF table holds at most ${pdfTableRowsMax} rows; take the CSV or XLSX`,
        );
      const scope = `Registry: ${registryRaw ?? (name === 'holdings' ? 'JP' : 'all registries')}`;
      return at(await reportPdf(reportTitles[name], scope, tables.value, this.now()));
    }
    // One CSV holds one table: the registry's figures with the demo's rows after them, labelled.
    const [first, ...rest] = tables.value;
    const columns = [...(first?.columns ?? []), ...(rest.length > 0 ? ['table'] : [])];
    const rows = tables.value.flatMap((t) =>
      t.rows.map((r) =>
        Object.fromEntries(columns.map((c, i) => [c, i < r.length ? r[i] : t.title] as const)),
      ),
    );
    const text = rows.length === 0 ? `${columns.map(csvField).join(',')}\r\n` : toCsv(rows);
    return at(new TextEncoder().encode(text));
  }
}

/** The histories and the reports over an open database (the platform's wiring). */
export function registryReads(db: Db, portal: PortalQueries, now: () => Date) {
  return {
    histories: new Histories(new HistoryQueries(db), portal),
    registryReports: new RegistryReports(new RegistryReportQueries(db), portal, now),
  };
}
