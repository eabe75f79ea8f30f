// `jcm cycle ...`, `jcm organisation ...`, `jcm tpe ...`: every project-cycle action through the
// same service as the API, with the acting roles given by the global --as option.
import { mediaTypeOfFileName } from '../core/cycle/document-file.ts';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  cycleDefinition,
  machines,
  type CycleRole,
  type Machine,
} from '../core/cycle/definition.ts';
import type { Platform } from '../services/platform.ts';
import { table } from './output.ts';
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
            `${d.item}: ${d.from ?? '(new)'} -> ${d.to}${d.reference === null ? '' : ` (reference ${d.reference})`}${d.due === null ? '' : `; ${d.due.step} by ${d.due.role} due ${d.due.date}`}`,
        );
      }),
    );
  cycle
    .command('list')
    .option('--machine <kind>', machines.join(', '))
    .option('--partnership <alpha2>')
    .option('--state <state>')
    .description('items of the cycle')
    .action(
      run(async (platform, out, opts) => {
        const rows = await platform.cycleQueries.list({
          machine: opts.machine as Machine | undefined,
          partnership: opts.partnership as string | undefined,
          state: opts.state as string | undefined,
        });
        out.data(rows, () =>
          table(rows, [
            'id',
            'machine',
            'partnership',
            'state',
            'reference',
            'due_step',
            'due_date',
          ]),
        );
      }),
    );
  cycle
    .command('show <item>')
    .description('an item with its timeline, findings and documents')
    .action(
      run(async (platform, out, _opts, [item]) => {
        const result = await platform.cycleQueries.item(item as string);
        if (!result.ok) return out.rejection(result.error);
        const v = result.value as {
          id: string;
          state: string;
          reference: string | null;
          timeline: Record<string, unknown>[];
          findings: Record<string, unknown>[];
          documents: Record<string, unknown>[];
        };
        out.data(v, () =>
          [
            `${v.id}: ${v.state}${v.reference === null ? '' : ` (${v.reference})`}`,
            '',
            table(v.timeline, ['seq', 'at', 'action', 'from_state', 'to_state', 'actor']),
            '',
            table(v.findings, ['id', 'kind', 'state', 'text']),
            '',
            table(v.documents, ['type', 'version', 'file_name', 'public_sha256']),
          ].join('\n'),
        );
      }),
    );
  cycle
    .command('inbox <role>')
    .option('--partnership <alpha2>')
    .description('waiting and overdue steps of a role, most urgent first')
    .action(
      run(async (platform, out, opts, [role]) => {
        const rows = await platform.cycleQueries.inbox(
          role as CycleRole,
          opts.partnership as string | undefined,
        );
        out.data(rows, () =>
          table(
            rows.map((r) => ({ ...r })),
            ['item', 'machine', 'state', 'step', 'due', 'daysLeft', 'overdue'],
          ),
        );
      }),
    );
  cycle
    .command('definition')
    .description('the cycle as data')
    .action(
      run(async (_platform, out) => {
        const rows = cycleDefinition.map((r) => ({
          ...r,
          from: r.from ?? '(new)',
          roles: r.roles.join(' '),
          documents: r.documents.join(' '),
          guards: r.guards.join(' '),
          deadline: r.opens === undefined ? '' : `${r.opens.days} d ${r.opens.step}`,
        }));
        out.data(cycleDefinition, () =>
          table(rows, [
            'machine',
            'from',
            'action',
            'to',
            'roles',
            'documents',
            'guards',
            'deadline',
          ]),
        );
      }),
    );

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
    .option('--decision <id>')
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
          ...(typeof opts.decision === 'string' ? { decision: opts.decision } : {}),
        });
        if (!envelope.ok) return out.rejection(envelope.error);
        const result = await platform.organisations.designate(envelope.value);
        if (!result.ok) return out.rejection(result.error);
        out.data(result.value, () => `${result.value.designations} designation(s) recorded`);
      }),
    );
}
