// `npm run bench:start`: how long a newcomer waits. First start (a fresh data folder: migrations,
// reference data, the synthetic demo) to the first page, warm start (the same folder again) to the
// first page, one CLI read (`jcm registry list`) and one CLI write (`jcm transfer`, on the bench's
// scratch folder), each repeated; prints median, min and max in milliseconds as a Markdown table.
// Runs what a user runs: node dist/main.js (compiled first when stale) and bin/jcm, on PGlite.
// Options: --runs N (warm start and CLI, default 5), --first N (first starts, default 2).
/* global fetch */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const { ensureBuilt } = await import('../scripts/build.mjs');
const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const runs = option('--runs', 5);
const firstRuns = option('--first', 2);
const benchDir = join(root, '.bench', `start-${process.pid}`);

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Starts the server, waits for the first page, stops it; the milliseconds to the first page. */
async function startToFirstPage(dataDir) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist', 'main.js'), 'serve'], {
    env: { ...process.env, JCM_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((done) => child.once('exit', done));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      const status = await fetch(`http://127.0.0.1:${port}/`)
        .then(async (r) => (await r.arrayBuffer(), r.status))
        .catch(() => 0);
      if (status === 200) return performance.now() - started;
      await new Promise((done) => setTimeout(done, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Runs bin/jcm; the milliseconds it took (it must succeed). */
function cli(dataDir, args) {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin', 'jcm'), ...args], {
    env: { ...process.env, JCM_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((done, fail) =>
    child.once('exit', (code) =>
      code === 0
        ? done(performance.now() - started)
        : fail(new Error(`jcm ${args.join(' ')} exited with ${code}`)),
    ),
  );
}

async function repeat(n, fn) {
  const times = [];
  for (let i = 0; i < n; i += 1) times.push(await fn(i));
  return times;
}

function summary(name, times) {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const ms = (t) => String(Math.round(t));
  return `| ${name} | ${times.length} | ${ms(median)} | ${ms(sorted[0])} | ${ms(sorted.at(-1))} |`;
}

await ensureBuilt();
mkdirSync(benchDir, { recursive: true });
try {
  const first = await repeat(firstRuns, (i) => startToFirstPage(join(benchDir, `first-${i}`)));
  const dataDir = join(benchDir, 'first-0');
  const warm = await repeat(runs, () => startToFirstPage(dataDir));
  const read = await repeat(runs, () => cli(dataDir, ['registry', 'list']));
  const write = await repeat(runs, () =>
    cli(dataDir, ['transfer', '--from', 'JP-000005', '--to', 'JP-000004', '--quantity', '1']),
  );
  const lines = [
    `node ${process.version}, ${availableParallelism()} cores, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| what | runs | median ms | min ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    summary('first start to first page (fresh data folder, demo loaded)', first),
    summary('warm start to first page', warm),
    summary('`jcm registry list` (CLI read)', read),
    summary('`jcm transfer ... --quantity 1` (CLI write)', write),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(benchDir, { recursive: true, force: true });
}
