// The HTTP API: Hono with zod-validated requests and an OpenAPI document generated from the same
// schemas. Routes only translate HTTP to service calls; errors leave through problem.ts.
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { registerPortal } from '../web/portal-routes.ts';
import { officeUploadBytesMax, registerOffice } from '../web/office-routes.ts';
import { registerOfficeActions } from '../web/office-actions.ts';
import { registerOfficeAdmin } from '../web/office-admin.ts';
import { registerOfficeRegistry } from '../web/office-registry.ts';
import { InvariantViolation } from '../core/shared/assert.ts';
import type { Platform } from '../services/platform.ts';
import { invalidRequest, problem } from './problem.ts';
import { registerLedgerReads } from './ledger-read-routes.ts';
import { registerLedgerWrites } from './ledger-write-routes.ts';
import { monitoringUploadBytesMax, registerMethodologyRoutes } from './methodology-routes.ts';
import { registerCycleRoutes } from './cycle-routes.ts';
import { registerAccountRoutes } from './account-routes.ts';
import { overTls } from './actor.ts';
import { ReadCache } from './read-cache.ts';
import { authorise } from './authorisation.ts';
import { registerTransferRequestRoutes } from './transfer-request-routes.ts';

/** Largest request body accepted (bytes). */
export const requestBodyBytesMax = 256 * 1024;

export interface AppOptions {
  /** The development token, only when the deployment sets JCM_DEV_TOKEN; null: accounts only. */
  readonly devToken: string | null;
  readonly log?: (entry: Record<string, unknown>) => void;
  /** One structured line per request (request id, method, path, status, milliseconds). */
  readonly requestLog?: (entry: Record<string, unknown>) => void;
  /** Public answers are kept here for the server's fast path (read-cache.ts); writes drop them. */
  readonly readCache?: ReadCache;
}

export function createApp(platform: Platform, options: AppOptions): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return invalidRequest(c, result.error.issues);
      return undefined;
    },
  });
  const readCache = options.readCache;
  if (readCache !== undefined) {
    // Outermost, so that it keeps the answer with every header the inner middleware set.
    app.use('*', async (c, next) => {
      const version = readCache.version;
      await next();
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        readCache.invalidate();
        return;
      }
      const url = new URL(c.req.url);
      const key = `${url.pathname}${url.search}`;
      const credentials =
        c.req.header('authorization') !== undefined || c.req.header('cookie') !== undefined;
      if (c.res.status !== 200 || !ReadCache.cacheable(c.req.method, key, credentials)) return;
      const headers: Record<string, string> = {};
      c.res.headers.forEach((value, name) => {
        if (name !== 'x-request-id' && name !== 'set-cookie') headers[name] = value;
      });
      const body = Buffer.from(await c.res.arrayBuffer());
      c.res = new Response(body, { status: 200, headers: c.res.headers });
      readCache.store(key, version, headers, body);
    });
  }
  app.use('*', requestId());
  // No inline script or style anywhere: the portal's pages use one stylesheet and no JavaScript.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      strictTransportSecurity: false,
      referrerPolicy: 'same-origin',
    }),
  );
  app.use('*', async (c, next) => {
    await next();
    // Answers built as plain Responses (JSON with bigints, problems, files) carry the id too.
    c.header('x-request-id', c.get('requestId'));
    // HSTS only behind TLS (a proxy terminating TLS says so in X-Forwarded-Proto).
    if (overTls(c)) c.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
  if (options.requestLog !== undefined) {
    const requestLog = options.requestLog;
    app.use('*', async (c, next) => {
      const started = performance.now();
      await next();
      requestLog({
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
  }
  const counters = new Map<string, number>();
  app.use('*', async (c, next) => {
    await next();
    const key = `method="${c.req.method}",status="${c.res.status}"`;
    counters.set(key, (counters.get(key) ?? 0) + 1);
  });
  app.get('/metrics', async (c) => {
    const stats = await platform.db.read((k) =>
      k
        .selectFrom('blocks')
        .select((e) => e.fn.count('project').as('blocks'))
        .executeTakeFirstOrThrow(),
    );
    const lines = [
      '# HELP jcm_http_requests_total HTTP requests answered, by method and status.',
      '# TYPE jcm_http_requests_total counter',
      ...[...counters].map(([labels, n]) => `jcm_http_requests_total{${labels}} ${n}`),
      '# HELP jcm_http_read_cache_hits_total Public reads answered from the read cache.',
      '# TYPE jcm_http_read_cache_hits_total counter',
      `jcm_http_read_cache_hits_total ${readCache?.hits ?? 0}`,
      '# HELP jcm_blocks Blocks of credits in the registries.',
      '# TYPE jcm_blocks gauge',
      `jcm_blocks ${String(stats.blocks)}`,
    ];
    return c.text(`${lines.join('\n')}\n`, 200, { 'content-type': 'text/plain; version=0.0.4' });
  });
  // Monitoring reports (spreadsheets of thousands of rows) and cycle actions (which carry documents)
  // get a larger limit than other bodies.
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) =>
        problem(c, {
          code: 'payload_too_large',
          message: `this request body is limited to ${maxSize} bytes`,
        }),
    });
  const uploadLimit = limit(monitoringUploadBytesMax);
  const defaultLimit = limit(requestBodyBytesMax);
  app.use('/api/*', (c, next) =>
    /^\/api\/v1\/(methodologies\/[^/]+\/calculate|cycle\/actions\/[a-z_]+)$/.test(c.req.path)
      ? uploadLimit(c, next)
      : defaultLimit(c, next),
  );
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    try {
      await platform.db.read((k) => k.selectFrom('chains').select('id').limit(1).execute());
      return c.json({ status: 'ready', database: platform.db.kind });
    } catch {
      return c.json({ status: 'not_ready' }, 503);
    }
  });
  // Authentication and the authorisation matrix run before body validation, so an anonymous or
  // unauthorised caller learns nothing about schemas.
  app.use('/api/v1/*', authorise(platform, options.devToken));
  registerLedgerReads(app, platform);
  registerLedgerWrites(app, platform);
  registerMethodologyRoutes(app, platform);
  registerCycleRoutes(app, platform);
  registerAccountRoutes(app, platform);
  registerTransferRequestRoutes(app, platform);
  registerPortal(app, platform);
  app.use('/office/*', limit(officeUploadBytesMax + 64 * 1024));
  app.use('/login', limit(16 * 1024));
  registerOffice(app, platform);
  registerOfficeActions(app, platform);
  registerOfficeRegistry(app, platform);
  registerOfficeAdmin(app, platform);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'JCM platform API',
      version: '1',
      description:
        'Registries, accounts, the ledger and the methodologies of the Joint Crediting Mechanism. Quantities, serial numbers and methodology values are decimal strings.',
    },
  });
  app.notFound((c) =>
    problem(c, {
      code: 'not_found',
      message: `no route ${c.req.method} ${new URL(c.req.url).pathname}`,
    }),
  );
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 400 && /json/i.test(error.message)) {
      return problem(c, { code: 'malformed_json', message: 'the request body is not valid JSON' });
    }
    options.log?.({
      level: 'error',
      requestId: c.get('requestId'),
      error: error instanceof Error ? error.stack : String(error),
      invariant: error instanceof InvariantViolation,
    });
    return problem(c, {
      code: 'internal_error',
      message: 'an unexpected failure; nothing was changed',
    });
  });
  return app;
}
