// What operators and their tools read: health (the process answers), readiness (the database
// answers; its details for administrators only) and metrics in Prometheus text format (requests by method and status, request latency per
// route, read-cache hits, outbox messages published, blocks in the registries, and the platform's
// own: the writer's batches and queue, the database's connections).
import type { Context, Hono } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Histogram, labelText, latencyBucketsSeconds } from '../core/shared/histogram.ts';
import { isAdministrator } from '../core/ledger/actor.ts';
import { isDatabaseUnavailable, type Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { actorFromRequest } from './actor.ts';
import { anonymous } from './public-reads.ts';
import type { ReadCache } from './read-cache.ts';

/**
 * Requests answered by method and status, and their latency by route pattern: one instance for the
 * full application and the fast path of public reads (edge.ts), so that /metrics counts both.
 */
export class RequestMetrics {
  readonly #counters = new Map<string, number>();
  readonly #latency = new Histogram(
    'jcm_http_request_duration_seconds',
    'Time to answer an HTTP request in the application (read-cache hits not included), by method and route pattern, in seconds.',
    latencyBucketsSeconds,
  );

  /** The latency labels of each method and route, escaped once (they are as few as the routes). */
  readonly #labels = new Map<string, string>();

  /** Counts an answered request, `started` being its performance.now() on arrival. */
  observe(c: Context, started: number): void {
    const method = c.req.method;
    const key = `method="${method}",status="${c.res.status}"`;
    this.#counters.set(key, (this.#counters.get(key) ?? 0) + 1);
    const route = routeOf(c);
    const seriesKey = `${method} ${route}`;
    let labels = this.#labels.get(seriesKey);
    if (labels === undefined) {
      labels = labelText({ method, route });
      this.#labels.set(seriesKey, labels);
    }
    this.#latency.observe(labels, (performance.now() - started) / 1000);
  }

  latencyLines(): string[] {
    return this.#latency.lines();
  }

  counterLines(): string[] {
    return [
      '# HELP jcm_http_requests_total HTTP requests answered, by method and status.',
      '# TYPE jcm_http_requests_total counter',
      ...[...this.#counters].map(([labels, n]) => `jcm_http_requests_total{${labels}} ${n}`),
    ];
  }
}

export interface OperationsOptions {
  readonly readCache: ReadCache | undefined;
  readonly metrics: RequestMetrics;
  /** The development token (JCM_DEV_TOKEN), by which an administrator may also read /ready's details. */
  readonly devToken: string | null;
}

export function operationsRoutes(
  app: Hono<AppEnv>,
  platform: Platform,
  { readCache, metrics, devToken }: OperationsOptions,
): void {
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    metrics.observe(c, started);
  });
  app.get('/metrics', async (c) => {
    const blocks = await platform.queries.blockCount();
    const lines = [
      ...metrics.latencyLines(),
      ...platform.metrics.lines(),
      ...metrics.counterLines(),
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
      ...((await platform.federation?.metricLines()) ?? []),
    ];
    return c.text(`${lines.join('\n')}\n`, 200, { 'content-type': 'text/plain; version=0.0.4' });
  });
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    const [{ primary, replica }, details] = await Promise.all([
      platform.readiness(),
      askedByAdministrator(c, platform, devToken),
    ]);
    // Anyone (a load balancer's probe) learns whether to send traffic here; only an administrator
    // learns which database, and the replica's state and counts, which describe the deployment.
    if (!details)
      return primary ? c.json({ status: 'ready' }) : c.json({ status: 'not_ready' }, 503);
    // Read replica (issue 15, lane R1): the primary's loss is a 503 naming it; the replica's state is
    // reported (a lagging or lost replica is no reason to stop serving: the primary answers).
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

/**
 * Whether an administrator asks (an API token, a session or the development token naming the
 * role). Credentials that do not authenticate, or that cannot be checked while the database is
 * unreachable, are not an administrator's: the probe still gets the status, never a 401 or a 503
 * for its credentials.
 */
async function askedByAdministrator(
  c: Context<AppEnv>,
  platform: Platform,
  devToken: string | null,
): Promise<boolean> {
  if (anonymous((name) => c.req.header(name))) return false;
  try {
    const who = await actorFromRequest(c, platform.accounts, devToken);
    return who.ok && isAdministrator(who.value.actor);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return false;
    throw error;
  }
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
