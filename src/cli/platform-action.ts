// One way for a command to run with the platform: parse the global options, open the platform, run,
// close it whatever happens; and the write envelope of a command from the global options (--actor
// and --as name the operator, --idempotency-key and --dry-run go to the pipeline).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseRoles } from '../core/ledger/actor.ts';
import { ok, reject, type Rejection, type Result } from '../core/shared/result.ts';
import {
  databaseUnavailableRejection,
  isDatabaseUnavailable,
  type Platform,
} from '../services/platform.ts';
import type { WriteEnvelope } from '../services/write-pipeline.ts';
import { createOutput, type Output } from './output.ts';

export type CliOpts = Record<string, unknown> & {
  json?: boolean;
  as?: string;
  actor?: string;
  idempotencyKey?: string;
  dryRun?: boolean;
};

export function platformAction(openPlatform: () => Promise<Platform>) {
  return (fn: (platform: Platform, out: Output, opts: CliOpts, args: string[]) => Promise<void>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const opts = command.optsWithGlobals<CliOpts>();
      const out = createOutput(opts.json === true);
      try {
        const platform = await openPlatform();
        try {
          await fn(platform, out, opts, args.slice(0, -2) as string[]);
        } finally {
          await platform.close();
        }
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        out.rejection(databaseUnavailable(error));
      }
    };
}

/** The database down or refusing connections, as the CLI says it: a stable code, exit status 1. */
export function databaseUnavailable(error: unknown): Rejection {
  const { message, code } = error as { message?: unknown; code?: unknown };
  const reason = typeof message === 'string' && message !== '' ? message : String(code ?? error);
  return databaseUnavailableRejection(reason);
}

/** The envelope of a write from the global options; a new random key unless one is given. */
export function cliEnvelope<I>(opts: CliOpts, input: I): Result<WriteEnvelope<I>> {
  const actor = parseRoles(String(opts.actor), String(opts.as));
  if (!actor.ok) return actor;
  return ok({
    actor: actor.value,
    idempotencyKey: opts.idempotencyKey ?? `cli-${randomUUID()}`,
    dryRun: opts.dryRun === true,
    input,
  });
}

/** A JSON file's content, or the reason it cannot be read. */
export function readJsonFile(path: string): Result<unknown> {
  try {
    return ok(JSON.parse(readFileSync(path, 'utf8')) as unknown);
  } catch (error) {
    return reject(
      'malformed_json',
      `${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
