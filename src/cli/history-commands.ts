// `jcm history account|project|serial` and `jcm retirements`: the transaction histories and the
// public register of retirements, a page at a time (`--after` takes the `next` a page printed).
import type { Command } from 'commander';
import { pageSizeDefault, pageSizeMax, type Page } from '../core/shared/page.ts';
import type { Result } from '../core/shared/result.ts';
import type { PageRequest, PublicMovement } from '../services/histories.ts';
import type { Platform } from '../services/platform.ts';
import { instantText, table, type Output } from './output.ts';
import { platformAction, type CliOpts } from './platform-action.ts';

const paged = (c: Command) =>
  c
    .option('--after <cursor>', 'the cursor a previous page printed as next')
    .option('--limit <n>', `rows per page (1 to ${pageSizeMax})`, String(pageSizeDefault));

/** The page options, checked as the API checks them; null after saying what is wrong. */
export function pageOptions(out: Output, o: CliOpts): PageRequest | null {
  const limit = Number(o['limit']);
  if (!Number.isInteger(limit) || limit < 1 || limit > pageSizeMax) {
    out.rejection({ code: 'invalid_request', message: `--limit is 1 to ${pageSizeMax}` });
    return null;
  }
  return { limit, ...(typeof o['after'] === 'string' ? { after: o['after'] } : {}) };
}

function print(out: Output, result: Result<Page<PublicMovement>>): void {
  if (!result.ok) return out.rejection(result.error);
  const page = result.value;
  out.data(page, () => {
    const rows = page.items.map((m) => ({
      when: instantText(m.recordedAt),
      entry: `${m.chain}#${m.seq}`,
      kind: m.kind,
      block: m.block,
      credits: m.quantity.toLocaleString('en-US'),
      from: m.from ?? '',
      to: m.to ?? '',
      beneficiary: m.beneficiary ?? '',
      demo: m.synthetic ? 'synthetic demo data' : '',
    }));
    const columns = ['when', 'entry', 'kind', 'block', 'credits', 'from', 'to', 'beneficiary'];
    if (page.items.some((m) => m.synthetic)) columns.push('demo');
    const more = page.next === null ? '' : `\nnext: --after ${page.next}`;
    return table(rows, columns, ['credits']) + more;
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
