// The reports Japan's registry publishes: holdings per entity account, amount per account type and
// the annual transaction summary. JSON (holdings a page at a time), or the whole report as CSV, XLSX
// or PDF. Public reads. The synthetic demo's figures are apart, never in the registry's.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../services/platform.ts';
import { reportFormats, streamOf, type ReportFile } from '../services/registry-reports.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { pageQuery } from './page-query.ts';
import { answer, contentDisposition, problem } from './problem.ts';

const decimal = z.string().regex(/^\d+$/);
const registryQuery = z
  .string()
  .regex(/^[A-Z]{2}$/)
  .optional()
  .openapi({
    description:
      'A registry (JP, or a partner country code); holdings default to JP, totals to all',
  });
const formatQuery = z.enum(reportFormats).default('json');

const holdingSchema = z
  .object({
    account: z.string(),
    holder: z.string(),
    accountType: z.string(),
    status: z.string(),
    project: z.string(),
    vintage: z.number().int(),
    quantity: decimal,
    blocks: decimal,
    synthetic: z.boolean(),
  })
  .openapi('Holding');
const accountTypeSchema = z
  .object({ registry: z.string(), accountType: z.string(), quantity: decimal, blocks: decimal })
  .openapi('AccountTypeTotal');
const annualSchema = z
  .object({
    registry: z.string(),
    year: z.number().int(),
    kind: z.string(),
    entries: decimal,
    quantity: decimal,
  })
  .openapi('AnnualTotal');
const split = <T extends z.ZodTypeAny>(row: T) =>
  z.object({ real: z.array(row), synthetic: z.array(row) });

const failures = {
  400: { description: 'Bad input or cursor (problem+json)' },
  404: { description: 'No such registry (problem+json)' },
  413: { description: 'Too many rows for a file (problem+json)' },
};
const fileContent = {
  'text/csv': { schema: z.string() },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() },
  'application/pdf': { schema: z.string() },
};
const tags = ['registry reports'];

/** A report file as the answer, its parts sent as they are made (the holdings CSV, page by page). */
function attachment(file: ReportFile): Response {
  return new Response(streamOf(file.parts), {
    headers: {
      'content-type': file.mediaType,
      'content-disposition': contentDisposition(file.fileName),
    },
  });
}

export function registerRegistryReportRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  const reports = platform.registryReports;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/holdings',
      tags,
      summary: 'Holdings per entity account of a registry (JSON a page at a time, or a file)',
      request: { query: pageQuery.extend({ registry: registryQuery, format: formatQuery }) },
      responses: {
        200: {
          description: 'A page of holdings, by account, project and vintage; or the whole file',
          content: {
            'application/json': {
              schema: z.object({
                registry: z.string(),
                items: z.array(holdingSchema),
                next: z.string().nullable(),
              }),
            },
            ...fileContent,
          },
        },
        ...failures,
      },
    }),
    async (c) => {
      const { registry, format, ...page } = c.req.valid('query');
      if (format === 'json') return answer(c, await reports.holdings(registry, page));
      const file = await reports.file('holdings', format, registry);
      return file.ok ? attachment(file.value) : problem(c, file.error);
    },
  );
  for (const [name, row, summary] of [
    ['account-types', accountTypeSchema, 'Amount per account type'],
    ['annual', annualSchema, 'Annual transaction summary: entries and credits per year and kind'],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'get',
        path: `/api/v1/reports/${name}`,
        tags,
        summary: `${summary}; the synthetic demo's apart`,
        request: { query: z.object({ registry: registryQuery, format: formatQuery }) },
        responses: {
          200: {
            description: "The registry's figures and the synthetic demo's, or the file",
            content: { 'application/json': { schema: split(row) }, ...fileContent },
          },
          ...failures,
        },
      }),
      async (c) => {
        const { registry, format } = c.req.valid('query');
        if (format === 'json')
          return answer<unknown>(
            c,
            name === 'annual'
              ? await reports.annual(registry)
              : await reports.accountTypes(registry),
          );
        const file = await reports.file(name, format, registry);
        return file.ok ? attachment(file.value) : problem(c, file.error);
      },
    );
  }
}
