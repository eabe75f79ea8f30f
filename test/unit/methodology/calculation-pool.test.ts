// The calculation pool (issue 12): a full queue answers calculation_busy at once, a calculation out
// of time is stopped and its worker replaced, and the pool keeps calculating afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalculationPool, defaultPoolOptions } from '../../../src/services/calculation-pool.ts';
import type { Calculated } from '../../../src/services/calculation.ts';
import {
  defaultMethodologiesDir,
  MethodologyCatalogue,
} from '../../../src/services/methodology-catalogue.ts';

let catalogue: MethodologyCatalogue;
let template: Uint8Array;
const pools: CalculationPool[] = [];

beforeAll(async () => {
  catalogue = await MethodologyCatalogue.load(defaultMethodologiesDir);
  const m = catalogue.get('IN_AM001')!;
  template = new Uint8Array(await catalogue.template(m, { fill: 'example' }));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const refusedCode = (c: Calculated) => (c.ok ? null : (c.refused?.code ?? null));

describe('the calculation pool', () => {
  it('calculates in a worker, refuses beyond its queue, and says when to come back', async () => {
    const pool = new CalculationPool({ ...defaultPoolOptions, workers: 1, queue: 1 });
    pools.push(pool);
    const m = catalogue.get('IN_AM001')!;
    const input = { kind: 'xlsx', bytes: template } as const;
    const answers = await Promise.all([pool.run(m, input), pool.run(m, input), pool.run(m, input)]);
    expect(answers.map((a: Calculated) => a.ok)).toEqual([true, true, false]);
    expect(refusedCode(answers[2]!)).toBe('calculation_busy');
    const busy = answers[2]!;
    expect(busy.ok ? null : busy.refused?.details?.['retryAfterSeconds']).toBe(5);
  }, 60_000);

  it('stops a calculation out of time, then the same pool calculates with a new worker', async () => {
    // The pool reads its options at each start: the test shortens, then restores, the time limit.
    const options = { ...defaultPoolOptions, timeoutMs: 1 };
    const pool = new CalculationPool(options);
    pools.push(pool);
    const m = catalogue.get('IN_AM001')!;
    const late = await pool.run(m, { kind: 'xlsx', bytes: template });
    expect(refusedCode(late)).toBe('calculation_limit_exceeded');
    options.timeoutMs = defaultPoolOptions.timeoutMs;
    expect((await pool.run(m, { kind: 'xlsx', bytes: template })).ok).toBe(true);
  }, 60_000);

  it('rejects on a bug in the worker (a server error, not a refusal), then calculates again', async () => {
    const pool = new CalculationPool(defaultPoolOptions);
    pools.push(pool);
    const m = catalogue.get('IN_AM001')!;
    const broken = { ...m, file: { ...m.file, version: 'broken', parameters: null } } as never;
    await expect(pool.run(broken, { kind: 'xlsx', bytes: template })).rejects.toThrow(
      /calculation worker/,
    );
    expect((await pool.run(m, { kind: 'xlsx', bytes: template })).ok).toBe(true);
  }, 60_000);
});
