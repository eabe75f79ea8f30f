// A backup taken by the running server of its own database and documents (administrators only, by
// the authorisation matrix): the way to back up a PGlite data folder the server holds. The backup
// goes into a new folder under the server's JCM_BACKUP_DIR; the request names only a label.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { backupLabelPattern } from '../services/backup.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { answer } from './problem.ts';

const backupSchema = z
  .object({
    label: z
      .string()
      .regex(backupLabelPattern)
      .openapi({ description: 'Part of the folder name: 1-40 of [a-z0-9-]', example: 'nightly' }),
  })
  .strict();

export function registerBackupRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/backups',
      tags: ['operations'],
      summary:
        "Back up the server's database (one snapshot) and the documents it refers to, with a manifest of journal heads and document hashes (administrators)",
      request: {
        body: { required: true, content: { 'application/json': { schema: backupSchema } } },
      },
      responses: {
        200: { description: 'The folder of the backup and its manifest' },
        400: { description: 'Malformed request (problem+json)' },
        401: { description: 'Not logged in' },
        403: { description: 'Not an administrator' },
        409: { description: 'This server takes no backups (backup_not_configured)' },
        500: { description: 'The dump failed (backup_tool_failed, backup_document_unreadable)' },
      },
    }),
    async (c) => {
      const { label } = c.req.valid('json');
      const taken = await platform.backups.take(label);
      if (!taken.ok) return answer(c, taken);
      const { dir, manifest } = taken.value;
      return answer(c, {
        ok: true,
        value: {
          dir,
          createdAt: manifest.createdAt,
          kind: manifest.kind,
          chains: manifest.chains,
          documents: manifest.documents.length,
          database: manifest.database,
        },
      });
    },
  );
}
