// `jcm article6 ...`: the Article 6.2 writes through the same pipeline as the API (the cooperative
// approach from the partnership's record, authorisations and their versions, confirmations, credits
// assigned to an OIMP authorisation, finalised periods). The reads (`jcm article6 balance`, `jcm aef`)
// live in article6-read-commands.ts.
import type { Command } from 'commander';
import type { Platform } from '../services/platform.ts';
import { selecting, selectionOf, writeWith, yearOption } from './ledger-commands.ts';
import { ok, type Result } from '../core/shared/result.ts';
import type { Recorded } from '../services/article6.ts';
import { forwardedText } from '../core/federation/article6-words.ts';
import type { WriteEnvelope } from '../services/write-pipeline.ts';
import type { Output } from './output.ts';
import { cliEnvelope, platformAction, readJsonFile, type CliOpts } from './platform-action.ts';

type Run = ReturnType<typeof platformAction>;

/** An Article 6.2 write, printed as every registry command is. */
const write = writeWith;

/** An authorisation or confirmation: recorded here, or forwarded to the peer that hosts its registry. */
async function record(
  out: Output,
  opts: CliOpts,
  raw: unknown,
  call: (envelope: WriteEnvelope) => Promise<Result<Recorded>>,
): Promise<void> {
  const envelope = cliEnvelope(opts, raw);
  if (!envelope.ok) return out.rejection(envelope.error);
  const result = await call(envelope.value);
  if (!result.ok) return out.rejection(result.error);
  const value = result.value;
  if (!('forwarded' in value)) return write(out, opts, raw, () => Promise.resolve(ok(value)));
  const done =
    opts.dryRun === true
      ? 'dry run, nothing written'
      : value.replayed === true
        ? 'already done'
        : 'done';
  out.data(
    { forwarded: value.forwarded, replayed: value.replayed === true },
    () => `${done}: ${forwardedText(value.forwarded)}`,
  );
}

export function registerArticle6Commands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): Command {
  const run = platformAction(openPlatform);
  const article6 = program
    .command('article6')
    .description('Article 6.2: cooperative approaches, authorisations, ITMOs, adjustments');
  article6
    .command('approach <partnership>')
    .description(
      "record the partnership's cooperative approach from its record (a new version when it changed)",
    )
    .action(
      run((p, out, o, [partnership]) =>
        write(out, o, { partnership }, (e) => p.article6Writes.recordApproach(e)),
      ),
    );
  authorisationCommands(article6, run);
  selecting(
    article6
      .command('assign')
      .description(
        "assign credits held in the authorising Party's registry to its OIMP authorisation",
      )
      .requiredOption('--authorisation <id>')
      .requiredOption('--from <account>'),
  ).action(
    run((p, out, o) =>
      write(
        out,
        o,
        { authorisation: o['authorisation'], from: o['from'], selection: selectionOf(o) },
        (e) => p.article6Writes.authoriseUnits(e),
      ),
    ),
  );
  article6
    .command('finalise')
    .description("finalise a Party's additions and subtractions for years of its NDC period")
    .requiredOption('--party <alpha3>')
    .requiredOption('--first-year <year>')
    .requiredOption('--last-year <year>')
    .action(
      run((p, out, o) =>
        write(
          out,
          o,
          {
            party: o['party'],
            firstYear: yearOption(o['firstYear']),
            lastYear: yearOption(o['lastYear']),
          },
          (e) => p.article6Writes.finalise(e),
        ),
      ),
    );
  return article6;
}

function authorisationCommands(article6: Command, run: Run): void {
  const authorisation = article6
    .command('authorisation')
    .description("a Party's authorisations (a change is a new version with the same id)");
  authorisation
    .command('record')
    .description('record an authorisation, or a new version of one, from a JSON file')
    .requiredOption(
      '--file <authorisation.json>',
      'id, party, approach, date, registry, projects, vintages, purposes...',
    )
    .action(
      run(async (p, out, o) => {
        const file = readJsonFile(String(o['file']));
        if (!file.ok) return out.rejection(file.error);
        return record(out, o, file.value, (e) => p.article6Writes.recordAuthorisation(e));
      }),
    );
  authorisation
    .command('confirm <id>')
    .description("confirm the version in force of another Party's authorisation")
    .requiredOption('--registry <registry>', 'the registry whose credits it covers, e.g. JP')
    .requiredOption('--version <n>', 'the version confirmed')
    .action(
      run((p, out, o, [id]) =>
        record(out, o, { authorisation: id, version: yearOption(o['version']) }, (e) =>
          p.article6Writes.confirmAuthorisation(String(o['registry']), e),
        ),
      ),
    );
}
