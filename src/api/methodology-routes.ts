// Methodology routes: the public catalogue (list, show with rendered equations, JSON Schema), the
// monitoring spreadsheet, the finder and estimator, and calculation of a monitoring report sent as
// XLSX, CSV or JSON. Nothing here changes state: anyone may recompute a published calculation.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { methodologyJsonSchema } from '../core/methodology/format.ts';
import {
  readMethodologyText,
  type MethodologyCatalogue,
} from '../services/methodology-catalogue.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { registerEstimateRoute, registerFinderRoutes } from './methodology-finder-routes.ts';
import { registerCalculateRoute, registerTemplateRoute } from './methodology-monitoring-routes.ts';
import {
  answers,
  idParams,
  methodologyLookup,
  versionQuery,
  type MethodologyLookup,
} from './methodology-route-shapes.ts';
import { issuesProblem, json } from './problem.ts';
import { jsonText } from '../core/shared/json-text.ts';

/** How long one look at the adopted entries serves the API's methodology reads (milliseconds). */
export const catalogueLookMs = 1000;

/** Largest monitoring file accepted by the calculate route (bytes). */
export const monitoringUploadBytesMax = 32 * 1024 * 1024;

export function registerMethodologyRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  const catalogue = platform.methodologies;
  const lookup = methodologyLookup(catalogue);
  // Every methodology route sees the entries Joint Committees adopted: at once those adopted by this
  // process (src/http/app.ts tells the catalogue of every write), within catalogueLookMs those of
  // another process (the CLI, a second server), as the read cache promises; so that a read does not
  // cost a query each (issue 15, the per-request path).
  for (const path of ['/api/v1/methodologies', '/api/v1/methodologies/*'])
    app.use(path, async (_c, next) => {
      await catalogue.refreshRecent(catalogueLookMs, performance.now());
      await next();
    });
  // The order of registration is the order of the OpenAPI document; and the fixed paths (schema,
  // find, estimate, validate) come before /methodologies/{id}, which would otherwise answer them.
  registerCatalogueReads(app, catalogue);
  registerFinderRoutes(app, catalogue);
  registerValidateAndDescribe(app, catalogue, lookup);
  registerTemplateRoute(app, catalogue, lookup);
  registerEstimateRoute(app, catalogue, lookup);
  registerCalculateRoute(app, platform, lookup);
}

/** GET /methodologies and /methodologies/schema: the catalogue and its file format. */
function registerCatalogueReads(app: OpenAPIHono<AppEnv>, catalogue: MethodologyCatalogue): void {
  // The list changes only when an entry is adopted (the files are read once, at start): its JSON is
  // written once per change, not once per request.
  let listed: { readonly adopted: number; readonly text: string } | null = null;
  const listText = (): string => {
    if (listed?.adopted !== catalogue.adoptedCount)
      listed = { adopted: catalogue.adoptedCount, text: jsonText(catalogue.list()) };
    return listed.text;
  };
  const schemaText = jsonText(methodologyJsonSchema());
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/methodologies',
      tags: ['methodologies'],
      summary: 'The catalogue (newest version of each)',
      responses: answers,
    }),
    () => jsonAnswer(listText()),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/methodologies/schema',
      tags: ['methodologies'],
      summary: 'JSON Schema of the methodology file format',
      responses: answers,
    }),
    () => jsonAnswer(schemaText),
  );
}

/** JSON already written, as problem.ts json() answers. */
const jsonAnswer = (text: string): Response =>
  new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });

/** POST /methodologies/validate and GET /methodologies/{id}: a methodology checked or shown. */
function registerValidateAndDescribe(
  app: OpenAPIHono<AppEnv>,
  catalogue: MethodologyCatalogue,
  lookup: MethodologyLookup,
): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/methodologies/validate',
      tags: ['methodologies'],
      summary: 'Check a methodology file (YAML or JSON text) and list every located error',
      request: { body: { content: { 'text/plain': { schema: z.string() } } } },
      responses: answers,
    }),
    async (c) => {
      const read = readMethodologyText(await c.req.text(), 'body');
      if (!read.ok)
        return issuesProblem(
          c,
          'methodology_invalid',
          'the methodology file has errors',
          read.issues,
        );
      return json({
        valid: true,
        id: read.methodology.file.id,
        version: read.methodology.file.version,
      });
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/methodologies/{id}',
      tags: ['methodologies'],
      summary: 'A methodology with its equations rendered',
      request: { params: idParams, query: versionQuery },
      responses: answers,
    }),
    (c) => {
      const found = lookup(c, c.req.valid('param').id, c.req.valid('query').version);
      return found instanceof Response ? found : json(catalogue.describe(found));
    },
  );
}
