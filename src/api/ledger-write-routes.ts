// Write routes: one per registry command, each a POST whose body is the command's schema, with an
// Idempotency-Key header and ?dryRun=true; who may call each is settled by the edge's matrix, and
// path parameters fill the fields they name. An issuance decision has no route: it enters the ledger
// only from the project cycle, where the Joint Committee decides it on the stored verification.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { commandSchemas, type CommandName } from '../services/ledger-schemas.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { envelopeOf, writeHeaders, writeQuery, writeStatus } from './envelope.ts';
import { json, problem } from './problem.ts';

interface WriteRoute {
  readonly name: CommandName;
  readonly path: string;
  readonly summary: string;
  readonly pathFields?: readonly string[];
}

const writeRoutes: readonly WriteRoute[] = [
  {
    name: 'open_registry',
    path: '/api/v1/registries',
    summary:
      "Open a registry (Japan's or a partner's) with its retirement, cancellation and reserve accounts",
  },
  {
    name: 'open_account',
    path: '/api/v1/registries/{registry}/accounts',
    summary: 'Open a holding or government holding account',
    pathFields: ['registry'],
  },
  {
    name: 'freeze_account',
    path: '/api/v1/accounts/{account}/freeze',
    summary: 'Freeze an account',
    pathFields: ['account'],
  },
  {
    name: 'unfreeze_account',
    path: '/api/v1/accounts/{account}/unfreeze',
    summary: 'Unfreeze an account',
    pathFields: ['account'],
  },
  {
    name: 'close_account',
    path: '/api/v1/accounts/{account}/close',
    summary: 'Close an empty account',
    pathFields: ['account'],
  },
  {
    name: 'issue',
    path: '/api/v1/registries/{registry}/issuances',
    summary: 'Issue one allocation line of a decision (exactly once)',
    pathFields: ['registry'],
  },
  {
    name: 'transfer',
    path: '/api/v1/transfers',
    summary: 'Transfer credits between accounts of one registry',
  },
  {
    name: 'retire',
    path: '/api/v1/retirements',
    summary: 'Retire credits for a purpose and beneficiary',
  },
  { name: 'cancel', path: '/api/v1/cancellations', summary: 'Cancel credits' },
  {
    name: 'release',
    path: '/api/v1/releases',
    summary:
      'Release credits from the reserve account (CCS credits enter it only at issuance, by the reserve share of the methodology)',
  },
  {
    name: 'reverse',
    path: '/api/v1/registries/{registry}/reversals',
    summary: 'Reverse a transfer or a release from the reserve by a new entry',
    pathFields: ['registry'],
  },
];

const responses = {
  201: { description: 'Committed: the journal entry and its event' },
  200: { description: 'Replayed: the original result of this idempotency key' },
  400: { description: 'Bad input (problem+json)' },
  401: { description: 'No development token' },
  403: { description: 'Actor not authorised' },
  404: { description: 'Unknown registry, account, decision or entry' },
  409: { description: 'Conflict, e.g. idempotency key reused with other input' },
  422: { description: 'Refused by a registry rule' },
};

export function registerLedgerWrites(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  for (const route of writeRoutes) {
    const fields = route.pathFields ?? [];
    const full = commandSchemas[route.name] as unknown as z.ZodObject;
    const body =
      fields.length === 0
        ? full
        : full.omit(Object.fromEntries(fields.map((f) => [f, true])) as never);
    const params = z.object(Object.fromEntries(fields.map((f) => [f, z.string()])));
    app.openapi(
      createRoute({
        method: 'post',
        path: route.path,
        tags: ['ledger commands'],
        summary: route.summary,
        security: [{ devToken: [] }],
        request: {
          params,
          headers: writeHeaders,
          query: writeQuery,
          body: { required: true, content: { 'application/json': { schema: body } } },
        },
        responses,
      }),
      (c) =>
        handleWrite(
          c,
          platform,
          route,
          c.req.valid('json' as never) as Record<string, unknown>,
          c.req.valid('param' as never) as Record<string, string>,
        ),
    );
  }
}

async function handleWrite(
  c: Context<AppEnv>,
  platform: Platform,
  route: WriteRoute,
  body: Record<string, unknown>,
  params: Record<string, string>,
): Promise<Response> {
  // The service checks the whole command, path parameters included, with the command's schema.
  const result = await platform.ledger.execute(route.name, envelopeOf(c, { ...body, ...params }));
  if (!result.ok) return problem(c, result.error);
  const { entry, event, replayed } = result.value;
  return json({ entry, event, replayed }, writeStatus(c, replayed));
}
