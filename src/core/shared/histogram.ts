// Prometheus histograms and gauges in text format (exposition format 0.0.4), for /metrics: a small
// registry of our own rather than a dependency (docs/ARCHITECTURE.md says why). Pure: the callers
// measure the time; a series is named by its labels, whose values the callers keep bounded.
import { assert } from './assert.ts';

/** Request and batch latencies (seconds): 0.5 ms to 10 s. */
export const latencyBucketsSeconds: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Commands per writer batch: 1 to the largest batch (ledger-writer.ts batchSizeMaxDefault). */
export const batchSizeBuckets: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** A label value as the text format writes it (backslash, double quote and newline escaped). */
export function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `name="value",...` from pairs, values escaped. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${labelValue(value)}"`)
    .join(',');
}

interface Series {
  readonly labels: string;
  /** Observations per bucket (not cumulative); the last slot is above the largest bound. */
  readonly counts: number[];
  sum: number;
  count: number;
}

export class Histogram {
  readonly #series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    assert(buckets.length > 0, 'a histogram has at least one bucket');
    assert(
      buckets.every((b, i) => i === 0 || b > (buckets[i - 1] ?? b)),
      'bucket bounds increase',
    );
  }

  /** Records one value in the series of these labels (labelText's form; '' for none). */
  observe(labels: string, value: number): void {
    let series = this.#series.get(labels);
    if (series === undefined) {
      series = {
        labels,
        counts: new Array<number>(this.buckets.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      this.#series.set(labels, series);
    }
    let slot = 0;
    while (slot < this.buckets.length && value > (this.buckets[slot] ?? Infinity)) slot += 1;
    series.counts[slot] = (series.counts[slot] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** How many series (label sets) the histogram holds. */
  get size(): number {
    return this.#series.size;
  }

  /** The histogram in text format: HELP, TYPE, and per series its cumulative buckets, sum, count. */
  lines(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const series of this.#series.values()) {
      const prefix = series.labels === '' ? '' : `${series.labels},`;
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += series.counts[i] ?? 0;
        lines.push(`${this.name}_bucket{${prefix}le="${bound}"} ${cumulative}`);
      });
      assert(
        cumulative + (series.counts[this.buckets.length] ?? 0) === series.count,
        'the buckets hold every observation',
      );
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${series.count}`);
      const braces = series.labels === '' ? '' : `{${series.labels}}`;
      lines.push(`${this.name}_sum${braces} ${series.sum}`);
      lines.push(`${this.name}_count${braces} ${series.count}`);
    }
    return lines;
  }
}

/** A gauge's lines in text format: one sample per label set (labelText's form; '' for none). */
export function gaugeLines(
  name: string,
  help: string,
  samples: readonly (readonly [labels: string, value: number | bigint])[],
): string[] {
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...samples.map(([labels, value]) => `${name}${labels === '' ? '' : `{${labels}}`} ${value}`),
  ];
}
