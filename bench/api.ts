// Benchmark (not a test): public read endpoints of the API under 100 concurrent connections, next to a
// bare node:http server answering the same JSON bytes, in one run. Each server runs alone in a child
// process; autocannon generates the load from this process. Prints requests/s, p99 latency and the
// ratio per endpoint (SPEC section 12 goal: ratio at least 0.4).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { children, median, stop } from './children.ts';

const endpoints = [
  '/api/v1/registries',
  '/api/v1/methodologies',
  '/api/v1/cycle/items',
  '/api/v1/registries/JP/accounts',
];
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = 100;
const ports = { jcm: 39_517, bare: 39_518 };

function start(args: string[]): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'api-server.ts'), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function load(port: number, path: string) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections,
    duration: seconds,
  });
  // Errors (timeouts after 10 s count as errors) and non-2xx answers are shown in the table.
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
  };
}

// Both servers run side by side (the idle one costs nothing) and the rounds alternate between them,
// so that a change in the machine's speed during the run affects both alike.
const jcm = await start(['jcm', String(ports.jcm)]);
children.push(jcm);
const bodies: Record<string, string> = {};
for (const path of endpoints)
  bodies[path] = await (await fetch(`http://127.0.0.1:${ports.jcm}${path}`)).text();
const fixture = join(mkdtempSync(join(tmpdir(), 'jcm-bench-bare-')), 'bodies.json');
writeFileSync(fixture, JSON.stringify(bodies));
const bare = await start(['bare', String(ports.bare), fixture]);
children.push(bare);

console.log(
  `bench:api  ${connections} connections, ${rounds} alternating rounds of ${seconds} s per endpoint and server (medians), ${process.env.BENCH_DB === 'postgres' ? 'PostgreSQL' : 'PGlite'} with the demo loaded, read cache ${process.env.BENCH_CACHE === 'off' ? 'off' : 'on'}`,
);
console.log(
  'endpoint                          bytes   jcm req/s  p99 ms  failed   bare req/s  p99 ms   ratio',
);
for (const path of endpoints) {
  const a: { rps: number; p99: number; failed: number }[] = [];
  const b: { rps: number; p99: number; failed: number }[] = [];
  for (let round = 0; round < rounds; round += 1) {
    a.push(await load(ports.jcm, path));
    b.push(await load(ports.bare, path));
  }
  const jcmRps = median(a.map((r) => r.rps));
  const bareRps = median(b.map((r) => r.rps));
  console.log(
    `${path.padEnd(32)} ${String(bodies[path]?.length ?? 0).padStart(6)} ${jcmRps.toFixed(0).padStart(10)} ${String(median(a.map((r) => r.p99))).padStart(7)} ${String(a.reduce((n, r) => n + r.failed, 0)).padStart(7)} ${bareRps.toFixed(0).padStart(12)} ${String(median(b.map((r) => r.p99))).padStart(7)} ${(jcmRps / bareRps).toFixed(2).padStart(7)}`,
  );
}
await stop(jcm);
await stop(bare);
rmSync(dirname(fixture), { recursive: true, force: true });
process.exit(0);
