// Corresponding adjustments under Article 6.2 (decision 2/CMA.3, annex, paragraphs 7, 8 and 12): a
// Party's ITMO flows read from its derived actions, the adjustments its NDC's method applies year by
// year with the emissions balance, and the periods the Party has finalised. Share of proceeds and
// overall mitigation (paragraphs 37 and 39) are voluntary: nothing here deducts them.
import { finalisationCovering } from './state.ts';
import { assert, assertNever } from '../shared/assert.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import {
  adjustmentYears,
  budgetComparison,
  endOfPeriod,
  exactSum,
  type AdjustmentYear,
  type BudgetComparison,
  type EndOfPeriod,
  type YearFlow,
} from './adjustments-methods.ts';
import {
  partyPattern,
  yearMax,
  yearMin,
  type Action,
  type AdjustmentMethod,
  type Finalisation,
  type Ndc,
  type NdcKind,
  type PartyCode,
  type YearQuantity,
} from './types.ts';

export {
  averageDecimalPlaces,
  averageOverYears,
  type AdjustmentYear,
  type BudgetComparison,
  type EndOfPeriod,
  type RunningAverage,
  type YearStatus,
} from './adjustments-methods.ts';

/** Amounts that are never an adjustment, kept so a report can show them (by the action's year). */
export interface FlowInformation {
  readonly acquired: readonly YearQuantity[];
  /** Cancellations (AEF "Cancellation"), whatever their reason. */
  readonly cancelled: readonly YearQuantity[];
  /** AEF "Voluntary cancellation". */
  readonly voluntarilyCancelled: readonly YearQuantity[];
  /** The part of the two above cancelled for overall mitigation in global emissions (paragraph 39). */
  readonly omgeCancelled: readonly YearQuantity[];
  /** Uses with no calendar year of use towards the NDC: uses for other purposes (OIMP). */
  readonly usedOtherwise: readonly YearQuantity[];
}

/** A Party's ITMO flows; each list is sorted by year, one entry a year, quantities positive. */
export interface PartyFlows {
  readonly party: PartyCode;
  /** Paragraph 8(a): ITMOs the Party authorised and first transferred, by vintage. */
  readonly firstTransferred: readonly YearQuantity[];
  /** Paragraph 8(b): ITMOs the Party used towards its NDC, by calendar year of use. */
  readonly used: readonly YearQuantity[];
  readonly information: FlowInformation;
}

type FlowKey = 'firstTransferred' | 'used' | Exclude<keyof FlowInformation, 'omgeCancelled'>;

const datePattern = /^(\d{4})-\d{2}-\d{2}$/;

function yearOfDate(date: string): number {
  const match = datePattern.exec(date);
  assert(match !== null, `action date ${date} is not YYYY-MM-DD`);
  return Number(match[1]);
}

function isYear(year: number): boolean {
  return Number.isInteger(year) && year >= yearMin && year <= yearMax;
}

/** Where one of the Party's actions counts, and for which year; null when it carries no amount here. */
function flowOf(action: Action, party: PartyCode): { key: FlowKey; year: number } | null {
  switch (action.type) {
    // Paragraph 8(a): added for the first transferring Party only, for the year the mitigation occurred.
    case 'first_transfer':
      return action.firstParty === party ? { key: 'firstTransferred', year: action.vintage } : null;
    // Paragraph 8(b): subtracted for the calendar year of use towards the NDC.
    case 'use':
      return action.yearOfUse === null
        ? { key: 'usedOtherwise', year: yearOfDate(action.date) }
        : { key: 'used', year: action.yearOfUse };
    // Paragraph 8 names first transfers and uses only: acquiring or cancelling adjusts nothing.
    case 'acquisition':
      return { key: 'acquired', year: yearOfDate(action.date) };
    case 'cancellation':
      return { key: 'cancelled', year: yearOfDate(action.date) };
    case 'voluntary_cancellation':
      return { key: 'voluntarilyCancelled', year: yearOfDate(action.date) };
    // An authorisation moves no ITMO; a later transfer moves ITMOs already first transferred. The
    // AEF's actions table shows both; neither is an adjustment nor one of the totals above.
    case 'authorization':
    case 'transfer':
      return null;
    default:
      return assertNever(action.type, 'action type');
  }
}

function checkAction(action: Action): void {
  const where = `action ${action.type} at ${action.entry.chain}#${action.entry.seq}`;
  assert(action.quantity >= 1n, `${where}: quantity ${action.quantity}`);
  assert(action.serialLast - action.serialFirst + 1n === action.quantity, `${where}: range`);
  assert(isYear(action.vintage), `${where}: vintage ${action.vintage}`);
  assert(action.type === 'use' || action.yearOfUse === null, `${where}: a year of use on no use`);
  assert(action.yearOfUse === null || isYear(action.yearOfUse), `${where}: year of use`);
  // Credits authorised for the NDC alone can only be used towards it, which names a year of use.
  assert(action.type !== 'use' || action.purpose !== 'ndc' || action.yearOfUse !== null, where);
}

function add(sums: Map<number, bigint>, year: number, quantity: bigint): void {
  sums.set(year, (sums.get(year) ?? 0n) + quantity);
}

function sorted(sums: ReadonlyMap<number, bigint>): YearQuantity[] {
  return [...sums].sort(([a], [b]) => a - b).map(([year, quantity]) => ({ year, quantity }));
}

/**
 * A Party's flows from the actions derived from the journal. Only the Party's own rows count
 * (`action.party`), a first transfer only where the Party is the first transferring Party. The
 * result does not depend on the order of the actions.
 */
export function flowsFor(party: PartyCode, actions: readonly Action[]): PartyFlows {
  assert(partyPattern.test(party), `party ${party} is not ISO 3166 alpha-3`);
  const sums: Record<FlowKey | 'omgeCancelled', Map<number, bigint>> = {
    firstTransferred: new Map(),
    used: new Map(),
    acquired: new Map(),
    cancelled: new Map(),
    voluntarilyCancelled: new Map(),
    omgeCancelled: new Map(),
    usedOtherwise: new Map(),
  };
  const rows = new Set<string>();
  for (const action of actions) {
    if (action.party !== party) continue;
    const flow = flowOf(action, party);
    if (flow === null) continue;
    checkAction(action);
    // One journal entry yields one row per type and range; the same row twice would count twice.
    const row = `${action.type}|${action.entry.chain}|${action.entry.seq}|${action.project}|${action.serialFirst}`;
    assert(!rows.has(row), `the action ${row} is listed twice`);
    rows.add(row);
    add(sums[flow.key], flow.year, action.quantity);
    const cancelling = flow.key === 'cancelled' || flow.key === 'voluntarilyCancelled';
    if (cancelling && action.subtype === 'omge')
      add(sums.omgeCancelled, flow.year, action.quantity);
  }
  return {
    party,
    firstTransferred: sorted(sums.firstTransferred),
    used: sorted(sums.used),
    information: {
      acquired: sorted(sums.acquired),
      cancelled: sorted(sums.cancelled),
      voluntarilyCancelled: sorted(sums.voluntarilyCancelled),
      omgeCancelled: sorted(sums.omgeCancelled),
      usedOtherwise: sorted(sums.usedOtherwise),
    },
  };
}

/** A flow the report's years do not cover: listed, never dropped in silence. */
export interface OutsideFlow {
  readonly flow: 'first_transferred' | 'used';
  readonly year: number;
  readonly quantity: bigint;
  readonly where: 'before_period' | 'after_period' | 'after_reported_year';
}

export interface AdjustmentReport {
  readonly party: PartyCode;
  readonly kind: NdcKind;
  readonly method: AdjustmentMethod;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly targetYear: number;
  readonly reportedYear: number;
  /** firstYear..reportedYear, in order. */
  readonly years: readonly AdjustmentYear[];
  /** Over the report's years: additions, subtractions, their difference, and the sum applied. */
  readonly totals: {
    readonly firstTransferred: bigint;
    readonly used: bigint;
    readonly net: bigint;
    readonly applied: string;
  };
  /** Budget method only. */
  readonly budget: BudgetComparison | null;
  /** Multi-year NDC, once the report reaches the period's last year (paragraph 7(b)). */
  readonly endOfPeriod: EndOfPeriod | null;
  readonly outside: readonly OutsideFlow[];
  readonly information: FlowInformation;
  /** True only when every figure the report needs is present; missing data never passes. */
  readonly complete: boolean;
}

function checkNdc(ndc: Ndc): void {
  // The NDC's own shape is the edge's to validate; here a broken one is a bug.
  const { firstYear, lastYear, targetYear } = ndc;
  assert(partyPattern.test(ndc.party), `NDC party ${ndc.party}`);
  assert(isYear(firstYear) && isYear(lastYear) && firstYear <= lastYear, 'NDC period');
  assert(targetYear >= firstYear && targetYear <= lastYear, 'the NDC year lies in its period');
  // A single-year NDC's implementation period ends in its NDC year, where averaging applies.
  assert(ndc.kind === 'multi_year' || targetYear === lastYear, 'single-year NDC ends in its year');
  for (const list of [ndc.emissions, ndc.trajectory]) {
    const years = list.map((e) => e.year);
    assert(years.every(isYear) && new Set(years).size === years.length, 'one figure a year');
  }
}

function refusal(ndc: Ndc, reportedYear: number): Result<never> | null {
  const metric: string = ndc.metric;
  if (metric !== 't_co2e')
    return reject(
      'article6_ndc_metric_unsupported',
      `the NDC of ${ndc.party} is measured in ${metric}; corresponding adjustments are computed for t CO2 eq only`,
      { party: ndc.party, metric },
    );
  if (ndc.kind === 'multi_year' && ndc.method === 'averaging')
    return reject(
      'article6_ndc_method_not_allowed',
      `a multi-year NDC applies a multi-year trajectory or budget (decision 2/CMA.3, annex, paragraph 7(b)), not averaging`,
      { party: ndc.party, kind: ndc.kind, method: ndc.method },
    );
  if (
    !Number.isInteger(reportedYear) ||
    reportedYear < ndc.firstYear ||
    reportedYear > ndc.lastYear
  )
    return reject(
      'article6_year_outside_ndc_period',
      `${reportedYear} is outside the NDC period ${ndc.firstYear}-${ndc.lastYear} of ${ndc.party}`,
      { party: ndc.party, reportedYear, firstYear: ndc.firstYear, lastYear: ndc.lastYear },
    );
  return null;
}

function outsideFlows(ndc: Ndc, flows: PartyFlows, reportedYear: number): OutsideFlow[] {
  const listed = [
    ...flows.firstTransferred.map((f) => ({ flow: 'first_transferred' as const, ...f })),
    ...flows.used.map((f) => ({ flow: 'used' as const, ...f })),
  ];
  return listed.flatMap(({ flow, year, quantity }): OutsideFlow[] => {
    if (year < ndc.firstYear) return [{ flow, year, quantity, where: 'before_period' }];
    if (year > ndc.lastYear) return [{ flow, year, quantity, where: 'after_period' }];
    if (year > reportedYear) return [{ flow, year, quantity, where: 'after_reported_year' }];
    return [];
  });
}

/**
 * The corresponding adjustments of a Party with a t CO2 eq NDC for each year of its NDC period up to
 * the reported year: first transferred (by vintage) and used (by year of use), what the method
 * applies, and the emissions balance (emissions + additions - subtractions). Refused, in this order:
 * a metric other than t CO2 eq, averaging for a multi-year NDC, a year outside the NDC period.
 */
export function correspondingAdjustments(
  ndc: Ndc,
  flows: PartyFlows,
  reportedYear: number,
): Result<AdjustmentReport> {
  checkNdc(ndc);
  assert(flows.party === ndc.party, `flows of ${flows.party} against the NDC of ${ndc.party}`);
  const refused = refusal(ndc, reportedYear);
  if (refused !== null) return refused;
  const firstTransferred = new Map(flows.firstTransferred.map((f) => [f.year, f.quantity]));
  const used = new Map(flows.used.map((f) => [f.year, f.quantity]));
  const yearFlows: YearFlow[] = [];
  for (let year = ndc.firstYear; year <= reportedYear; year++)
    yearFlows.push({
      year,
      firstTransferred: firstTransferred.get(year) ?? 0n,
      used: used.get(year) ?? 0n,
    });
  const years = adjustmentYears(ndc, yearFlows);
  const budget = ndc.method === 'budget' ? budgetComparison(ndc, years) : null;
  const end =
    ndc.kind === 'multi_year' && reportedYear === ndc.lastYear ? endOfPeriod(ndc, years) : null;
  const sum = (pick: (y: AdjustmentYear) => bigint) => years.reduce((s, y) => s + pick(y), 0n);
  const totals = {
    firstTransferred: sum((y) => y.firstTransferred),
    used: sum((y) => y.used),
    net: sum((y) => y.net),
    applied: exactSum(years.map((y) => y.applied)),
  };
  assert(totals.net === totals.firstTransferred - totals.used, 'totals add up');
  const complete =
    years.every((y) => y.status === 'balanced') &&
    (budget === null || budget.status === 'compared') &&
    (end === null || end.status === 'balanced');
  const { party, kind, method, firstYear, lastYear, targetYear } = ndc;
  return ok({
    ...{ party, kind, method, firstYear, lastYear, targetYear, reportedYear },
    years,
    totals,
    budget,
    endOfPeriod: end,
    outside: outsideFlows(ndc, flows, reportedYear),
    information: flows.information,
    complete,
  });
}

function checkFinalisation(finalisation: Finalisation): void {
  const { party, firstYear, lastYear, date } = finalisation;
  assert(partyPattern.test(party), `finalisation party ${party}`);
  assert(isYear(firstYear) && isYear(lastYear) && firstYear <= lastYear, 'finalised period');
  assert(datePattern.test(date), `finalisation date ${date}`);
}

/** The years whose additions and subtractions the Party has finalised (paragraph 12). */
export function finalisedYears(
  finalisations: readonly Finalisation[],
  party: PartyCode,
): ReadonlySet<number> {
  assert(partyPattern.test(party), `party ${party} is not ISO 3166 alpha-3`);
  const years = new Set<number>();
  for (const finalisation of finalisations) {
    checkFinalisation(finalisation);
    if (finalisation.party !== party) continue;
    for (let year = finalisation.firstYear; year <= finalisation.lastYear; year++) years.add(year);
  }
  return years;
}

/**
 * Refuses an addition (a first transfer of that vintage) or a subtraction (a use in that year) for a
 * year of a period the Party has finalised: finalised additions and subtractions never change
 * (decision 2/CMA.3, annex, paragraph 12).
 */
export function checkNotFinalised(
  finalisations: readonly Finalisation[],
  party: PartyCode,
  year: number,
  what: 'addition' | 'subtraction',
): Result<true> {
  assert(partyPattern.test(party), `party ${party} is not ISO 3166 alpha-3`);
  assert(isYear(year), `year ${year} is outside ${yearMin}-${yearMax}`);
  finalisations.forEach(checkFinalisation);
  const hit = finalisationCovering(finalisations, party, year);
  if (hit === undefined) return ok(true);
  return reject(
    'article6_period_finalised',
    `${party} finalised its additions and subtractions for ${hit.firstYear}-${hit.lastYear} on ${hit.date}; ${what === 'addition' ? 'an addition' : 'a subtraction'} for ${year} would change them`,
    { party, year, what, firstYear: hit.firstYear, lastYear: hit.lastYear, finalisedOn: hit.date },
  );
}
