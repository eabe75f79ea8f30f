// How `jcm methodology` prints its answers as text: a methodology, a calculation with its vintages
// and trace, and the located issues of a refusal.
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import type { CalculationResult } from '../core/methodology/evaluate.ts';
import type { MethodologyCatalogue } from '../services/methodology-catalogue.ts';
import {
  readableCredits,
  readableDate,
  readableDecimal,
  readableShare,
  readableSignificant,
  readableUnit,
} from '../core/shared/readable.ts';
import { table, type Output } from './output.ts';

export function printIssues(
  out: Output,
  issues: readonly { code: string; message: string; where: string }[],
  summary: string,
  code: 'monitoring_report_invalid' | 'methodology_invalid' = 'monitoring_report_invalid',
): void {
  if (out.json) out.data({ error: { code, message: summary, issues } });
  else
    process.stderr.write(
      `error ${code}: ${summary}\n${issues.map((i) => `  ${i.where}: ${i.code}: ${i.message}`).join('\n')}\n`,
    );
  process.exitCode = 1;
}

export function printCalculation(
  out: Output,
  calculated: Awaited<ReturnType<MethodologyCatalogue['calculate']>>,
  trace: boolean,
): void {
  if (!calculated.ok) {
    return printIssues(
      out,
      calculated.issues,
      `the monitoring report has ${calculated.issues.length} error(s); nothing was calculated`,
    );
  }
  const r = calculated.result;
  out.data(r, () => calculationText(r, trace));
}

/**
 * A calculation for people: tonnes to one decimal place, credits with thousands separators, dates in
 * words (the exact values are in --json). The methodologies state their outputs in tCO2.
 */
export function calculationText(r: CalculationResult, trace: boolean): string {
  const t = (value: string) => readableDecimal(value);
  const lines = [
    `${r.methodology.id} v${r.methodology.version}  input hash ${r.inputHash}`,
    `discount factor ${readableSignificant(r.discountFactor)}, reserve share ${readableShare(r.reserveShare)}`,
    '',
    table(
      r.periods.map((p) => ({
        period: p.period,
        start: readableDate(p.start),
        end: readableDate(p.end),
        'RE (t CO2)': t(p.referenceEmissions),
        'PE (t CO2)': t(p.projectEmissions),
        'ER (t CO2)': t(p.emissionReductions),
      })),
      ['period', 'start', 'end', 'RE (t CO2)', 'PE (t CO2)', 'ER (t CO2)'],
      ['RE (t CO2)', 'PE (t CO2)', 'ER (t CO2)'],
    ),
    '',
    table(
      r.periods.flatMap((p) =>
        p.vintages.map((v) => ({
          period: p.period,
          vintage: v.vintage,
          days: v.days,
          'ER share (t CO2)': t(v.emissionReductions),
          credits: readableCredits(v.credits),
          reserve: readableCredits(v.reserve),
          issuable: readableCredits(v.issuable),
        })),
      ),
      ['period', 'vintage', 'days', 'ER share (t CO2)', 'credits', 'reserve', 'issuable'],
      ['days', 'ER share (t CO2)', 'credits', 'reserve', 'issuable'],
    ),
    '',
    `credits: ${readableCredits(r.credits)} (${r.vintages.map((v) => `${v.vintage}: ${readableCredits(v.credits)}`).join(', ')})`,
  ];
  if (trace) {
    for (const p of r.periods) {
      lines.push('', `trace of period ${p.period}`);
      lines.push(
        table(
          // Intermediate values to seven significant digits: enough to check a spreadsheet by eye;
          // --json gives them exactly.
          p.trace.map((t) => ({
            symbol: t.symbol,
            unit: readableUnit(t.unit),
            value:
              t.value === undefined
                ? Object.entries(t.values ?? {})
                    .map(([k, v]) => `${k}=${readableSignificant(v)}`)
                    .join(' ')
                : readableSignificant(t.value),
            formula: t.expression,
          })),
          ['symbol', 'unit', 'value', 'formula'],
        ),
      );
    }
  }
  return lines.join('\n');
}

export function showText(
  m: CompiledMethodology,
  equations: readonly { text: string; unit: string; description: string }[],
): string {
  const f = m.file;
  return [
    `${f.id} v${f.version} (${f.status}): ${f.title}`,
    `partner countries ${f.partner_countries.join(', ')}; sectoral scopes ${f.sectoral_scopes.join(', ')}; gases ${f.greenhouse_gases.join(', ')}`,
    '',
    f.summary,
    '',
    'Eligibility',
    ...f.eligibility.map(
      (c) => `  ${c.id}  ${c.text}${c.source === undefined ? '' : ` (source: ${c.source})`}`,
    ),
    ...Object.entries(f.eligible_activities).map(([country, served]) =>
      served.length === 0
        ? `  Article 6.2 (${country}): serves none of the partner's list of eligible activities`
        : `  Article 6.2 (${country}): ${served.map((s) => `entry ${s.activity}: ${s.credits}`).join('; ')}`,
    ),
    '',
    'Parameters',
    table(
      f.parameters.map((p) => ({
        symbol: p.symbol,
        unit: p.unit,
        kind: p.kind,
        per: p.per,
        option: p.monitoring_option ?? '',
        default: p.default ?? '',
        description: p.description,
        source: p.source ?? '',
      })),
      ['symbol', 'unit', 'kind', 'per', 'option', 'default', 'description', 'source'],
    ),
    '',
    'Equations',
    ...equations.map((e) => `  ${e.text}   [${e.unit}]  ${e.description}`),
    '',
    `Outputs: RE ${f.outputs.reference_emissions}, PE ${f.outputs.project_emissions}, ER ${f.outputs.emission_reductions}`,
    `Discount factor ${m.discountFactor.toFixed()}${f.crediting.discount_factor === undefined ? '' : ` (${f.crediting.discount_factor.source})`}; reserve share ${readableShare(m.reserveShare.toFixed())}${f.crediting.reserve_share === undefined ? '' : ` (${f.crediting.reserve_share.source})`}`,
  ].join('\n');
}
