// Transfers out of government accounts: one person requests, another approves or rejects.
import { pageQuery } from './page-query.ts';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { commandSchemas } from '../services/ledger-schemas.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { actorOf, envelopeOf, writeHeaders, writeQuery, writeStatus } from './envelope.ts';
import { answer, json, problem } from './problem.ts';

const answers = {
  200: { description: 'OK' },
  403: { description: 'Not allowed (problem+json)' },
  404: { description: 'No such request' },
  409: { description: 'Already decided' },
  422: { description: 'Refused by a registry rule' },
};
const idParams = z.object({ id: z.string().max(64) });

export function registerTransferRequestRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  const requests = platform.transferRequests;
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/transfer-requests',
      tags: ['ledger commands'],
      summary: 'Request a transfer out of a government account (a second person approves it)',
      security: [{ devToken: [] }],
      request: {
        headers: writeHeaders,
        query: writeQuery,
        body: {
          required: true,
          content: { 'application/json': { schema: commandSchemas.transfer } },
        },
      },
      responses: answers,
    }),
    async (c) => {
      const ctx = c;
      const result = await requests.request(envelopeOf(ctx, c.req.valid('json')));
      return answer(ctx, result, writeStatus(ctx, result.replayed));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/transfer-requests/{id}/approve',
      tags: ['ledger commands'],
      summary: 'Approve a requested transfer as the second person; the credits move now',
      security: [{ devToken: [] }],
      request: { params: idParams, headers: writeHeaders, query: writeQuery },
      responses: answers,
    }),
    async (c) => {
      const ctx = c;
      const result = await requests.approve(envelopeOf(ctx, { id: c.req.valid('param').id }));
      if (!result.ok) return problem(ctx, result.error);
      const { entry, event, replayed } = result.value;
      return json({ entry, event, replayed }, writeStatus(ctx, replayed));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/transfer-requests/{id}/reject',
      tags: ['ledger commands'],
      summary: 'Reject a requested transfer; nothing moves',
      security: [{ devToken: [] }],
      request: { params: idParams, headers: writeHeaders, query: writeQuery },
      responses: answers,
    }),
    async (c) => {
      const ctx = c;
      return answer(ctx, await requests.decline(envelopeOf(ctx, { id: c.req.valid('param').id })));
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/transfer-requests',
      tags: ['registries'],
      summary:
        "Transfer requests out of government accounts: a login's own registries and accounts, by instant requested; keyset pages ({ items, next })",
      security: [{ devToken: [] }],
      request: {
        query: pageQuery.extend({
          status: z.enum(['pending', 'approved', 'rejected']).optional(),
        }),
      },
      responses: answers,
    }),
    async (c) => {
      const { status, ...request } = c.req.valid('query');
      return answer(c, await requests.list(status, actorOf(c), request));
    },
  );
}
