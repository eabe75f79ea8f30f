// The server side of `npm run bench:api`, run as a child process so that the load generator has its
// own process: either the platform (PGlite with the demo loaded) or a bare node:http server answering
// the same JSON bytes, read from a file the parent wrote.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../src/api/app.ts';
import { listen } from '../src/api/http-server.ts';
import { ReadCache } from '../src/api/read-cache.ts';
import { openDb } from '../src/db/connect.ts';
import { seedDemo } from '../src/services/demo-cycle.ts';
import { createPlatform } from '../src/services/platform.ts';

const mode = process.argv[2];
const port = Number(process.argv[3]);

if (mode === 'jcm') {
  const dataDir = mkdtempSync(join(tmpdir(), 'jcm-bench-api-'));
  const db = await openDb({ kind: 'pglite', dataDir: join(dataDir, 'db') });
  const platform = await createPlatform(db, {
    referenceDataDir: join(import.meta.dirname, '..', 'data'),
    documentsDir: join(dataDir, 'documents'),
  });
  await seedDemo(platform);
  // As `jcm serve` runs it: the read cache, and one log line per request (to /dev/null here).
  const log = pino(pino.destination({ dest: '/dev/null', sync: false }));
  const requestLog = (entry: Record<string, unknown>) => log.info(entry, 'request');
  const readCache = new ReadCache();
  const app = createApp(platform, { devToken: 'bench', requestLog, readCache });
  listen(app, readCache, port, requestLog, () => process.stdout.write('ready\n'));
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
