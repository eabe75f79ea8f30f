// `jcm export`, `jcm verify-export` and `jcm reconcile` (issue 16, docs/OPERATIONS.md "Public exports
// and reconciliation"): write this deployment's public export to a file; check downloaded exports
// offline, each on its own and against each other, with no account and no database; compare this
// deployment with a peer's export over HTTP. A discrepancy found exits with 1.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Discrepancy } from '../core/federation/export-check.ts';
import {
  checkExportText,
  exportSummary,
  outcomeOf,
  type CheckOutcome,
  type TrustedKeys,
} from '../services/public-exports.ts';
import type { Platform } from '../services/platform.ts';
import { createOutput, table, type Output } from './output.ts';
import { platformAction } from './platform-action.ts';

export function registerExportCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const run = platformAction(openPlatform);
  program
    .command('export')
    .description(
      "write this deployment's public export (journal, decisions, blocks, totals, checkpoints)",
    )
    .requiredOption('--out <file>', 'the file to write (JSON lines)')
    .action(
      run(async (platform, out, opts) => {
        const path = String(opts['out']);
        const exportedAt = await platform.exports.toFile(path);
        out.data({ file: path, exportedAt }, () => `wrote ${path} (read at ${exportedAt})`);
      }),
    );
  program
    .command('verify-export')
    .description(
      'check public exports offline: every *.ndjson or *.jsonl file in DIR (or one file), each and against each other',
    )
    .argument('<dir>', 'a folder of exports, or one export')
    .option('--key <deployment=publicKey...>', "trust only this key for a deployment's checkpoints")
    .action(async (dir: string, opts: Record<string, unknown>, command: Command) => {
      const out = createOutput(command.optsWithGlobals<{ json?: boolean }>().json === true);
      const keys = pinnedKeys(opts['key']);
      if (typeof keys === 'string')
        return out.rejection({ code: 'invalid_request', message: keys });
      const files = await exportFiles(dir);
      if (files.length === 0)
        return out.rejection({
          code: 'invalid_request',
          message: `${dir} holds no *.ndjson or *.jsonl export`,
        });
      const checks = [];
      for (const file of files) checks.push(await checkExportText(createReadStream(file), keys));
      printOutcome(out, outcomeOf(checks));
    });
  program
    .command('reconcile')
    .description("compare this deployment with a peer's public export; exits 1 on a discrepancy")
    .requiredOption('--peer <url>', "the peer deployment's address, e.g. https://registry.example")
    .action(
      run(async (platform, out, opts) => {
        const outcome = await platform.exports.reconcileWithPeer(String(opts['peer']));
        if (!outcome.ok) return out.rejection(outcome.error);
        printOutcome(out, outcome.value);
      }),
    );
}

/** `--key in=BASE64 --key jp=BASE64`: the keys to trust per deployment; a message when malformed. */
function pinnedKeys(raw: unknown): TrustedKeys | undefined | string {
  if (raw === undefined) return undefined;
  const pinned = new Map<string, string[]>();
  for (const item of raw as string[]) {
    const match = /^([a-z][a-z0-9-]{0,31})=([A-Za-z0-9+/=]{40,200})$/.exec(item);
    if (match === null) return `--key ${item}: expected deployment=publicKey (SPKI DER, base64)`;
    const [, deployment, key] = match as unknown as [string, string, string];
    pinned.set(deployment, [...(pinned.get(deployment) ?? []), key]);
  }
  return (deployment) => pinned.get(deployment);
}

async function exportFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (info === null) return [];
  if (info.isFile()) return [path];
  const names = await readdir(path);
  return names
    .filter((n) => /\.(ndjson|jsonl)$/.test(n))
    .sort()
    .map((n) => join(path, n));
}

function printOutcome(out: Output, outcome: CheckOutcome): void {
  const summary = outcome.exports.map(exportSummary);
  out.data({ exports: summary, discrepancies: outcome.discrepancies }, () =>
    [
      table(summary, Object.keys(summary[0] ?? { deployment: '' }), [
        'entries',
        'blocks',
        'checkpoints',
        'totalsCompared',
      ]),
      '',
      outcome.discrepancies.length === 0
        ? 'no discrepancy'
        : `${outcome.discrepancies.length} discrepancies:\n${discrepancyTable(outcome.discrepancies)}`,
    ].join('\n'),
  );
  if (outcome.discrepancies.length > 0) process.exitCode = 1;
}

function discrepancyTable(discrepancies: readonly Discrepancy[]): string {
  return table(discrepancies as unknown as Record<string, unknown>[], [
    'kind',
    'deployment',
    'subject',
    'message',
  ]);
}
