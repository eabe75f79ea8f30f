// `jcm cycle list|show|inbox|definition|adopted`: the reads of the project cycle, printed as tables or as
// JSON (--json). They change nothing.
import type { Command } from 'commander';
import {
  cycleDefinition,
  machines,
  type CycleRole,
  type Machine,
} from '../core/cycle/definition.ts';
import { printList, withPageOptions } from './page-options.ts';
import { dateText, instantText, table } from './output.ts';
import type { platformAction } from './platform-action.ts';

// The parts of an item that `jcm cycle show` prints. A type alias rather than an interface: the
// service answers a plain record, which TypeScript casts to an alias but not to an interface.
type ItemView = {
  id: string;
  state: string;
  reference: string | null;
  timeline: Record<string, unknown>[];
  findings: Record<string, unknown>[];
  documents: Record<string, unknown>[];
};

const itemColumns = ['id', 'machine', 'partnership', 'state', 'reference', 'due_step', 'due_date'];
const inboxColumns = ['item', 'machine', 'state', 'step', 'due', 'daysLeft', 'overdue'];
const definitionColumns = [
  'machine',
  'from',
  'action',
  'to',
  'roles',
  'documents',
  'guards',
  'deadline',
];

export function registerCycleReads(cycle: Command, run: ReturnType<typeof platformAction>): void {
  registerAdopted(cycle, run);
  withPageOptions(
    cycle
      .command('list')
      .option('--machine <kind>', machines.join(', '))
      .option('--partnership <alpha2>')
      .option('--state <state>')
      .description('items of the cycle'),
  ).action(
    run((platform, out, opts) =>
      printList(
        out,
        opts,
        (request) =>
          platform.cycleQueries.list(
            {
              machine: opts.machine as Machine | undefined,
              partnership: opts.partnership as string | undefined,
              state: opts.state as string | undefined,
            },
            request,
          ),
        (rows) =>
          table(
            rows.map((r) => ({ ...r, due_date: dateText(r.due_date) })),
            itemColumns,
          ),
      ),
    ),
  );
  cycle
    .command('show <item>')
    .description('an item with its timeline, findings and documents')
    .action(
      run(async (platform, out, _opts, [item]) => {
        const result = await platform.cycleQueries.item(item as string);
        if (!result.ok) return out.rejection(result.error);
        const v = result.value as ItemView;
        out.data(v, () => itemText(v));
      }),
    );
  withPageOptions(
    cycle
      .command('inbox <role>')
      .option('--partnership <alpha2>')
      .description('waiting and overdue steps of a role, most urgent first'),
  ).action(
    run((platform, out, opts, [role]) =>
      printList(
        out,
        opts,
        (request) =>
          platform.cycleQueries.inbox(
            role as CycleRole,
            opts.partnership as string | undefined,
            undefined,
            request,
          ),
        (rows) =>
          table(
            rows.map((r) => ({ ...r, due: dateText(r.due) })),
            inboxColumns,
            ['daysLeft'],
          ),
      ),
    ),
  );
  cycle
    .command('definition')
    .description('the cycle as data')
    .action(
      run(async (_platform, out) => {
        const rows = definitionRows();
        out.data(cycleDefinition, () => table(rows, definitionColumns));
      }),
    );
}

function itemText(v: ItemView): string {
  return [
    `${v.id}: ${v.state}${v.reference === null ? '' : ` (${v.reference})`}`,
    '',
    table(
      v.timeline.map((e) => ({ ...e, at: instantText(e['at']) })),
      ['seq', 'at', 'action', 'from_state', 'to_state', 'actor'],
      ['seq'],
    ),
    '',
    table(v.findings, ['id', 'kind', 'state', 'text']),
    '',
    table(v.documents, ['type', 'version', 'file_name', 'public_sha256']),
  ].join('\n');
}

/** The transitions of the cycle with their lists joined into words, one table row each. */
function definitionRows(): Record<string, unknown>[] {
  return cycleDefinition.map((r) => ({
    ...r,
    from: r.from ?? '(new)',
    roles: r.roles.join(' '),
    documents: r.documents.join(' '),
    guards: r.guards.join(' '),
    deadline: r.opens === undefined ? '' : `${r.opens.days} d ${r.opens.step}`,
  }));
}

/** `jcm cycle adopted`: the catalogue entries adopted through the cycle, with their decisions. */
function registerAdopted(cycle: Command, run: ReturnType<typeof platformAction>): void {
  cycle
    .command('adopted')
    .description(
      'the catalogue entries Joint Committees adopted through the cycle, with their decisions (`jcm methodology` reads only the repository files)',
    )
    .action(
      run(async (platform, out) => {
        await platform.methodologies.refresh();
        const rows = platform.methodologies.list().flatMap((m) =>
          m.adoption === undefined
            ? []
            : platform.methodologies.versions(m.id).map((version) => ({
                id: m.id,
                version,
                ...platform.methodologies.adoptionOf(m.id, version),
                title: platform.methodologies.get(m.id, version)?.file.title ?? '',
              })),
        );
        out.data(rows, () =>
          table(rows, ['id', 'version', 'decision', 'adoptedAt', 'proposal', 'title']),
        );
      }),
    );
}
