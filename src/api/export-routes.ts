// GET /api/v1/export (issue 16, point 3): this deployment's public export, the file the server made
// last (src/services/public-exports.ts), sent as it is. Public: no account.
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { contentDisposition, problem } from './problem.ts';

/**
 * The public export (issue 16, point 3): the file the server made last (JCM_EXPORT_MINUTES), sent as
 * it is, so that a download reads a file and never the registry's history.
 */
export function registerExportRoute(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/export',
      tags: ['federation'],
      summary:
        "This deployment's public export: its journal with hashes, decisions, blocks, totals and signed checkpoints, one JSON record per line (check it with `jcm verify-export`)",
      responses: {
        200: {
          description:
            'JSON lines (docs/OPERATIONS.md "Public exports"), made at most JCM_EXPORT_MINUTES ago',
          content: { 'application/x-ndjson': { schema: z.string() } },
        },
        503: {
          description: 'No export made yet since the server started (problem+json, Retry-After)',
        },
      },
    }),
    async (c) => {
      const latest = platform.exports.latest();
      if (latest === null)
        return problem(c, {
          code: 'export_not_ready',
          message: 'the server is making its first public export; try again shortly',
          details: { retryAfterSeconds: 30 },
        });
      const file = await open(latest.path).catch(() => null);
      // Replaced between reading the pointer and opening the file: the next one is there already.
      if (file === null)
        return problem(c, {
          code: 'export_not_ready',
          message: 'the export was just replaced; try again',
          details: { retryAfterSeconds: 1 },
        });
      return new Response(Readable.toWeb(file.createReadStream()) as ReadableStream<Uint8Array>, {
        headers: {
          'content-type': 'application/x-ndjson; charset=utf-8',
          'content-disposition': contentDisposition(latest.fileName),
          'x-jcm-exported-at': latest.exportedAt,
        },
      });
    },
  );
}
