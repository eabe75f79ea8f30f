// The worked example of a methodology file as a raw report, located by its path in the file, so that
// the example goes through the same validation and calculation as any monitoring report.
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import type { ExampleDef } from '../core/methodology/format.ts';
import type { RawReport, RawValue } from '../core/methodology/monitoring-input.ts';

/** The key under a period of `example.monitored` that holds the project-level values. */
export const projectKey = 'project';

export function exampleReport(methodology: CompiledMethodology): RawReport {
  return reportFromShape(methodology.file.example, 'example');
}

/** Monitoring data written like a worked example (the JSON form of a monitoring report). */
export type ReportShape = Omit<ExampleDef, 'description'>;

export function reportFromShape(example: ReportShape, prefix: string): RawReport {
  const values: RawValue[] = [];
  for (const [symbol, value] of Object.entries(example.fixed)) {
    if (typeof value === 'string')
      values.push({ symbol, text: value, where: `${prefix}.fixed.${symbol}` });
    else {
      for (const [point, text] of Object.entries(value)) {
        values.push({ symbol, point, text, where: `${prefix}.fixed.${symbol}.${point}` });
      }
    }
  }
  for (const [period, byPoint] of Object.entries(example.monitored)) {
    for (const [point, bySymbol] of Object.entries(byPoint)) {
      for (const [symbol, text] of Object.entries(bySymbol)) {
        values.push({
          symbol,
          period,
          ...(point === projectKey ? {} : { point }),
          text,
          where: `${prefix}.monitored.${period}.${point}.${symbol}`,
        });
      }
    }
  }
  return {
    points: example.monitoring_points.map((id, i) => ({
      id,
      where: `${prefix}.monitoring_points.${i}`,
    })),
    periods: example.periods.map((p, i) => ({ ...p, where: `${prefix}.periods.${i}` })),
    values,
  };
}

/** Looks up a value of a raw report, for prefilling a template. */
export function prefillFrom(report: RawReport) {
  const byKey = new Map(
    report.values.map((v) => [[v.symbol, v.period ?? '', v.point ?? ''].join('\u0000'), v.text]),
  );
  return (symbol: string, period: string | null, point: string | null): string | undefined =>
    byKey.get([symbol, period ?? '', point ?? ''].join('\u0000'));
}
