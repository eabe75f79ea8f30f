// Benchmark (not a test): the application's own per-request path for public reads, without the
// one-second micro-cache, next to a bare node:http server answering the same bytes. Two reads: the
// methodology list (no database) and the registries (one database read). Each server runs alone in
// a child process (bench/api-server.ts); autocannon loads them in turn from this process. Prints
// requests/s, p99 and CPU time per request of each server and the ratio to the bare server (issue
// 15, item 6). `app` is the server as deployed; `full` sends public reads through the full
// application as well (BENCH_EDGE=off), as before the fast path.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { children, median, stop } from './children.ts';

const endpoints = ['/api/v1/methodologies', '/api/v1/registries'];
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

interface Served {
  readonly name: string;
  readonly port: number;
  /** What bench/api-server.ts reads: BENCH_CACHE, BENCH_DB. */
  readonly env: Record<string, string>;
  pid?: number | undefined;
}

function start(served: Served, args: string[]): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'api-server.ts'), ...args],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...served.env } },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      served.pid = child.pid;
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`${served.name} exited with ${code}`)));
  });
}

/**
 * The CPU time a process has used, in milliseconds (Linux's /proc; clock ticks of 10 ms). Steadier
 * than requests/s on a machine shared with other work: a server's CPU time per request does not
 * depend on how much of the CPU it was given.
 */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function load(server: Served, path: string) {
  const before = cpuMs(server.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}${path}`,
    connections,
    duration: seconds,
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    cpuUs: ((cpuMs(server.pid) - before) * 1000) / Math.max(1, result.requests.total),
    failed: result.non2xx + result.errors,
  };
}

// The application without the cache (every read reaches it): as deployed, and without its fast path
// of public reads; then a bare server given the application's bytes.
const apps: Served[] = [
  { name: 'app', port: 39_531, env: { BENCH_CACHE: 'off' } },
  // The full application for public reads too, as before the fast path (src/http/edge.ts).
  { name: 'full', port: 39_532, env: { BENCH_CACHE: 'off', BENCH_EDGE: 'off' } },
];
for (const served of apps) children.push(await start(served, ['jcm', String(served.port)]));
const bodies: Record<string, string> = {};
for (const path of endpoints) {
  const response = await fetch(`http://127.0.0.1:${apps[0]?.port ?? 0}${path}`);
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  bodies[path] = await response.text();
}
const fixture = join(mkdtempSync(join(tmpdir(), 'jcm-bench-path-')), 'bodies.json');
writeFileSync(fixture, JSON.stringify(bodies));
const bare: Served = { name: 'bare', port: 39_530, env: {} };
children.push(await start(bare, ['bare', String(bare.port), fixture]));
const servers = [bare, ...apps];

console.log(
  `bench:api-path  ${connections} connections, ${rounds} alternating rounds of ${seconds} s (medians), ${process.env.BENCH_DB === 'postgres' ? 'PostgreSQL' : 'PGlite'} with the demo, read cache off`,
);
console.log(
  `${'endpoint'.padEnd(24)} ${'bytes'.padStart(6)}  ${'server'.padEnd(6)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(7)} ${'CPU us/req'.padStart(11)} ${'ratio'.padStart(6)} failed`,
);
type Load = Awaited<ReturnType<typeof load>>;
for (const path of endpoints) {
  const results = servers.map((): Load[] => []);
  // Rounds alternate between the servers, so that a change in the machine's speed touches all alike.
  for (let round = 0; round < rounds; round += 1)
    for (const [i, server] of servers.entries()) results[i]?.push(await load(server, path));
  const bareRps = median(results[0]?.map((r) => r.rps) ?? []);
  for (const [i, server] of servers.entries()) {
    const r = results[i] ?? [];
    const rps = median(r.map((x) => x.rps));
    console.log(
      `${(i === 0 ? path : '').padEnd(24)} ${(i === 0 ? String(bodies[path]?.length ?? 0) : '').padStart(6)}  ${server.name.padEnd(6)} ${rps.toFixed(0).padStart(8)} ${String(median(r.map((x) => x.p99))).padStart(7)} ${median(
        r.map((x) => x.cpuUs),
      )
        .toFixed(0)
        .padStart(
          11,
        )} ${(rps / bareRps).toFixed(2).padStart(6)} ${String(r.reduce((n, x) => n + x.failed, 0)).padStart(6)}`,
    );
  }
}
for (const child of children) await stop(child);
rmSync(dirname(fixture), { recursive: true, force: true });
process.exit(0);
