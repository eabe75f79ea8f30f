// `npm run bench:scale`: a registry at real size, built through the real write path
// (bench/scale-build.ts), then 200 sequential HTTP requests per read against the real server started
// in-process WITHOUT the read cache, transfers out of a big and a small account, and the audit in a
// child process (bench/scale-audit.ts: wall time, peak RSS, hashing rate against raw SHA-256).
// BENCH_DB=postgres (default; database BENCH_PG_DB, default jcm_bench_scale, dropped at the end unless
// BENCH_KEEP=1) or pglite; BENCH_SCALE blocks (default 1,000,000 on PostgreSQL, 20,000 on PGlite); BENCH_ENTRIES_PER_BLOCK
// journal entries per block, about (default 10; 1 builds only the issuances and splits); BENCH_CHAINS
// (1 or 2) the registries the blocks are spread over. BENCH_KEEP=1 keeps
// the database, and a run over a kept one resumes the build (idempotency keys); BENCH_SKIP_BUILD=1
// skips the build and measures a kept database as it is. Not a test: it prints
// a table and writes it into docs/PERFORMANCE.md under "Scale (bench:scale)". A read that does not
// answer 200 to every request gets no figure (a 404 is not a page), and the run exits with 1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDb, type Db } from '../src/db/connect.ts';
import { createServedApps } from '../src/http/edge.ts';
import { ReadCache } from '../src/http/read-cache.ts';
import { listen } from '../src/http/server.ts';
import { createPlatform } from '../src/services/platform.ts';
import { accountId, accountsPerRegistry, buildScale, project, shapeFor } from './scale-build.ts';
import { registerScaleProject } from './scale-project.ts';

const kind = process.env['BENCH_DB'] === 'pglite' ? 'pglite' : 'postgres';
const blocks = Number(process.env['BENCH_SCALE'] ?? (kind === 'pglite' ? 20_000 : 1_000_000));
const keep = process.env['BENCH_KEEP'] === '1';
const requests = 200;
const adminUrl = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = process.env['BENCH_PG_DB'] ?? 'jcm_bench_scale';
// The name goes into CREATE and DROP DATABASE as it is.
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(dbName))
  throw new Error(`BENCH_PG_DB: not a plain name: ${dbName}`);
const root = join(import.meta.dirname, '..');
const entriesPerBlock = process.env['BENCH_ENTRIES_PER_BLOCK'];
// BENCH_CHAINS=2 spreads the blocks over JP and IN, two journal chains written side by side.
const chains = Number(process.env['BENCH_CHAINS'] ?? 1);
if (chains !== 1 && chains !== 2) throw new Error('BENCH_CHAINS: 1 or 2');
const shape = shapeFor(blocks, {
  ...(entriesPerBlock === undefined ? {} : { entriesPerBlock: Number(entriesPerBlock) }),
  registries: ['JP', 'IN'].slice(0, chains),
});
const rows: [string, string][] = [];
const row = (what: string, figure: string) => {
  rows.push([what, figure]);
  console.log(`${what.padEnd(58)} ${figure}`);
};

function pgUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminSql(statement: string): Promise<void> {
  const admin = await openDb({ kind: 'postgres', url: adminUrl, poolSize: 1 });
  await admin.exclusive((k) => sql.raw(statement).execute(k));
  await admin.close();
}

async function openTarget(): Promise<{ db: Db; target: string; dir: string | null }> {
  if (kind === 'pglite') {
    const dir = process.env['BENCH_PGLITE_DIR'] ?? mkdtempSync(join(tmpdir(), 'jcm-bench-scale-'));
    const target = join(dir, 'db');
    return { db: await openDb({ kind: 'pglite', dataDir: target }), target, dir };
  }
  const exists = await (async () => {
    const admin = await openDb({ kind: 'postgres', url: adminUrl, poolSize: 1 });
    const found = await admin.read((k) =>
      sql`SELECT 1 FROM pg_database WHERE datname = ${dbName}`.execute(k),
    );
    await admin.close();
    return found.rows.length > 0;
  })();
  if (process.env['BENCH_SKIP_BUILD'] === '1' && !(keep && exists))
    throw new Error(
      `BENCH_SKIP_BUILD=1 measures a kept database: set BENCH_KEEP=1 and build ${dbName} first`,
    );
  if (!(keep && exists)) {
    await adminSql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await adminSql(`CREATE DATABASE ${dbName}`);
  }
  const target = pgUrl(dbName);
  return { db: await openDb({ kind: 'postgres', url: target, poolSize: 16 }), target, dir: null };
}

function quantiles(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms`;
}

/** Reads that answered something else than 200 (no figure reported for them). */
const unanswered: string[] = [];

/**
 * Times `requests` GETs of a read; its figure only when every one answered 200, since an error
 * answer (a 404 for a project the bench did not build) is not the read it names.
 */
async function timedGets(base: string, label: string, path: (i: number) => string): Promise<void> {
  const ms: number[] = [];
  const statuses = new Set<number>();
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const response = await fetch(`${base}${path(i)}`, {
      headers: { authorization: 'Bearer bench' },
    });
    bytes = (await response.arrayBuffer()).byteLength;
    ms.push(performance.now() - started);
    statuses.add(response.status);
  }
  const status = [...statuses].join('/');
  if (statuses.size !== 1 || !statuses.has(200)) {
    unanswered.push(label);
    row(label, `no figure: answered HTTP ${status}, not 200 (e.g. ${path(0)})`);
    return;
  }
  row(label, `${quantiles(ms)} (HTTP ${status}, ${(bytes / 1024).toFixed(0)} KiB)`);
}

const { db, target, dir } = await openTarget();
const platform = await createPlatform(db, {
  referenceDataDir: join(root, 'data'),
  documentsDir: join(dir ?? mkdtempSync(join(tmpdir(), 'jcm-bench-scale-docs-')), 'documents'),
});
console.log(
  `bench:scale ${new Date().toISOString()}: ${kind}, ${shape.blocks} blocks in ${shape.accounts} accounts, ~${shape.entriesPerBlock} entries per block, ${shape.inFlight} commands in flight, registries ${shape.registries.join(' and ')}`,
);
const built = performance.now();
// Statistics after every phase, as autovacuum's analyse would keep them (this machine's cluster
// runs with autovacuum off; docs/OPERATIONS.md asks for it on). PGlite has no autovacuum either.
const analyse = () => db.exclusive((k) => sql`ANALYZE`.execute(k)).then(() => undefined);
// BENCH_SKIP_BUILD=1 measures a kept database as it is (a build resumed by its keys replays every
// command, which at 10 M entries takes about as long as building).
const skipBuild = process.env['BENCH_SKIP_BUILD'] === '1';
const figures = skipBuild
  ? []
  : await buildScale(
      platform,
      shape,
      (f) =>
        console.log(
          `  build: ${f.phase}: ${f.entries} entries (${f.refused} refused) in ${f.seconds.toFixed(1)} s = ${(f.entries / f.seconds).toFixed(0)}/s`,
        ),
      analyse,
    );
const entries = figures.reduce((sum, f) => sum + f.entries, 0);
const buildSeconds = (performance.now() - built) / 1000;
// The project the issuance decisions name, registered in the project cycle (outside the timed build).
const projectItem = await registerScaleProject(platform, project);
const counts = await db.read((k) =>
  sql<{ blocks: bigint; entries: bigint }>`
    SELECT (SELECT count(*) FROM blocks)::int8 AS blocks, (SELECT count(*) FROM journal)::int8 AS entries`.execute(
    k,
  ),
);
const measured = counts.rows[0];
row(
  'size built',
  `${measured?.blocks} blocks, ${measured?.entries} journal entries, ${accountsPerRegistry(shape) * shape.registries.length} holding accounts`,
);
row(
  'build through the ledger service',
  skipBuild
    ? 'not in this run (BENCH_SKIP_BUILD=1: a kept database measured as it is)'
    : `${entries} entries in ${buildSeconds.toFixed(0)} s = ${(entries / buildSeconds).toFixed(0)} entries/s (${figures.reduce((s, f) => s + f.refused, 0)} refused)`,
);

// Reads: the real app without the read cache, in this process.
const apps = createServedApps(platform, {
  devToken: 'bench',
  readCache: new ReadCache(undefined, -1),
});
const server = await new Promise<ReturnType<typeof listen>>((resolve) => {
  const s = listen(apps, new ReadCache(undefined, -1), 0, undefined, () => resolve(s));
});
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
// A holding account in the middle of JP's (with two registries, JP holds half of them).
const typical = accountId(Math.floor(accountsPerRegistry(shape) / 2));
await timedGets(base, `holdings of an account (${typical})`, () => `/api/v1/accounts/${typical}`);
await timedGets(
  base,
  'block by serial',
  (i) => `/api/v1/blocks/${project}/${1 + ((i * 7919) % shape.blocks)}`,
);
await timedGets(
  base,
  'a page of accounts (limit 50)',
  () => '/api/v1/registries/JP/accounts?limit=50',
);
const history = await fetch(`${base}/api/v1/accounts/${typical}/history?limit=50`, {
  headers: { authorization: 'Bearer bench' },
});
if (history.status === 404) row('a page of history', 'not yet available (no history route)');
else
  await timedGets(
    base,
    'a page of history (limit 50)',
    () => `/api/v1/accounts/${typical}/history?limit=50`,
  );
await timedGets(base, 'portal registry statistics (/registry)', () => '/registry');
await timedGets(base, 'portal overview (/)', () => '/');
await timedGets(
  base,
  `project page (/projects/${projectItem}, ${project})`,
  () => `/projects/${projectItem}`,
);
await timedGets(
  base,
  'the project in the API (/api/v1/cycle/items/<id>)',
  () => `/api/v1/cycle/items/${projectItem}`,
);
server.close();

// Transfers through the ledger service: out of the big account, then out of a typical one.
const blocksOf = async (account: string) =>
  Number(
    (
      await db.read((k) =>
        sql<{
          n: bigint;
        }>`SELECT count(*)::int8 AS n FROM blocks WHERE account_id = ${account}`.execute(k),
      )
    ).rows[0]?.n ?? 0n,
  );
const transfer = async (from: string, key: string) => {
  const started = performance.now();
  const result = await platform.ledger.execute('transfer', {
    actor: { id: 'bench-scale', roles: [{ kind: 'administrator' }] },
    idempotencyKey: `scale-timed-${key}-${Date.now()}`,
    input: { from, to: accountId(1), selection: { quantity: '1' } } as never,
  });
  const ms = performance.now() - started;
  return `${ms.toFixed(0)} ms${result.ok ? '' : ` (refused: ${result.error.code})`}`;
};
const big = accountId(0);
const bigBlocks = await blocksOf(big);
row(`transfer out of ${big} (${bigBlocks} blocks), first`, await transfer(big, 'big-1'));
row(`transfer out of ${big} (${bigBlocks} blocks), second`, await transfer(big, 'big-2'));
const small = accountId(2);
row(`transfer out of ${small} (${await blocksOf(small)} blocks)`, await transfer(small, 'small'));
await platform.close();

// The audit, alone in its process.
console.log('  audit: running in a child process…');
const audit = JSON.parse(
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'scale-audit.ts'), target],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    },
  ),
) as Record<string, number | boolean>;
row(
  'jcm audit',
  `${audit['passed'] === true ? 'passed' : 'FAILED'}, ${Number(audit['auditSeconds']).toFixed(0)} s, peak RSS ${Number(audit['auditRssMiB']).toFixed(0)} MiB`,
);
row(
  'audit hash check vs raw SHA-256 (same bytes)',
  `${Number(audit['auditHashMBs']).toFixed(0)} vs ${Number(audit['rawHashMBs']).toFixed(0)} MB/s = ratio ${Number(audit['hashRatio']).toFixed(2)} (goal >= 0.25; ${audit['hashSample']} entries)`,
);
row(
  'audit journal step (read, hash, replay) vs raw SHA-256',
  `${Number(audit['journalSeconds']).toFixed(0)} s, ratio ${Number(audit['journalStepRatio']).toFixed(3)}`,
);
if (audit['passed'] !== true) console.log(JSON.stringify(audit['kinds']));

if (kind === 'postgres' && !keep) await adminSql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
if (dir !== null && !keep && process.env['BENCH_PGLITE_DIR'] === undefined)
  rmSync(dir, { recursive: true, force: true });

// docs/PERFORMANCE.md: this run's table under "Scale (bench:scale)", newest first.
const pgVersion = kind === 'postgres' ? 'PostgreSQL 15 (local)' : 'PGlite (file-backed)';
const heading = `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${pgVersion}, ${measured?.blocks} blocks, ${measured?.entries} journal entries, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const tableText = [
  '| measure | figure |',
  '|---|---|',
  ...rows.map(([w, f]) => `| ${w} | ${f} |`),
].join('\n');
const docPath = join(root, 'docs', 'PERFORMANCE.md');
const doc = readFileSync(docPath, 'utf8');
const marker = '<!-- bench:scale writes its runs below, newest first -->';
const at = doc.indexOf(marker);
const entry = `${heading}\n\n${tableText}\n`;
writeFileSync(
  docPath,
  at < 0
    ? `${doc.trimEnd()}\n\n## Scale (bench:scale)\n\n${marker}\n\n${entry}`
    : `${doc.slice(0, at + marker.length)}\n\n${entry}${doc.slice(at + marker.length)}`,
);
if (unanswered.length > 0) console.error(`bench:scale: no figure for ${unanswered.join('; ')}`);
process.exit(unanswered.length > 0 ? 1 : 0);
