// `jcm registry|account|holdings|blocks|block|decision|issue|transfer|retire|cancel|release|
// reverse`: the registry's reads and commands through the same pipeline as the API.
import { Option, type Command } from 'commander';
import type { CommandName, SelectionInput } from '../services/ledger-schemas.ts';
import type { Platform } from '../services/platform.ts';
import type { Result } from '../core/shared/result.ts';
import type { Committed } from '../services/ledger-service.ts';
import type { WriteEnvelope } from '../services/write-pipeline.ts';
import type { ProjectRef } from '../core/shared/ids.ts';
import { readableCount, readableCredits } from '../core/shared/readable.ts';
import { instantText, table, type Output } from './output.ts';
import { printList, withPageOptions } from './page-options.ts';
import { cliEnvelope, platformAction, type CliOpts } from './platform-action.ts';

type Run = ReturnType<typeof platformAction>;

/** Runs a registry command and prints its journal entry. */
export function write(
  platform: Platform,
  out: Output,
  opts: CliOpts,
  name: CommandName,
  raw: unknown,
): Promise<void> {
  return writeWith(out, opts, raw, (envelope) => platform.ledger.execute(name, envelope));
}

/** Runs a write through `call` with the CLI's envelope and prints its journal entry. */
export async function writeWith(
  out: Output,
  opts: CliOpts,
  raw: unknown,
  call: (envelope: WriteEnvelope) => Promise<Result<Committed>>,
): Promise<void> {
  const envelope = cliEnvelope(opts, raw);
  if (!envelope.ok) return out.rejection(envelope.error);
  const result = await call(envelope.value);
  if (!result.ok) return out.rejection(result.error);
  const { entry, event, replayed } = result.value;
  const done =
    opts.dryRun === true ? 'dry run, nothing written' : replayed ? 'already done' : 'done';
  out.data(
    { entry, event, replayed },
    () =>
      `${done}: ${event.type} recorded as ${entry.chain} entry ${entry.seq} (hash ${entry.hash.slice(0, 16)}…)`,
  );
}

export function registerLedgerCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const run = platformAction(openPlatform);
  registryCommands(program, run);
  accountCommands(program, run);
  decisionCommands(program, run);
  movementCommands(program, run);
}

function registryCommands(program: Command, run: Run): void {
  const registry = program.command('registry').description("Japan's and the partners' registries");
  registry.command('list').action(
    run(async (platform, out) => {
      const rows = await platform.queries.listRegistries();
      out.data(rows, () =>
        table(
          rows.map((r) => ({ ...r, entries: readableCount(r.journal.headSeq) })),
          ['id', 'name', 'kind', 'entries'],
          ['entries'],
        ),
      );
    }),
  );
  registry
    .command('open <registry>')
    .requiredOption('--name <name>', 'display name')
    .action(
      run((p, out, o, [id]) =>
        write(p, out, o, 'open_registry', { registry: id, name: o['name'] }),
      ),
    );
  withPageOptions(
    registry
      .command('journal <chain>')
      .description('journal entries of a registry or JC-XX chain (--after: a cursor or a seq)'),
  ).action(
    run((platform, out, o, [chain]) =>
      printList(
        out,
        o,
        (request) => platform.queries.journal(chain ?? '', request),
        (rows) =>
          table(
            rows.map((r) => ({
              seq: r.seq,
              type: r.event.type,
              actor: r.actor,
              at: instantText(r.recordedAt),
              hash: r.hash.slice(0, 16),
            })),
            ['seq', 'type', 'actor', 'at', 'hash'],
            ['seq'],
          ),
      ),
    ),
  );
}

function accountCommands(program: Command, run: Run): void {
  const account = program
    .command('account')
    .description('accounts: open, freeze, unfreeze, close, show');
  withPageOptions(account.command('list <registry>')).action(
    run((platform, out, o, [id]) =>
      printList(
        out,
        o,
        (request) => platform.queries.listAccounts(id ?? '', request),
        (rows) =>
          table(
            rows.map((a) => ({ ...a, balance: readableCredits(a.balance) })),
            ['id', 'type', 'status', 'holderId', 'holderName', 'balance'],
            ['balance'],
          ),
      ),
    ),
  );
  account
    .command('open <registry>')
    .addOption(
      new Option('--type <type>').choices(['holding', 'government_holding']).makeOptionMandatory(),
    )
    .requiredOption('--holder-id <id>')
    .requiredOption('--holder-name <name>')
    .action(
      run((p, out, o, [id]) =>
        write(p, out, o, 'open_account', {
          registry: id,
          accountType: o['type'],
          holderId: o['holderId'],
          holderName: o['holderName'],
        }),
      ),
    );
  for (const [verb, name] of [
    ['freeze', 'freeze_account'],
    ['unfreeze', 'unfreeze_account'],
    ['close', 'close_account'],
  ] as const)
    account
      .command(`${verb} <account>`)
      .requiredOption('--reason <text>')
      .action(
        run((p, out, o, [id]) => write(p, out, o, name, { account: id, reason: o['reason'] })),
      );
  const showHoldings = run(async (platform, out, _o, [id]) => {
    const result = await platform.queries.account(id ?? '');
    if (!result.ok) return out.rejection(result.error);
    const a = result.value;
    out.data(
      a,
      () =>
        `${a.id} ${a.type} ${a.status} — ${a.holderName} (${a.holderId})\nbalance: ${readableCredits(a.balance)} credits (t CO2e)\n${table(
          a.holdings.map((h) => ({ ...h, quantity: readableCredits(h.quantity) })),
          ['project', 'vintage', 'quantity', 'blocks'],
          ['quantity', 'blocks'],
        )}`,
    );
  });
  account.command('show <account>').description('an account and its holdings').action(showHoldings);
  program
    .command('holdings <account>')
    .description('holdings of an account per project and vintage')
    .action(showHoldings);
  blockCommands(program, run);
}

function blockCommands(program: Command, run: Run): void {
  withPageOptions(
    program.command('blocks <account>').description('the blocks an account holds'),
  ).action(
    run((platform, out, o, [id]) =>
      printList(
        out,
        o,
        (request) => platform.queries.blocks(id ?? '', request),
        (rows) =>
          table(
            rows.map((b) => ({ ...b, quantity: readableCredits(b.quantity) })),
            ['blockId', 'quantity', 'registry', 'account'],
            ['quantity'],
          ),
      ),
    ),
  );
  program
    .command('block <project> <serial>')
    .description('the block that holds a serial number')
    .action(
      run(async (platform, out, _o, [project, serial]) => {
        const result = await platform.queries.blockBySerial(project ?? '', serial ?? '');
        if (!result.ok) return out.rejection(result.error);
        const b = result.value;
        const status = await platform.article6.itmoStatus(
          b.project as ProjectRef,
          BigInt(serial ?? '0'),
        );
        out.data(
          { ...b, itmo: status?.itmo ?? null, itmoId: status?.itmoId ?? null },
          () =>
            `${b.blockId}\nheld by ${b.account} (${b.accountType}) in registry ${b.registry}\nput there by ${b.entry.chain} entry ${b.entry.seq}\n${itmoText(status)}`,
        );
      }),
    );
}

function decisionCommands(program: Command, run: Run): void {
  const decision = program.command('decision').description('issuance decisions');
  withPageOptions(decision.command('list')).action(
    run((platform, out, o) =>
      printList(
        out,
        o,
        (request) => platform.queries.listDecisions(request),
        (rows) =>
          table(rows, ['id', 'project', 'serialFirst', 'serialLast', 'verificationReference']),
      ),
    ),
  );
  decision.command('show <id>').action(
    run(async (platform, out, _o, [id]) => {
      const result = await platform.queries.decision(id ?? '');
      if (!result.ok) return out.rejection(result.error);
      const d = result.value;
      out.data(
        d,
        () =>
          `${d.id} ${d.project} serials ${d.serialFirst}-${d.serialLast}\n${table(
            d.lines.map((l) => ({ ...l, quantity: readableCredits(l.quantity) })),
            ['line', 'registry', 'account', 'vintage', 'quantity', 'blockId', 'issued'],
            ['quantity'],
          )}`,
      );
    }),
  );
  program
    .command('issue <registry> <decision> <line>')
    .description('issue one allocation line of a decision')
    .action(
      run((p, out, o, [reg, dec, line]) =>
        write(p, out, o, 'issue', { registry: reg, decision: dec, line: Number(line) }),
      ),
    );
}

/** The options that choose credits: a quantity (lowest serials first), ranges or blocks. */
export const selecting = (c: Command) =>
  c
    .option('--quantity <n>', 'quantity, lowest serials first')
    .option('--project <ref>', 'only credits of this project')
    .option('--vintage <year>', 'only credits of this vintage')
    .option('--range <project:first-last...>', 'explicit serial ranges, e.g. IN001:1-500')
    .option('--block <id...>', 'explicit block ids');

function movementCommands(program: Command, run: Run): void {
  selecting(
    program
      .command('transfer')
      .description('transfer credits between accounts of one registry')
      .requiredOption('--from <account>')
      .requiredOption('--to <account>'),
  ).action(
    run((p, out, o) =>
      write(p, out, o, 'transfer', { from: o['from'], to: o['to'], selection: selectionOf(o) }),
    ),
  );
  selecting(
    program
      .command('retire')
      .requiredOption('--from <account>')
      .requiredOption('--purpose <purpose>')
      .requiredOption('--beneficiary <name>')
      .option('--note <text>', 'note', '')
      .option('--year-of-use <year>', 'Article 6.2: the calendar year of use towards the NDC'),
  ).action(
    run((p, out, o) =>
      write(p, out, o, 'retire', {
        from: o['from'],
        selection: selectionOf(o),
        purpose: o['purpose'],
        beneficiary: o['beneficiary'],
        note: o['note'],
        ...(o['yearOfUse'] === undefined ? {} : { yearOfUse: yearOption(o['yearOfUse']) }),
      }),
    ),
  );
  selecting(
    program
      .command('cancel')
      .requiredOption('--from <account>')
      .requiredOption('--reason <text>')
      .option('--kind <kind>', 'Article 6.2: omge, voluntary or other'),
  ).action(
    run((p, out, o) =>
      write(p, out, o, 'cancel', {
        from: o['from'],
        selection: selectionOf(o),
        reason: o['reason'],
        ...(o['kind'] === undefined ? {} : { cancellationKind: o['kind'] }),
      }),
    ),
  );
  selecting(
    program.command('release').requiredOption('--to <account>').requiredOption('--reason <text>'),
  ).action(
    run((p, out, o) =>
      write(p, out, o, 'release', { to: o['to'], selection: selectionOf(o), reason: o['reason'] }),
    ),
  );
  program
    .command('reverse <registry> <seq>')
    .description('reverse a transfer or a release from the reserve')
    .requiredOption('--reason <text>')
    .action(
      run((p, out, o, [reg, seq]) =>
        write(p, out, o, 'reverse', { registry: reg, seq, reason: o['reason'] }),
      ),
    );
}

export function selectionOf(o: Record<string, unknown>): SelectionInput | Record<string, unknown> {
  if (Array.isArray(o['block'])) return { blocks: o['block'] as string[] };
  if (Array.isArray(o['range'])) {
    return {
      ranges: (o['range'] as string[]).map((text) => {
        const match = /^([A-Z]{2}\d+):(\d+)-(\d+)$/.exec(text);
        return match === null
          ? { project: text, first: '', last: '' }
          : { project: match[1] ?? '', first: match[2] ?? '', last: match[3] ?? '' };
      }),
    };
  }
  return {
    quantity: String(o['quantity'] ?? ''),
    ...(o['project'] === undefined ? {} : { project: o['project'] }),
    ...(o['vintage'] === undefined ? {} : { vintage: String(o['vintage']) }),
  };
}

/** A year option as the schema reads it: a number when it is one, else the text (refused there). */
export function yearOption(value: unknown): unknown {
  return typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value;
}

/** A credit's Article 6.2 status in words. */
function itmoText(status: Awaited<ReturnType<Platform['article6']['itmoStatus']>>): string {
  if (status === null || status.itmo === null)
    return "not an ITMO: no authorisation covers it (it counts towards the host Party's own NDC)";
  const i = status.itmo;
  const used = status.disposal;
  // As the AEF says it (derive-actions.ts): a cancellation is of its kind (other when none was given),
  // a retirement for voluntary offsetting is a voluntary cancellation, only an NDC use has a year.
  const fate =
    used === null
      ? 'held'
      : status.accountType === 'cancellation'
        ? `cancelled (${used.cancellationKind ?? 'other'})`
        : used.purpose === 'voluntary_offsetting'
          ? 'voluntarily cancelled (voluntary offsetting)'
          : used.purpose === 'oimp'
            ? 'used for OIMP'
            : `used towards the NDC (${used.purpose ?? 'ndc_use'})${used.yearOfUse === null ? '' : ` for ${used.yearOfUse}`}`;
  return `ITMO ${status.itmoId ?? ''} under ${i.authorisation} (${i.approach}); first transferring Party ${i.firstParty}, ${i.firstTransferred ? 'first transferred' : 'not yet first transferred'}; ${fate}`;
}
