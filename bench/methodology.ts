// Benchmark (not a test): a monitoring report of 1,000 monitoring points x 12 monthly periods for a
// methodology with per-point equations (IN_AM002, chillers), imported from XLSX and from CSV and
// calculated. Prints the median of several runs of each stage.
import { performance } from 'node:perf_hooks';
import { readMonitoringWorkbook } from '../src/formats/monitoring-workbook-read.ts';
import { validateReport } from '../src/core/methodology/monitoring-input.ts';
import { evaluate } from '../src/core/methodology/evaluate.ts';
import { sha256Hex } from '../src/db/sha256.ts';
import {
  defaultMethodologiesDir,
  MethodologyCatalogue,
} from '../src/services/methodology-catalogue.ts';

const pointsCount = Number(process.env.BENCH_POINTS ?? 1000);
const periodsCount = 12;
const runs = Number(process.env.BENCH_RUNS ?? 5);

const catalogue = await MethodologyCatalogue.load(defaultMethodologiesDir);
const methodology = catalogue.get('IN_AM002');
if (methodology === undefined) throw new Error('IN_AM002 is missing');

const points = Array.from(
  { length: pointsCount },
  (_, i) => `CH-${String(i + 1).padStart(4, '0')}`,
);
const periods = Array.from({ length: periodsCount }, (_, m) => {
  const month = String(m + 1).padStart(2, '0');
  const last = new Date(Date.UTC(2026, m + 1, 0)).getUTCDate();
  return { id: `2026-${month}`, start: `2026-${month}-01`, end: `2026-${month}-${last}` };
});
// Deterministic values with three decimals, different for every cell.
const value = (p: number, q: number) => ((p * 7919 + q * 104729) % 900000) / 1000 + 10;
const prefill = (symbol: string, period: string | null, point: string | null) => {
  if (symbol !== 'EC_PJ_i' || period === null || point === null) return undefined;
  return value(Number(period.slice(5)), Number(point.slice(3))).toFixed(3);
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

const layout = { points, periods };
const generated = await time(() => catalogue.template(methodology, { layout, prefill }));
const bytes = generated.value;
const csvLines = ['period,start,end,monitoring_point,parameter,value,unit'];
for (const period of periods) {
  for (const point of points) {
    csvLines.push(
      `${period.id},${period.start},${period.end},${point},EC_PJ_i,${prefill('EC_PJ_i', period.id, point)},MWh`,
    );
  }
}
const csv = `${csvLines.join('\n')}\n`;

const stages: Record<string, number[]> = {
  read: [],
  validate: [],
  evaluate: [],
  xlsxTotal: [],
  csvTotal: [],
};
let credits = 0n;
for (let run = 0; run < runs; run += 1) {
  const read = await time(() => readMonitoringWorkbook(methodology, bytes));
  const outcome = read.value;
  if ('unreadable' in outcome) throw new Error(outcome.unreadable.message);
  const validated = await time(() => validateReport(methodology, outcome.report));
  if (!validated.value.ok) throw new Error(JSON.stringify(validated.value.issues.slice(0, 3)));
  const data = validated.value.data;
  const evaluated = await time(() => evaluate(methodology, data, sha256Hex));
  if (!evaluated.value.ok) throw new Error('evaluation failed');
  credits = evaluated.value.result.credits;
  stages.read!.push(read.ms);
  stages.validate!.push(validated.ms);
  stages.evaluate!.push(evaluated.ms);
  stages.xlsxTotal!.push(
    (await time(() => catalogue.calculate(methodology, { kind: 'xlsx', bytes }))).ms,
  );
  const viaCsv = await time(() => catalogue.calculate(methodology, { kind: 'csv', text: csv }));
  if (!viaCsv.value.ok || viaCsv.value.result.credits !== credits)
    throw new Error('CSV and XLSX disagree');
  stages.csvTotal!.push(viaCsv.ms);
}

const rows = pointsCount * periodsCount;
console.log(
  `bench:methodology  ${methodology.file.id}  ${pointsCount} points x ${periodsCount} periods = ${rows} rows, ${runs} runs, medians`,
);
console.log(
  `  template generated      ${generated.ms.toFixed(0)} ms, ${(bytes.length / 1024).toFixed(0)} KiB`,
);
console.log(`  XLSX read               ${median(stages.read!).toFixed(0)} ms`);
console.log(`  validate                ${median(stages.validate!).toFixed(0)} ms`);
console.log(`  evaluate (exact, trace) ${median(stages.evaluate!).toFixed(0)} ms`);
console.log(
  `  XLSX import + calculate ${median(stages.xlsxTotal!).toFixed(0)} ms (${((rows / median(stages.xlsxTotal!)) * 1000).toFixed(0)} rows/s)`,
);
console.log(
  `  CSV import + calculate  ${median(stages.csvTotal!).toFixed(0)} ms (${(csv.length / 1024).toFixed(0)} KiB)`,
);
console.log(`  credits                 ${credits}`);
