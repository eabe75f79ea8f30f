// Project-cycle routes: one write route per action (the same envelope for all), organisations and
// TPE designations, and public reads: items with their timeline, the per-role inbox, the cycle
// definition, the rulebooks and the public versions of documents.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  cycleDefinition,
  machines,
  roles,
  type CycleRole,
  type Machine,
} from '../core/cycle/definition.ts';
import { actionSchema, designationSchema, organisationSchema } from '../services/cycle-schemas.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { envelopeOf, writeHeaders, writeQuery, writeStatus } from './envelope.ts';
import { answer, attachment, json, problem } from './problem.ts';
import { pageQuery } from './page-query.ts';

const answers = {
  200: { description: 'OK' },
  400: { description: 'Bad input (problem+json)' },
  403: { description: 'The actor may not take this action' },
  404: { description: 'No such item' },
  422: { description: 'Refused by a rule of the cycle or the rulebook (problem+json)' },
};

/** The headers, query and required JSON body of a write route whose input is `schema`. */
function writeRequest<S extends z.ZodType>(schema: S) {
  return {
    headers: writeHeaders,
    query: writeQuery,
    body: { required: true as const, content: { 'application/json': { schema } } },
  };
}

export function registerCycleRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  registerCycleWrites(app, platform);
  registerItemReads(app, platform);
  registerDefinitionReads(app, platform);
}

/** The writes: an action of the cycle, an organisation registered, a TPE designation recorded. */
function registerCycleWrites(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  const actions = [...new Set(cycleDefinition.map((r) => r.action))] as [string, ...string[]];
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/cycle/actions/{action}',
      tags: ['project cycle'],
      summary: 'Take an action of the project cycle (submit, review, decide, confirm...)',
      security: [{ devToken: [] }],
      request: { params: z.object({ action: z.enum(actions) }), ...writeRequest(actionSchema) },
      responses: answers,
    }),
    async (c) => {
      const ctx = c;
      const result = await platform.cycle.act(
        c.req.valid('param').action,
        envelopeOf(ctx, c.req.valid('json')),
      );
      return answer(ctx, result, writeStatus(ctx, result.replayed));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/organisations',
      tags: ['project cycle'],
      summary: 'Register an organisation (participant, TPE, secretariat...)',
      security: [{ devToken: [] }],
      request: writeRequest(organisationSchema),
      responses: answers,
    }),
    async (c) => {
      const ctx = c;
      const result = await platform.organisations.register(envelopeOf(ctx, c.req.valid('json')));
      return answer(ctx, result, writeStatus(ctx, result.replayed));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/tpe-designations',
      tags: ['project cycle'],
      summary: 'Record a Joint Committee designation of a third-party entity',
      security: [{ devToken: [] }],
      request: writeRequest(designationSchema),
      responses: answers,
    }),
    async (c) => {
      const ctx = c;
      const result = await platform.organisations.designate(envelopeOf(ctx, c.req.valid('json')));
      return answer(ctx, result, writeStatus(ctx, result.replayed));
    },
  );
}

/** The items of the cycle: a filtered list, one with its timeline, and a role's inbox. */
function registerItemReads(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cycle/items',
      tags: ['project cycle'],
      summary:
        'PINs, methodology proposals, projects, monitoring periods, issuance requests and decisions, by id; keyset pages ({ items, next })',
      request: {
        query: pageQuery.extend({
          machine: z.enum(machines).optional(),
          partnership: z
            .string()
            .regex(/^[A-Z]{2}$/)
            .optional(),
          state: z.string().max(64).optional(),
        }),
      },
      responses: answers,
    }),
    async (c) => {
      const { after, limit, ...filter } = c.req.valid('query');
      return answer(
        c,
        await platform.cycleQueries.list(
          filter as { machine?: Machine; partnership?: string; state?: string },
          { after, limit },
        ),
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cycle/items/{id}',
      tags: ['project cycle'],
      summary: 'An item with its timeline, findings, documents and children',
      request: { params: z.object({ id: z.string().max(64) }) },
      responses: answers,
    }),
    async (c) => answer(c, await platform.cycleQueries.item(c.req.valid('param').id)),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cycle/inbox',
      tags: ['project cycle'],
      summary:
        "A role's waiting and overdue steps, most urgent first; keyset pages ({ items, next })",
      request: {
        query: pageQuery.extend({
          role: z.enum(roles),
          partnership: z
            .string()
            .regex(/^[A-Z]{2}$/)
            .optional(),
        }),
      },
      responses: answers,
    }),
    async (c) => {
      const q = c.req.valid('query');
      return answer(
        c,
        await platform.cycleQueries.inbox(q.role as CycleRole, q.partnership, undefined, q),
      );
    },
  );
}

/** The cycle as data, the rulebooks, and the public versions of documents. */
function registerDefinitionReads(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cycle/definition',
      tags: ['project cycle'],
      summary: 'The cycle as data: every transition with its role, documents, guards and deadline',
      responses: answers,
    }),
    () => json(cycleDefinition),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/rulebooks',
      tags: ['project cycle'],
      summary: 'Rulebooks of the partnerships and programmes with their version history',
      responses: answers,
    }),
    () => json(platform.rulebooks),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/documents/{sha256}',
      tags: ['project cycle'],
      summary: 'The public version of a cycle document, by its SHA-256',
      request: { params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }) },
      responses: { 200: { description: 'The document' }, 404: answers[404] },
    }),
    async (c) => {
      const sha = c.req.valid('param').sha256;
      const document = await platform.document(sha);
      return document === null
        ? problem(c, {
            code: 'document_not_found',
            message: `no public document ${sha}`,
          })
        : attachment(document);
    },
  );
}
