// The finder and estimator routes: methodologies for a country, technology words and sectoral
// scope, with annual credits estimated from size parameters, across the catalogue or for one.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MethodologyCatalogue } from '../services/methodology-catalogue.ts';
import type { AppEnv } from '../services/request-scope.ts';
import {
  answers,
  idParams,
  sizeInputs,
  versionQuery,
  type MethodologyLookup,
} from './methodology-route-shapes.ts';
import { issuesProblem, json } from './problem.ts';
import { sectoralScopeMax } from '../core/shared/limits.ts';

/** The finder's criteria in a query string (the scope comes as text). */
const finderQuery = z.object({
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .optional(),
  words: z.string().max(200).optional(),
  scope: z.coerce.number().int().min(1).max(sectoralScopeMax).optional(),
});

/** The finder's criteria and the size parameters in a JSON body. */
const estimateBody = z
  .object({
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/)
      .optional(),
    words: z.string().max(200).optional(),
    scope: z.number().int().min(1).max(sectoralScopeMax).optional(),
    inputs: sizeInputs.default({}),
  })
  .strict();

/** GET /methodologies/find and POST /methodologies/estimate: the catalogue searched. */
export function registerFinderRoutes(
  app: OpenAPIHono<AppEnv>,
  catalogue: MethodologyCatalogue,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/methodologies/find',
      tags: ['methodologies'],
      summary: 'Methodologies for a partner country, technology words and sectoral scope',
      request: { query: finderQuery },
      responses: answers,
    }),
    (c) => {
      const q = c.req.valid('query');
      return json(catalogue.find({ country: q.country, words: q.words, sectoralScope: q.scope }));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/methodologies/estimate',
      tags: ['methodologies'],
      summary: 'Find methodologies and estimate annual credits from size parameters',
      request: { body: { content: { 'application/json': { schema: estimateBody } } } },
      responses: answers,
    }),
    (c) => {
      const body = c.req.valid('json');
      return json(
        catalogue.findAndEstimate(
          { country: body.country, words: body.words, sectoralScope: body.scope },
          body.inputs,
        ),
      );
    },
  );
}

/** POST /methodologies/{id}/estimate: one methodology's estimate. */
export function registerEstimateRoute(
  app: OpenAPIHono<AppEnv>,
  catalogue: MethodologyCatalogue,
  lookup: MethodologyLookup,
): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/methodologies/{id}/estimate',
      tags: ['methodologies'],
      summary: 'Estimate annual credits of one methodology from its size parameters',
      request: {
        params: idParams,
        query: versionQuery,
        body: {
          content: { 'application/json': { schema: z.object({ inputs: sizeInputs }).strict() } },
        },
      },
      responses: answers,
    }),
    (c) => {
      const found = lookup(c, c.req.valid('param').id, c.req.valid('query').version);
      if (found instanceof Response) return found;
      const estimated = catalogue.estimate(found, c.req.valid('json').inputs);
      if (!estimated.ok)
        return issuesProblem(
          c,
          estimated.issues[0]?.code ?? 'estimate_input_missing',
          'the size parameters have errors',
          estimated.issues,
        );
      return json(estimated.estimate);
    },
  );
}
