// Article 6.2 write routes: the cooperative approach recorded from the partnership's record, a
// Party's authorisation and its versions, another Party's confirmation, credits assigned to an OIMP
// authorisation, a finalised period. Each is a registry command with the usual envelope
// (Idempotency-Key, ?dryRun=true); who may call each is settled by the edge's matrix, and the core
// checks that the actor is the government of the Party concerned.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Result } from '../core/shared/result.ts';
import {
  approachInputSchema,
  authorisationInputSchema,
  authoriseUnitsInputSchema,
  confirmationInputSchema,
  finalisationInputSchema,
} from '../services/article6-schemas.ts';
import type { Recorded } from '../services/article6.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import type { WriteEnvelope } from '../services/write-pipeline.ts';
import { envelopeOf, isDryRun, writeHeaders, writeQuery, writeStatus } from './envelope.ts';
import { json, problem } from './problem.ts';

const responses = {
  201: { description: 'Committed: the journal entry and its event' },
  202: {
    description:
      'Forwarded to the peer deployment that hosts the registry (issue 16): the peer and the message number',
  },
  200: { description: 'Replayed, or a dry run' },
  400: { description: 'Bad input (problem+json)' },
  401: { description: 'Not authenticated' },
  403: { description: 'Not the government of the Party (or the Joint Committee)' },
  404: { description: 'Unknown approach, authorisation, partnership or account' },
  409: { description: 'Refused by an Article 6.2 rule (finalised period, cap, confirmation...)' },
  422: { description: 'Refused: the content breaks a rule' },
};

interface Article6WriteRoute {
  readonly path: string;
  readonly summary: string;
  readonly body: z.ZodType;
  readonly params?: z.ZodObject;
  readonly run: (
    platform: Platform,
    envelope: WriteEnvelope,
    params: Record<string, string>,
  ) => Promise<Result<Recorded>>;
}

const routes: readonly Article6WriteRoute[] = [
  {
    path: '/api/v1/article6/approaches',
    summary:
      'Record the cooperative approach of a partnership from its record (a new version when the record changed): Parties, NDCs, Party registry ids, initial-report information',
    body: approachInputSchema,
    run: (p, e) => p.article6Writes.recordApproach(e),
  },
  {
    path: '/api/v1/article6/authorisations',
    summary:
      "Record a Party's authorisation; the same id again records a new version, and the history is kept",
    body: authorisationInputSchema,
    run: (p, e) => p.article6Writes.recordAuthorisation(e),
  },
  {
    path: '/api/v1/article6/registries/{registry}/confirmations',
    summary:
      "Confirm the version in force of another Party's authorisation of credits in this registry",
    body: confirmationInputSchema,
    params: z.object({ registry: z.string().max(8) }),
    run: (p, e, params) => p.article6Writes.confirmAuthorisation(params.registry ?? '', e),
  },
  {
    path: '/api/v1/article6/assignments',
    summary:
      'Assign credits held in the authorising Party\'s registry to its OIMP authorisation (first transferred now under the "authorization" definition, at their use or cancellation otherwise)',
    body: authoriseUnitsInputSchema,
    run: (p, e) => p.article6Writes.authoriseUnits(e),
  },
  {
    path: '/api/v1/article6/finalisations',
    summary:
      "Finalise a Party's additions and subtractions for years of its NDC period (decision 2/CMA.3, annex, paragraph 12); they never change afterwards",
    body: finalisationInputSchema,
    run: (p, e) => p.article6Writes.finalise(e),
  },
];

export function registerArticle6Writes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  for (const route of routes) {
    app.openapi(
      createRoute({
        method: 'post',
        path: route.path,
        tags: ['Article 6.2'],
        summary: route.summary,
        security: [{ devToken: [] }],
        request: {
          ...(route.params === undefined ? {} : { params: route.params }),
          headers: writeHeaders,
          query: writeQuery,
          body: { required: true, content: { 'application/json': { schema: route.body } } },
        },
        responses,
      }),
      (c) => handle(c, platform, route),
    );
  }
}

async function handle(
  c: Context<AppEnv>,
  platform: Platform,
  route: Article6WriteRoute,
): Promise<Response> {
  // The service checks the body again with the same schema, so that the CLI and forms refuse alike.
  const body = c.req.valid('json' as never) as unknown;
  const params = (route.params === undefined ? {} : c.req.valid('param' as never)) as Record<
    string,
    string
  >;
  const result = await route.run(platform, envelopeOf(c, body), params);
  if (!result.ok) return problem(c, result.error);
  const value = result.value;
  // A record for a registry a peer deployment hosts is forwarded there: accepted, not yet recorded.
  if ('forwarded' in value)
    return json(
      { forwarded: value.forwarded, replayed: value.replayed === true },
      value.replayed === true || isDryRun(c) ? 200 : 202,
    );
  const { entry, event, replayed } = value;
  return json({ entry, event, replayed }, writeStatus(c, replayed));
}
