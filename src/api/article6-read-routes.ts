// Article 6.2 reads, public: the cooperative approaches, the authorisations with their versions and
// the finalised periods (keyset pages, `{ items, next }`), a Party's actions of a year (keyset
// pages), its corresponding adjustments, its AEF (JSON, XLSX, or CSV per table) with the reviewer's
// checks, and a credit's ITMO status.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { aefTableKeys } from '../core/article6/aef-description.ts';
import { partyPattern, yearMax, yearMin } from '../core/article6/types.ts';
import { parseProjectRef } from '../core/shared/ids.ts';
import { parseSerial } from '../core/shared/numbers.ts';
import { actionsPageSizeMax } from '../services/article6-reads.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { pageQuery } from './page-query.ts';
import { answer, contentDisposition, json, problem } from './problem.ts';

const tags = ['Article 6.2'];
const answers = {
  200: { description: 'OK' },
  400: { description: 'A malformed Party, year, page or serial (problem+json)' },
  404: { description: 'Not found (problem+json)' },
  422: { description: 'No NDC information for the year (problem+json)' },
};
const partyParam = z.object({
  party: z.string().regex(partyPattern, 'a Party, ISO 3166 alpha-3').openapi({ example: 'JPN' }),
});
const yearQuery = z.object({
  year: z.coerce.number().int().min(yearMin).max(yearMax).openapi({ example: 2026 }),
});
const cursorPattern = /^([A-Z]{2}|JC-[A-Z]{2}):(\d{1,18}):(\d{1,6})$/;

export function registerArticle6Reads(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  const q = platform.article6.queries;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/article6/approaches',
      tags,
      summary:
        'The cooperative approaches (latest versions), by partnership; keyset pages ({ items, next })',
      request: { query: pageQuery },
      responses: { 200: answers[200], 400: answers[400] },
    }),
    async (c) => answer(c, await q.approaches(c.req.valid('query'))),
  );
  const partyQuery = pageQuery.extend({ party: z.string().regex(partyPattern).optional() });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/article6/authorisations',
      tags,
      summary:
        'Authorisations with every version, their confirmations and the credits they cover, by id; keyset pages ({ items, next })',
      request: { query: partyQuery },
      responses: { 200: answers[200], 400: answers[400] },
    }),
    async (c) => {
      const { party, ...request } = c.req.valid('query');
      return answer(c, await q.authorisations({ party }, request));
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/article6/finalisations',
      tags,
      summary:
        'The periods each Party finalised (decision 2/CMA.3, annex, paragraph 12), by Party and first year; keyset pages ({ items, next })',
      request: { query: partyQuery },
      responses: { 200: answers[200], 400: answers[400] },
    }),
    async (c) => {
      const { party, ...request } = c.req.valid('query');
      return answer(c, await q.finalisations({ party }, request));
    },
  );
  registerPartyReads(app, platform);
  registerAefRoutes(app, platform);
  registerItmoRoute(app, platform);
}

const formats = ['json', 'xlsx', 'csv'] as const;

function registerAefRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/article6/parties/{party}/aef',
      tags,
      summary:
        "A Party's AEF for a reported year: JSON (with the checks), XLSX (one sheet per table) or one table's CSV",
      request: {
        params: partyParam,
        query: yearQuery.extend({
          format: z.enum(formats).default('json'),
          table: z.enum(aefTableKeys).optional(),
        }),
      },
      responses: answers,
    }),
    async (c) => {
      const { year, format, table } = c.req.valid('query');
      const file = await platform.article6.aefFile(c.req.valid('param').party, year, format, table);
      if (!file.ok) return problem(c, file.error);
      return new Response(new Uint8Array(file.value.bytes), {
        headers: {
          'content-type': file.value.mediaType,
          'content-disposition': contentDisposition(file.value.fileName),
        },
      });
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/article6/parties/{party}/aef/check',
      tags,
      summary:
        "The reviewer's consistency checks on a Party's AEF: each failure with its code and rows",
      request: { params: partyParam, query: yearQuery },
      responses: answers,
    }),
    async (c) => {
      const report = await platform.article6.aef(
        c.req.valid('param').party,
        c.req.valid('query').year,
      );
      return report.ok
        ? json({ passed: report.value.failures.length === 0, failures: report.value.failures })
        : problem(c, report.error);
    },
  );
}

function registerItmoRoute(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/article6/itmos/{project}/{serial}',
      tags,
      summary:
        "A credit's ITMO identifier and status: approach, authorisation, first transfer, use or cancellation",
      request: { params: z.object({ project: z.string().max(16), serial: z.string().max(24) }) },
      responses: answers,
    }),
    async (c) => {
      const { project, serial } = c.req.valid('param');
      const ref = parseProjectRef(project);
      if (!ref.ok) return problem(c, ref.error);
      const number = parseSerial(serial);
      if (!number.ok) return problem(c, number.error);
      const status = await platform.article6.itmoStatus(ref.value, number.value);
      return status === null
        ? problem(c, {
            code: 'block_not_found',
            message: `no block holds ${project} serial ${serial}`,
          })
        : json(status);
    },
  );
}

function registerPartyReads(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  const q = platform.article6.queries;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/article6/parties/{party}/actions',
      tags,
      summary:
        "A Party's actions of a year, each naming its journal entry; keyset pages (after=chain:seq:n)",
      request: {
        params: partyParam,
        query: yearQuery.extend({
          after: z.string().regex(cursorPattern, 'a cursor chain:seq:n').optional(),
          limit: z.coerce.number().int().min(1).max(actionsPageSizeMax).default(100),
        }),
      },
      responses: { 200: answers[200], 400: answers[400] },
    }),
    async (c) => {
      const { year, after, limit } = c.req.valid('query');
      const m = after === undefined ? null : cursorPattern.exec(after);
      const page = await q.partyActions(c.req.valid('param').party, year, {
        limit,
        ...(m === null
          ? {}
          : { after: { chain: m[1] ?? '', seq: BigInt(m[2] ?? '0'), n: Number(m[3]) } }),
      });
      return json({
        actions: page.actions,
        next: page.next === null ? null : `${page.next.chain}:${page.next.seq}:${page.next.n}`,
      });
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/article6/parties/{party}/balance',
      tags,
      summary:
        "A Party's corresponding adjustments by its method and its emissions balance through a year",
      request: { params: partyParam, query: yearQuery },
      responses: answers,
    }),
    async (c) => {
      const result = await platform.article6.balance(
        c.req.valid('param').party,
        c.req.valid('query').year,
      );
      return result.ok ? json(result.value) : problem(c, result.error);
    },
  );
}
