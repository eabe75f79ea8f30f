// Methodology routes: the public catalogue (list, show with rendered equations, JSON Schema), the
// monitoring spreadsheet, the finder and estimator, and calculation of a monitoring report sent as
// XLSX, CSV or JSON. Nothing here changes state: anyone may recompute a published calculation.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import { methodologyJsonSchema, monitoringReportSchema } from '../core/methodology/format.ts';
import {
  readMethodologyText,
  reportFromShape,
  type MonitoringInput,
} from '../services/methodology-catalogue.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { issuesProblem, json, problem } from './problem.ts';

/** Largest monitoring file accepted by the calculate route (bytes). */
export const monitoringUploadBytesMax = 32 * 1024 * 1024;

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const answers = {
  200: { description: 'OK' },
  404: { description: 'No such methodology (problem+json)' },
  422: { description: 'Located errors (problem+json with `issues`)' },
};

const idParams = z.object({ id: z.string().max(20).openapi({ example: 'IN_AM001' }) });
const versionQuery = z.object({ version: z.string().max(10).optional() });
const sizeInputs = z.record(z.string().max(40), z.string().max(64));

export function registerMethodologyRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  const catalogue = platform.methodologies;
  const lookup = (c: Context, id: string, version?: string) => {
    const found = catalogue.get(id, version);
    if (found !== undefined) return found;
    return problem(c, {
      code: 'methodology_not_found',
      message: `no methodology ${id}${version === undefined ? '' : ` version ${version}`} in the catalogue`,
    });
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/methodologies',
      tags: ['methodologies'],
      summary: 'The catalogue (newest version of each)',
      responses: answers,
    }),
    () => json(catalogue.list()),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/methodologies/schema',
      tags: ['methodologies'],
      summary: 'JSON Schema of the methodology file format',
      responses: answers,
    }),
    () => json(methodologyJsonSchema()),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/methodologies/find',
      tags: ['methodologies'],
      summary: 'Methodologies for a partner country, technology words and sectoral scope',
      request: {
        query: z.object({
          country: z
            .string()
            .regex(/^[A-Za-z]{2}$/)
            .optional(),
          words: z.string().max(200).optional(),
          scope: z.coerce.number().int().min(1).max(15).optional(),
        }),
      },
      responses: answers,
    }),
    (c) => {
      const q = c.req.valid('query');
      return json(catalogue.find({ country: q.country, words: q.words, sectoralScope: q.scope }));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/methodologies/estimate',
      tags: ['methodologies'],
      summary: 'Find methodologies and estimate annual credits from size parameters',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z
                .object({
                  country: z
                    .string()
                    .regex(/^[A-Za-z]{2}$/)
                    .optional(),
                  words: z.string().max(200).optional(),
                  scope: z.number().int().min(1).max(15).optional(),
                  inputs: sizeInputs.default({}),
                })
                .strict(),
            },
          },
        },
      },
      responses: answers,
    }),
    (c) => {
      const body = c.req.valid('json');
      return json(
        catalogue.findAndEstimate(
          { country: body.country, words: body.words, sectoralScope: body.scope },
          body.inputs,
        ),
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/methodologies/validate',
      tags: ['methodologies'],
      summary: 'Check a methodology file (YAML or JSON text) and list every located error',
      request: { body: { content: { 'text/plain': { schema: z.string() } } } },
      responses: answers,
    }),
    async (c) => {
      const read = readMethodologyText(await c.req.text(), 'body');
      if (!read.ok)
        return issuesProblem(
          c,
          'methodology_invalid',
          'the methodology file has errors',
          read.issues,
        );
      return json({
        valid: true,
        id: read.methodology.file.id,
        version: read.methodology.file.version,
      });
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/methodologies/{id}',
      tags: ['methodologies'],
      summary: 'A methodology with its equations rendered',
      request: { params: idParams, query: versionQuery },
      responses: answers,
    }),
    (c) => {
      const found = lookup(c, c.req.valid('param').id, c.req.valid('query').version);
      return found instanceof Response ? found : json(catalogue.describe(found));
    },
  );
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
          'content-disposition': `attachment; filename="${found.file.id}-v${found.file.version}-monitoring.xlsx"`,
        },
      });
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/methodologies/{id}/estimate',
      tags: ['methodologies'],
      summary: 'Estimate annual credits of one methodology from its size parameters',
      request: {
        params: idParams,
        query: versionQuery,
        body: {
          content: { 'application/json': { schema: z.object({ inputs: sizeInputs }).strict() } },
        },
      },
      responses: answers,
    }),
    (c) => {
      const found = lookup(c, c.req.valid('param').id, c.req.valid('query').version);
      if (found instanceof Response) return found;
      const estimated = catalogue.estimate(found, c.req.valid('json').inputs);
      if (!estimated.ok)
        return issuesProblem(
          c,
          estimated.issues[0]?.code ?? 'estimate_input_missing',
          'the size parameters have errors',
          estimated.issues,
        );
      return json(estimated.estimate);
    },
  );
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
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === xlsxType) return { kind: 'xlsx', bytes: new Uint8Array(await c.req.arrayBuffer()) };
  if (type === 'text/csv') return { kind: 'csv', text: await c.req.text() };
  if (type === 'application/json') {
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
