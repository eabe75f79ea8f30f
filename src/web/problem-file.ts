// A refused download from a portal page, answered as problem+json like the API's refusals (the web
// layer keeps its own statuses: it may not import src/api).
import type { Context } from 'hono';
import type { Rejection } from '../core/shared/result.ts';
import type { AppEnv } from '../services/request-scope.ts';

export function problemFile(c: Context<AppEnv>, error: Rejection, status: number): Response {
  const body = {
    type: `https://jcm.example/errors/${error.code}`,
    title: error.code,
    status,
    code: error.code,
    detail: error.message,
    requestId: c.get('requestId'),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}
