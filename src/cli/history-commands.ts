// `jcm history account|project|serial` and `jcm retirements`: the transaction histories and the
// public register of retirements, a page at a time (`--after` takes the `next` a page printed).
import type { Command } from 'commander';
import { readableCredits } from '../core/shared/readable.ts';
import type { PublicMovement } from '../services/histories.ts';
import type { Platform } from '../services/platform.ts';
import { instantText, table } from './output.ts';
import { printList, withPageOptions as paged } from './page-options.ts';
import { platformAction } from './platform-action.ts';

/** A page of movements as a table; the demo's column only when one of them is the demo's. */
function movementsText(items: readonly PublicMovement[]): string {
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
      run((p, out, o, [account]) =>
        printList(out, o, (page) => p.histories.account(account ?? '', page), movementsText),
      ),
    );
  paged(history.command('project <project>'))
    .description("every movement of a project's credits, oldest first")
    .action(
      run((p, out, o, [project]) =>
        printList(out, o, (page) => p.histories.project(project ?? '', page), movementsText),
      ),
    );
  paged(history.command('serial <project> <serial>'))
    .description('every entry that moved the block holding a serial number, from its issuance on')
    .action(
      run((p, out, o, [project, serial]) =>
        printList(
          out,
          o,
          (page) => p.histories.serial(project ?? '', serial ?? '', page),
          movementsText,
        ),
      ),
    );
  paged(program.command('retirements'))
    .description(
      'the public register of retirements, newest first; --beneficiary: those whose beneficiary begins with it (any case)',
    )
    .option('--beneficiary <text>', 'the beginning of the beneficiary')
    .action(
      run((p, out, o) => {
        const beneficiary = typeof o['beneficiary'] === 'string' ? o['beneficiary'] : undefined;
        return printList(
          out,
          o,
          (page) => p.histories.retirements(beneficiary, page),
          movementsText,
        );
      }),
    );
}
