// `jcm methodology list|schema|show|validate`: the catalogue, the file format and the check of a
// methodology file.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { methodologyJsonSchema } from '../core/methodology/format.ts';
import { readMethodologyText } from '../services/methodology-catalogue.ts';
import { lookupMethodology, type CatalogueRun } from './catalogue-action.ts';
import { printIssues, showText } from './methodology-output.ts';
import { table } from './output.ts';

export function registerCatalogueCommands(methodology: Command, run: CatalogueRun): void {
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
        const found = lookupMethodology(catalogue, out, id as string, opts.version);
        if (found === undefined) return;
        const view = catalogue.describe(found);
        out.data(view, () => showText(found, view.rendered.equations));
      }),
    );
}

export function registerValidateCommand(methodology: Command, run: CatalogueRun): void {
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
