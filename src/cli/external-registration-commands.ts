// `jcm project external-registration list|record|version` and `jcm cycle duplicate-flags|conclude-
// duplicate`: a project's registrations in other mechanisms and the secretariat's conclusions on
// possible duplicates, through the same services as the API, as the operator named by --actor/--as.
import type { Command } from 'commander';
import { parseRoles } from '../core/ledger/actor.ts';
import { readableDate } from '../core/shared/readable.ts';
import { table } from './output.ts';
import { cliEnvelope, type CliOpts, type platformAction } from './platform-action.ts';

type Run = ReturnType<typeof platformAction>;

/** The options of a record, shared by `record` and `version`. */
function recordOptions(command: Command): Command {
  return command
    .requiredOption(
      '--mechanism <mechanism>',
      'ccts_offset, cdm, verra_vcs, gold_standard or other (with --mechanism-name)',
    )
    .option('--mechanism-name <name>', 'the name of an `other` mechanism')
    .requiredOption('--identifier <id>', 'the identifier of the registration there')
    .requiredOption('--activity <text>', 'the activity it covers')
    .requiredOption('--from <date>', 'its crediting period from (YYYY-MM-DD)')
    .requiredOption('--until <date>', 'its crediting period until (YYYY-MM-DD)')
    .option(
      '--status <status>',
      'active, or cancelled (with the three --cancel* options)',
      'active',
    )
    .option('--cancelled-from <date>', 'cancelled: the first day cancelled')
    .option('--cancelled-until <date>', 'cancelled: the last day cancelled')
    .option('--cancellation-reference <ref>', 'cancelled: the reference of the cancellation')
    .requiredOption('--evidence <text>', 'the evidence of the registration or its cancellation')
    .option('--document <ref>', 'a document: its SHA-256 on this platform, or an https:// address');
}

/** The service's input from the options (absent options left out, for the service to judge). */
function recordInput(opts: CliOpts, project: string): Record<string, unknown> {
  const text = (key: string) => (typeof opts[key] === 'string' ? opts[key] : undefined);
  const optional = (key: string, value: unknown) => (value === undefined ? {} : { [key]: value });
  const cancelled = ['cancelledFrom', 'cancelledUntil', 'cancellationReference'].some(
    (k) => text(k) !== undefined,
  );
  return {
    project,
    mechanism: text('mechanism'),
    ...optional('mechanismName', text('mechanismName')),
    identifier: text('identifier'),
    activity: text('activity'),
    creditingPeriod: { start: text('from'), end: text('until') },
    status: text('status'),
    ...(cancelled
      ? {
          cancellation: {
            period: { start: text('cancelledFrom') ?? '', end: text('cancelledUntil') ?? '' },
            reference: text('cancellationReference') ?? '',
          },
        }
      : {}),
    evidence: { text: text('evidence'), ...optional('document', text('document')) },
  };
}

export function registerExternalRegistrationCommands(program: Command, run: Run): void {
  const registrations = program
    .command('project')
    .description('projects of the cycle')
    .command('external-registration')
    .description("a project's registrations in other mechanisms (CCTS offsets, CDM, VCS, GS...)");
  registrations
    .command('list <project>')
    .description('the registrations elsewhere of a project (its id or reference), every version')
    .action(
      run(async (platform, out, _opts, [project]) => {
        const result = await platform.externalRegistrations.list(project as string);
        if (!result.ok) return out.rejection(result.error);
        const rows = result.value.map((r) => ({
          ...r,
          crediting: `${readableDate(r.creditingPeriod.start)} - ${readableDate(r.creditingPeriod.end)}`,
          cancelled:
            r.cancellation === null
              ? ''
              : `${readableDate(r.cancellation.period.start)} - ${readableDate(r.cancellation.period.end)} (${r.cancellation.reference})`,
        }));
        out.data(result.value, () =>
          table(rows, [
            'id',
            'version',
            'mechanismWords',
            'identifier',
            'crediting',
            'status',
            'cancelled',
            'recordedBy',
          ]),
        );
      }),
    );
  const write = (version: boolean) =>
    run(async (platform, out, opts, args) => {
      const [project, registration] = args as [string, string | undefined];
      const input = {
        ...recordInput(opts, project),
        ...(version ? { registration } : {}),
      };
      const envelope = cliEnvelope(opts, input);
      if (!envelope.ok) return out.rejection(envelope.error);
      const service = platform.externalRegistrations;
      const result = await (version ? service.newVersion : service.record).call(
        service,
        envelope.value,
      );
      if (!result.ok) return out.rejection(result.error);
      const d = result.value;
      out.data(d, () => `${d.project}: registration elsewhere ${d.id}, version ${d.version}`);
    });
  recordOptions(
    registrations.command('record <project>').description('record a registration elsewhere'),
  ).action(write(false));
  recordOptions(
    registrations
      .command('version <project> <registration>')
      .description('record a new version of a registration elsewhere (a change, a cancellation)'),
  ).action(write(true));
}

/** `jcm cycle duplicate-flags <item>` and `jcm cycle conclude-duplicate <flag>`. */
export function registerDuplicateFlagCommands(cycle: Command, run: Run): void {
  cycle
    .command('duplicate-flags <item>')
    .description(
      'the possible duplicates flagged on a project (the --as secretariat or Joint Committee of its partnership)',
    )
    .action(
      run(async (platform, out, opts, [item]) => {
        const actor = parseRoles(String(opts.actor), String(opts.as));
        if (!actor.ok) return out.rejection(actor.error);
        const flags = await platform.externalRegistrations.flags(actor.value, item as string);
        const rows = flags.map((f) => ({
          ...f,
          distance: `${f.grounds.distanceMetres} m`,
          shared: f.grounds.sharedParticipants.join(' '),
        }));
        out.data(flags, () =>
          table(rows, ['id', 'other', 'otherState', 'distance', 'shared', 'state', 'reason']),
        );
      }),
    );
  cycle
    .command('conclude-duplicate <flag>')
    .description('conclude on a possible duplicate (the secretariat of its partnership)')
    .requiredOption('--conclusion <conclusion>', 'not_duplicate or duplicate')
    .option('--reason <text>', 'why (required for not_duplicate)')
    .action(
      run(async (platform, out, opts, [flag]) => {
        const envelope = cliEnvelope(opts, {
          flag,
          conclusion: opts['conclusion'],
          ...(typeof opts['reason'] === 'string' ? { reason: opts['reason'] } : {}),
        });
        if (!envelope.ok) return out.rejection(envelope.error);
        const result = await platform.externalRegistrations.conclude(envelope.value);
        if (!result.ok) return out.rejection(result.error);
        out.data(
          result.value,
          () => `flag ${result.value.id} of ${result.value.project}: ${result.value.state}`,
        );
      }),
    );
}
