// Project-cycle routes: one write route per action (the same envelope for all), organisations and
// TPE designations, and public reads: items with their timeline, the per-role inbox, the cycle
// definition, the rulebooks and the public versions of documents.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  cycleDefinition,
  machines,
  roles,
  type CycleRole,
  type Machine,
} from '../core/cycle/definition.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { actionSchema, designationSchema, organisationSchema } from '../services/cycle-schemas.ts';
import type { Platform } from '../services/platform.ts';
import { answer, json, problem } from './problem.ts';

const answers = {
  200: { description: 'OK' },
  400: { description: 'Bad input (problem+json)' },
  403: { description: 'The actor may not take this action' },
  404: { description: 'No such item' },
  422: { description: 'Refused by a rule of the cycle or the rulebook (problem+json)' },
};

export function registerCycleRoutes(app: OpenAPIHono, platform: Platform): void {
  const actions = [...new Set(cycleDefinition.map((r) => r.action))] as [string, ...string[]];
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/cycle/actions/{action}',
      tags: ['project cycle'],
      summary: 'Take an action of the project cycle (submit, review, decide, confirm...)',
      security: [{ devToken: [] }],
      request: {
        params: z.object({ action: z.enum(actions) }),
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: { required: true, content: { 'application/json': { schema: actionSchema } } },
      },
      responses: answers,
    }),
    async (c) => {
      const actor = c.get('actor' as never) as Actor;
      const result = await platform.cycle.act(
        c.req.valid('param').action,
        c.req.valid('json'),
        actor,
        c.req.header('idempotency-key'),
      );
      return answer(c as unknown as Context, result, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/organisations',
      tags: ['project cycle'],
      summary: 'Register an organisation (participant, TPE, secretariat...)',
      security: [{ devToken: [] }],
      request: {
        body: { required: true, content: { 'application/json': { schema: organisationSchema } } },
      },
      responses: answers,
    }),
    async (c) =>
      answer(
        c as unknown as Context,
        await platform.cycle.registerOrganisation(
          c.req.valid('json'),
          c.get('actor' as never) as Actor,
        ),
        201,
      ),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/tpe-designations',
      tags: ['project cycle'],
      summary: 'Record a Joint Committee designation of a third-party entity',
      security: [{ devToken: [] }],
      request: {
        body: { required: true, content: { 'application/json': { schema: designationSchema } } },
      },
      responses: answers,
    }),
    async (c) =>
      answer(
        c as unknown as Context,
        await platform.cycle.designateTpe(c.req.valid('json'), c.get('actor' as never) as Actor),
        201,
      ),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cycle/items',
      tags: ['project cycle'],
      summary:
        'PINs, methodology proposals, projects, monitoring periods, issuance requests and decisions',
      request: {
        query: z.object({
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
    async (c) =>
      json(
        await platform.cycleQueries.list(
          c.req.valid('query') as { machine?: Machine; partnership?: string; state?: string },
        ),
      ),
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
    async (c) =>
      answer(c as unknown as Context, await platform.cycleQueries.item(c.req.valid('param').id)),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cycle/inbox',
      tags: ['project cycle'],
      summary: "A role's waiting and overdue steps, most urgent first",
      request: {
        query: z.object({
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
      return json(await platform.cycleQueries.inbox(q.role as CycleRole, q.partnership));
    },
  );
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
      const row = await platform.db.read((k) =>
        k
          .selectFrom('cycle_documents')
          .select(['media_type', 'file_name'])
          .where('public_sha256', '=', sha)
          .executeTakeFirst(),
      );
      const bytes = row === undefined ? null : await platform.documents.get(sha);
      if (row === undefined || bytes === null) {
        return problem(c as unknown as Context, {
          code: 'document_not_found',
          message: `no public document ${sha}`,
        });
      }
      return new Response(new Uint8Array(bytes), {
        headers: {
          'content-type': row.media_type,
          'content-disposition': `attachment; filename="${row.file_name.replaceAll('"', '')}"`,
        },
      });
    },
  );
}
