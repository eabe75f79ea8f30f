// `jcm cycle ...`: every project-cycle action through the same service as the API, with the acting
// roles given by the global --as option. The reads, `jcm organisation`, `jcm tpe` and `jcm project
// external-registration` (with the duplicate flags of `jcm cycle`) sit beside it.
import { mediaTypeOfFileName } from '../core/cycle/document-file.ts';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { cycleDefinition } from '../core/cycle/definition.ts';
import { readableDate } from '../core/shared/readable.ts';
import type { Platform } from '../services/platform.ts';
import { registerCycleReads } from './cycle-read-commands.ts';
import {
  registerDuplicateFlagCommands,
  registerExternalRegistrationCommands,
} from './external-registration-commands.ts';
import { registerOrganisationCommands } from './organisation-commands.ts';
import { cliEnvelope, platformAction, readJsonFile } from './platform-action.ts';

export function registerCycleCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const run = platformAction(openPlatform);

  const cycle = program
    .command('cycle')
    .description(
      'the project cycle: PINs, methodologies, projects, monitoring, issuance, decisions',
    );
  registerCycleAct(cycle, run);
  registerCycleReads(cycle, run);
  registerDuplicateFlagCommands(cycle, run);
  registerOrganisationCommands(program, run);
  registerExternalRegistrationCommands(program, run);
}

/** `jcm cycle act`: an action with its envelope from --file, the flags and the --doc files. */
function registerCycleAct(cycle: Command, run: ReturnType<typeof platformAction>): void {
  cycle
    .command('act <action>')
    .description(`take an action: ${[...new Set(cycleDefinition.map((r) => r.action))].join(', ')}`)
    .option('--item <id>', 'the item acted on (absent when the action creates one)')
    .option(
      '--file <envelope.json>',
      'the rest of the envelope as JSON (project data, allocation, finding...)',
    )
    .option('--doc <type=path...>', 'a document to file, e.g. pdd=./pdd.pdf (repeatable)')
    .option('--decision <id>', 'the adopted Joint Committee decision the action carries out')
    .option('--parent <id>', 'the project, monitoring period or item a new item belongs to')
    .option('--partnership <alpha2>', 'the partnership of a new item, e.g. IN')
    .action(
      run(async (platform, out, opts, [action]) => {
        const file =
          typeof opts.file === 'string'
            ? readJsonFile(opts.file)
            : { ok: true as const, value: {} };
        if (!file.ok) return out.rejection(file.error);
        if (typeof file.value !== 'object' || file.value === null || Array.isArray(file.value))
          return out.rejection({ code: 'invalid_request', message: '--file holds a JSON object' });
        const envelope = { ...(file.value as Record<string, unknown>) };
        for (const key of ['item', 'decision', 'parent', 'partnership'] as const) {
          if (typeof opts[key] === 'string') envelope[key] = opts[key];
        }
        const docs = ((opts.doc as string[] | undefined) ?? []).map((spec) => {
          const at = spec.indexOf('=');
          const path = spec.slice(at + 1);
          return {
            type: spec.slice(0, at),
            fileName: basename(path),
            mediaType: mediaTypeOfFileName(path) ?? 'application/octet-stream',
            content: readFileSync(path).toString('base64'),
          };
        });
        if (docs.length > 0)
          envelope.documents = [...((envelope.documents as unknown[] | undefined) ?? []), ...docs];
        const write = cliEnvelope(opts, envelope);
        if (!write.ok) return out.rejection(write.error);
        const result = await platform.cycle.act(action as string, write.value);
        if (!result.ok) return out.rejection(result.error);
        const d = result.value;
        out.data(
          d,
          () =>
            `${d.item}: ${d.from ?? '(new)'} -> ${d.to}${d.reference === null ? '' : ` (reference ${d.reference})`}${d.due === null ? '' : `; ${d.due.step} by ${d.due.role} due ${readableDate(d.due.date)}`}`,
        );
      }),
    );
}
