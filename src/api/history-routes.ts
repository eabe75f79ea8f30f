// Transaction histories (per account, per project, per serial) and the public register of
// retirements. Public reads, as the journal is: each row is what the public journal shows of one
// serial range one entry moved. Paged by keyset (`after`, `limit`; the answer's `next`).
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../services/platform.ts';
import { beneficiarySearchLengthMax } from '../services/histories.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { pageQuery } from './page-query.ts';
import { answer } from './problem.ts';

const decimal = z.string().regex(/^\d+$/);

export const movementSchema = z
  .object({
    chain: z.string(),
    seq: decimal,
    n: z.number().int(),
    registry: z.string(),
    kind: z
      .string()
      .openapi({ description: 'issue, transfer, retire, cancel, reserve, release...' }),
    block: z.string().openapi({ example: 'JCM-IN-001-2027-1-12000' }),
    project: z.string(),
    vintage: z.number().int(),
    serialFirst: decimal,
    serialLast: decimal,
    quantity: decimal,
    from: z.string().nullable(),
    to: z.string().nullable(),
    recordedAt: z.string(),
    purpose: z.string().nullable(),
    beneficiary: z.string().nullable(),
    note: z.string().nullable(),
    yearOfUse: z.number().int().nullable(),
    reason: z.string().nullable(),
    cancellationKind: z.string().nullable(),
    authorisation: z.string().nullable(),
    actor: z.string().openapi({ description: "The entry's actor as the public journal names it" }),
    hash: z.string(),
    synthetic: z.boolean().openapi({ description: "The synthetic demo's: not a real credit" }),
  })
  .openapi('Movement');

export const movementPage = z
  .object({ items: z.array(movementSchema), next: z.string().nullable() })
  .openapi('MovementPage');

const responses = {
  200: {
    description: 'A page of movements, oldest first (the register: newest first)',
    content: { 'application/json': { schema: movementPage } },
  },
  400: { description: 'Bad input or cursor (problem+json)' },
  404: { description: 'Not found (problem+json)' },
};
const tags = ['histories'];

export function registerHistoryRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  const h = platform.histories;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{account}/history',
      tags,
      summary: 'Every movement into or out of an account',
      request: { params: z.object({ account: z.string().max(40) }), query: pageQuery },
      responses,
    }),
    async (c) => answer(c, await h.account(c.req.valid('param').account, c.req.valid('query'))),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/projects/{project}/history',
      tags,
      summary: "Every movement of a project's credits, in every registry",
      request: { params: z.object({ project: z.string().max(40) }), query: pageQuery },
      responses,
    }),
    async (c) => answer(c, await h.project(c.req.valid('param').project, c.req.valid('query'))),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/blocks/{project}/{serial}/history',
      tags,
      summary: 'Every entry that moved the block holding a serial, from its issuance on',
      request: {
        params: z.object({ project: z.string().max(40), serial: z.string().max(40) }),
        query: pageQuery,
      },
      responses,
    }),
    async (c) => {
      const { project, serial } = c.req.valid('param');
      return answer(c, await h.serial(project, serial, c.req.valid('query')));
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/retirements',
      tags: ['retirement register'],
      summary:
        'The public register of retirements: newest first, or those whose beneficiary begins with the text given (case-insensitive)',
      request: {
        query: pageQuery.extend({
          beneficiary: z
            .string()
            .max(beneficiarySearchLengthMax)
            .optional()
            .openapi({ description: 'The beginning of the beneficiary, in any case' }),
        }),
      },
      responses,
    }),
    async (c) => {
      const { beneficiary, ...page } = c.req.valid('query');
      return answer(c, await h.retirements(beneficiary, page));
    },
  );
}
