// `jcm transfer-request create|approve|reject|list`: transfers out of government accounts, requested
// by one person and approved or rejected by another, through the same pipeline as the API.
import { printList, withPageOptions } from './page-options.ts';
import type { Command } from 'commander';
import type { Platform } from '../services/platform.ts';
import { selecting, selectionOf } from './ledger-commands.ts';
import { instantText, table } from './output.ts';
import { cliEnvelope, platformAction } from './platform-action.ts';

export function registerTransferRequestCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const run = platformAction(openPlatform);
  const requests = program
    .command('transfer-request')
    .description('transfers out of government accounts: one person requests, another approves');
  selecting(
    requests
      .command('create')
      .requiredOption('--from <account>', 'the government account')
      .requiredOption('--to <account>'),
  ).action(
    run(async (p, out, o) => {
      const envelope = cliEnvelope(o, { from: o['from'], to: o['to'], selection: selectionOf(o) });
      if (!envelope.ok) return out.rejection(envelope.error);
      const result = await p.transferRequests.request(envelope.value);
      if (!result.ok) return out.rejection(result.error);
      out.data(
        result.value,
        () =>
          `requested ${result.value.id}: a second person approves it with \`jcm transfer-request approve ${result.value.id}\``,
      );
    }),
  );
  for (const verb of ['approve', 'reject'] as const) {
    requests.command(`${verb} <id>`).action(
      run(async (p, out, o, [id]) => {
        const envelope = cliEnvelope(o, { id });
        if (!envelope.ok) return out.rejection(envelope.error);
        const result =
          verb === 'approve'
            ? await p.transferRequests.approve(envelope.value)
            : await p.transferRequests.decline(envelope.value);
        if (!result.ok) return out.rejection(result.error);
        out.data(
          result.value,
          () =>
            `${id as string}: ${verb === 'approve' ? 'approved, the credits moved' : 'rejected, nothing moved'}`,
        );
      }),
    );
  }
  withPageOptions(
    requests.command('list').option('--status <status>', 'pending, approved or rejected'),
  ).action(
    run((p, out, o) =>
      printList(
        out,
        o,
        (request) => p.transferRequests.list(o['status'] as string | undefined, 'all', request),
        (rows) =>
          table(
            rows.map((r) => ({
              ...r,
              requested_at: instantText(r.requested_at),
              decided_at: instantText(r.decided_at),
            })),
            [
              'id',
              'from_account',
              'status',
              'requested_by',
              'requested_at',
              'decided_by',
              'decided_at',
            ],
          ),
      ),
    ),
  );
}
