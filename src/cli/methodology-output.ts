// How `jcm methodology` prints its answers as text: a methodology, a calculation with its vintages
// and trace, and the located issues of a refusal.
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import type { CalculationResult } from '../core/methodology/evaluate.ts';
import type { MethodologyCatalogue } from '../services/methodology-catalogue.ts';
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

export function calculationText(r: CalculationResult, trace: boolean): string {
  const lines = [
    `${r.methodology.id} v${r.methodology.version}  input hash ${r.inputHash}`,
    `discount factor ${r.discountFactor}, reserve share ${r.reserveShare}`,
    '',
    table(
      r.periods.map((p) => ({
        period: p.period,
        start: p.start,
        end: p.end,
        'RE (tCO2)': p.referenceEmissions,
        'PE (tCO2)': p.projectEmissions,
        'ER (tCO2)': p.emissionReductions,
      })),
      ['period', 'start', 'end', 'RE (tCO2)', 'PE (tCO2)', 'ER (tCO2)'],
    ),
    '',
    table(
      r.periods.flatMap((p) =>
        p.vintages.map((v) => ({
          period: p.period,
          vintage: v.vintage,
          days: v.days,
          'ER share (tCO2)': v.emissionReductions,
          credits: v.credits,
          reserve: v.reserve,
          issuable: v.issuable,
        })),
      ),
      ['period', 'vintage', 'days', 'ER share (tCO2)', 'credits', 'reserve', 'issuable'],
    ),
    '',
    `credits: ${r.credits} (${r.vintages.map((v) => `${v.vintage}: ${v.credits}`).join(', ')})`,
  ];
  if (trace) {
    for (const p of r.periods) {
      lines.push('', `trace of period ${p.period}`);
      lines.push(
        table(
          p.trace.map((t) => ({
            symbol: t.symbol,
            unit: t.unit,
            value:
              t.value ??
              Object.entries(t.values ?? {})
                .map(([k, v]) => `${k}=${v}`)
                .join(' '),
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
    `Discount factor ${m.discountFactor.toFixed()}${f.crediting.discount_factor === undefined ? '' : ` (${f.crediting.discount_factor.source})`}; reserve share ${m.reserveShare.toFixed()}${f.crediting.reserve_share === undefined ? '' : ` (${f.crediting.reserve_share.source})`}`,
  ].join('\n');
}
