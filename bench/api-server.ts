// The server side of `npm run bench:api`, run as a child process so that the load generator has its
// own process: either the platform (PGlite with the demo loaded) or a bare node:http server answering
// the same JSON bytes, read from a file the parent wrote.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../src/api/app.ts';
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
  serve({ fetch: createApp(platform, { devToken: 'bench' }).fetch, port }, () =>
    process.stdout.write('ready\n'),
  );
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
