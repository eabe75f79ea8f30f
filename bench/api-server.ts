// The server side of `npm run bench:api`, run as a child process so that the load generator has its
// own process: either the platform (PGlite with the demo loaded) or a bare node:http server answering
// the same JSON bytes, read from a file the parent wrote.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { createServedApps } from '../src/http/edge.ts';
import { listen } from '../src/http/server.ts';
import { ReadCache } from '../src/http/read-cache.ts';
import { openDb } from '../src/db/connect.ts';
import { seedDemo } from '../src/services/demo-cycle.ts';
import { createPlatform } from '../src/services/platform.ts';

const mode = process.argv[2];

/** A new database on the local PostgreSQL (BENCH_PG_URL names the server; trust auth by default). */
async function freshPostgres() {
  const admin = new URL(process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const client = new pg.Client({ connectionString: admin.toString() });
  // A connection lost between queries is an error event; the query in flight fails on its own.
  client.on('error', () => undefined);
  await client.connect();
  await client.query('DROP DATABASE IF EXISTS jcm_bench_api WITH (FORCE)');
  await client.query('CREATE DATABASE jcm_bench_api');
  await client.end();
  admin.pathname = '/jcm_bench_api';
  return openDb({ kind: 'postgres', url: admin.toString() });
}
const port = Number(process.argv[3]);

if (mode === 'jcm') {
  const dataDir = mkdtempSync(join(tmpdir(), 'jcm-bench-api-'));
  const db =
    process.env.BENCH_DB === 'postgres'
      ? await freshPostgres()
      : await openDb({ kind: 'pglite', dataDir: join(dataDir, 'db') });
  const platform = await createPlatform(db, {
    referenceDataDir: join(import.meta.dirname, '..', 'data'),
    documentsDir: join(dataDir, 'documents'),
  });
  await seedDemo(platform);
  // As `jcm serve` runs it: the read cache, and one log line per request (to /dev/null here).
  const log = pino(pino.destination({ dest: '/dev/null', sync: false }));
  const requestLog = (entry: Record<string, unknown>) => log.info(entry, 'request');
  // BENCH_CACHE=off: every read reaches the application (what readers get right after writes).
  const readCache =
    process.env.BENCH_CACHE === 'off' ? new ReadCache(undefined, -1) : new ReadCache();
  const { app, edge } = createServedApps(platform, { devToken: 'bench', requestLog, readCache });
  // BENCH_EDGE=off: public reads through the full application too (as before the fast path).
  const apps = { app, edge: process.env.BENCH_EDGE === 'off' ? app : edge };
  listen(apps, readCache, port, requestLog, () => process.stdout.write('ready\n'));
  // The benchmark's database folder goes with the server.
  process.once('SIGTERM', () => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
} else {
  const bodies = JSON.parse(readFileSync(process.argv[4] ?? '', 'utf8')) as Record<string, string>;
  createServer((request, response) => {
    const body = bodies[request.url ?? ''];
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  }).listen(port, () => process.stdout.write('ready\n'));
}
