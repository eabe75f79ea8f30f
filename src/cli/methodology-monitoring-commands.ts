// `jcm methodology template|calculate|example`: the monitoring spreadsheet, and the calculation of
// a monitoring report (a workbook, a CSV or JSON) or of the worked example.
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import { monitoringReportSchema } from '../core/methodology/format.ts';
import { reportFromShape, type WorkbookLayout } from '../services/methodology-catalogue.ts';
import type { MonitoringInput } from '../services/methodology-catalogue.ts';
import { lookupMethodology, type CatalogueRun, type MethodologyOpts } from './catalogue-action.ts';
import { printCalculation } from './methodology-output.ts';

export function registerMonitoringCommands(methodology: Command, run: CatalogueRun): void {
  methodology
    .command('template <id>')
    .option('--version <version>', 'a version other than the newest')
    .option('-o, --output <file>', 'where to write the workbook (default: <id>-monitoring.xlsx)')
    .option('--fill <what>', '"example" fills in the worked example')
    .option(
      '--points <ids>',
      'monitoring points, comma separated (default: those of the worked example)',
    )
    .option(
      '--periods <list>',
      'periods as id:start:end, comma separated, e.g. MP1:2026-01-01:2026-12-31',
    )
    .description('write the monitoring spreadsheet (XLSX with live formulas)')
    .action(
      run(async (catalogue, out, opts, [id]) => {
        const found = lookupMethodology(catalogue, out, id as string, opts.version);
        if (found === undefined) return;
        const layout = layoutOf(found, opts);
        if (typeof layout === 'string')
          return out.rejection({ code: 'monitoring_period_malformed', message: layout });
        const bytes = await catalogue.template(found, {
          layout,
          ...(opts.fill === 'example' ? { fill: 'example' as const } : {}),
        });
        const file =
          typeof opts.output === 'string' ? opts.output : `${found.file.id}-monitoring.xlsx`;
        await writeFile(file, bytes);
        out.data(
          {
            file,
            bytes: bytes.length,
            points: layout.points.length,
            periods: layout.periods.length,
          },
          () =>
            `wrote ${file}: ${layout.points.length} monitoring point(s) x ${layout.periods.length} period(s)`,
        );
      }),
    );

  methodology
    .command('calculate <id> <file>')
    .option('--version <version>', 'a version other than the newest')
    .option('--trace', 'print every intermediate value')
    .description(
      'calculate a monitoring report (.xlsx, .csv, or .json shaped like the worked example)',
    )
    .action(
      run(async (catalogue, out, opts, [id, file]) => {
        const found = lookupMethodology(catalogue, out, id as string, opts.version);
        if (found === undefined) return;
        const input = await inputOf(file as string);
        if ('error' in input)
          return out.rejection({ code: 'monitoring_file_unreadable', message: input.error });
        printCalculation(out, await catalogue.calculate(found, input), opts.trace === true);
      }),
    );

  methodology
    .command('example <id>')
    .option('--version <version>', 'a version other than the newest')
    .option('--trace', 'print every intermediate value')
    .description("calculate the methodology's worked example")
    .action(
      run(async (catalogue, out, opts, [id]) => {
        const found = lookupMethodology(catalogue, out, id as string, opts.version);
        if (found === undefined) return;
        printCalculation(
          out,
          await catalogue.calculate(found, { kind: 'example' }),
          opts.trace === true,
        );
      }),
    );
}

/**
 * The rows of a template: --points and --periods, else those of the worked example; a text saying
 * what is wrong when --periods is malformed.
 */
function layoutOf(
  methodology: CompiledMethodology,
  opts: MethodologyOpts,
): WorkbookLayout | string {
  const example = methodology.file.example;
  const points =
    typeof opts.points === 'string'
      ? opts.points
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== '')
      : example.monitoring_points;
  if (typeof opts.periods !== 'string') return { points, periods: example.periods };
  const periods = [];
  for (const item of opts.periods.split(',')) {
    const [id, start, end] = item.split(':');
    if (id === undefined || start === undefined || end === undefined)
      return `a period is written id:start:end, not ${item}`;
    periods.push({ id, start, end });
  }
  return { points, periods };
}

/** A monitoring report by the file's extension; JSON must have the shape of the worked example. */
async function inputOf(file: string): Promise<MonitoringInput | { error: string }> {
  const extension = extname(file).toLowerCase();
  const bytes = await readFile(file);
  if (extension === '.xlsx') return { kind: 'xlsx', bytes: new Uint8Array(bytes) };
  if (extension === '.csv') return { kind: 'csv', text: bytes.toString('utf8') };
  if (extension === '.json') {
    try {
      const parsed = monitoringReportSchema.safeParse(JSON.parse(bytes.toString('utf8')));
      if (!parsed.success)
        return {
          error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        };
      return { kind: 'report', report: reportFromShape(parsed.data, file) };
    } catch {
      return { error: `${file} is not valid JSON` };
    }
  }
  return { error: `${file}: the file must end in .xlsx, .csv or .json` };
}
