// The sections of one project's page: its particulars, its credits by vintage (expected, verified and
// issued), where its credits are held, its monitoring periods, its timeline and its documents.
import { html } from 'hono/html';
import { expectedByVintage } from '../core/cycle/expected.ts';
import type { ProjectData } from '../services/cycle-schemas.ts';
import type { Platform } from '../services/platform.ts';
import { barChart } from './charts.ts';
import { accountTypeWord, stateWord } from '../core/cycle/words.ts';
import { countryName, registryName, table, tonnes, type Html } from './layout.ts';
import { documentLink } from './project-cycle-sections.ts';
import { programmes } from './programme-names.ts';

/**
 * A project's cycle item, as the cycle queries give it, with the fields the page shows. A type alias
 * rather than an interface, so that the queries' `Record<string, unknown>` converts to it by `as`.
 */
export type ProjectItem = {
  id: string;
  state: string;
  reference: string | null;
  partnership: string;
  data: { project: ProjectData };
  /** Synthetic demo data (the flag the cycle stores with the item, migration 022). */
  synthetic: boolean;
  timeline: {
    seq: bigint;
    at: string;
    action: string;
    to_state: string;
    actor: string;
    payload?: { projectVersion?: number } | null;
  }[];
  documents: {
    type: string;
    version: number;
    file_name: string;
    public_sha256: string;
    confidential: boolean;
  }[];
  children: { id: string; machine: string; state: string }[];
};

type Credits = Awaited<ReturnType<Platform['portal']['credits']>>;
type Verified = Awaited<ReturnType<Platform['portal']['verified']>>;

/** A project's credits per vintage: expected from its PDD, verified and issued. */
export interface VintageFigures {
  /** Every vintage with an expected, verified or issued figure, sorted. */
  readonly vintages: readonly number[];
  readonly expected: ReadonlyMap<number, bigint>;
  readonly verified: Verified;
  readonly issued: ReadonlyMap<number, bigint>;
}

export function vintageFigures(
  p: ProjectData,
  credits: Credits,
  verified: Verified,
  thisYear: number,
): VintageFigures {
  const issued = new Map<number, bigint>();
  for (const c of credits)
    issued.set(c.vintage, (issued.get(c.vintage) ?? 0n) + BigInt(c.quantity));
  const dataYears = [...verified.map((v) => v.vintage), ...issued.keys()];
  // Expected by vintage up to this year (or the latest vintage with data), within the crediting period.
  const expected = expectedByVintage(
    BigInt(p.expectedReductionsPerYear),
    p.creditingPeriod,
    Math.max(thisYear, ...dataYears),
  );
  const vintages = [...new Set([...dataYears, ...expected.keys()])].sort();
  return { vintages, expected, verified, issued };
}

/** What the particulars name by words rather than codes: organisations, scopes and gases. */
export interface Names {
  /** Organisation names by id. */
  readonly organisations: ReadonlyMap<string, string>;
  /** Sectoral scopes by number. */
  readonly scopes: ReadonlyMap<number, string>;
  /** Greenhouse gases by formula. */
  readonly gases: ReadonlyMap<string, string>;
}

export function projectParticulars(item: ProjectItem, synthetic: boolean, names: Names): Html {
  const p = item.data.project;
  const org = (id: string) => names.organisations.get(id) ?? id;
  return html`${synthetic ? html`<p class="synthetic">This is synthetic demo data, not a real project.</p>` : ''}
    <dl>
      <dt>Reference</dt>
      <dd>${item.reference ?? 'not registered yet'} (${item.id}), ${stateWord(item.state)}</dd>
      <dt>Partner country</dt>
      <dd>${countryName(item.partnership)}; ${p.location} (${p.latitude}, ${p.longitude})</dd>
      <dt>Participants</dt>
      <dd>
        Japan: ${p.participantsJapan.map(org).join(', ')}; ${countryName(item.partnership)}:
        ${p.participantsPartner.map(org).join(', ')}; focal point ${org(p.focalPoint)}
      </dd>
      <dt>Programme</dt>
      <dd>${programmes[p.programme] ?? p.programme}</dd>
      <dt>Methodology</dt>
      <dd>
        <a href="/methodologies/${p.methodology.id}">${p.methodology.id}</a> version
        ${p.methodology.version}
      </dd>
      <dt>Sectoral scopes</dt>
      <dd>
        ${p.sectoralScopes.map((n) => `${n}. ${names.scopes.get(n) ?? ''}`).join('; ')} (<a
          href="/reference/sectoral-scopes"
          >all scopes</a
        >)
      </dd>
      <dt>Greenhouse gases</dt>
      <dd>
        ${p.greenhouseGases
          .map((g) => {
            const name = names.gases.get(g);
            return name === undefined ? g : `${name} (${g})`;
          })
          .join(', ')}
      </dd>
      <dt>Crediting period</dt>
      <dd>${p.creditingPeriod.start} to ${p.creditingPeriod.end}</dd>
      <dt>Expected reductions</dt>
      <dd>${tonnes(BigInt(p.expectedReductionsPerYear))} tCO2 per year</dd>
    </dl>`;
}

/** The chart of expected, verified and issued credits per vintage, and the same figures as a table. */
export async function creditsByVintage(item: ProjectItem, figures: VintageFigures): Promise<Html> {
  const { vintages, expected, verified, issued } = figures;
  const perYear = BigInt(item.data.project.expectedReductionsPerYear);
  const chartData = vintages.flatMap((v) => [
    { label: String(v), value: Number(expected.get(v) ?? 0n), series: 'expected' },
    {
      label: String(v),
      value: Number(verified.find((x) => x.vintage === v)?.quantity ?? 0n),
      series: 'verified',
    },
    { label: String(v), value: Number(issued.get(v) ?? 0n), series: 'issued' },
  ]);
  return html`${
    chartData.length === 0
      ? html`<p>No expected, verified or issued credits yet.</p>`
      : html`<figure>
          ${await barChart(chartData, { title: `Expected, verified and issued credits of ${item.reference ?? item.id} by vintage`, description: 'Bars per vintage: expected reductions (from the PDD, by days of the crediting period), verified reductions and credits issued; the table below lists the same figures.', xTitle: 'Vintage', yTitle: 'tCO2e', grouped: true })}
          <figcaption>
            Expected reductions (${tonnes(perYear)} a year, by days of the crediting period),
            verified reductions and issued credits per vintage.
          </figcaption>
        </figure>`
  }
  ${table(
    ['Vintage', '#Expected', '#Verified', '#Issued'],
    vintages.map((v) => [
      String(v),
      tonnes(expected.get(v) ?? 0n),
      tonnes(verified.find((x) => x.vintage === v)?.quantity ?? 0n),
      tonnes(issued.get(v) ?? 0n),
    ]),
  )}`;
}

/** Where the project's credits are held, per vintage, registry and account type. */
export function creditHoldings(credits: Credits): Html {
  return table(
    ['Vintage', 'Registry', 'Account type', '#Credits'],
    credits.map((c) => [
      String(c.vintage),
      registryName(c.registry),
      accountTypeWord(c.accountType),
      tonnes(c.quantity),
    ]),
  );
}

/** The public documents, each linking to its public version (confidential ones say so). */
export function publicDocuments(item: ProjectItem): Html {
  return table(
    ['Document', 'SHA-256 of the public version'],
    item.documents.map((d) => [
      documentLink(d),
      html`<span class="mono">${d.public_sha256.slice(0, 16)}…</span>`,
    ]),
  );
}
