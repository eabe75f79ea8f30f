// `jcm history account|project|serial` and `jcm retirements`: the transaction histories and the
// public register of retirements, a page at a time (`--after` takes the `next` a page printed).
import type { Command } from 'commander';
import { readableCredits } from '../core/shared/readable.ts';
import type { Page, PageRequest } from '../core/shared/page.ts';
import type { Result } from '../core/shared/result.ts';
import type { PublicMovement } from '../services/histories.ts';
import type { Platform } from '../services/platform.ts';
import { instantText, table, type Output } from './output.ts';
import { pageRequestOf, printPage, withPageOptions as paged } from './page-options.ts';
import { platformAction, type CliOpts } from './platform-action.ts';

/** The page options, checked as every list's (page-options.ts); null after saying what is wrong. */
function pageOptions(out: Output, o: CliOpts): PageRequest | null {
  const page = pageRequestOf(o);
  if (page.ok) return page.value;
  out.rejection(page.error);
  return null;
}

function print(out: Output, result: Result<Page<PublicMovement>>): void {
  if (!result.ok) return out.rejection(result.error);
  printPage(out, result.value, (items) => {
    const rows = items.map((m) => ({
      when: instantText(m.recordedAt),
      entry: `${m.chain}#${m.seq}`,
      kind: m.kind,
      block: m.block,
      credits: readableCredits(m.quantity),
      from: m.from ?? '',
      to: m.to ?? '',
      beneficiary: m.beneficiary ?? '',
      demo: m.synthetic ? 'synthetic demo data' : '',
    }));
    const columns = ['when', 'entry', 'kind', 'block', 'credits', 'from', 'to', 'beneficiary'];
    if (items.some((m) => m.synthetic)) columns.push('demo');
    return table(rows, columns, ['credits']);
  });
}

export function registerHistoryCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const run = platformAction(openPlatform);
  const history = program
    .command('history')
    .description('transaction history of an account, a project or a serial number');
  paged(history.command('account <account>'))
    .description('every movement into or out of an account, oldest first')
    .action(
      run(async (p, out, o, [account]) => {
        const page = pageOptions(out, o);
        if (page !== null) print(out, await p.histories.account(account ?? '', page));
      }),
    );
  paged(history.command('project <project>'))
    .description("every movement of a project's credits, oldest first")
    .action(
      run(async (p, out, o, [project]) => {
        const page = pageOptions(out, o);
        if (page !== null) print(out, await p.histories.project(project ?? '', page));
      }),
    );
  paged(history.command('serial <project> <serial>'))
    .description('every entry that moved the block holding a serial number, from its issuance on')
    .action(
      run(async (p, out, o, [project, serial]) => {
        const page = pageOptions(out, o);
        if (page !== null) print(out, await p.histories.serial(project ?? '', serial ?? '', page));
      }),
    );
  paged(program.command('retirements'))
    .description(
      'the public register of retirements, newest first; --beneficiary: those whose beneficiary begins with it (any case)',
    )
    .option('--beneficiary <text>', 'the beginning of the beneficiary')
    .action(
      run(async (p, out, o) => {
        const page = pageOptions(out, o);
        const beneficiary = typeof o['beneficiary'] === 'string' ? o['beneficiary'] : undefined;
        if (page !== null) print(out, await p.histories.retirements(beneficiary, page));
      }),
    );
}
