// The write envelope of an API request: the actor the edge authenticated, the Idempotency-Key
// header, `?dryRun=true` (decide and answer without writing) and the validated input.
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import { assert } from '../core/shared/assert.ts';
import type { Actor } from '../core/ledger/actor.ts';
import type { AppEnv } from '../services/request-scope.ts';
import type { WriteEnvelope } from '../services/write-pipeline.ts';

/** The actor of a write route (access.ts refuses every write without one before a route runs). */
export function actorOf(c: Context<AppEnv>): Actor {
  const actor = c.get('actor');
  assert(actor !== null, `the edge authenticated ${c.req.method} ${c.req.path}`);
  return actor;
}

export function isDryRun(c: Context<AppEnv>): boolean {
  return c.req.query('dryRun') === 'true';
}

export function envelopeOf<I>(c: Context<AppEnv>, input: I): WriteEnvelope<I> {
  return {
    actor: actorOf(c),
    idempotencyKey: c.req.header('idempotency-key'),
    dryRun: isDryRun(c),
    input,
  };
}

/** The headers and query every write route documents. */
export const writeHeaders = z.object({
  'idempotency-key': z.string().max(128).optional().openapi({
    description:
      'Required on writes that change the registries, the cycle or the organisations. A ledger write records its key in the public journal (the entry hash covers it, so anyone verifying the hash sees it): use an opaque value, never personal data',
  }),
});
export const writeQuery = z.object({
  dryRun: z.enum(['true', 'false']).optional().openapi({
    description: 'true: decide and answer as the write would, writing nothing',
  }),
});

/** 201 for a write that happened, 200 for a dry run or the replay of an earlier answer. */
export function writeStatus(c: Context<AppEnv>, replayed: boolean | undefined = false): 200 | 201 {
  return isDryRun(c) || replayed === true ? 200 : 201;
}
