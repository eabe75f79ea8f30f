// Article 6.2 reads: approaches, authorisations, a Party's actions, its corresponding adjustments and
// emissions balance, its AEF for a year with the reviewer's consistency checks, and a credit's ITMO
// status. Reports gather from the store and compute in the core (adjustments.ts, aef-tables.ts,
// aef-checks.ts); the registry's own holdings come from its blocks, the AEF's from its actions, so the
// check compares two paths.
import {
  flowsFor,
  correspondingAdjustments,
  type AdjustmentReport,
} from '../core/article6/adjustments.ts';
import { checkAef, type AefCheckFailure } from '../core/article6/aef-checks.ts';
import type { AefDescription } from '../core/article6/aef-description.ts';
import type { AefEntity, AefInput, AefTables } from '../core/article6/aef-input.ts';
import { aefProject } from '../core/article6/aef-projects.ts';
import { buildAefTables } from '../core/article6/aef-tables.ts';
import { holdingsBefore, holdingsFromActions, type HeldRange } from '../core/article6/holdings.ts';
import { formatItmoId } from '../core/article6/itmo-id.ts';
import type { CooperativeApproach, Ndc } from '../core/article6/types.ts';
import type { ChainId, ProjectRef, RegistryId } from '../core/shared/ids.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Article6Queries, ItmoStatus, StoredAction } from '../db/article6-queries.ts';
import type { Article6ReportQueries } from '../db/article6-report-queries.ts';
import type { PartnershipQueries } from '../db/partnership-store.ts';
import { writeAefCsv, writeAefJson, writeAefXlsx } from '../formats/aef-export.ts';

const xlsxMediaType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A Party's actions per page, at most (the store's bound). */
export { actionsPageSizeMax } from '../db/article6-queries.ts';

export interface AefFile {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly fileName: string;
}

export interface AefReport {
  readonly tables: AefTables;
  readonly failures: readonly AefCheckFailure[];
}

export class Article6Reads {
  constructor(
    readonly queries: Article6Queries,
    private readonly reports: Article6ReportQueries,
    private readonly partnerships: PartnershipQueries,
    readonly description: AefDescription,
    private readonly today: () => string,
  ) {}

  /** The Party's NDC whose period contains the year, with its approach. */
  async ndcOf(
    party: string,
    year: number,
  ): Promise<Result<{ ndc: Ndc; approaches: CooperativeApproach[] }>> {
    const approaches = (await this.queries.latestApproaches())
      .map((v) => v.approach)
      .filter((a) => a.parties.includes(party));
    const ndc = approaches
      .flatMap((a) => a.ndcs)
      .find((n) => n.party === party && n.firstYear <= year && year <= n.lastYear);
    return ndc === undefined
      ? reject(
          'article6_ndc_information_missing',
          `${party} has recorded no NDC whose implementation period includes ${year}`,
        )
      : ok({ ndc, approaches });
  }

  /** Every action of the Party dated in the years, page by page. */
  async partyActions(party: string, firstYear: number, lastYear: number): Promise<StoredAction[]> {
    const all: StoredAction[] = [];
    for (let year = firstYear; year <= lastYear; year += 1) {
      let after: StoredAction | undefined;
      for (;;) {
        const page = await this.queries.partyActions(party, year, {
          limit: 1000,
          ...(after === undefined
            ? {}
            : { after: { chain: after.entry.chain, seq: after.entry.seq, n: after.n } }),
        });
        all.push(...page.actions);
        if (page.next === null) break;
        after = page.actions.at(-1);
      }
    }
    return all;
  }

  /** The Party's corresponding adjustments and emissions balance through the reported year. */
  async balance(party: string, year: number): Promise<Result<AdjustmentReport>> {
    const found = await this.ndcOf(party, year);
    if (!found.ok) return found;
    const { ndc } = found.value;
    // Actions recorded after the NDC period can still concern its years (a vintage, a year of use).
    const through = Math.max(ndc.lastYear, Number(this.today().slice(0, 4)));
    const actions = await this.partyActions(party, ndc.firstYear, through);
    return correspondingAdjustments(ndc, flowsFor(party, actions), year);
  }

  /** The Party's AEF for the year and the consistency checks a reviewer runs on it. */
  async aef(party: string, year: number): Promise<Result<AefReport>> {
    const input = await this.aefInput(party, year);
    if (!input.ok) return input;
    const tables = buildAefTables(input.value, this.description);
    if (!tables.ok) return tables;
    const failures = await this.check(input.value, tables.value);
    if (!failures.ok) return failures;
    return ok({ tables: tables.value, failures: failures.value });
  }

  /** The AEF as a file: XLSX (one sheet per table), one table's CSV, or JSON with the checks. */
  async aefFile(
    party: string,
    year: number,
    format: 'json' | 'xlsx' | 'csv',
    table?: string,
  ): Promise<Result<AefFile>> {
    const report = await this.aef(party, year);
    if (!report.ok) return report;
    const d = this.description;
    const name = `AEF-${party}-${year}`;
    if (format === 'xlsx')
      return ok({
        bytes: await writeAefXlsx(report.value.tables, d),
        mediaType: xlsxMediaType,
        fileName: `${name}.xlsx`,
      });
    if (format === 'json')
      // A plain AEF document, as readAefJson reads it; the checks have their own read.
      return ok({
        bytes: Buffer.from(writeAefJson(report.value.tables, d), 'utf8'),
        mediaType: 'application/json',
        fileName: `${name}.json`,
      });
    const file =
      table === undefined
        ? undefined
        : writeAefCsv(report.value.tables, d).find((f) => f.name === `${table}.csv`);
    if (file === undefined)
      return reject(
        'invalid_request',
        'table: a CSV holds one table; name one of ' + Object.keys(report.value.tables).join(', '),
      );
    return ok({
      bytes: Buffer.from(file.text, 'utf8'),
      mediaType: 'text/csv; charset=utf-8',
      fileName: `${name}-${table ?? ''}.csv`,
    });
  }

  async itmoStatus(
    project: ProjectRef,
    serial: bigint,
  ): Promise<(ItmoStatus & { itmoId: string | null }) | null> {
    const status = await this.queries.itmoStatus(project, serial);
    if (status === null) return null;
    if (status.itmo === null) return { ...status, itmoId: null };
    const approach = (await this.queries.latestApproaches()).find(
      (v) => v.approach.id === status.itmo?.approach,
    );
    const partyRegistryId = approach?.approach.registries.find(
      (r) => r.registry === status.registry,
    )?.partyRegistryId;
    return {
      ...status,
      itmoId:
        partyRegistryId === undefined
          ? null
          : formatItmoId({
              approach: status.itmo.approach,
              partyRegistryId,
              firstParty: status.itmo.firstParty,
              project,
              serial,
              vintage: status.vintage,
            }),
    };
  }

  private async aefInput(party: string, year: number): Promise<Result<AefInput>> {
    const found = await this.ndcOf(party, year);
    if (!found.ok) return found;
    const { approaches } = found.value;
    const end = `${year}-12-31`;
    const registry = registryOf(approaches, party);
    const registryActions =
      registry === undefined ? [] : await this.reports.registryActions(registry, { until: end });
    if (registryActions === null)
      return reject(
        'aef_file_too_many_rows',
        `${registry ?? ''} has too many actions for one report`,
      );
    const authorisations = (await this.queries.partyAuthorisations(party))
      .flatMap((a) => a.versions.map((v) => v.authorisation))
      .filter((a) => a.date <= end);
    const actions = await this.partyActions(party, year, year);
    const holdings = holdingsFromActions(registryActions, end);
    // The Authorizations table names the sectors of every project an authorisation covers, whether
    // or not the year has actions or holdings of it (a Party authorises before the first issuance).
    const refs = [
      ...new Set([
        ...[...actions, ...holdings].map((x) => x.project),
        ...authorisations.flatMap((a) => a.projects),
      ]),
    ];
    const scopes = await this.reports.projectScopes(refs);
    return ok({
      party,
      year,
      version: '1.0',
      submittedOn: this.today().slice(0, 10),
      approaches,
      authorisations,
      actions,
      holdings,
      entities: await this.entities(authorisations),
      projects: refs.map((ref) => aefProject(ref, scopes.get(ref) ?? [])),
    });
  }

  private async entities(authorisations: AefInput['authorisations']): Promise<AefEntity[]> {
    const alpha3 = new Map<string, string>([['JP', 'JPN']]);
    for (const p of await this.partnerships.list()) alpha3.set(p.partner.alpha2, p.partner.alpha3);
    return authorisations.flatMap((a) =>
      a.authorisedEntities.map((e) => ({
        approach: a.approach,
        authorisation: a.id,
        date: a.date,
        organisation: e.organisation,
        name: e.name,
        country: alpha3.get(e.country) ?? e.country,
        identifier: e.identifier,
        conditions: a.terms === '' ? null : a.terms,
        changeConditions: null,
      })),
    );
  }

  private async check(input: AefInput, tables: AefTables): Promise<Result<AefCheckFailure[]>> {
    const registry = registryOf(input.approaches, input.party);
    const registryHoldings =
      registry === undefined ? [] : await this.registryHoldings(registry, input);
    if (registryHoldings === null)
      return reject(
        'aef_file_too_many_rows',
        `${registry ?? ''} has too many actions for one report`,
      );
    const entries = input.actions.map((a) => ({
      chain: a.entry.chain as ChainId,
      seq: a.entry.seq,
    }));
    const known = new Set<string>();
    for (let i = 0; i < entries.length; i += 5000)
      for (const key of await this.queries.existingEntries(entries.slice(i, i + 5000)))
        known.add(key);
    return ok(
      checkAef(tables, {
        description: this.description,
        isKnownEntry: (entry) => known.has(entry),
        registryHoldings,
        otherAuthorizations: await this.otherAuthorizations(input),
      }),
    );
  }

  /** The registry's own ITMOs at 31 December: its blocks now, taken back over the actions since. */
  private async registryHoldings(
    registry: RegistryId,
    input: AefInput,
  ): Promise<HeldRange[] | null> {
    const later = await this.reports.registryActions(registry, { after: `${input.year}-12-31` });
    if (later === null) return null;
    const now: HeldRange[] = [];
    let after: { project: string; serialFirst: bigint } | undefined;
    for (;;) {
      const page = await this.queries.itmoHoldings(registry, {
        limit: 1000,
        ...(after === undefined ? {} : { after }),
      });
      for (const r of page.ranges) {
        const partyRegistryId =
          input.approaches
            .find((a) => a.id === r.approach)
            ?.registries.find((x) => x.registry === registry)?.partyRegistryId ?? '';
        now.push({ ...r, partyRegistryId });
      }
      if (page.next === null) break;
      after = page.next;
    }
    return holdingsBefore(now, later);
  }

  /** The other Parties' Authorizations rows of the year: acquisitions and uses name their authorisations. */
  private async otherAuthorizations(input: AefInput) {
    const others = [...new Set(input.approaches.flatMap((a) => a.parties))].filter(
      (p) => p !== input.party,
    );
    const rows = [];
    for (const party of others) {
      const authorisations = (await this.queries.partyAuthorisations(party))
        .flatMap((a) => a.versions.map((v) => v.authorisation))
        .filter((a) => a.date <= `${input.year}-12-31`);
      const built = buildAefTables(
        { ...input, party, authorisations, actions: [], holdings: [], entities: [] },
        this.description,
      );
      if (built.ok) rows.push(...built.value.authorizations);
    }
    return rows;
  }
}

function registryOf(
  approaches: readonly CooperativeApproach[],
  party: string,
): RegistryId | undefined {
  for (const a of approaches) {
    const found = a.registries.find((r) => r.party === party);
    if (found !== undefined) return found.registry;
  }
  return undefined;
}
