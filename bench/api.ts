// Benchmark (not a test): public read endpoints of the API under 100 concurrent connections, next to a
// bare node:http server answering the same JSON bytes, in one run. Each server runs alone in a child
// process; autocannon generates the load from this process. Prints requests/s, p99 latency and the
// ratio per endpoint (SPEC section 12 goal: ratio at least 0.4).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const endpoints = [
  '/api/v1/registries',
  '/api/v1/methodologies',
  '/api/v1/cycle/items',
  '/api/v1/registries/JP/accounts',
];
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 100;
const port = 39_517;

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

async function load(path: string) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function stop(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const jcm = await start(['jcm', String(port)]);
const bodies: Record<string, string> = {};
const measured: Record<string, { rps: number; p99: number }> = {};
for (const path of endpoints)
  bodies[path] = await (await fetch(`http://127.0.0.1:${port}${path}`)).text();
for (const path of endpoints) measured[path] = await load(path);
await stop(jcm);

const fixture = join(mkdtempSync(join(tmpdir(), 'jcm-bench-bare-')), 'bodies.json');
writeFileSync(fixture, JSON.stringify(bodies));
const bare = await start(['bare', String(port), fixture]);
const baseline: Record<string, { rps: number; p99: number }> = {};
for (const path of endpoints) baseline[path] = await load(path);
await stop(bare);

console.log(
  `bench:api  ${connections} connections, ${seconds} s per endpoint and server, PGlite with the demo loaded`,
);
console.log(
  'endpoint                          bytes   jcm req/s  p99 ms   bare req/s  p99 ms   ratio',
);
for (const path of endpoints) {
  const a = measured[path] as { rps: number; p99: number };
  const b = baseline[path] as { rps: number; p99: number };
  console.log(
    `${path.padEnd(32)} ${String(bodies[path]?.length ?? 0).padStart(6)} ${a.rps.toFixed(0).padStart(10)} ${String(a.p99).padStart(7)} ${b.rps.toFixed(0).padStart(12)} ${String(b.p99).padStart(7)} ${(a.rps / b.rps).toFixed(2).padStart(7)}`,
  );
}
process.exit(0);
