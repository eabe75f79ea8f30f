// A Party's Article 6.2 page for a year (/article6/parties/{party}/{year}): its corresponding
// adjustments by its NDC's method, year by year from the start of the NDC period (first transferred
// by vintage, used by year of use, the adjustment applied, reported emissions and the balance, or
// why there is none), the years it finalised, the actions of the year a page at a time, and the AEF
// of the year to download with the result of every consistency check.
import { html } from 'hono/html';
import {
  finalisedYears,
  type AdjustmentReport,
  type AdjustmentYear,
} from '../core/article6/adjustments.ts';
import { ok, type Result } from '../core/shared/result.ts';
import { readableCredits } from '../core/shared/readable.ts';
import type { Platform } from '../services/platform.ts';
import { actionsOf, actionsSection, type ActionsPage } from './article6-actions.ts';
import { aefSection } from './article6-aef.ts';
import { labelledSource, partyYearLinks } from './article6-links.ts';
import {
  methodWord,
  ndcKindWord,
  partyNames,
  partyWord,
  yearStatusWord,
} from './article6-words.ts';
import { page, table, type Html } from './layout.ts';

/** Exact decimal text with thousands separators and a sign for additions: "+2,211", "-372.75". */
export function signedAmount(text: string | bigint): string {
  const value = String(text);
  const negative = value.startsWith('-');
  const [whole = '0', fraction] = (negative ? value.slice(1) : value).split('.');
  const grouped = `${readableCredits(whole)}${fraction === undefined ? '' : `.${fraction}`}`;
  if (/^[0.]*$/.test(whole + (fraction ?? ''))) return '0';
  return `${negative ? '-' : '+'}${grouped}`;
}

/** Exact decimal text with thousands separators, no sign added. */
function amount(text: string | bigint): string {
  const signed = signedAmount(text);
  return signed.startsWith('+') ? signed.slice(1) : signed;
}

function yearRow(y: AdjustmentYear, report: AdjustmentReport, finalised: ReadonlySet<number>) {
  const averaging = report.method === 'averaging';
  const trajectory = report.method === 'trajectory';
  return [
    String(y.year),
    readableCredits(y.firstTransferred),
    readableCredits(y.used),
    signedAmount(y.net),
    ...(averaging ? [y.runningAverage === null ? '' : signedAmount(y.runningAverage.average)] : []),
    signedAmount(y.applied),
    y.emissions === null ? 'none on this platform' : readableCredits(y.emissions),
    y.adjustedBalance === null ? yearStatusWord(y.status) : amount(y.adjustedBalance),
    ...(trajectory
      ? [
          y.trajectory === null
            ? 'no figure'
            : `${readableCredits(y.trajectory)}${y.balanceMinusTrajectory === null ? '' : ` (balance ${signedAmount(y.balanceMinusTrajectory)})`}`,
        ]
      : []),
    finalised.has(y.year) ? 'finalised' : 'not finalised',
  ];
}

function adjustmentsTable(
  report: AdjustmentReport,
  finalised: ReadonlySet<number>,
  name: string,
): Html {
  const columns = [
    'Year',
    '#First transferred (added, by vintage)',
    '#Used towards the NDC (subtracted, by year of use)',
    '#Net',
    ...(report.method === 'averaging' ? ['#Average over the years elapsed'] : []),
    '#Adjustment applied',
    '#Reported emissions',
    'Emissions balance',
    ...(report.method === 'trajectory' ? ['Trajectory'] : []),
    'Finalised',
  ];
  return table(
    columns,
    report.years.map((y) => yearRow(y, report, finalised)),
    `Corresponding adjustments of ${name}, ${report.firstYear} to ${report.reportedYear}, t CO2 eq`,
  );
}

function totalsWords(report: AdjustmentReport): Html {
  const t = report.totals;
  const averaging =
    report.method === 'averaging'
      ? html` Averaging applies the average only to the NDC year, ${report.targetYear}; before it
        the running average is shown for information.`
      : '';
  return html`<p>
    From ${report.firstYear} to ${report.reportedYear}: ${readableCredits(t.firstTransferred)} t CO2
    eq first transferred (added), ${readableCredits(t.used)} used (subtracted), net
    ${signedAmount(t.net)}; adjustments applied ${signedAmount(t.applied)}.${averaging}
    ${
      report.complete
        ? 'Every figure the balance needs is present.'
        : 'The balance is incomplete: the years without a reported emissions figure have no balance, and nothing is assumed in its place.'
    }
  </p>`;
}

function periodFacts(report: AdjustmentReport): Html | '' {
  const parts: Html[] = [];
  const b = report.budget;
  if (b !== null)
    parts.push(
      html`<li>
        Budget:
        ${b.budget === null ? 'no budget figure recorded' : `${readableCredits(b.budget)} t CO2 eq`};
        ${b.remaining === null ? 'not compared (a figure is missing)' : `remaining ${signedAmount(b.remaining)}`}.
      </li>`,
    );
  const e = report.endOfPeriod;
  if (e !== null)
    parts.push(
      html`<li>
        End of the period (${e.year}): cumulative adjustment
        ${signedAmount(e.cumulativeAdjustment)};
        ${e.cumulativeBalance === null ? 'no cumulative balance (reported emissions missing)' : `cumulative balance ${amount(e.cumulativeBalance)}`}.
      </li>`,
    );
  for (const o of report.outside)
    parts.push(
      html`<li>
        ${readableCredits(o.quantity)}
        ${o.flow === 'used' ? 'used for' : 'first transferred of vintage'} ${o.year}
        (${o.where === 'before_period' ? 'before the NDC period' : o.where === 'after_period' ? 'after the NDC period' : 'after the year shown'}):
        not in the table above.
      </li>`,
    );
  return parts.length === 0
    ? ''
    : html`<ul>
        ${parts}
      </ul>`;
}

/** Amounts of the year that are no adjustment: acquisitions, cancellations, uses for OIMP. */
function informationWords(report: AdjustmentReport): Html {
  const of = (list: readonly { year: number; quantity: bigint }[]) =>
    readableCredits(list.find((x) => x.year === report.reportedYear)?.quantity ?? 0n);
  const i = report.information;
  return html`<p>
    In ${report.reportedYear}, besides: ${of(i.acquired)} acquired; ${of(i.cancelled)} cancelled, of
    which ${of(i.omgeCancelled)} for overall mitigation in global emissions (OMGE), of the Party's
    own accord: nothing is deducted automatically; ${of(i.voluntarilyCancelled)} cancelled
    voluntarily; ${of(i.usedOtherwise)} used for other international mitigation purposes. None of
    these is an adjustment (paragraph 8 names first transfers and uses only).
  </p>`;
}

export interface PartyYearRequest {
  readonly party: string;
  readonly year: number;
  readonly page: ActionsPage;
}

/** The page, or the refusal of the Party and year (`article6_ndc_information_missing`). */
export async function partyYearPage(
  platform: Platform,
  request: PartyYearRequest,
): Promise<Result<Html>> {
  const { party, year } = request;
  const report = await platform.article6.balance(party, year);
  if (!report.ok) return report;
  const [aef, shown, finalisations, names, organisations, record, demo] = await Promise.all([
    platform.article6.aef(party, year),
    actionsOf(platform, party, year, request.page),
    platform.article6.queries.partyFinalisations(party),
    partyNames(platform),
    platform.cycleQueries.organisations(),
    ndcRecord(platform, party, year),
    syntheticProjects(platform, party),
  ]);
  const r = report.value;
  const name = partyWord(names, party);
  const finalised = finalisedYears(finalisations, party);
  const body = html`${syntheticNote(demo)}
    <p>
      ${name} has a ${ndcKindWord(r.kind)} for ${r.firstYear} to ${r.lastYear} (NDC year
      ${r.targetYear}). It adjusts by ${methodWord(r.method, r.kind)}.
    </p>
    ${record === undefined ? '' : html`${labelledSource('NDC', record.source)} ${labelledSource('Method', record.method_source)}`}
    <p>Other years: ${partyYearLinks(party, r.firstYear, r.lastYear)}.</p>
    <h2 id="adjustments">Corresponding adjustments</h2>
    <p>
      ITMOs ${name} first transferred are added to its emissions for the year the mitigation
      occurred (the vintage); ITMOs it used towards its NDC are subtracted for the year of use
      (decision 2/CMA.3, annex, paragraphs 7 and 8). Figures in t CO2 eq, read from the actions
      derived from the registries' journals on this platform.
    </p>
    ${adjustmentsTable(r, finalised, name)} ${totalsWords(r)} ${periodFacts(r)}
    ${informationWords(r)}
    <p>
      ${
        finalisations.length === 0
          ? `${name} has finalised no period: its additions and subtractions can still change.`
          : `Finalised: ${finalisations.map((f) => `${f.firstYear} to ${f.lastYear} on ${f.date}`).join('; ')}. These years never change again (paragraph 12).`
      }
    </p>
    ${actionsSection(party, year, shown, request.page, { names, organisations: new Map(organisations.map((o) => [o.id, o])) })}
    ${aefSection(platform, party, year, aef)}`;
  return ok(page(`${name}: Article 6.2 in ${year}`, '/article6', body));
}

/**
 * The synthetic demo's projects among those the authorisations of the Party's approaches cover:
 * every ITMO falls under one, so these are the projects whose credits the figures may count.
 */
async function syntheticProjects(platform: Platform, party: string): Promise<string[]> {
  const approaches = await platform.article6.queries.latestApproaches();
  const ids = approaches
    .filter((v) => v.approach.parties.includes(party))
    .map((v) => v.approach.id);
  const covered = await platform.article6.queries.coveredProjects(ids);
  const projects = await platform.portal.projectsByReference(covered);
  return projects
    .filter((p) => p.synthetic && p.reference !== null)
    .map((p) => p.reference ?? '')
    .sort();
}

function syntheticNote(projects: readonly string[]): Html | '' {
  if (projects.length === 0) return '';
  return html`<p class="note">
    <span class="synthetic">Synthetic demo data</span>: the figures on this page count the credits
    of the platform's demo project${projects.length === 1 ? '' : 's'} ${projects.join(', ')}:
    examples, not real transfers.
  </p>`;
}

async function ndcRecord(platform: Platform, party: string, year: number) {
  for (const p of await platform.partnerships.list()) {
    const found = p.cooperative_approach.article6?.ndcs.find(
      (n) => n.party === party && n.first_year <= year && year <= n.last_year,
    );
    if (found !== undefined) return found;
  }
  return undefined;
}
