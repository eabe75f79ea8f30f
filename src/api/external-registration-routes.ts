// Double counting across mechanisms: a project's registrations in other mechanisms (the public list
// with every version; a new registration and a new version, by the project's participants or the
// secretariat of its partnership), and the possible duplicates a registration request flagged (read
// by the secretariat and the Joint Committee; concluded by the secretariat).
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  conclusionFields,
  recordSchema,
  versionSchema,
} from '../services/external-registrations.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { actorOf, envelopeOf, writeHeaders, writeQuery, writeStatus } from './envelope.ts';
import { answer, json } from './problem.ts';

const answers = {
  200: { description: 'OK' },
  400: { description: 'Bad input (problem+json)' },
  401: { description: 'Not logged in' },
  403: { description: 'The actor may not do this' },
  404: { description: 'No such project, registration or flag' },
  409: { description: 'Recorded or concluded already' },
  422: { description: 'Refused by a rule (problem+json)' },
};

const ref = z
  .string()
  .regex(/^[A-Za-z0-9_-]{3,64}$/)
  .openapi({
    description: "The project's item id or its registration reference",
    example: 'IN001',
  });
const serialId = z.string().regex(/^[1-9][0-9]{0,17}$/);

function writeRequest<S extends z.ZodType>(params: z.ZodObject, schema: S) {
  return {
    params,
    headers: writeHeaders,
    query: writeQuery,
    body: { required: true as const, content: { 'application/json': { schema } } },
  };
}

export function registerExternalRegistrationRoutes(
  app: OpenAPIHono<AppEnv>,
  platform: Platform,
): void {
  const path = '/api/v1/projects/{ref}/external-registrations';
  app.openapi(
    createRoute({
      method: 'get',
      path,
      tags: ['double counting'],
      summary: "A project's registrations in other mechanisms, each with every version",
      request: { params: z.object({ ref }) },
      responses: answers,
    }),
    async (c) => answer(c, await platform.externalRegistrations.list(c.req.valid('param').ref)),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path,
      tags: ['double counting'],
      summary:
        "Record a registration of the project in another mechanism (the project's participants or the secretariat)",
      security: [{ devToken: [] }],
      request: writeRequest(z.object({ ref }), recordSchema.omit({ project: true })),
      responses: answers,
    }),
    async (c) => {
      const input = { ...c.req.valid('json'), project: c.req.valid('param').ref };
      const result = await platform.externalRegistrations.record(envelopeOf(c, input));
      return answer(c, result, writeStatus(c, result.replayed));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: `${path}/{id}/versions`,
      tags: ['double counting'],
      summary:
        'Record a new version of a registration elsewhere (a change, a cancellation for a period)',
      security: [{ devToken: [] }],
      request: writeRequest(
        z.object({ ref, id: serialId }),
        versionSchema.omit({ project: true, registration: true }),
      ),
      responses: answers,
    }),
    async (c) => {
      const { ref: project, id } = c.req.valid('param');
      const input = { ...c.req.valid('json'), project, registration: id };
      const result = await platform.externalRegistrations.newVersion(envelopeOf(c, input));
      return answer(c, result, writeStatus(c, result.replayed));
    },
  );
  registerFlagRoutes(app, platform);
}

function registerFlagRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cycle/items/{id}/duplicate-flags',
      tags: ['double counting'],
      summary:
        'The possible duplicates flagged when the project asked for registration, with their conclusions (the secretariat and Joint Committee of its partnership)',
      security: [{ devToken: [] }],
      request: { params: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{3,64}$/) }) },
      responses: answers,
    }),
    async (c) =>
      json(await platform.externalRegistrations.flags(actorOf(c), c.req.valid('param').id)),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/cycle/duplicate-flags/{id}/conclusion',
      tags: ['double counting'],
      summary:
        'Conclude on a possible duplicate: not a duplicate (with the reason), or a duplicate (the Joint Committee then rejects the registration request)',
      security: [{ devToken: [] }],
      request: writeRequest(z.object({ id: serialId }), conclusionFields),
      responses: answers,
    }),
    async (c) => {
      const input = { ...c.req.valid('json'), flag: c.req.valid('param').id };
      const result = await platform.externalRegistrations.conclude(envelopeOf(c, input));
      return answer(c, result, writeStatus(c, result.replayed));
    },
  );
}
