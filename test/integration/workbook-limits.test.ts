// Spreadsheets that attack the server (issue 12), generated here: a decompression bomb (honest and
// lying about its sizes), a sheet of a million rows, three bombs at once. Each is refused with its
// stable code, the process's memory stays bounded, and /health keeps answering meanwhile: the
// event loop is never blocked (measured both as /health's latency and as the loop's own delay).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import type { Platform } from '../../src/services/platform.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import { blankSheet, replaced, rowsSheet } from '../support/zip-bomb.ts';

const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const monitoringSheet = 'xl/worksheets/sheet5.xml';

let platform: Platform;
let testDb: TestDb;
let server: Server;
let base: string;
let template: Uint8Array;

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  const app = createApp(platform, { devToken: 'test-token' });
  server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
  const m = platform.methodologies.get('IN_AM001')!;
  template = new Uint8Array(await platform.methodologies.template(m, { fill: 'example' }));
  // A legitimate calculation first: the workers are started before memory is measured.
  expect((await post(template)).status).toBe(200);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await testDb.drop();
});

async function post(bytes: Uint8Array) {
  const response = await fetch(`${base}/api/v1/methodologies/IN_AM001/calculate`, {
    method: 'POST',
    headers: { 'content-type': xlsx },
    body: bytes,
  });
  const text = await response.text();
  let body: { code?: string; issues?: { code: string }[] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: the assertion on the code fails and shows the status
  }
  return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
}

/** CPU time of this process's main thread (the server's event loop), in ms (Linux). */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Runs `work` while polling /health every 20 ms and sampling the process's memory; answers the
 * slowest /health, the event loop's longest delay and the peak growth of the resident memory.
 */
async function whileWatching<T>(work: () => Promise<T>) {
  // The fixtures were just built in this process: collect their garbage now, not while measuring.
  collectGarbage();
  const rss0 = process.memoryUsage().rss;
  let rssPeak = rss0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = mainThreadCpuMs();
  const wall0 = performance.now();
  const latencies: number[] = [];
  let watching = true;
  const health = (async () => {
    while (watching) {
      const started = performance.now();
      const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) });
      await response.text();
      expect(response.status).toBe(200);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    const result = await work();
    return {
      mainCpuMs: mainThreadCpuMs() - cpu0,
      wallMs: performance.now() - wall0,
      result,
      healthMaxMs: Math.max(...latencies),
      healthMedianMs: latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)] ?? Infinity,
      healthCount: latencies.length,
      loopMaxMs: loop.max / 1e6,
      rssGrowthMb: (rssPeak - rss0) / 1024 / 1024,
    };
  } finally {
    watching = false;
    await health;
    loop.disable();
    clearInterval(sampler);
  }
}

interface Watched {
  readonly mainCpuMs: number;
  readonly loopMaxMs: number;
  readonly healthMaxMs: number;
  readonly healthMedianMs: number;
  readonly rssGrowthMb: number;
  readonly healthCount: number;
}

/**
 * The server stays responsive. Before the fix the event loop parsed for tens of seconds (its thread
 * burning that much CPU) and /health waited as long or timed out. The machine has 2 cores shared by
 * many processes, so wall-clock latencies measure the wait for a core as much as the server: what is
 * robust to that is the CPU time the event loop's own thread spends (a few hundred ms with the fix,
 * measured), bounded at a second, and the memory the process grows by. /health must have answered
 * meanwhile; its latencies are printed, not asserted (timing goals belong in benchmarks).
 */
function expectResponsive(watched: Watched) {
  const shown = JSON.stringify(watched);
  console.log(`responsiveness: ${shown}`);
  expect(watched.mainCpuMs, shown).toBeLessThan(1000);
  expect(watched.rssGrowthMb, shown).toBeLessThan(200);
  expect(watched.healthCount, shown).toBeGreaterThan(0);
}

describe(`workbook limits on ${testDbKind}`, () => {
  it('refuses a decompression bomb that declares its size, before inflating it', async () => {
    const bomb = await replaced(template, await blankSheet(monitoringSheet, 400));
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const watched = await whileWatching(() => post(bomb));
    expect(watched.result.status).toBe(413);
    expect(watched.result.body.code).toBe('workbook_too_large_unpacked');
    expectResponsive(watched);
  });

  it('refuses a decompression bomb that lies about its size, while inflating it', async () => {
    const bomb = await replaced(template, await blankSheet(monitoringSheet, 400, 1000));
    const watched = await whileWatching(() => post(bomb));
    expect(watched.result.status).toBe(413);
    expect(watched.result.body.code).toBe('workbook_too_large_unpacked');
    expectResponsive(watched);
  });

  it('refuses a bomb behind bytes put before the archive (which JSZip would correct for)', async () => {
    const bomb = await replaced(template, await blankSheet(monitoringSheet, 400, 1000));
    const watched = await whileWatching(() => post(Buffer.concat([Buffer.alloc(4096), bomb])));
    expect(watched.result.status).toBe(422);
    expect(watched.result.body.code).toBe('workbook_archive_malformed');
    expectResponsive(watched);
  });

  it('refuses a sheet of a million rows without reading them all', async () => {
    const rows = await replaced(template, await rowsSheet(monitoringSheet, 1000));
    const watched = await whileWatching(() => post(rows));
    expect(watched.result.status).toBe(413);
    expect(watched.result.body.code).toBe('workbook_too_many_rows');
    expectResponsive(watched);
  });

  it('survives three lying bombs at once: each refused or told to come back later', async () => {
    const bomb = await replaced(template, await blankSheet(monitoringSheet, 400, 1000));
    const watched = await whileWatching(() => Promise.all([post(bomb), post(bomb), post(bomb)]));
    for (const answer of watched.result) {
      expect([413, 503]).toContain(answer.status);
      if (answer.status === 503) {
        expect(answer.body.code).toBe('calculation_busy');
        expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      } else expect(answer.body.code).toBe('workbook_too_large_unpacked');
    }
    expectResponsive(watched);
    // And the server still calculates.
    expect((await post(template)).status).toBe(200);
  });

  it('refuses an archive of too many entries', async () => {
    const { storedEntry, entriesOf, zipOf } = await import('../support/zip-bomb.ts');
    const entries = await entriesOf(template);
    const padding = Array.from({ length: 5_000 }, (_, i) =>
      storedEntry(`xl/media/pad${i}.bin`, Buffer.from('x')),
    );
    const answer = await post(zipOf([...entries, ...padding]));
    expect(answer.status).toBe(413);
    expect(answer.body.code).toBe('workbook_too_many_entries');
  });
});
