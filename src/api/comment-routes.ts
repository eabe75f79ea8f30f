// Public input and confidential documents: anyone comments on an item in its public input period;
// the published comments of an item are public; the secretariat reads the comments awaiting its
// moderation and publishes or rejects each (both lists keyset pages, `{ items, next }`); the
// confidential full version of a document is served to the project's TPE and the partnership's
// Joint Committee only, each read logged.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { documentTypes, type DocumentType } from '../core/cycle/definition.ts';
import { commentSchema, moderationSchema } from '../services/comments.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { actorOf, envelopeOf, writeHeaders, writeQuery, writeStatus } from './envelope.ts';
import { pageQuery } from './page-query.ts';
import { answer, attachment, problem } from './problem.ts';

const answers = {
  200: { description: 'OK' },
  400: { description: 'Bad input (problem+json)' },
  401: { description: 'Not logged in' },
  403: { description: 'The actor may not do this' },
  404: { description: 'No such item, comment or document' },
  409: { description: 'Already moderated' },
  422: { description: 'Refused by a rule (problem+json)' },
  429: { description: 'Too many comments from this address' },
};

const itemParam = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{3,64}$/)
    .openapi({ example: 'IN_PM001' }),
});
const commentBody = commentSchema.omit({ item: true });

export function registerCommentRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/cycle/items/{id}/comments',
      tags: ['public input'],
      summary:
        'Comment on a methodology proposal or a PDD during its public input period (anyone; moderated)',
      request: {
        params: itemParam,
        headers: writeHeaders,
        body: { required: true, content: { 'application/json': { schema: commentBody } } },
      },
      responses: answers,
    }),
    async (c) => {
      const result = await platform.comments.submit(
        { ...c.req.valid('json'), item: c.req.valid('param').id },
        c.get('clientAddress'),
        c.req.header('idempotency-key'),
      );
      return answer(c, result, writeStatus(c, result.replayed));
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cycle/items/{id}/comments',
      tags: ['public input'],
      summary: 'The published comments of an item, oldest first; keyset pages ({ items, next })',
      request: { params: itemParam, query: pageQuery },
      responses: answers,
    }),
    async (c) =>
      answer(c, await platform.comments.published(c.req.valid('param').id, c.req.valid('query'))),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/comments',
      tags: ['public input'],
      summary:
        "The comments awaiting the moderation of the actor's secretariats, oldest first; keyset pages ({ items, next })",
      security: [{ devToken: [] }],
      request: { query: pageQuery },
      responses: answers,
    }),
    async (c) => answer(c, await platform.comments.awaiting(actorOf(c), c.req.valid('query'))),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/comments/moderation',
      tags: ['public input'],
      summary: 'Publish or reject a comment (the secretariat of its partnership)',
      security: [{ devToken: [] }],
      request: {
        headers: writeHeaders,
        query: writeQuery,
        body: { required: true, content: { 'application/json': { schema: moderationSchema } } },
      },
      responses: answers,
    }),
    async (c) => {
      const result = await platform.comments.moderate(envelopeOf(c, c.req.valid('json')));
      return answer(c, result, writeStatus(c, result.replayed));
    },
  );
  registerConfidentialRoute(app, platform);
}

function registerConfidentialRoute(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cycle/items/{id}/documents/{type}/full',
      tags: ['project cycle'],
      summary:
        "The confidential full version of an item's document (the project's TPE and the partnership's Joint Committee; each read logged)",
      security: [{ devToken: [] }],
      request: {
        params: itemParam.extend({
          type: z.enum(Object.keys(documentTypes) as [DocumentType, ...DocumentType[]]),
        }),
        query: z.object({
          version: z
            .string()
            .regex(/^[1-9][0-9]{0,5}$/)
            .optional(),
        }),
      },
      responses: answers,
    }),
    async (c) => {
      const { id, type } = c.req.valid('param');
      const { version } = c.req.valid('query');
      const result = await platform.confidentialDocuments.full(actorOf(c), {
        item: id,
        type,
        ...(version === undefined ? {} : { version }),
      });
      return result.ok ? attachment(result.value) : problem(c, result.error);
    },
  );
}
