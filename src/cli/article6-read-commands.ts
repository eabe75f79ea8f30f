// `jcm aef export|check` and `jcm article6 balance|approaches|authorisations|finalisations`: the
// Article 6.2 reads, the lists a page at a time (--after, --limit). `jcm aef check` exits with
// status 1 and names each failed check with its rows.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readableCount } from '../core/shared/readable.ts';
import type { Page, PageRequest } from '../core/shared/page.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import { table, type Output } from './output.ts';
import { yearOption } from './ledger-commands.ts';
import { printList, withPageOptions } from './page-options.ts';
import { platformAction, type CliOpts } from './platform-action.ts';

type Run = ReturnType<typeof platformAction>;

const partyYear = (c: Command) =>
  c
    .requiredOption('--party <alpha3>', 'the Party, ISO 3166 alpha-3 (JPN, IND)')
    .requiredOption('--year <year>', 'the reported year');

/** The Party and year options, checked as the API checks them. */
function partyAndYear(out: Output, o: CliOpts): { party: string; year: number } | null {
  const party = String(o['party']);
  const year = yearOption(o['year']);
  if (!/^[A-Z]{3}$/.test(party) || typeof year !== 'number' || year < 2013 || year > 2100) {
    out.rejection({
      code: 'invalid_request',
      message: '--party is an ISO 3166 alpha-3 code and --year a year from 2013 to 2100',
    });
    return null;
  }
  return { party, year };
}

export function registerArticle6Reads(
  program: Command,
  article6: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const run = platformAction(openPlatform);
  aefCommands(program, run);
  partyYear(article6.command('balance'))
    .description("a Party's corresponding adjustments by its method and its emissions balance")
    .action(
      run(async (p, out, o) => {
        const at = partyAndYear(out, o);
        if (at === null) return;
        const report = await p.article6.balance(at.party, at.year);
        if (!report.ok) return out.rejection(report.error);
        out.data(report.value, () =>
          table(
            report.value.years.map((y) => ({
              year: String(y.year),
              'first transferred': readableCount(y.firstTransferred),
              used: readableCount(y.used),
              adjustment: y.applied,
              emissions: y.emissions === null ? 'none reported' : readableCount(y.emissions),
              balance: y.adjustedBalance ?? 'not computed',
            })),
            ['year', 'first transferred', 'used', 'adjustment', 'emissions', 'balance'],
            ['first transferred', 'used', 'adjustment', 'emissions', 'balance'],
          ),
        );
      }),
    );
  listCommands(article6, run);
}

/** The optional --party of a list, checked as the API checks it. */
function partyFilter(o: CliOpts): Result<{ party?: string }> {
  const party = o['party'];
  if (party === undefined) return ok({});
  return typeof party === 'string' && /^[A-Z]{3}$/.test(party)
    ? ok({ party })
    : reject('invalid_request', '--party is an ISO 3166 alpha-3 code (JPN, IND)');
}

/** A list read with the optional --party filter, refused before the read when it is malformed. */
function byParty<T>(
  o: CliOpts,
  read: (filter: { party?: string }, request: PageRequest) => Promise<Result<Page<T>>>,
): (request: PageRequest) => Promise<Result<Page<T>>> {
  return async (request) => {
    const filter = partyFilter(o);
    return filter.ok ? read(filter.value, request) : filter;
  };
}

function listCommands(article6: Command, run: Run): void {
  withPageOptions(article6.command('approaches'))
    .description('the cooperative approaches, by partnership')
    .action(
      run((p, out, o) =>
        printList(
          out,
          o,
          (request) => p.article6.queries.approaches(request),
          (items) =>
            table(
              items.map((r) => ({
                id: r.approach.id,
                partnership: r.approach.partnership,
                version: String(r.approach.version),
                parties: r.approach.parties.join(', '),
              })),
              ['id', 'partnership', 'version', 'parties'],
            ),
        ),
      ),
    );
  withPageOptions(article6.command('authorisations'))
    .description('authorisations with their versions and confirmations, by id')
    .option('--party <alpha3>', "only this Party's")
    .action(
      run((p, out, o) =>
        printList(
          out,
          o,
          byParty(o, (f, r) => p.article6.queries.authorisations(f, r)),
          (items) =>
            table(
              items.map((r) => {
                const last = r.versions.at(-1);
                return {
                  id: r.id,
                  party: last?.authorisation.party ?? '',
                  version: String(last?.authorisation.version ?? ''),
                  purposes: last?.authorisation.purposes.join(' and ').toUpperCase() ?? '',
                  confirmed: last?.confirmedBy.join(', ') ?? '',
                  covered: readableCount(r.covered),
                };
              }),
              ['id', 'party', 'version', 'purposes', 'confirmed', 'covered'],
              ['covered'],
            ),
        ),
      ),
    );
  withPageOptions(article6.command('finalisations'))
    .description('the periods each Party finalised, by Party and first year')
    .option('--party <alpha3>', "only this Party's")
    .action(
      run((p, out, o) =>
        printList(
          out,
          o,
          byParty(o, (f, r) => p.article6.queries.finalisations(f, r)),
          (items) =>
            table(
              items.map((f) => ({
                party: f.party,
                years:
                  f.firstYear === f.lastYear ? String(f.firstYear) : `${f.firstYear}-${f.lastYear}`,
                finalised: f.date,
                entry: `${f.entry.chain}#${f.entry.seq}`,
              })),
              ['party', 'years', 'finalised', 'entry'],
            ),
        ),
      ),
    );
}

function aefCommands(program: Command, run: Run): void {
  const aef = program
    .command('aef')
    .description("a Party's Agreed Electronic Format (AEF) for a reported year");
  partyYear(aef.command('export'))
    .description('write the AEF as XLSX (one sheet per table), CSV (one file per table) or JSON')
    .requiredOption('--format <format>', 'xlsx, csv or json')
    .requiredOption('--out <dir>', 'the folder to write into')
    .action(
      run(async (p, out, o) => {
        const at = partyAndYear(out, o);
        if (at === null) return;
        const format = String(o['format']);
        if (format !== 'xlsx' && format !== 'csv' && format !== 'json')
          return out.rejection({
            code: 'invalid_request',
            message: '--format is xlsx, csv or json',
          });
        const written: string[] = [];
        mkdirSync(String(o['out']), { recursive: true });
        for (const name of format === 'csv' ? await csvTables(p, at) : [undefined]) {
          const file = await p.article6.aefFile(at.party, at.year, format, name);
          if (!file.ok) return out.rejection(file.error);
          const path = join(String(o['out']), file.value.fileName);
          writeFileSync(path, file.value.bytes);
          written.push(path);
        }
        out.data({ written }, () => `wrote ${written.join(', ')}`);
      }),
    );
  partyYear(aef.command('check'))
    .description("run the reviewer's consistency checks; exit status 1 names each failed check")
    .action(
      run(async (p, out, o) => {
        const at = partyAndYear(out, o);
        if (at === null) return;
        const report = await p.article6.aef(at.party, at.year);
        if (!report.ok) return out.rejection(report.error);
        const failures = report.value.failures;
        out.data({ passed: failures.length === 0, failures }, () =>
          failures.length === 0
            ? `${at.party} ${at.year}: every check passes`
            : failures
                .map(
                  (f) => `FAILED ${f.code} (${f.table}, rows ${f.rows.join(', ')}): ${f.message}`,
                )
                .join('\n'),
        );
        if (failures.length > 0) process.exitCode = 1;
      }),
    );
}

/** The table keys of the AEF (one CSV each). */
async function csvTables(p: Platform, at: { party: string; year: number }): Promise<string[]> {
  const report = await p.article6.aef(at.party, at.year);
  return report.ok ? Object.keys(report.value.tables) : ['submission'];
}
