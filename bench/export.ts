// `npm run bench:export` (issue 16): the public export at real size. Builds a registry through the
// real write path as `bench:scale` does (bench/scale-build.ts: issuances of 2-credit blocks split
// once, retirements; BENCH_ENTRIES_PER_BLOCK, default 1), then in child processes of their own
// (bench/export-run.ts) makes the export as the server does (one REPEATABLE READ, READ ONLY
// transaction, which holds back vacuum on PostgreSQL for as long as it runs) and checks it offline
// as `jcm verify-export` does, each with its wall time and peak RSS. One all-in-one deployment, so
// the export has no signed checkpoints and no first transfers: their checks run over nothing here.
// The make time includes opening the database (on PGlite, starting its engine). BENCH_DB=postgres (default;
// database BENCH_PG_DB, default jcm_bench_export, dropped at the end unless BENCH_KEEP=1; a kept one
// is measured again with BENCH_SKIP_BUILD=1) or pglite; BENCH_SCALE blocks (default 1,000,000 on
// PostgreSQL, 20,000 on PGlite). Not a test: it prints a table and writes it into
// docs/PERFORMANCE.md under "Public export (bench:export)".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDb, type Db } from '../src/db/connect.ts';
import { createPlatform } from '../src/services/platform.ts';
import { buildScale, shapeFor } from './scale-build.ts';

const kind = process.env['BENCH_DB'] === 'pglite' ? 'pglite' : 'postgres';
const blocks = Number(process.env['BENCH_SCALE'] ?? (kind === 'pglite' ? 20_000 : 1_000_000));
const keep = process.env['BENCH_KEEP'] === '1';
const skipBuild = process.env['BENCH_SKIP_BUILD'] === '1';
const adminUrl = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = process.env['BENCH_PG_DB'] ?? 'jcm_bench_export';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(dbName))
  throw new Error(`BENCH_PG_DB: not a plain name: ${dbName}`);
const root = join(import.meta.dirname, '..');
const shape = shapeFor(blocks, {
  entriesPerBlock: Number(process.env['BENCH_ENTRIES_PER_BLOCK'] ?? 1),
});
const rows: [string, string][] = [];
const row = (what: string, figure: string) => {
  rows.push([what, figure]);
  console.log(`${what.padEnd(48)} ${figure}`);
};

async function adminSql(statement: string): Promise<void> {
  const admin = await openDb({ kind: 'postgres', url: adminUrl, poolSize: 1 });
  await admin.exclusive((k) => sql.raw(statement).execute(k));
  await admin.close();
}

async function openTarget(): Promise<{ db: Db; target: string; dir: string | null }> {
  if (kind === 'pglite') {
    const dir = process.env['BENCH_PGLITE_DIR'] ?? mkdtempSync(join(tmpdir(), 'jcm-bench-export-'));
    const target = join(dir, 'db');
    return { db: await openDb({ kind: 'pglite', dataDir: target }), target, dir };
  }
  if (!(keep && skipBuild)) {
    await adminSql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await adminSql(`CREATE DATABASE ${dbName}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const target = url.toString();
  return { db: await openDb({ kind: 'postgres', url: target, poolSize: 16 }), target, dir: null };
}

/** A child of ours running bench/export-run.ts; its one JSON line. */
function child(args: string[]): Record<string, unknown> {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'export-run.ts'), ...args],
    { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

const { db, target, dir } = await openTarget();
const platform = await createPlatform(db, {
  referenceDataDir: join(root, 'data'),
  documentsDir: join(dir ?? mkdtempSync(join(tmpdir(), 'jcm-bench-export-docs-')), 'documents'),
});
console.log(`bench:export ${new Date().toISOString()}: ${kind}, ${shape.blocks} blocks`);
const built = performance.now();
const figures = skipBuild
  ? []
  : await buildScale(platform, shape, (f) =>
      console.log(`  build: ${f.phase}: ${f.entries} entries in ${f.seconds.toFixed(1)} s`),
    );
const buildSeconds = (performance.now() - built) / 1000;
if (kind === 'postgres') await db.exclusive((k) => sql`ANALYZE`.execute(k));
const counts = (
  await db.read((k) =>
    sql<{ blocks: bigint; entries: bigint; decisions: bigint }>`
      SELECT (SELECT count(*) FROM blocks)::int8 AS blocks, (SELECT count(*) FROM journal)::int8 AS entries,
        (SELECT count(*) FROM decisions)::int8 AS decisions`.execute(k),
  )
).rows[0];
await platform.close();
row(
  'size',
  `${counts?.blocks} blocks, ${counts?.entries} journal entries, ${counts?.decisions} decisions`,
);
const entries = figures.reduce((sum, f) => sum + f.entries, 0);
row(
  'build through the ledger service',
  skipBuild
    ? 'not in this run (a kept database)'
    : `${entries} entries in ${buildSeconds.toFixed(0)} s`,
);
const work = mkdtempSync(join(tmpdir(), 'jcm-bench-export-file-'));
const file = join(work, 'export.ndjson');
const made = child(['make', target, file]);
const mib = (n: unknown) => `${Number(n).toFixed(0)} MiB`;
row(
  'make the export (one read-only snapshot)',
  `${Number(made['seconds']).toFixed(1)} s, peak RSS ${mib(made['rssMiB'])}, file ${(Number(made['bytes']) / 2 ** 20).toFixed(0)} MiB`,
);
const verified = child(['verify', file]);
row(
  'verify it offline (jcm verify-export)',
  `${Number(verified['seconds']).toFixed(1)} s, peak RSS ${mib(verified['rssMiB'])}, ${String(verified['entries'])} entries and ${String(verified['blocks'])} blocks replayed, ${String(verified['discrepancies'])} discrepancies ${JSON.stringify(verified['kinds'])}`,
);
rmSync(work, { recursive: true, force: true });
if (kind === 'postgres' && !keep) await adminSql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
if (dir !== null && !keep && process.env['BENCH_PGLITE_DIR'] === undefined)
  rmSync(dir, { recursive: true, force: true });

const heading = `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${kind === 'postgres' ? 'PostgreSQL 15 (local)' : 'PGlite'}, ${counts?.blocks} blocks, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const table = [
  '| measure | figure |',
  '| --- | --- |',
  ...rows.map(([what, figure]) => `| ${what} | ${figure} |`),
].join('\n');
const docs = join(root, 'docs', 'PERFORMANCE.md');
const marker = '<!-- bench:export writes its runs below, newest first -->';
const text = readFileSync(docs, 'utf8');
if (text.includes(marker))
  writeFileSync(docs, text.replace(marker, `${marker}\n\n${heading}\n\n${table}\n`));
if (Number(verified['discrepancies']) !== 0) process.exitCode = 1;
