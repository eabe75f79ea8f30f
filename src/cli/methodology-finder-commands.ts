// `jcm methodology find|estimate`: the methodologies that apply to a country, technology and size,
// and the estimate of a typical year's credits from size parameters.
import type { Command } from 'commander';
import { lookupMethodology, type CatalogueRun } from './catalogue-action.ts';
import { printIssues } from './methodology-output.ts';
import { readableCredits, readableDecimal } from '../core/shared/readable.ts';
import { table } from './output.ts';

export function registerFinderCommands(methodology: Command, run: CatalogueRun): void {
  methodology
    .command('find')
    .option('--country <alpha2>', 'partner country, e.g. IN')
    .option('--words <text>', 'technology or sector words, e.g. "rooftop solar"')
    .option('--scope <n>', 'sectoral scope number (1-16)')
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
        out.data(
          rows,
          () =>
            table(
              rows.map((r) => ({
                id: r.id,
                title: r.title,
                matched: r.matched.join(' '),
                size: r.sizeInputs.map((i) => `${i.symbol} [${i.unit}]`).join(' '),
                'credits/year':
                  r.estimate === undefined || r.estimate === null
                    ? ''
                    : readableCredits(r.estimate.annualCredits),
                'Article 6.2':
                  r.articleSix === null
                    ? ''
                    : r.articleSix.eligible
                      ? `eligible (entry ${r.articleSix.activities.map((a) => a.activity).join(', ')})`
                      : 'NOT ELIGIBLE',
              })),
              ['id', 'matched', 'size', 'credits/year', 'Article 6.2', 'title'],
              ['credits/year'],
            ) +
            rows
              .flatMap((r) => (r.articleSix === null ? [] : [`\n${r.id}: ${r.articleSix.note}.`]))
              .join(''),
        );
      }),
    );

  methodology
    .command('estimate <id> [size...]')
    .option('--version <version>', 'a version other than the newest')
    .description('estimate annual credits from size parameters, e.g. P_cap=5')
    .action(
      run(async (catalogue, out, opts, [id, size]) => {
        const found = lookupMethodology(catalogue, out, id as string, opts.version);
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
            `${e.methodology.id} v${e.methodology.version}, a typical year: ${readableCredits(e.annualCredits)} credits (${readableCredits(e.annualIssuable)} issuable after the reserve)`,
            `reference ${readableDecimal(e.year.referenceEmissions)} t CO2, project ${readableDecimal(e.year.projectEmissions)} t CO2, reductions ${readableDecimal(e.year.emissionReductions)} t CO2`,
            ...e.eligibility.map(
              (c) =>
                `${c.id} ${c.holds === null ? '(to be checked)' : c.holds ? 'holds' : 'DOES NOT HOLD'}: ${c.text}`,
            ),
            ...e.articleSix.map((a) => `${a.note}.`),
          ].join('\n'),
        );
      }),
    );
}

/** Size parameters written k=v; a bare k stands for an empty value. */
function pairs(items: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    items.map((item) => {
      const at = item.indexOf('=');
      return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
    }),
  );
}
