// What operators and their tools read: health (the process answers), readiness (the database
// answers) and metrics in Prometheus text format (requests by method and status, request latency per
// route, read-cache hits, outbox messages published, blocks in the registries, and the platform's
// own: the writer's batches and queue, the database's connections).
import type { Context, Hono } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Histogram, labelText, latencyBucketsSeconds } from '../core/shared/histogram.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import type { ReadCache } from './read-cache.ts';

export function operationsRoutes(
  app: Hono<AppEnv>,
  platform: Platform,
  readCache: ReadCache | undefined,
): void {
  const counters = new Map<string, number>();
  const latency = new Histogram(
    'jcm_http_request_duration_seconds',
    'Time to answer an HTTP request in the application (read-cache hits not included), by method and route pattern, in seconds.',
    latencyBucketsSeconds,
  );
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const key = `method="${c.req.method}",status="${c.res.status}"`;
    counters.set(key, (counters.get(key) ?? 0) + 1);
    latency.observe(
      labelText({ method: c.req.method, route: routeOf(c) }),
      (performance.now() - started) / 1000,
    );
  });
  app.get('/metrics', async (c) => {
    const blocks = await platform.queries.blockCount();
    const lines = [
      ...latency.lines(),
      ...platform.metrics.lines(),
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

/** The label of a request that no route answers (a 404 of any path: one label, not one per path). */
export const unmatchedRoute = '(unmatched)';

/**
 * The pattern of the route a request was for (`/api/v1/accounts/:account`), never its path, so that
 * the labels stay as few as the routes: the last matched handler's pattern, middleware (registered
 * with `use`, for every method) aside; a request no handler matched is `unmatchedRoute`. A request
 * refused at the edge before its handler ran (401, 403, 413) still counts under that handler.
 */
function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i -= 1) {
    const route = routes[i];
    if (route !== undefined && route.method !== 'ALL') return route.path;
  }
  return unmatchedRoute;
}
