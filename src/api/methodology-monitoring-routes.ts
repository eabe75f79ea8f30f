// The monitoring routes of one methodology: its spreadsheet to fill in, and calculation of a
// monitoring report sent as XLSX, CSV or JSON, each with its own located errors.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import { monitoringReportSchema } from '../core/methodology/format.ts';
import {
  reportFromShape,
  type MethodologyCatalogue,
  type MonitoringInput,
} from '../services/methodology-catalogue.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import {
  answers,
  idParams,
  versionQuery,
  xlsxType,
  type MethodologyLookup,
} from './methodology-route-shapes.ts';
import { isJsonContentType } from './content-types.ts';
import { contentDisposition, issuesProblem, json, problem } from './problem.ts';

/** GET /methodologies/{id}/template.xlsx: the monitoring spreadsheet. */
export function registerTemplateRoute(
  app: OpenAPIHono<AppEnv>,
  catalogue: MethodologyCatalogue,
  lookup: MethodologyLookup,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/methodologies/{id}/template.xlsx',
      tags: ['methodologies'],
      summary:
        'The monitoring spreadsheet, laid out like the worked example (fill=example fills it in)',
      request: {
        params: idParams,
        query: versionQuery.extend({ fill: z.enum(['example']).optional() }),
      },
      responses: { 200: { description: 'An XLSX workbook' }, 404: answers[404] },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const found = lookup(c, c.req.valid('param').id, query.version);
      if (found instanceof Response) return found;
      const bytes = await catalogue.template(
        found,
        query.fill === undefined ? {} : { fill: query.fill },
      );
      return new Response(new Uint8Array(bytes), {
        headers: {
          'content-type': xlsxType,
          'content-disposition': contentDisposition(
            `${found.file.id}-v${found.file.version}-monitoring.xlsx`,
          ),
        },
      });
    },
  );
}

/** POST /methodologies/{id}/calculate: a monitoring report calculated. */
export function registerCalculateRoute(
  app: OpenAPIHono<AppEnv>,
  platform: Platform,
  lookup: MethodologyLookup,
): void {
  // Registered for the OpenAPI document only: the handler reads the body itself, because a
  // monitoring report comes as XLSX, CSV or JSON and each has its own located errors.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/v1/methodologies/{id}/calculate',
    tags: ['methodologies'],
    summary:
      'Calculate a monitoring report: XLSX (the template filled in), CSV, or JSON like the worked example',
    request: {
      params: idParams,
      query: versionQuery,
      body: {
        content: {
          [xlsxType]: { schema: z.string().openapi({ format: 'binary' }) },
          'text/csv': { schema: z.string() },
          'application/json': { schema: monitoringReportSchema },
        },
      },
    },
    responses: answers,
  });
  app.post('/api/v1/methodologies/:id/calculate', async (c) => {
    const found = lookup(c, c.req.param('id'), c.req.query('version'));
    if (found instanceof Response) return found;
    const input = await monitoringInput(c);
    if (input instanceof Response) return input;
    return calculate(c, platform, found, input);
  });
}

async function monitoringInput(c: Context): Promise<MonitoringInput | Response> {
  const header = c.req.header('content-type');
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === xlsxType) return { kind: 'xlsx', bytes: new Uint8Array(await c.req.arrayBuffer()) };
  if (type === 'text/csv') return { kind: 'csv', text: await c.req.text() };
  if (isJsonContentType(header)) {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return problem(c, { code: 'malformed_json', message: 'the request body is not valid JSON' });
    }
    const parsed = monitoringReportSchema.safeParse(body);
    if (!parsed.success) {
      return issuesProblem(
        c,
        'monitoring_report_invalid',
        'the monitoring report does not match its schema',
        parsed.error.issues.slice(0, 100).map((i) => ({
          code: 'invalid_request',
          message: i.message,
          where: i.path.map(String).join('.') || '(body)',
        })),
      );
    }
    return { kind: 'report', report: reportFromShape(parsed.data, 'body') };
  }
  return problem(c, {
    code: 'content_type_unsupported',
    message: `send the monitoring report as ${xlsxType}, text/csv or application/json`,
  });
}

async function calculate(
  c: Context,
  platform: Platform,
  methodology: CompiledMethodology,
  input: MonitoringInput,
): Promise<Response> {
  const calculated = await platform.methodologies.calculate(methodology, input);
  // A file refused as a whole (too large, too many rows, the workers busy) keeps its own code.
  if (!calculated.ok && calculated.refused !== undefined) return problem(c, calculated.refused);
  if (!calculated.ok) {
    return issuesProblem(
      c,
      'monitoring_report_invalid',
      `the monitoring report has ${calculated.issues.length} error(s); nothing was calculated`,
      calculated.issues,
    );
  }
  return json(calculated.result);
}
