// `npm run bench:start`: how long a newcomer waits. First start (a fresh data folder: migrations,
// reference data, the synthetic demo) to the first page, warm start (the same folder again) to the
// first page, one CLI read (`jcm registry list`) and one CLI write (`jcm transfer`, on the bench's
// scratch folder), each repeated; prints median, min and max in milliseconds as a Markdown table.
// Runs what a user runs: node dist/main.js (compiled first when stale) and bin/jcm, on PGlite.
// On a machine shared with other work the wall time mostly measures the wait for a core, so the CPU
// time the process used (user + system, from /proc and /usr/bin/time on Linux) is printed beside it.
// Options: --runs N (warm start and CLI, default 5), --first N (first starts, default 2).
/* global fetch */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
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

const ticksPerSecond = 100;

/** CPU milliseconds (user + system) a live process has used, or NaN where /proc is not there. */
function cpuOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
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
      if (status === 200) return { wall: performance.now() - started, cpu: cpuOf(child.pid) };
      await new Promise((done) => setTimeout(done, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const timeCommand = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs bin/jcm; the milliseconds it took and the CPU it used (it must succeed). */
function cli(dataDir, args) {
  const cpuFile = join(benchDir, 'cpu');
  const command = [process.execPath, join(root, 'bin', 'jcm'), ...args];
  const started = performance.now();
  const child =
    timeCommand === null
      ? spawn(command[0], command.slice(1), { env: { ...process.env, JCM_DATA_DIR: dataDir } })
      : spawn(timeCommand, ['-f', '%U %S', '-o', cpuFile, ...command], {
          env: { ...process.env, JCM_DATA_DIR: dataDir },
        });
  child.stderr.pipe(process.stderr);
  child.stdout.resume();
  return new Promise((done, fail) =>
    child.once('exit', (code) => {
      const wall = performance.now() - started;
      if (code !== 0) return fail(new Error(`jcm ${args.join(' ')} exited with ${code}`));
      const [user, system] =
        timeCommand === null ? [Number.NaN, 0] : readFileSync(cpuFile, 'utf8').trim().split(' ');
      done({ wall, cpu: (Number(user) + Number(system)) * 1000 });
    }),
  );
}

async function repeat(n, fn) {
  const times = [];
  for (let i = 0; i < n; i += 1) times.push(await fn(i));
  return times;
}

function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const ms = (t) => (Number.isNaN(t) ? '-' : String(Math.round(t)));
  return `${ms(median)} | ${ms(sorted[0])} | ${ms(sorted.at(-1))}`;
}

function summary(name, runs) {
  return `| ${name} | ${runs.length} | ${spread(runs.map((r) => r.wall))} | ${spread(runs.map((r) => r.cpu))} |`;
}

await ensureBuilt();
const loadBefore = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
mkdirSync(benchDir, { recursive: true });
try {
  const first = await repeat(firstRuns, (i) => startToFirstPage(join(benchDir, `first-${i}`)));
  const dataDir = join(benchDir, 'first-0');
  const warm = await repeat(runs, () => startToFirstPage(dataDir));
  const read = await repeat(runs, () => cli(dataDir, ['registry', 'list']));
  const write = await repeat(runs, () =>
    cli(dataDir, ['transfer', '--from', 'JP-000005', '--to', 'JP-000004', '--quantity', '1']),
  );
  const loadAfter = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const lines = [
    `node ${process.version}, ${availableParallelism()} cores, ${new Date().toISOString().slice(0, 10)}`,
    '',
    `load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAfter}`,
    '',
    '| what | runs | wall median ms | wall min | wall max | CPU median ms | CPU min | CPU max |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    summary('first start to first page (fresh data folder, demo loaded)', first),
    summary('warm start to first page', warm),
    summary('`jcm registry list` (CLI read)', read),
    summary('`jcm transfer ... --quantity 1` (CLI write)', write),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(benchDir, { recursive: true, force: true });
}
