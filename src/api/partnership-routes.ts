// Partnership routes: the partnerships as records (bilateral document, Joint Committee, secretariat,
// registries, rulebook, cooperative approach), each fact with its source. Public reads.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { json, problem } from './problem.ts';

const answers = {
  200: { description: 'OK' },
  400: { description: 'A malformed code (problem+json)' },
  404: { description: 'No partnership with this code (problem+json)' },
};

export function registerPartnershipRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/partnerships',
      tags: ['partnerships'],
      summary: 'The partnerships with a record, by the date of their bilateral document',
      responses: { 200: answers[200] },
    }),
    async () => json(await platform.partnerships.list()),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/partnerships/{code}',
      tags: ['partnerships'],
      summary:
        'One partnership: its bilateral document, Joint Committee, secretariat, registries, rulebook and cooperative approach, with sources',
      request: {
        params: z.object({
          code: z
            .string()
            .regex(/^[A-Z]{2}$/, 'the partner country, ISO 3166 alpha-2')
            .openapi({ example: 'IN' }),
        }),
      },
      responses: answers,
    }),
    async (c) => {
      const code = c.req.valid('param').code;
      const found = await platform.partnerships.get(code);
      return found === null
        ? problem(c, {
            code: 'partnership_not_found',
            message: `no partnership ${code} has a record on this platform`,
          })
        : json(found);
    },
  );
}
