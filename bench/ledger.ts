// `npm run bench:ledger`: ledger throughput against the database's own baseline, in one run.
//  1. PostgreSQL: transfers/s with 8 concurrent in-process clients (one registry, so one journal
//     chain: the hard case for a hash chain) next to `pgbench -b tpcb-like -c 8` on the same server;
//     then both again with synchronous_commit off, which takes the disk's flush out of both: which
//     of the two ratios a machine shows depends on how fast its disk flushes (docs/PERFORMANCE.md).
//  2. PGlite (file-backed, as `npm start` runs): transfers/s with 8 concurrent clients next to a bare
//     PGlite loop of single-insert transactions.
// Not a test: it prints figures, written into docs/PERFORMANCE.md by hand with the date.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { newPglite, openDb, type Db } from '../src/db/connect.ts';
import { createPlatform, type Platform } from '../src/services/platform.ts';
import type { Actor } from '../src/core/ledger/actor.ts';

const seconds = Number(process.env['JCM_BENCH_SECONDS'] ?? 10);
const clients = 8;
const referenceDataDir = join(import.meta.dirname, '..', 'data');
const adminUrl = process.env['JCM_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const actor: Actor = { id: 'bench', roles: [{ kind: 'administrator' }] };

function urlFor(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function recreateDatabase(name: string, syncOff: boolean): Promise<void> {
  const admin = await openDb({ kind: 'postgres', url: adminUrl, poolSize: 1 });
  await admin.exclusive((k) => sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).execute(k));
  await admin.exclusive((k) => sql.raw(`CREATE DATABASE ${name}`).execute(k));
  if (syncOff)
    await admin.exclusive((k) =>
      sql.raw(`ALTER DATABASE ${name} SET synchronous_commit = off`).execute(k),
    );
  await admin.close();
}

async function must(
  platform: Platform,
  name: Parameters<Platform['ledger']['execute']>[0],
  input: unknown,
  key: string,
): Promise<void> {
  const result = await platform.ledger.execute(name, {
    actor,
    idempotencyKey: key,
    input: input as never,
  });
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
}

/** One registry, one source account per client holding 10^9 credits, one destination account. */
async function prepare(platform: Platform): Promise<void> {
  await must(platform, 'open_registry', { registry: 'JP', name: 'Japan' }, 'setup-jp');
  await must(platform, 'open_registry', { registry: 'IN', name: 'India' }, 'setup-in');
  for (let c = 0; c <= clients; c++)
    await must(
      platform,
      'open_account',
      { registry: 'JP', accountType: 'holding', holderId: `h${c}`, holderName: `Holder ${c}` },
      `setup-acct-${c}`,
    );
  const lines = Array.from({ length: clients }, (_, c) => ({
    registry: 'JP',
    account: `JP-${String(5 + c).padStart(6, '0')}`,
    vintage: 2027,
    quantity: '1000000000',
  }));
  await must(
    platform,
    'record_issuance_decision',
    {
      decision: 'BENCH-1',
      project: 'IN001',
      verification: {
        reference: 'BENCH-V1',
        reductions: [{ vintage: 2027, quantity: String(10 ** 9 * clients) }],
      },
      lines,
    },
    'setup-decision',
  );
  for (let c = 0; c < clients; c++)
    await must(
      platform,
      'issue',
      { registry: 'JP', decision: 'BENCH-1', line: c + 1 },
      `setup-issue-${c}`,
    );
}

async function transfersPerSecond(platform: Platform, label: string): Promise<number> {
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const from = `JP-${String(5 + c).padStart(6, '0')}`;
      for (let i = 0; performance.now() < deadline; i++) {
        await must(
          platform,
          'transfer',
          { from, to: 'JP-000004', selection: { quantity: '1' } },
          `${label}-${c}-${i}`,
        );
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function postgres(syncOff: boolean): Promise<{ ledger: number; pgbench: number }> {
  await recreateDatabase('jcm_bench', syncOff);
  const db = await openDb({ kind: 'postgres', url: urlFor('jcm_bench'), poolSize: 16 });
  const platform = await createPlatform(db, { referenceDataDir });
  await prepare(platform);
  const ledger = await transfersPerSecond(platform, 'pg');
  const audit = await platform.audit();
  if (!audit.passed)
    throw new Error(
      `audit failed after the PostgreSQL run: ${JSON.stringify(audit.violations.slice(0, 3))}`,
    );
  await platform.close();
  await recreateDatabase('jcm_bench_pgbench', syncOff);
  const pgArgs = ['-h', '127.0.0.1', '-p', '5432', '-U', 'postgres'];
  execFileSync('pgbench', [...pgArgs, '-i', '-q', '-s', '8', 'jcm_bench_pgbench'], {
    stdio: 'ignore',
  });
  const out = execFileSync(
    'pgbench',
    [
      ...pgArgs,
      '-b',
      'tpcb-like',
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(seconds),
      'jcm_bench_pgbench',
    ],
    { encoding: 'utf8' },
  );
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (tps === null) throw new Error(`cannot read pgbench output:\n${out}`);
  return { ledger, pgbench: Number(tps[1]) };
}

async function pglite(): Promise<{ ledger: number; bare: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'jcm-bench-'));
  try {
    const db: Db = await openDb({ kind: 'pglite', dataDir: join(dir, 'ledger') });
    const platform = await createPlatform(db, { referenceDataDir });
    await prepare(platform);
    const ledger = await transfersPerSecond(platform, 'pglite');
    await platform.close();
    const bare = await newPglite(join(dir, 'bare'));
    await bare.exec('CREATE TABLE t (id int8 PRIMARY KEY, payload text NOT NULL)');
    let n = 0;
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    while (performance.now() < deadline) {
      await bare.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1, $2)', [n, 'x']);
      });
      n++;
    }
    const rate = n / ((performance.now() - started) / 1000);
    await bare.close();
    return { ledger, bare: rate };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pg = await postgres(false);
const pgNoFlush = await postgres(true);
const lite = await pglite();
const fmt = (n: number) => n.toFixed(0);
console.log(
  `jcm ledger benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${seconds} s per run`,
);
console.log(
  `PostgreSQL: ${fmt(pg.ledger)} transfers/s (8 clients) vs pgbench tpcb-like -c 8: ${fmt(pg.pgbench)} tps -> ratio ${(pg.ledger / pg.pgbench).toFixed(2)} (goal >= 0.5)`,
);
console.log(
  `PostgreSQL, synchronous_commit off: ${fmt(pgNoFlush.ledger)} transfers/s vs pgbench: ${fmt(pgNoFlush.pgbench)} tps -> ratio ${(pgNoFlush.ledger / pgNoFlush.pgbench).toFixed(2)}`,
);
console.log(
  `PGlite:     ${fmt(lite.ledger)} transfers/s (8 clients) vs bare single-insert transactions: ${fmt(lite.bare)}/s -> ratio ${(lite.ledger / lite.bare).toFixed(2)} (goal >= 0.5)`,
);
process.exit(0);
