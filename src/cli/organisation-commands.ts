// `jcm organisation add` and `jcm tpe designate`: the organisations of the project cycle and the
// Joint Committee's designations of third-party entities, through the same service as the API.
import type { Command } from 'commander';
import { cliEnvelope, type platformAction } from './platform-action.ts';

export function registerOrganisationCommands(
  program: Command,
  run: ReturnType<typeof platformAction>,
): void {
  program
    .command('organisation')
    .description('organisations of the cycle')
    .command('add <id> <name>')
    .requiredOption(
      '--kind <kind>',
      'project_participant, third_party_entity, secretariat, joint_committee, government, registry',
    )
    .requiredOption('--country <alpha2>')
    .action(
      run(async (platform, out, opts, [id, name]) => {
        const envelope = cliEnvelope(opts, {
          id: id as string,
          name: name as string,
          kind: opts.kind,
          country: opts.country,
        });
        if (!envelope.ok) return out.rejection(envelope.error);
        const result = await platform.organisations.register(envelope.value);
        if (!result.ok) return out.rejection(result.error);
        out.data(result.value, () => `registered ${result.value.id}`);
      }),
    );
  program
    .command('tpe')
    .description('third-party entities')
    .command('designate <organisation>')
    .requiredOption('--partnership <alpha2>')
    .requiredOption('--scopes <list>', 'sectoral scopes, e.g. 1,3')
    .option('--functions <list>', 'validation,verification', 'validation,verification')
    .option('--accreditation <kind>', 'iso_14065 or cdm_operational_entity', 'iso_14065')
    .requiredOption('--from <date>')
    .requiredOption('--until <date>')
    .requiredOption('--decision <id>', 'the adopted Joint Committee decision to designate it')
    .action(
      run(async (platform, out, opts, [organisation]) => {
        const envelope = cliEnvelope(opts, {
          organisation: organisation as string,
          partnership: opts.partnership as string,
          sectoralScopes: String(opts.scopes).split(',').map(Number),
          functions: String(opts.functions).split(',') as never,
          accreditation: opts.accreditation as never,
          validFrom: opts.from as string,
          validUntil: opts.until as string,
          decision: opts.decision as string,
        });
        if (!envelope.ok) return out.rejection(envelope.error);
        const result = await platform.organisations.designate(envelope.value);
        if (!result.ok) return out.rejection(result.error);
        out.data(result.value, () => `${result.value.designations} designation(s) recorded`);
      }),
    );
}
