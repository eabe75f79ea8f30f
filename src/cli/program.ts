// The `jcm` command line. Every command opens the platform, does one thing through the same services
// as the API, prints a readable answer or JSON (--json), and closes.
import { parseInput } from '../services/parse-input.ts';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseRoles } from '../core/ledger/actor.ts';
import { referenceTables, type ReferenceTable } from '../db/reference-data.ts';
import { seedDemo } from '../services/demo-cycle.ts';
import type { CommandInput, CommandName, SelectionInput } from '../services/ledger-schemas.ts';
import { commandSchemas } from '../services/ledger-schemas.ts';
import type { Platform } from '../services/platform.ts';
import type { MethodologyCatalogue } from '../services/methodology-catalogue.ts';
import { registerMethodologyCommands } from './methodology-commands.ts';
import { registerCycleCommands } from './cycle-commands.ts';
import { registerAccountCommands } from './account-commands.ts';
import { createOutput, table, type Output } from './output.ts';

export interface CliDeps {
  readonly openPlatform: () => Promise<Platform>;
  readonly serve: (options: { port?: number }) => Promise<void>;
  readonly migrate: () => Promise<string[]>;
  readonly user: string;
  /** The methodology catalogue, read without opening the database. */
  readonly openCatalogue: () => Promise<MethodologyCatalogue>;
}

type Opts = Record<string, unknown> & {
  json?: boolean;
  as?: string;
  actor?: string;
  idempotencyKey?: string;
};

export function buildProgram(deps: CliDeps): Command {
  const program = new Command('jcm')
    .description(
      'The Joint Crediting Mechanism platform: registries, ledger, methodologies and audit',
    )
    .showHelpAfterError();
  program
    .option('--json', 'print JSON')
    .option(
      '--as <roles>',
      'roles of the acting operator, e.g. registry_manager:JP',
      'administrator',
    )
    .option('--actor <id>', 'actor id recorded in the journal', `cli:${deps.user}`)
    .option('--idempotency-key <key>', 'idempotency key of a write (default: a new random key)');

  const withPlatform =
    (fn: (platform: Platform, out: Output, opts: Opts, args: string[]) => Promise<void>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const opts = command.optsWithGlobals<Opts>();
      const out = createOutput(opts.json === true);
      const platform = await deps.openPlatform();
      try {
        await fn(platform, out, opts, args.slice(0, -2) as string[]);
      } finally {
        await platform.close();
      }
    };

  const write = async <N extends CommandName>(
    platform: Platform,
    out: Output,
    opts: Opts,
    name: N,
    raw: unknown,
  ) => {
    const actor = actorOf(opts);
    if (!actor.ok) return out.rejection(actor.error);
    const parsed = parseInput(commandSchemas[name], raw);
    if (!parsed.ok) return out.rejection(parsed.error);
    const result = await platform.ledger.execute(
      name,
      parsed.value as CommandInput<N>,
      actor.value,
      opts.idempotencyKey ?? `cli-${randomUUID()}`,
    );
    if (!result.ok) return out.rejection(result.error);
    const { entry, event, replayed } = result.value;
    out.data(
      { entry, event, replayed },
      () =>
        `${replayed ? 'already done' : 'done'}: ${event.type} recorded as ${entry.chain} entry ${entry.seq} (hash ${entry.hash.slice(0, 16)}…)`,
    );
  };

  program
    .command('serve')
    .description('run the API server (migrates and loads reference data first)')
    .option('--port <port>', 'port (default PORT or 3000)')
    .action(async (o: { port?: string }) =>
      deps.serve(o.port === undefined ? {} : { port: Number(o.port) }),
    );
  program
    .command('migrate')
    .description('apply database migrations')
    .action(async () => {
      const applied = await deps.migrate();
      const out = createOutput(program.opts<Opts>().json === true);
      out.data({ applied }, () =>
        applied.length === 0 ? 'the database is up to date' : `applied: ${applied.join(', ')}`,
      );
    });
  program
    .command('demo')
    .description(
      'run the synthetic demo: an India-Japan project from idea note to issued, transferred and retired credits (idempotent)',
    )
    .action(
      withPlatform(async (platform, out) => {
        const counts = await seedDemo(platform);
        out.data(
          counts,
          () =>
            `synthetic demo: ${counts.ledger} new ledger entries, ${counts.cycle} cycle actions taken or already taken`,
        );
      }),
    );

  const reference = program
    .command('reference')
    .description('reference data from the source documents');
  reference
    .command('list')
    .description('the reference tables')
    .action(() =>
      createOutput(program.opts<Opts>().json === true).data(Object.keys(referenceTables), () =>
        Object.keys(referenceTables).join('\n'),
      ),
    );
  reference
    .command('show <table>')
    .description('a reference table with its source')
    .action(
      withPlatform(async (platform, out, _o, [name]) => {
        if (!(name !== undefined && name in referenceTables))
          return out.rejection({
            code: 'invalid_request',
            message: `unknown table; one of ${Object.keys(referenceTables).join(', ')}`,
          });
        const rows = await platform.reference(name as ReferenceTable);
        out.data(
          rows,
          () =>
            table(
              rows,
              Object.keys(rows[0] ?? {}).filter((c) => c !== 'source'),
            ) + `\nsource: ${String(rows[0]?.['source'] ?? '')}`,
        );
      }),
    );

  const registry = program.command('registry').description("Japan's and the partners' registries");
  registry.command('list').action(
    withPlatform(async (platform, out) => {
      const rows = await platform.queries.listRegistries();
      out.data(rows, () =>
        table(
          rows.map((r) => ({ ...r, entries: r.journal.headSeq })),
          ['id', 'name', 'kind', 'entries'],
        ),
      );
    }),
  );
  registry
    .command('open <registry>')
    .requiredOption('--name <name>', 'display name')
    .action(
      withPlatform((p, out, o, [id]) =>
        write(p, out, o, 'open_registry', { registry: id, name: o['name'] }),
      ),
    );
  registry
    .command('journal <chain>')
    .description('journal entries of a registry or JC-XX chain')
    .option('--after <seq>', 'after this sequence number', '0')
    .option('--limit <n>', 'entries', '50')
    .action(
      withPlatform(async (platform, out, o, [chain]) => {
        const after = String(o['after']);
        const limit = Number(o['limit']);
        if (!/^\d{1,18}$/.test(after) || !Number.isInteger(limit) || limit < 1 || limit > 500) {
          return out.rejection({
            code: 'invalid_request',
            message: '--after is a sequence number and --limit 1 to 500',
          });
        }
        const rows = await platform.queries.journal(chain ?? '', BigInt(after), limit);
        out.data(rows, () =>
          table(
            rows.map((r) => ({
              seq: r.seq,
              type: r.event.type,
              actor: r.actor,
              at: r.recordedAt,
              hash: r.hash.slice(0, 16),
            })),
            ['seq', 'type', 'actor', 'at', 'hash'],
          ),
        );
      }),
    );

  const account = program
    .command('account')
    .description('accounts: open, freeze, unfreeze, close, show');
  account.command('list <registry>').action(
    withPlatform(async (platform, out, _o, [id]) => {
      const result = await platform.queries.listAccounts(id ?? '');
      if (!result.ok) return out.rejection(result.error);
      out.data(result.value, () =>
        table(result.value, ['id', 'type', 'status', 'holderId', 'holderName', 'balance']),
      );
    }),
  );
  account
    .command('open <registry>')
    .addOption(
      new Option('--type <type>').choices(['holding', 'government_holding']).makeOptionMandatory(),
    )
    .requiredOption('--holder-id <id>')
    .requiredOption('--holder-name <name>')
    .action(
      withPlatform((p, out, o, [id]) =>
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
  ] as const) {
    account
      .command(`${verb} <account>`)
      .requiredOption('--reason <text>')
      .action(
        withPlatform((p, out, o, [id]) =>
          write(p, out, o, name, { account: id, reason: o['reason'] }),
        ),
      );
  }
  const showHoldings = withPlatform(async (platform, out, _o, [id]) => {
    const result = await platform.queries.account(id ?? '');
    if (!result.ok) return out.rejection(result.error);
    const a = result.value;
    out.data(
      a,
      () =>
        `${a.id} ${a.type} ${a.status} — ${a.holderName} (${a.holderId})\nbalance: ${a.balance} tCO2e\n${table(a.holdings, ['project', 'vintage', 'quantity', 'blocks'])}`,
    );
  });
  account.command('show <account>').description('an account and its holdings').action(showHoldings);
  program
    .command('holdings <account>')
    .description('holdings of an account per project and vintage')
    .action(showHoldings);
  program
    .command('blocks <account>')
    .description('the blocks an account holds')
    .action(
      withPlatform(async (platform, out, _o, [id]) => {
        const result = await platform.queries.blocks(id ?? '');
        if (!result.ok) return out.rejection(result.error);
        out.data(result.value, () =>
          table(result.value, ['blockId', 'quantity', 'registry', 'account']),
        );
      }),
    );
  program
    .command('block <project> <serial>')
    .description('the block that holds a serial number')
    .action(
      withPlatform(async (platform, out, _o, [project, serial]) => {
        const result = await platform.queries.blockBySerial(project ?? '', serial ?? '');
        if (!result.ok) return out.rejection(result.error);
        const b = result.value;
        out.data(
          b,
          () =>
            `${b.blockId}\nheld by ${b.account} (${b.accountType}) in registry ${b.registry}\nput there by ${b.entry.chain} entry ${b.entry.seq}`,
        );
      }),
    );

  const decision = program.command('decision').description('issuance decisions');
  decision
    .command('record <file>')
    .description('record an issuance decision from a JSON file')
    .action(
      withPlatform(async (p, out, o, [file]) => {
        let input: unknown;
        try {
          input = JSON.parse(readFileSync(file ?? '', 'utf8'));
        } catch (error) {
          return out.rejection({
            code: 'malformed_json',
            message: `${file ?? ''}: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
        return write(p, out, o, 'record_issuance_decision', input);
      }),
    );
  decision.command('list').action(
    withPlatform(async (platform, out) => {
      const rows = await platform.queries.listDecisions();
      out.data(rows, () =>
        table(rows, ['id', 'project', 'serialFirst', 'serialLast', 'verificationReference']),
      );
    }),
  );
  decision.command('show <id>').action(
    withPlatform(async (platform, out, _o, [id]) => {
      const result = await platform.queries.decision(id ?? '');
      if (!result.ok) return out.rejection(result.error);
      out.data(
        result.value,
        () =>
          `${result.value.id} ${result.value.project} serials ${result.value.serialFirst}-${result.value.serialLast}\n${table(result.value.lines, ['line', 'registry', 'account', 'vintage', 'quantity', 'blockId', 'issued'])}`,
      );
    }),
  );
  program
    .command('issue <registry> <decision> <line>')
    .description('issue one allocation line of a decision')
    .action(
      withPlatform((p, out, o, [reg, dec, line]) =>
        write(p, out, o, 'issue', { registry: reg, decision: dec, line: Number(line) }),
      ),
    );

  const selecting = (c: Command) =>
    c
      .option('--quantity <n>', 'quantity, lowest serials first')
      .option('--project <ref>', 'only credits of this project')
      .option('--vintage <year>', 'only credits of this vintage')
      .option('--range <project:first-last...>', 'explicit serial ranges, e.g. IN001:1-500')
      .option('--block <id...>', 'explicit block ids');
  selecting(
    program
      .command('transfer')
      .description('transfer credits between accounts of one registry')
      .requiredOption('--from <account>')
      .requiredOption('--to <account>'),
  ).action(
    withPlatform((p, out, o) =>
      write(p, out, o, 'transfer', { from: o['from'], to: o['to'], selection: selectionOf(o) }),
    ),
  );
  const requests = program
    .command('transfer-request')
    .description('transfers out of government accounts: one person requests, another approves');
  selecting(
    requests
      .command('create')
      .requiredOption('--from <account>', 'the government account')
      .requiredOption('--to <account>'),
  ).action(
    withPlatform(async (p, out, o) => {
      const actor = actorOf(o);
      if (!actor.ok) return out.rejection(actor.error);
      const result = await p.transferRequests.request(
        { from: o['from'], to: o['to'], selection: selectionOf(o) },
        actor.value,
      );
      if (!result.ok) return out.rejection(result.error);
      out.data(
        result.value,
        () =>
          `requested ${result.value.id}: a second person approves it with \`jcm transfer-request approve ${result.value.id}\``,
      );
    }),
  );
  for (const verb of ['approve', 'reject'] as const) {
    requests.command(`${verb} <id>`).action(
      withPlatform(async (p, out, o, [id]) => {
        const actor = actorOf(o);
        if (!actor.ok) return out.rejection(actor.error);
        const result =
          verb === 'approve'
            ? await p.transferRequests.approve(id as string, actor.value)
            : await p.transferRequests.decline(id as string, actor.value);
        if (!result.ok) return out.rejection(result.error);
        out.data(
          result.value,
          () =>
            `${id as string}: ${verb === 'approve' ? 'approved, the credits moved' : 'rejected, nothing moved'}`,
        );
      }),
    );
  }
  requests
    .command('list')
    .option('--status <status>', 'pending, approved or rejected')
    .action(
      withPlatform(async (p, out, o) => {
        const rows = await p.transferRequests.list(o['status'] as string | undefined);
        out.data(rows, () =>
          table(rows, [
            'id',
            'from_account',
            'status',
            'requested_by',
            'decided_by',
            'requested_at',
          ]),
        );
      }),
    );
  selecting(
    program
      .command('retire')
      .requiredOption('--from <account>')
      .requiredOption('--purpose <purpose>')
      .requiredOption('--beneficiary <name>')
      .option('--note <text>', 'note', ''),
  ).action(
    withPlatform((p, out, o) =>
      write(p, out, o, 'retire', {
        from: o['from'],
        selection: selectionOf(o),
        purpose: o['purpose'],
        beneficiary: o['beneficiary'],
        note: o['note'],
      }),
    ),
  );
  for (const [verb, name] of [
    ['cancel', 'cancel'],
    ['reserve', 'reserve'],
  ] as const) {
    selecting(
      program.command(verb).requiredOption('--from <account>').requiredOption('--reason <text>'),
    ).action(
      withPlatform((p, out, o) =>
        write(p, out, o, name, { from: o['from'], selection: selectionOf(o), reason: o['reason'] }),
      ),
    );
  }
  selecting(
    program.command('release').requiredOption('--to <account>').requiredOption('--reason <text>'),
  ).action(
    withPlatform((p, out, o) =>
      write(p, out, o, 'release', { to: o['to'], selection: selectionOf(o), reason: o['reason'] }),
    ),
  );
  program
    .command('reverse <registry> <seq>')
    .description('reverse a transfer, reservation or release')
    .requiredOption('--reason <text>')
    .action(
      withPlatform((p, out, o, [reg, seq]) =>
        write(p, out, o, 'reverse', { registry: reg, seq, reason: o['reason'] }),
      ),
    );

  program
    .command('audit')
    .description('verify the hash chains, replay the journals and check every invariant')
    .action(
      withPlatform(async (platform, out) => {
        const report = await platform.audit();
        out.data(report, () =>
          [
            ...report.chains.map(
              (c) =>
                `chain ${c.chain}: ${c.entries} entries verified, head ${c.headHash.slice(0, 16)}…`,
            ),
            ...report.violations.map((v) => `VIOLATION of invariant ${v.invariant}: ${v.message}`),
            report.passed
              ? 'audit passed: every invariant holds'
              : `audit FAILED: ${report.violations.length} violations`,
          ].join('\n'),
        );
        if (!report.passed) process.exitCode = 2;
      }),
    );
  registerMethodologyCommands(program, deps.openCatalogue);
  registerCycleCommands(program, deps.openPlatform);
  registerAccountCommands(program, deps.openPlatform);
  return program;
}

function actorOf(opts: Opts) {
  return parseRoles(String(opts.actor), String(opts.as));
}

function selectionOf(o: Record<string, unknown>): SelectionInput | Record<string, unknown> {
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
