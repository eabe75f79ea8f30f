// The histograms of /metrics: known values land in the right buckets, cumulatively, with their sum
// and count; label values are escaped; bounds must increase.
import { describe, expect, it } from 'vitest';
import { gaugeLines, Histogram, labelText } from '../../../src/core/shared/histogram.ts';

describe('Histogram', () => {
  it('counts known values cumulatively per bucket, with +Inf, sum and count', () => {
    const h = new Histogram('t_seconds', 'Test.', [0.01, 0.1, 1]);
    const labels = labelText({ route: '/a/:b' });
    for (const value of [0.005, 0.01, 0.05, 0.5, 3]) h.observe(labels, value);
    h.observe('', 0.2);
    expect(h.lines()).toEqual([
      '# HELP t_seconds Test.',
      '# TYPE t_seconds histogram',
      't_seconds_bucket{route="/a/:b",le="0.01"} 2',
      't_seconds_bucket{route="/a/:b",le="0.1"} 3',
      't_seconds_bucket{route="/a/:b",le="1"} 4',
      't_seconds_bucket{route="/a/:b",le="+Inf"} 5',
      't_seconds_sum{route="/a/:b"} 3.565',
      't_seconds_count{route="/a/:b"} 5',
      't_seconds_bucket{le="0.01"} 0',
      't_seconds_bucket{le="0.1"} 0',
      't_seconds_bucket{le="1"} 1',
      't_seconds_bucket{le="+Inf"} 1',
      't_seconds_sum 0.2',
      't_seconds_count 1',
    ]);
    expect(h.size).toBe(2);
  });

  it('escapes label values and refuses bounds that do not increase', () => {
    expect(labelText({ a: 'x"y\\z\nw' })).toBe('a="x\\"y\\\\z\\nw"');
    expect(() => new Histogram('t', 'Test.', [1, 1])).toThrow();
    expect(() => new Histogram('t', 'Test.', [])).toThrow();
    expect(gaugeLines('g', 'Gauge.', [['', 3]])).toEqual([
      '# HELP g Gauge.',
      '# TYPE g gauge',
      'g 3',
    ]);
  });
});
