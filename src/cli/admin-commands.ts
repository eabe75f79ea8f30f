// `jcm serve|migrate|demo|reference|audit`: running the platform, its database and its checks.
import type { Command } from 'commander';
import { seedDemo } from '../services/demo-cycle.ts';
import { referenceTables, type AuditProgress, type ReferenceTable } from '../services/platform.ts';
import {
  readableCount,
  readableCredits,
  readableDate,
  readableDecimal,
} from '../core/shared/readable.ts';
import { createOutput, table } from './output.ts';
import { platformAction, type CliOpts } from './platform-action.ts';
import type { CliDeps } from './program.ts';

export function registerAdminCommands(program: Command, deps: CliDeps): void {
  const run = platformAction(deps.openPlatform);
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
      createOutput(program.opts<CliOpts>().json === true).data({ applied }, () =>
        applied.length === 0 ? 'the database is up to date' : `applied: ${applied.join(', ')}`,
      );
    });
  program
    .command('demo')
    .description(
      'run the synthetic demo: an India-Japan project from idea note to issued, transferred and retired credits, and a registered and issued project of Indonesia, Chile and the Philippines each (idempotent)',
    )
    .action(
      run(async (platform, out) => {
        const counts = await seedDemo(platform);
        out.data(
          counts,
          () =>
            `synthetic demo: ${readableCount(counts.ledger)} new ledger entries, ${readableCount(counts.cycle)} cycle actions taken or already taken`,
        );
      }),
    );
  referenceCommands(program, run);
  program
    .command('audit')
    .description('verify the hash chains, replay the journals and check every invariant')
    .action(
      run(async (platform, out) => {
        const report = await platform.audit(auditProgressPrinter());
        out.data(report, () =>
          [
            ...report.chains.map(
              (c) =>
                `chain ${c.chain}: ${readableCount(c.entries)} entries verified, head ${c.headHash.slice(0, 16)}…`,
            ),
            ...report.violations.map((v) => `VIOLATION of invariant ${v.invariant}: ${v.message}`),
            ...report.kinds.map((k) => {
              const shown = report.violations.filter((v) => v.kind === k.kind).length;
              return `${k.kind} (invariant ${k.invariant}): ${readableCount(k.count)} violation(s)${k.count > shown ? `, the first ${shown} shown` : ''}`;
            }),
            report.passed
              ? 'audit passed: every invariant holds'
              : `audit FAILED: ${readableCount(report.violationCount)} violations`,
          ].join('\n'),
        );
        if (!report.passed) process.exitCode = 2;
      }),
    );
}

function referenceCommands(program: Command, run: ReturnType<typeof platformAction>): void {
  const reference = program
    .command('reference')
    .description('reference data from the source documents');
  reference
    .command('list')
    .description('the reference tables')
    .action(() =>
      createOutput(program.opts<CliOpts>().json === true).data(Object.keys(referenceTables), () =>
        Object.keys(referenceTables).join('\n'),
      ),
    );
  reference
    .command('show <table>')
    .description('a reference table with its source')
    .action(
      run(async (platform, out, _o, [name]) => {
        if (!(name !== undefined && name in referenceTables))
          return out.rejection({
            code: 'invalid_request',
            message: `unknown table; one of ${Object.keys(referenceTables).join(', ')}`,
          });
        const rows = await platform.reference(name as ReferenceTable);
        const columns = Object.keys(rows[0] ?? {}).filter((c) => c !== 'source');
        const tonnes = columns.filter(isTonnesColumn);
        out.data(
          rows,
          () =>
            table(rows.map(readableReferenceRow), columns, tonnes) +
            `\nsource: ${String(rows[0]?.['source'] ?? '')}`,
        );
      }),
    );
}

/** A column of whole tonnes of CO2 in a reference table, e.g. expected_reduction_tco2_per_year. */
function isTonnesColumn(column: string): boolean {
  return /(^|_)tco2(e)?(_|$)/.test(column);
}

/**
 * A reference row for people: dates in words, whole tonnes with thousands separators. Years, counts
 * and row numbers stay as they are (2013 is a year, not "2,013").
 */
function readableReferenceRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [column, readableReferenceCell(column, value)]),
  );
}

function readableReferenceCell(column: string, value: unknown): unknown {
  if (isTonnesColumn(column)) {
    if (typeof value === 'bigint' || typeof value === 'string') return readableCredits(value);
    if (typeof value === 'number')
      return Number.isSafeInteger(value) ? readableCredits(BigInt(value)) : readableDecimal(value);
  }
  return typeof value === 'string' ? readableDate(value) : value;
}

/**
 * Prints where the audit is to stderr, at most once every two seconds (and each step as it starts),
 * so that an audit of ten million entries shows it is alive; stdout keeps the report alone.
 */
function auditProgressPrinter(): (p: AuditProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.step === 'journal') {
      if (now - last < 2000 && p.entries < p.of) return;
      process.stderr.write(
        `audit: chain ${p.chain}: ${readableCount(p.entries)} of ${readableCount(p.of)} entries verified and replayed\n`,
      );
    } else process.stderr.write(`audit: ${auditStepText[p.step]}\n`);
    last = now;
  };
}

const auditStepText = {
  sql_journal: 'checking the hash chains again in SQL',
  replay_invariants: 'checking the invariants of the replayed state',
  compare: 'comparing the tables with the replay',
  sql_invariants: 'checking the invariants in SQL',
  aggregates: 'recounting the aggregates and comparing the movements with the journal',
} as const;
