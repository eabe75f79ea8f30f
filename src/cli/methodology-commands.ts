// `jcm methodology ...`: the catalogue, the monitoring spreadsheet, calculation, finder and
// estimator. These commands read the catalogue files only and never open the database.
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import type { CalculationResult } from '../core/methodology/evaluate.ts';
import { methodologyJsonSchema } from '../core/methodology/format.ts';
import { monitoringJsonSchema } from '../api/methodology-routes.ts';
import { reportFromShape } from '../formats/example-report.ts';
import { readMethodologyText } from '../formats/methodology-file.ts';
import type { WorkbookLayout } from '../formats/monitoring-workbook.ts';
import type { MethodologyCatalogue, MonitoringInput } from '../services/methodology-catalogue.ts';
import { createOutput, table, type Output } from './output.ts';

type Opts = Record<string, unknown> & { json?: boolean; version?: string };

export function registerMethodologyCommands(
  program: Command,
  openCatalogue: () => Promise<MethodologyCatalogue>,
): void {
  const methodology = program
    .command('methodology')
    .description('methodologies: catalogue, monitoring spreadsheets, calculation, finder');

  const run =
    (
      fn: (
        catalogue: MethodologyCatalogue,
        out: Output,
        opts: Opts,
        args: string[],
      ) => Promise<void>,
    ) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const opts = command.optsWithGlobals<Opts>();
      await fn(
        await openCatalogue(),
        createOutput(opts.json === true),
        opts,
        args.slice(0, -2) as string[],
      );
    };
  const lookup = (catalogue: MethodologyCatalogue, out: Output, id: string, version?: string) => {
    const found = catalogue.get(id, version);
    if (found === undefined) {
      out.rejection({
        code: 'methodology_not_found',
        message: `no methodology ${id}${version === undefined ? '' : ` version ${version}`}`,
      });
    }
    return found;
  };

  methodology
    .command('list')
    .description('the catalogue')
    .action(
      run(async (catalogue, out) => {
        const rows = catalogue.list();
        out.data(rows, () =>
          table(
            rows.map((r) => ({
              ...r,
              partnerCountries: r.partnerCountries.join(' '),
              sectoralScopes: r.sectoralScopes.join(' '),
            })),
            ['id', 'version', 'partnerCountries', 'sectoralScopes', 'title'],
          ),
        );
      }),
    );

  methodology
    .command('schema')
    .description('JSON Schema of the methodology file format')
    .action(
      run(async (_catalogue, out) =>
        out.data(methodologyJsonSchema(), () => JSON.stringify(methodologyJsonSchema(), null, 2)),
      ),
    );

  methodology
    .command('show <id>')
    .option('--version <version>', 'a version other than the newest')
    .description('a methodology with its parameters and equations')
    .action(
      run(async (catalogue, out, opts, [id]) => {
        const found = lookup(catalogue, out, id as string, opts.version);
        if (found === undefined) return;
        const view = catalogue.describe(found);
        out.data(view, () => showText(found, view.rendered.equations));
      }),
    );

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
        const found = lookup(catalogue, out, id as string, opts.version);
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
        const found = lookup(catalogue, out, id as string, opts.version);
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
        const found = lookup(catalogue, out, id as string, opts.version);
        if (found === undefined) return;
        printCalculation(
          out,
          await catalogue.calculate(found, { kind: 'example' }),
          opts.trace === true,
        );
      }),
    );

  methodology
    .command('find')
    .option('--country <alpha2>', 'partner country, e.g. IN')
    .option('--words <text>', 'technology or sector words, e.g. "rooftop solar"')
    .option('--scope <n>', 'sectoral scope number (1-15)')
    .option('--size <k=v...>', 'size parameters for an estimate, e.g. P_cap=5')
    .description(
      'methodologies that apply, with an estimate of annual credits where the size is given',
    )
    .action(
      run(async (catalogue, out, opts) => {
        const query = {
          country: typeof opts.country === 'string' ? opts.country : undefined,
          words: typeof opts.words === 'string' ? opts.words : undefined,
          sectoralScope: typeof opts.scope === 'string' ? Number(opts.scope) : undefined,
        };
        const rows = catalogue.findAndEstimate(
          query,
          pairs((opts.size as string[] | undefined) ?? []),
        );
        out.data(rows, () =>
          table(
            rows.map((r) => ({
              id: r.id,
              title: r.title,
              matched: r.matched.join(' '),
              size: r.sizeInputs.map((i) => `${i.symbol} [${i.unit}]`).join(' '),
              'credits/year': r.estimate?.annualCredits ?? '',
            })),
            ['id', 'matched', 'size', 'credits/year', 'title'],
          ),
        );
      }),
    );

  methodology
    .command('estimate <id> [size...]')
    .option('--version <version>', 'a version other than the newest')
    .description('estimate annual credits from size parameters, e.g. P_cap=5')
    .action(
      run(async (catalogue, out, opts, [id, size]) => {
        const found = lookup(catalogue, out, id as string, opts.version);
        if (found === undefined) return;
        const estimated = catalogue.estimate(
          found,
          pairs((size as unknown as string[] | undefined) ?? []),
        );
        if (!estimated.ok)
          return printIssues(out, estimated.issues, 'the size parameters have errors');
        const e = estimated.estimate;
        out.data(e, () =>
          [
            `${e.methodology.id} v${e.methodology.version}, a typical year: ${e.annualCredits} credits (${e.annualIssuable} issuable after the reserve)`,
            `reference ${e.year.referenceEmissions} tCO2, project ${e.year.projectEmissions} tCO2, reductions ${e.year.emissionReductions} tCO2`,
            ...e.eligibility.map(
              (c) =>
                `${c.id} ${c.holds === null ? '(to be checked)' : c.holds ? 'holds' : 'DOES NOT HOLD'}: ${c.text}`,
            ),
          ].join('\n'),
        );
      }),
    );

  methodology
    .command('validate <file>')
    .description('check a methodology file and list every located error')
    .action(
      run(async (_catalogue, out, _opts, [file]) => {
        const read = readMethodologyText(await readFile(file as string, 'utf8'), file as string);
        if (!read.ok)
          return printIssues(out, read.issues, `${file} has errors`, 'methodology_invalid');
        out.data(
          { valid: true, id: read.methodology.file.id, version: read.methodology.file.version },
          () => `${file}: ${read.methodology.file.id} v${read.methodology.file.version} is valid`,
        );
      }),
    );
}

function pairs(items: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    items.map((item) => {
      const at = item.indexOf('=');
      return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
    }),
  );
}

function layoutOf(methodology: CompiledMethodology, opts: Opts): WorkbookLayout | string {
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

async function inputOf(file: string): Promise<MonitoringInput | { error: string }> {
  const extension = extname(file).toLowerCase();
  const bytes = await readFile(file);
  if (extension === '.xlsx') return { kind: 'xlsx', bytes: new Uint8Array(bytes) };
  if (extension === '.csv') return { kind: 'csv', text: bytes.toString('utf8') };
  if (extension === '.json') {
    try {
      const parsed = monitoringJsonSchema.safeParse(JSON.parse(bytes.toString('utf8')));
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

function printIssues(
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

function printCalculation(
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

function showText(
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
    ...f.eligibility.map((c) => `  ${c.id}  ${c.text}`),
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
