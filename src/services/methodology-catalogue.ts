// The methodology catalogue: the methodology files of the repository (illustrative entries), compiled
// once at start, and the entries Joint Committees adopted through the project cycle (stored in the
// database with their decision, compiled once when first seen); and what people do with them: list, show with readable equations, find, estimate, generate
// the monitoring spreadsheet, and calculate a monitoring report from a workbook, a CSV or JSON.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import { estimateAnnual, findMethodologies, type FindQuery } from '../core/methodology/estimate.ts';
import { renderEquation } from '../core/methodology/render.ts';
import type { MethodologyEntryRow } from '../db/methodology-entries.ts';
import { sha256Hex } from '../db/sha256.ts';
import { exampleReport, prefillFrom } from '../formats/example-report.ts';
import { readMethodologyText, type LocatedIssue } from '../formats/methodology-file.ts';
import {
  templateRowsMax,
  writeMonitoringWorkbook,
  type Prefill,
  type WorkbookLayout,
} from '../formats/monitoring-workbook.ts';
import { declaredRefusal } from '../formats/xlsx-archive.ts';
import {
  calculateReport,
  refusedWith,
  type Calculated,
  type MonitoringInput,
} from './calculation.ts';
import { CalculationPool, type PoolOptions } from './calculation-pool.ts';

/** The catalogue of this repository. */
export const defaultMethodologiesDir = join(import.meta.dirname, '..', '..', 'methodologies');

// The file formats the API and the CLI read and write, through this service.
export { reportFromShape } from '../formats/example-report.ts';
export { readMethodologyText } from '../formats/methodology-file.ts';
export type { WorkbookLayout } from '../formats/monitoring-workbook.ts';

export class CatalogueInvalid extends Error {
  constructor(readonly issues: readonly LocatedIssue[]) {
    super(
      `the methodology catalogue has errors:\n${issues.map((i) => `  ${i.where}: ${i.code}: ${i.message}`).join('\n')}`,
    );
  }
}

export type { Calculated, MonitoringInput } from './calculation.ts';

/** How an entry was adopted: the Joint Committee decision, its date and the proposal it came from. */
export interface Adoption {
  readonly decision: string;
  readonly adoptedAt: string;
  readonly proposal: string;
  readonly partnership: string;
}

/** Where adopted entries are read from (the database). */
export interface AdoptedSource {
  keys(): Promise<string[]>;
  entries(keys: readonly string[]): Promise<MethodologyEntryRow[]>;
}

export interface MethodologySummary {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly status: string;
  /** Present for an entry a Joint Committee adopted through the cycle. */
  readonly adoption?: Adoption;
  readonly partnerCountries: readonly string[];
  readonly sectoralScopes: readonly number[];
  readonly greenhouseGases: readonly string[];
}

function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

export class MethodologyCatalogue {
  private readonly adopted = new Map<string, { m: CompiledMethodology; adoption: Adoption }>();
  private source: AdoptedSource | null = null;

  private constructor(
    private readonly files: readonly CompiledMethodology[],
    private readonly pool: CalculationPool | null,
  ) {}

  /** The files' entries, then the adopted ones (an adopted entry wins over a file of the same key). */
  private get all(): readonly CompiledMethodology[] {
    const adopted = [...this.adopted.values()].map((a) => a.m);
    const keys = new Set(adopted.map((m) => `${m.file.id} ${m.file.version}`));
    return [...this.files.filter((m) => !keys.has(`${m.file.id} ${m.file.version}`)), ...adopted];
  }

  /** Ids of the repository's files (an adopted entry takes a number after them). */
  fileIds(): string[] {
    return [...new Set(this.files.map((m) => m.file.id))];
  }

  /** Reads adopted entries from this source from now on (see refresh). */
  attach(source: AdoptedSource): void {
    this.source = source;
  }

  /** Takes in the entries adopted since the last look (one cheap query when nothing is new). */
  async refresh(): Promise<void> {
    if (this.source === null) return;
    const fresh = (await this.source.keys()).filter((k) => !this.adopted.has(k));
    if (fresh.length === 0) return;
    for (const row of await this.source.entries(fresh)) {
      const read = readMethodologyText(row.file, `${row.id} version ${row.version} (adopted)`);
      // Each entry compiled when it was adopted; one that no longer compiles is left out, not served.
      if (!read.ok) continue;
      this.adopted.set(`${row.id} ${row.version}`, {
        m: read.methodology,
        adoption: {
          decision: row.decision,
          adoptedAt: row.adoptedAt,
          proposal: row.item,
          partnership: row.partnership,
        },
      });
    }
  }

  // The API's reads (issue 15, the per-request path): one look at the adopted entries serves every
  // read for maxAgeMs, unless a write of this process finished since (then the next read looks again).
  #recent: { readonly at: number; readonly writes: number; readonly run: Promise<void> } | null =
    null;
  #writes = 0;

  /** How many adopted entries the catalogue holds: the list changes only when this grows. */
  get adoptedCount(): number {
    return this.adopted.size;
  }

  /** A write of this process finished: it may have adopted an entry, so the next read looks again. */
  writeFinished(): void {
    this.#writes += 1;
  }

  /**
   * refresh(), shared by the reads of maxAgeMs (at `now`, milliseconds): entries another process
   * adopted show within maxAgeMs, those of this process at once (writeFinished). A failed look is
   * not shared: the next read tries again.
   */
  refreshRecent(maxAgeMs: number, now: number): Promise<void> {
    const recent = this.#recent;
    if (recent !== null && recent.writes === this.#writes && now - recent.at < maxAgeMs)
      return recent.run;
    const run = this.refresh();
    const entry = { at: now, writes: this.#writes, run };
    this.#recent = entry;
    run.catch(() => {
      if (this.#recent === entry) this.#recent = null;
    });
    return run;
  }

  /** How an entry was adopted, or undefined for the repository's illustrative files. */
  adoptionOf(id: string, version: string): Adoption | undefined {
    return this.adopted.get(`${id} ${version}`)?.adoption;
  }

  /**
   * Reads every .yaml, .yml and .json file of the folder; refuses to start on any error. With pool
   * options (the server's platform), files are calculated in a pool of workers; without (the CLI's
   * catalogue, a process that serves nobody else), on the calling thread, after the same
   * inspection of the archive.
   */
  static async load(dir: string, poolOptions?: PoolOptions): Promise<MethodologyCatalogue> {
    const names = (await readdir(dir)).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
    const issues: LocatedIssue[] = [];
    const compiled: CompiledMethodology[] = [];
    for (const name of names) {
      const read = readMethodologyText(
        await readFile(join(dir, name), 'utf8'),
        join('methodologies', name),
      );
      if (read.ok) compiled.push(read.methodology);
      else issues.push(...read.issues);
    }
    const seen = new Set<string>();
    for (const m of compiled) {
      const key = `${m.file.id} ${m.file.version}`;
      // Approval is a Joint Committee's decision, stored with the entry it adopted; a file in the
      // repository cannot claim it (it is illustrative or a draft).
      if (m.file.status === 'approved')
        issues.push({
          code: 'methodology_schema_invalid',
          message: `${key}: status approved comes only from a Joint Committee's adoption through the cycle; a repository file is illustrative or draft`,
          where: join('methodologies', `${m.file.id}.yaml`),
        });
      if (seen.has(key))
        issues.push({
          code: 'methodology_symbol_duplicate',
          message: `${key} appears in two files`,
          where: dir,
        });
      seen.add(key);
    }
    if (issues.length > 0) throw new CatalogueInvalid(issues);
    const pool = poolOptions === undefined ? null : new CalculationPool(poolOptions);
    return new MethodologyCatalogue(compiled, pool);
  }

  /** The newest version of each methodology, by id. */
  list(): MethodologySummary[] {
    const latest = new Map<string, CompiledMethodology>();
    for (const m of this.all) {
      const current = latest.get(m.file.id);
      if (current === undefined || compareVersions(m.file.version, current.file.version) > 0)
        latest.set(m.file.id, m);
    }
    return [...latest.values()]
      .sort((a, b) => a.file.id.localeCompare(b.file.id))
      .map((m) => summary(m, this.adoptionOf(m.file.id, m.file.version)));
  }

  versions(id: string): string[] {
    return this.all
      .filter((m) => m.file.id === id)
      .map((m) => m.file.version)
      .sort(compareVersions);
  }

  get(id: string, version?: string): CompiledMethodology | undefined {
    const candidates = this.all.filter(
      (m) => m.file.id === id && (version === undefined || m.file.version === version),
    );
    return candidates.sort((a, b) => compareVersions(b.file.version, a.file.version))[0];
  }

  /** A methodology as people read it: its file, with every equation and condition rendered. */
  describe(methodology: CompiledMethodology) {
    const file = methodology.file;
    return {
      ...summary(methodology, this.adoptionOf(file.id, file.version)),
      versions: this.versions(file.id),
      file,
      rendered: {
        equations: methodology.equations.map((e) => ({
          symbol: e.def.symbol,
          text: renderEquation(e.def.symbol, e.def.expression),
          unit: e.def.unit,
          description: e.def.description,
        })),
        evaluationOrder: methodology.equations.map((e) => e.def.symbol),
      },
    };
  }

  find(query: FindQuery) {
    return findMethodologies(this.latest(), query);
  }

  estimate(methodology: CompiledMethodology, inputs: Readonly<Record<string, string>>) {
    return estimateAnnual(methodology, inputs, sha256Hex);
  }

  /** Finds the methodologies for a query and estimates each one for which the size inputs suffice. */
  findAndEstimate(query: FindQuery, inputs: Readonly<Record<string, string>>) {
    return this.find(query).map((finding) => {
      const methodology = this.get(finding.id, finding.version) as CompiledMethodology;
      const estimated = this.estimate(methodology, inputs);
      return {
        ...finding,
        sizeInputs: methodology.file.estimate.inputs,
        estimate: estimated.ok ? estimated.estimate : null,
        estimateIssues: estimated.ok ? [] : estimated.issues,
      };
    });
  }

  /**
   * A monitoring report calculated. Files are read and calculated in the bounded worker pool; a
   * workbook is first refused here if its archive declares too much (no inflation, no parsing).
   */
  async calculate(methodology: CompiledMethodology, input: MonitoringInput): Promise<Calculated> {
    if (input.kind === 'report' || input.kind === 'example')
      return calculateReport(methodology, input);
    if (input.kind === 'xlsx') {
      const refusal = declaredRefusal(input.bytes);
      if (refusal !== null) return refusedWith(refusal);
    }
    return this.pool === null
      ? calculateReport(methodology, input)
      : this.pool.run(methodology, input);
  }

  /** Stops the calculation workers. */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** The monitoring workbook; by default laid out (and, with `fill`, filled) like the worked example. */
  async template(
    methodology: CompiledMethodology,
    options: { layout?: WorkbookLayout; fill?: 'example'; prefill?: Prefill } = {},
  ): Promise<Buffer> {
    const example = methodology.file.example;
    const layout = options.layout ?? {
      points: example.monitoring_points,
      periods: example.periods,
    };
    if (layout.points.length * layout.periods.length > templateRowsMax) {
      throw new RangeError(`a template has at most ${templateRowsMax} rows of monitoring`);
    }
    const prefill =
      options.fill === 'example' ? prefillFrom(exampleReport(methodology)) : options.prefill;
    return writeMonitoringWorkbook(methodology, layout, prefill);
  }

  private latest(): CompiledMethodology[] {
    return this.list().map((s) => this.get(s.id, s.version) as CompiledMethodology);
  }
}

function summary(m: CompiledMethodology, adoption?: Adoption): MethodologySummary {
  return {
    ...(adoption === undefined ? {} : { adoption }),
    id: m.file.id,
    version: m.file.version,
    title: m.file.title,
    status: m.file.status,
    partnerCountries: m.file.partner_countries,
    sectoralScopes: m.file.sectoral_scopes,
    greenhouseGases: m.file.greenhouse_gases,
  };
}
