// The query of every paged list in the API: `after` (the cursor a previous page gave in `next`) and
// `limit` (at most pageSizeMax). Lists answer `{ items, next }` (src/core/shared/page.ts).
import { z } from '@hono/zod-openapi';
import { cursorLengthMax, pageSizeDefault, pageSizeMax } from '../core/shared/page.ts';

export const pageQuery = z.object({
  after: z
    .string()
    .max(cursorLengthMax)
    .regex(/^[A-Za-z0-9_-]+$/, 'a cursor from `next`')
    .optional()
    .openapi({ description: 'The cursor a previous page gave in `next`.' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(pageSizeMax)
    .default(pageSizeDefault)
    .openapi({ description: `Rows per page (at most ${pageSizeMax}).` }),
});

export type PageQuery = z.infer<typeof pageQuery>;
