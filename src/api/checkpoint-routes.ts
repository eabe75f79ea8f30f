// The signed checkpoints of the registries this deployment hosts (issue 16, point 3), public like the
// journal they sign: each with the exact text its Ed25519 signature covers, the key id and public key
// that made it, and the checkpoint that text says (heads and totals, bigints as decimal strings).
// Check a signature against the key the peer's own configuration registers, not the one shown here.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { pageQuery } from './page-query.ts';
import { answer } from './problem.ts';

export function registerCheckpointRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/checkpoints',
      tags: ['federation'],
      summary:
        "The registries' signed checkpoints (journal head and totals by account type, project and vintage), oldest first",
      request: {
        query: pageQuery.extend({
          registry: z
            .string()
            .max(8)
            .optional()
            .openapi({ description: 'Only this registry’s checkpoints (e.g. JP).' }),
        }),
      },
      responses: {
        200: {
          description:
            '{ items: [{ id, checkpoint, text, keyId, publicKey, signature }], next }: `signature` is Ed25519 over `text`, base64',
        },
        400: { description: 'A bad registry id or cursor' },
      },
    }),
    async (c) => {
      const { registry, ...page } = c.req.valid('query');
      return answer(c, await platform.checkpoints.page(registry, page));
    },
  );
}
