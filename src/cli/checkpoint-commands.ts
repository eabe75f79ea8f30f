// `jcm checkpoint` (issue 16, docs/OPERATIONS.md "Two deployments"): sign a checkpoint of the
// registries this deployment hosts now (the server also does it every JCM_CHECKPOINT_MINUTES), and
// list the published ones. A refusal `checkpoint_does_not_extend` is an incident: the journal no
// longer extends what this deployment signed before.
import type { Command } from 'commander';
import type { Result } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import type { PublishedCheckpoint } from '../services/checkpoints.ts';
import { withPageOptions, printList } from './page-options.ts';
import { cliEnvelope, platformAction } from './platform-action.ts';

const line = (c: PublishedCheckpoint) => {
  const head = c.checkpoint.heads[0];
  return `${c.id}  ${c.checkpoint.registry}  ${c.checkpoint.at}  head ${head?.seq ?? '-'} ${head?.hash.slice(0, 16) ?? ''}…  ${c.checkpoint.totals.length} totals  key ${c.keyId}`;
};

export function registerCheckpointCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const checkpoint = program
    .command('checkpoint')
    .description("signed checkpoints of this deployment's registries (journal head and totals)");
  const run = platformAction(openPlatform);
  checkpoint
    .command('publish')
    .description(
      'sign a checkpoint of every registry hosted here (JCM_FEDERATION), or of --registry only',
    )
    .option('--registry <id>', 'only this registry')
    .action(
      run(async (platform, out, opts) => {
        const envelope = cliEnvelope(opts, null);
        if (!envelope.ok) return out.rejection(envelope.error);
        const { actor, dryRun } = envelope.value;
        const registry = opts['registry'];
        const made: Result<PublishedCheckpoint[]> =
          registry === undefined
            ? await platform.checkpoints.publishAll(actor, { dryRun })
            : await platform.checkpoints
                .publish(actor, String(registry), { dryRun })
                .then((r) => (r.ok ? { ok: true as const, value: [r.value] } : r));
        if (!made.ok) return out.rejection(made.error);
        out.data(made.value, () =>
          made.value.length === 0
            ? 'no registry hosted here has journal entries yet: nothing signed'
            : made.value.map(line).join('\n') +
              (dryRun === true ? '\ndry run: nothing signed, nothing written' : ''),
        );
      }),
    );
  withPageOptions(
    checkpoint
      .command('list')
      .description('the published checkpoints, oldest first')
      .option('--registry <id>', 'only this registry'),
  ).action(
    run(async (platform, out, opts) => {
      const registry = opts['registry'] === undefined ? undefined : String(opts['registry']);
      await printList(
        out,
        opts,
        (request) => platform.checkpoints.page(registry, request),
        (items) => (items.length === 0 ? 'no checkpoints' : items.map(line).join('\n')),
      );
    }),
  );
}
