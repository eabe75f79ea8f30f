// Properties of the engine over random monitoring data, for every catalogue methodology: reductions
// never exceed reference emissions when project emissions are non-negative, no activity gives no
// credits, and splitting a period never gives more credits (and at most one tonne less per vintage).
// The importers, fed random input, never throw and always locate what they refuse.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledMethodology } from '../../../src/core/methodology/compile.ts';
import { Decimal } from '../../../src/core/methodology/decimal.ts';
import type { RawReport } from '../../../src/core/methodology/monitoring-input.ts';
import { formatCivilDate } from '../../../src/core/shared/civil-date.ts';
import {
  defaultMethodologiesDir,
  MethodologyCatalogue,
} from '../../../src/services/methodology-catalogue.ts';
import { openWorkbook, workbookBytes } from '../../support/workbook.ts';

const seed = Number(process.env.JCM_SEED ?? Date.now() % 1_000_000);
const runs = Number(process.env.JCM_PROPERTY_RUNS ?? 60);
console.log(`methodology properties: JCM_SEED=${seed}`);

let catalogue: MethodologyCatalogue;
beforeAll(async () => {
  catalogue = await MethodologyCatalogue.load(defaultMethodologiesDir);
});

/** A random monitoring report for one period: every monitored value random within its range. */
function reportFor(m: CompiledMethodology, values: readonly number[], zero = false): RawReport {
  const points = m.file.example.monitoring_points;
  let i = 0;
  const next = (max: Decimal | null) => {
    const raw = new Decimal(values[i++ % values.length] ?? 0).div(1000);
    return zero ? '0' : (max !== null && raw.gt(max) ? max : raw).toFixed();
  };
  const report: RawReport = {
    points: points.map((id) => ({ id, where: id })),
    periods: [{ id: 'P', start: '2026-03-01', end: '2027-02-28', where: 'P' }],
    values: [...m.parameters.values()]
      .filter((p) => p.def.kind === 'monitored')
      .flatMap((p) =>
        p.def.per === 'project'
          ? [{ symbol: p.def.symbol, period: 'P', text: next(p.max), where: p.def.symbol }]
          : points.map((point) => ({
              symbol: p.def.symbol,
              period: 'P',
              point,
              text: next(p.max),
              where: `${p.def.symbol}@${point}`,
            })),
      ),
  };
  return report;
}

describe('for every catalogue methodology', () => {
  it('reductions never exceed reference emissions when project emissions are non-negative', async () => {
    for (const { id } of catalogue.list()) {
      const m = catalogue.get(id)!;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 30 }),
          async (values) => {
            const calculated = await catalogue.calculate(m, {
              kind: 'report',
              report: reportFor(m, values),
            });
            if (!calculated.ok) throw new Error(`${id}: ${JSON.stringify(calculated.issues)}`);
            for (const p of calculated.result.periods) {
              const re = new Decimal(p.referenceEmissions);
              const pe = new Decimal(p.projectEmissions);
              expect(pe.isNegative()).toBe(false);
              expect(new Decimal(p.emissionReductions).lte(re), id).toBe(true);
              const credits = p.vintages.reduce((s, v) => s + v.credits, 0n);
              // Negative reductions (a plant importing more than it exports) give no credits, never negative ones.
              expect(credits <= BigInt(Decimal.max(re, 0).floor().toFixed()), id).toBe(true);
              expect(credits >= 0n).toBe(true);
            }
          },
        ),
        { seed, numRuns: runs },
      );
    }
  });

  it('no activity gives no reductions and no credits', async () => {
    for (const { id } of catalogue.list()) {
      const m = catalogue.get(id)!;
      const calculated = await catalogue.calculate(m, {
        kind: 'report',
        report: reportFor(m, [0], true),
      });
      if (!calculated.ok) throw new Error(JSON.stringify(calculated.issues));
      expect(calculated.result.periods[0]?.emissionReductions, id).toBe('0');
      expect(calculated.result.credits, id).toBe(0n);
    }
  });
});

describe('splitting a monitoring period', () => {
  it('never gives more credits than the whole, and at most one tonne less per vintage', async () => {
    const m = catalogue.get('IN_AM001')!;
    const day = (n: number) => {
      // Day n after 2026-01-01, as a civil date (n < 2000).
      const date = new Date(Date.UTC(2026, 0, 1 + n));
      return formatCivilDate({
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
      });
    };
    const run = async (
      periods: { id: string; from: number; to: number }[],
      ratePerDay: Decimal,
    ) => {
      const report: RawReport = {
        points: [{ id: 'PV', where: 'PV' }],
        periods: periods.map((p) => ({
          id: p.id,
          start: day(p.from),
          end: day(p.to),
          where: p.id,
        })),
        values: periods.map((p) => ({
          symbol: 'EG_i',
          period: p.id,
          point: 'PV',
          text: ratePerDay.times(p.to - p.from + 1).toFixed(),
          where: p.id,
        })),
      };
      const calculated = await catalogue.calculate(m, { kind: 'report', report });
      if (!calculated.ok) throw new Error(JSON.stringify(calculated.issues));
      return new Map(calculated.result.vintages.map((v) => [v.vintage, v.credits]));
    };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 1, max: 900 }),
        fc.integer({ min: 0, max: 899 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        async (start, length, cut, rate) => {
          const end = start + length;
          const split = start + (cut % length);
          const perDay = new Decimal(rate).div(1000);
          const whole = await run([{ id: 'W', from: start, to: end }], perDay);
          const parts = await run(
            [
              { id: 'A', from: start, to: split },
              { id: 'B', from: split + 1, to: end },
            ],
            perDay,
          );
          for (const [vintage, credits] of whole) {
            const fromParts = parts.get(vintage) ?? 0n;
            expect(fromParts <= credits).toBe(true);
            expect(credits - fromParts <= 1n).toBe(true);
          }
        },
      ),
      { seed, numRuns: runs },
    );
  });
});

describe('the importers fed random input', () => {
  it('refuse random bytes as a workbook with a located message', async () => {
    const m = catalogue.get('IN_AM001')!;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const calculated = await catalogue.calculate(m, { kind: 'xlsx', bytes });
        expect(calculated.ok).toBe(false);
        if (!calculated.ok) expect(calculated.issues[0]?.code).toBe('monitoring_file_unreadable');
      }),
      { seed, numRuns: 100 },
    );
  });

  it('locate every refusal of random CSV text', async () => {
    const m = catalogue.get('CL_AM001')!;
    const line = fc
      .tuple(
        fc.constantFrom('MP1', '', 'X'),
        fc.constantFrom('2026-01-01', '2026-02-30', 'soon', ''),
        fc.constantFrom('2026-12-31', '2025-01-01', ''),
        fc.constantFrom('FARM-1', '', 'FARM-2'),
        fc.constantFrom('EG_exp_i', 'EG_imp_i', 'EF_grid', 'nope', ''),
        fc.oneof(fc.string({ maxLength: 8 }), fc.integer().map(String)),
        fc.constantFrom('MWh', 'kWh', 'tCO2/MWh', ''),
      )
      .map((cells) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(','));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 30 }), async (lines) => {
        const text = ['period,start,end,monitoring_point,parameter,value,unit', ...lines].join(
          '\n',
        );
        const calculated = await catalogue.calculate(m, { kind: 'csv', text });
        if (!calculated.ok) {
          for (const issue of calculated.issues)
            expect(issue.where).toMatch(/line \d+|period|the report|the file/);
        }
      }),
      { seed, numRuns: 200 },
    );
  });

  it('locate every refusal of random values typed into a template', async () => {
    const m = catalogue.get('IN_AM003')!;
    const template = await catalogue.template(m);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom('Monitoring', 'Points', 'Fixed', 'Periods'),
            fc.integer({ min: 1, max: 8 }),
            fc.integer({ min: 1, max: 6 }),
            fc.oneof(fc.string({ maxLength: 6 }), fc.double({ noNaN: true }), fc.constant(null)),
          ),
          { maxLength: 12 },
        ),
        async (edits) => {
          const book = await openWorkbook(template);
          for (const [sheet, row, column, value] of edits)
            book.getWorksheet(sheet)!.getCell(row, column).value = value;
          const calculated = await catalogue.calculate(m, {
            kind: 'xlsx',
            bytes: await workbookBytes(book),
          });
          if (!calculated.ok) {
            for (const issue of calculated.issues) {
              expect(issue.where).toMatch(/^sheet '|^period |the report|the file/);
            }
          }
        },
      ),
      { seed, numRuns: 40 },
    );
  });
});
