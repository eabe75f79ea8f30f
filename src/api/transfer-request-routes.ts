// Transfers out of government accounts: one person requests, another approves or rejects.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Actor } from '../core/ledger/actor.ts';
import { commandSchemas } from '../services/ledger-schemas.ts';
import type { Platform } from '../services/platform.ts';
import { answer, json, problem } from './problem.ts';

const answers = {
  200: { description: 'OK' },
  403: { description: 'Not allowed (problem+json)' },
  404: { description: 'No such request' },
  409: { description: 'Already decided' },
  422: { description: 'Refused by a registry rule' },
};
const idParams = z.object({ id: z.string().max(64) });

export function registerTransferRequestRoutes(app: OpenAPIHono, platform: Platform): void {
  const requests = platform.transferRequests;
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/transfer-requests',
      tags: ['ledger commands'],
      summary: 'Request a transfer out of a government account (a second person approves it)',
      security: [{ devToken: [] }],
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: commandSchemas.transfer,
            },
          },
        },
      },
      responses: answers,
    }),
    async (c) => {
      const result = await requests.request(c.req.valid('json'), c.get('actor' as never) as Actor);
      return answer(c as unknown as Context, result, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/transfer-requests/{id}/approve',
      tags: ['ledger commands'],
      summary: 'Approve a requested transfer as the second person; the credits move now',
      security: [{ devToken: [] }],
      request: { params: idParams },
      responses: answers,
    }),
    async (c) => {
      const result = await requests.approve(
        c.req.valid('param').id,
        c.get('actor' as never) as Actor,
      );
      if (!result.ok) return problem(c as unknown as Context, result.error);
      const { entry, event, replayed } = result.value;
      return json({ entry, event, replayed }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/transfer-requests/{id}/reject',
      tags: ['ledger commands'],
      summary: 'Reject a requested transfer; nothing moves',
      security: [{ devToken: [] }],
      request: { params: idParams },
      responses: answers,
    }),
    async (c) => {
      const result = await requests.decline(
        c.req.valid('param').id,
        c.get('actor' as never) as Actor,
      );
      return answer(c as unknown as Context, result);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/transfer-requests',
      tags: ['registries'],
      summary: 'Transfer requests out of government accounts',
      request: {
        query: z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional() }),
      },
      responses: answers,
    }),
    async (c) => json(await requests.list(c.req.valid('query').status)),
  );
}
