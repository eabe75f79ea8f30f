// One way for a command to run with the platform: parse the global options, open the platform, run,
// close it whatever happens.
import type { Command } from 'commander';
import type { Platform } from '../services/platform.ts';
import { createOutput, type Output } from './output.ts';

export type CliOpts = Record<string, unknown> & {
  json?: boolean;
  as?: string;
  actor?: string;
  idempotencyKey?: string;
};

export function platformAction(openPlatform: () => Promise<Platform>) {
  return (fn: (platform: Platform, out: Output, opts: CliOpts, args: string[]) => Promise<void>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const opts = command.optsWithGlobals<CliOpts>();
      const out = createOutput(opts.json === true);
      const platform = await openPlatform();
      try {
        await fn(platform, out, opts, args.slice(0, -2) as string[]);
      } finally {
        await platform.close();
      }
    };
}
