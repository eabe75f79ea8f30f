// What operators and their tools read: health (the process answers), readiness (the database
// answers) and metrics in Prometheus text format (requests by method and status, read-cache hits,
// outbox messages published, blocks in the registries).
import type { Hono } from 'hono';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import type { ReadCache } from './read-cache.ts';

export function operationsRoutes(
  app: Hono<AppEnv>,
  platform: Platform,
  readCache: ReadCache | undefined,
): void {
  const counters = new Map<string, number>();
  app.use('*', async (c, next) => {
    await next();
    const key = `method="${c.req.method}",status="${c.res.status}"`;
    counters.set(key, (counters.get(key) ?? 0) + 1);
  });
  app.get('/metrics', async (c) => {
    const blocks = await platform.queries.blockCount();
    const lines = [
      '# HELP jcm_http_requests_total HTTP requests answered, by method and status.',
      '# TYPE jcm_http_requests_total counter',
      ...[...counters].map(([labels, n]) => `jcm_http_requests_total{${labels}} ${n}`),
      '# HELP jcm_http_read_cache_hits_total Public reads answered from the read cache.',
      '# TYPE jcm_http_read_cache_hits_total counter',
      `jcm_http_read_cache_hits_total ${readCache?.hits ?? 0}`,
      '# HELP jcm_outbox_published_total Events published from the outbox by this process, by topic.',
      '# TYPE jcm_outbox_published_total counter',
      ...[...platform.outbox.published].map(
        ([topic, n]) => `jcm_outbox_published_total{topic="${topic}"} ${n}`,
      ),
      '# HELP jcm_blocks Blocks of credits in the registries.',
      '# TYPE jcm_blocks gauge',
      `jcm_blocks ${String(blocks)}`,
    ];
    return c.text(`${lines.join('\n')}\n`, 200, { 'content-type': 'text/plain; version=0.0.4' });
  });
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    // Read replica (issue 15, lane R1): the primary's loss is a 503 naming it; the replica's state is
    // reported (a lagging or lost replica is no reason to stop serving: the primary answers).
    const { primary, replica } = await platform.readiness();
    if (replica === null)
      return primary
        ? c.json({ status: 'ready', database: platform.kind })
        : c.json({ status: 'not_ready', unreachable: ['primary'] }, 503);
    const unreachable = [
      ...(primary ? [] : ['primary']),
      ...(replica.state === 'unreachable' ? ['replica'] : []),
    ];
    return primary
      ? c.json({ status: 'ready', database: platform.kind, unreachable, replica })
      : c.json({ status: 'not_ready', database: platform.kind, unreachable, replica }, 503);
  });
}
