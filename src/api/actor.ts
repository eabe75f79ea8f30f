// Development authentication: a bearer token shared by the deployment, and the actor and roles named
// in headers. Real user accounts replace this later; every write already records its actor.
import type { Context } from 'hono';
import { parseRoles, type Actor } from '../core/ledger/actor.ts';
import { reject, type Result } from '../core/shared/result.ts';
import { timingSafeEqual } from 'node:crypto';

export function actorFromRequest(c: Context, devToken: string): Result<Actor> {
  const header = c.req.header('authorization') ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  const a = Buffer.from(token);
  const b = Buffer.from(devToken);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    return reject('unauthenticated', 'send Authorization: Bearer <development token>');
  const id = (c.req.header('x-jcm-actor') ?? '').trim();
  if (!/^[A-Za-z0-9._:@-]{1,64}$/.test(id))
    return reject(
      'invalid_request',
      'X-JCM-Actor names the acting person or system (1-64 of [A-Za-z0-9._:@-])',
    );
  return parseRoles(id, c.req.header('x-jcm-roles') ?? '');
}
