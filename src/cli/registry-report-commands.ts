// `jcm report holdings|account-types|annual`: the reports Japan's registry publishes, printed (or as
// JSON), or written as CSV, XLSX or PDF. The synthetic demo's figures are printed apart, labelled.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { Platform } from '../services/platform.ts';
import {
  reportFormats,
  reportNames,
  type ReportFormat,
  type ReportName,
  type ReportTable,
} from '../services/registry-reports.ts';
import { table, type Output } from './output.ts';
import { platformAction, type CliOpts } from './platform-action.ts';

function printTables(out: Output, tables: readonly ReportTable[]): void {
  out.data(
    tables.map((t) => ({
      title: t.title,
      rows: t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? null]))),
    })),
    () =>
      tables
        .map((t) => {
          const rows = t.rows.map((r) =>
            Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? ''])),
          );
          const numeric = ['credits', 'blocks', 'entries'].filter((c) => t.columns.includes(c));
          return `${t.title}\n${table(rows, t.columns, numeric)}`;
        })
        .join('\n\n'),
  );
}

async function report(p: Platform, out: Output, name: ReportName, o: CliOpts): Promise<void> {
  const format = String(o['format']) as ReportFormat;
  const registry = typeof o['registry'] === 'string' ? o['registry'] : undefined;
  if (!reportFormats.includes(format))
    return out.rejection({
      code: 'invalid_request',
      message: `--format is one of ${reportFormats.join(', ')}`,
    });
  if (format === 'json') {
    const tables = await p.registryReports.tables(name, registry);
    return tables.ok ? printTables(out, tables.value) : out.rejection(tables.error);
  }
  const file = await p.registryReports.file(name, format, registry);
  if (!file.ok) return out.rejection(file.error);
  const path = typeof o['out'] === 'string' ? o['out'] : file.value.fileName;
  // Part by part (the holdings CSV a page of holdings at a time): never the whole file in memory.
  let bytes = 0;
  await pipeline(
    Readable.from(
      (async function* () {
        for await (const part of file.value.parts) {
          bytes += part.length;
          yield part;
        }
      })(),
    ),
    createWriteStream(path),
  );
  out.data({ written: path, bytes }, () => `wrote ${path}`);
}

export function registerRegistryReportCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const run = platformAction(openPlatform);
  const command = program
    .command('report')
    .description(
      "the reports Japan's registry publishes: holdings per entity account, amount per account type, annual transaction summary",
    );
  for (const name of reportNames)
    command
      .command(name)
      .description(`the ${name} report; json prints it, csv, xlsx and pdf write a file`)
      .option('--format <format>', reportFormats.join(', '), 'json')
      .option('--registry <id>', 'a registry (holdings: JP by default; totals: all by default)')
      .option('--out <file>', 'where to write a csv, xlsx or pdf (default: the report name)')
      .action(run(async (p, out, o) => report(p, out, name, o)));
}
