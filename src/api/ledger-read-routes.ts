// Read routes of the registry and the reference data. Public: the registry's holdings are public
// information under the JCM's transparency rules.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { referenceTables, type Platform, type ReferenceTable } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { pageQuery } from './page-query.ts';
import { answer, json } from './problem.ts';

const ok = {
  200: { description: 'OK' },
  400: { description: 'Bad input (problem+json)' },
  404: { description: 'Not found (problem+json)' },
};

export function registerLedgerReads(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  registerReferenceRead(app, platform);
  registerRegistryReads(app, platform.queries);
  registerHoldingReads(app, platform.queries);
  registerDecisionReads(app, platform.queries);
}

/** A reference table (partner countries, sectoral scopes, gases...) with its source. */
function registerReferenceRead(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reference/{table}',
      tags: ['reference data'],
      summary: 'A reference table with its source',
      request: {
        params: z.object({
          table: z.enum(Object.keys(referenceTables) as [ReferenceTable, ...ReferenceTable[]]),
        }),
      },
      responses: ok,
    }),
    async (c) => json(await platform.reference(c.req.valid('param').table)),
  );
}

/** The registries, the accounts of one, and its journal. */
function registerRegistryReads(app: OpenAPIHono<AppEnv>, queries: Platform['queries']): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/registries',
      tags: ['registries'],
      summary: 'Registries with their journal heads',
      responses: ok,
    }),
    async () => json(await queries.listRegistries()),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/registries/{registry}/accounts',
      tags: ['accounts'],
      summary: 'Accounts of a registry with balances, by id; keyset pages ({ items, next })',
      request: { params: z.object({ registry: z.string() }), query: pageQuery },
      responses: ok,
    }),
    async (c) =>
      answer(c, await queries.listAccounts(c.req.valid('param').registry, c.req.valid('query'))),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/registries/{registry}/journal',
      tags: ['journal'],
      summary:
        'Journal entries of a registry (or JC-XX chain) by sequence number; keyset pages ({ items, next }); `after` also takes a sequence number',
      request: {
        params: z.object({ registry: z.string().regex(/^(JC-)?[A-Z]{2}$/) }),
        query: pageQuery,
      },
      responses: ok,
    }),
    async (c) =>
      answer(c, await queries.journal(c.req.valid('param').registry, c.req.valid('query'))),
  );
}

/** An account, the blocks it holds, and the block holding a serial number. */
function registerHoldingReads(app: OpenAPIHono<AppEnv>, queries: Platform['queries']): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{account}',
      tags: ['accounts'],
      summary: 'An account and its holdings per project and vintage',
      request: { params: z.object({ account: z.string() }) },
      responses: ok,
    }),
    async (c) => answer(c, await queries.account(c.req.valid('param').account)),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{account}/blocks',
      tags: ['accounts'],
      summary: 'The blocks an account holds, by project, vintage and serial; keyset pages',
      request: { params: z.object({ account: z.string() }), query: pageQuery },
      responses: ok,
    }),
    async (c) =>
      answer(c, await queries.blocks(c.req.valid('param').account, c.req.valid('query'))),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/blocks/{project}/{serial}',
      tags: ['blocks'],
      summary: 'The block holding a serial number, and the entry that put it there',
      request: { params: z.object({ project: z.string(), serial: z.string() }) },
      responses: ok,
    }),
    async (c) => {
      const { project, serial } = c.req.valid('param');
      return answer(c, await queries.blockBySerial(project, serial));
    },
  );
}

/** The issuance decisions and one with its allocation lines. */
function registerDecisionReads(app: OpenAPIHono<AppEnv>, queries: Platform['queries']): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/issuance-decisions',
      tags: ['issuance'],
      summary: 'Issuance decisions by project and first serial; keyset pages ({ items, next })',
      request: { query: pageQuery },
      responses: ok,
    }),
    async (c) => answer(c, await queries.listDecisions(c.req.valid('query'))),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/issuance-decisions/{decision}',
      tags: ['issuance'],
      summary: 'An issuance decision with its allocation lines',
      request: { params: z.object({ decision: z.string() }) },
      responses: ok,
    }),
    async (c) => answer(c, await queries.decision(c.req.valid('param').decision)),
  );
}
