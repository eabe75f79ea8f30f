// `jcm partnership list|show`: the partnerships as records, with the source of every fact, as text
// or as JSON (--json). They change nothing.
import type { Command } from 'commander';
import { citation, coChairOf, type Partnership } from '../core/partnership/record.ts';
import type { Platform } from '../services/platform.ts';
import { table } from './output.ts';
import { platformAction } from './platform-action.ts';

export function registerPartnershipCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const run = platformAction(openPlatform);
  const partnership = program
    .command('partnership')
    .description('the partnerships as records: Joint Committee, secretariat, registries, rulebook');
  partnership
    .command('list')
    .description('the partnerships with a record, by the date of their bilateral document')
    .action(
      run(async (platform, out) => {
        const rows = await platform.partnerships.list();
        out.data(rows, () =>
          table(
            rows.map((p) => ({
              code: p.code,
              name: p.name,
              signed: `${p.bilateral_document.signed_on}${p.bilateral_document.signed_in === null ? '' : ` (${p.bilateral_document.signed_in})`}`,
              rulebook: p.rulebook ?? '',
              registries: `${p.registries.japan.id}, ${p.registries.partner.id}`,
            })),
            ['code', 'name', 'signed', 'rulebook', 'registries'],
          ),
        );
      }),
    );
  partnership
    .command('show <code>')
    .description('one partnership with its Joint Committee and the sources of its facts')
    .action(
      run(async (platform, out, _opts, [code]) => {
        const found = await platform.partnerships.get(String(code));
        if (found === null)
          return out.rejection({
            code: 'partnership_not_found',
            message: `no partnership ${String(code)} has a record on this platform`,
          });
        out.data(found, () => partnershipText(found));
      }),
    );
}

function partnershipText(p: Partnership): string {
  const doc = p.bilateral_document;
  const jc = p.joint_committee;
  const chair = (side: 'japan' | 'partner') => {
    const m = coChairOf(jc.members, side);
    return m === undefined ? '(none)' : `${m.name}, ${m.affiliation}`;
  };
  const approach = p.cooperative_approach;
  return [
    `${p.name} (${p.code})`,
    `${doc.kind === 'memorandum_of_cooperation' ? 'Memorandum of Cooperation' : 'Bilateral document'}: ${doc.title}`,
    `  signed ${doc.signed_on} in ${doc.signed_in ?? 'a place the source does not state'}`,
    `  source: ${citation(doc.source)}`,
    `Joint Committee: ${jc.composition}`,
    `  source: ${citation(jc.composition_source)}`,
    `  co-chair (Japan): ${chair('japan')}`,
    `  co-chair (${p.partner.name}): ${chair('partner')}`,
    `  members: ${jc.members.length}; source: ${citation(jc.members_source)}`,
    `Secretariat: ${p.secretariat.name} (${citation(p.secretariat.source)})`,
    `Registries: ${p.registries.japan.name} (${p.registries.japan.id}); ${p.registries.partner.name} (${p.registries.partner.id})`,
    `Rulebook: ${p.rulebook === null ? 'none on this platform' : `rulebooks/${p.rulebook}.yaml`}`,
    `Cooperative approach: ${approach.approach_id ?? 'no approach id assigned yet'}; participating Parties ${approach.participating_parties.join(', ')}`,
    `  source: ${citation(approach.source)}`,
  ].join('\n');
}
