// What the edge checks of every request's input before any route sees it, the same way for every
// route: a JSON route (one whose OpenAPI request body is application/json) takes only
// `application/json`, optionally with `charset=utf-8`; and no text may carry a control character
// other than tab, CR and LF (control-characters.ts), in the path, the query string, a JSON body
// (any string or key at any depth) or a form body (field names, values and file names).
import type { Context, Next } from 'hono';
import { isJsonContentType } from '../api/content-types.ts';
import { pathPattern } from './authorisation.ts';
import { problem } from '../api/problem.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { controlCharacterIn, hasControlCharacter } from '../core/shared/control-characters.ts';

type Ctx = Context<AppEnv>;

/** An operation by method and OpenAPI path template (`/api/v1/tokens/{id}`). */
export interface Operation {
  readonly method: string;
  readonly path: string;
}

/** Refuses, with 415, a body of any other type on the JSON routes; 400 when there is no body. */
export function jsonOnly(routes: readonly Operation[]) {
  const compiled = routes.map((r) => ({
    method: r.method.toUpperCase(),
    pattern: pathPattern(r.path),
  }));
  // Reads take no body: their requests skip the patterns at once.
  const methods = new Set(compiled.map((r) => r.method));
  return async (c: Ctx, next: Next) => {
    if (!methods.has(c.req.method)) return next();
    if (!compiled.some((r) => r.method === c.req.method && r.pattern.test(c.req.path)))
      return next();
    const type = c.req.header('content-type');
    if (isJsonContentType(type)) return next();
    if (type === undefined && (c.req.raw.body === null || c.req.header('content-length') === '0')) {
      return problem(c, {
        code: 'invalid_request',
        message: 'this operation takes a JSON body (Content-Type: application/json)',
        details: { '(body)': 'required' },
      });
    }
    return problem(c, {
      code: 'content_type_unsupported',
      message: 'this operation takes application/json (optionally with charset=utf-8)',
    });
  };
}

const formType = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;
const unreadableForm = (c: Ctx) =>
  problem(c, {
    code: 'invalid_request',
    message: 'the form body cannot be read as its Content-Type says',
    details: { '(body)': 'not a readable form' },
  });

/** The form body, parsed once for every reader after (hono keeps it), or null if it is not one. */
async function formOf(c: Ctx): Promise<Record<string, unknown> | null> {
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    return null;
  }
}

/**
 * A web form's body for the login and back-office checks, which read it after authenticating the
 * caller (no anonymous parsing of back-office forms): a body that is not the form its type says (a
 * multipart body without its boundary) is answered 400 `invalid_request`. Every reader gets
 * `all: true` (hono keeps the first parse whatever options later readers pass).
 */
export async function formOrRefusal(c: Ctx): Promise<Record<string, unknown> | Response> {
  return (await formOf(c)) ?? unreadableForm(c);
}

type Found = { readonly kind: 'control'; readonly where: string } | { readonly kind: 'unreadable' };

/** Refuses, with 400, a control character in the path, the query string or a JSON or form body. */
export function noControlCharacters() {
  return async (c: Ctx, next: Next) => {
    const url = inUrl(c.req.url);
    const found: Found | null = url === null ? await inBody(c) : { kind: 'control', where: url };
    if (found === null) return next();
    if (found.kind === 'unreadable') return unreadableForm(c);
    return controlRefused(c, found.where);
  };
}

/**
 * The same refusal for a request without a body (GET and HEAD: the fast path of public reads,
 * edge.ts): a control character in the path or the query string, or null.
 */
export function controlCharacterInUrl(c: Ctx): Response | null {
  const where = inUrl(c.req.url);
  return where === null ? null : controlRefused(c, where);
}

function controlRefused(c: Ctx, where: string): Response {
  return problem(c, {
    code: 'control_character_refused',
    message: `control characters other than tab, CR and LF are refused (${where})`,
  });
}

/**
 * A refused character can reach the URL only percent-encoded (node's parser refuses raw control
 * bytes in the request line, and the URL parser percent-encodes every byte above 0x7E), so a URL
 * without a `%` or any such byte needs no decoding: the common case costs one scan.
 */
// eslint-disable-next-line no-control-regex -- the bytes a refused character can hide in
const mayHideControl = /[%\u0000-\u001F\u007F-\uFFFF]/;

function inUrl(address: string): string | null {
  if (!mayHideControl.test(address)) return null;
  const url = new URL(address);
  const segments = url.pathname.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  if (segments.some(hasControlCharacter)) return 'the path';
  for (const [key, value] of url.searchParams) {
    if (hasControlCharacter(key) || hasControlCharacter(value)) return 'the query string';
  }
  return null;
}

async function inBody(c: Ctx): Promise<Found | null> {
  // GET and HEAD carry no body to the application (@hono/node-server reads none for them); asking
  // for c.req.raw.body would build the full web Request on every read for nothing.
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return null;
  if (c.req.raw.body === null) return null;
  const type = c.req.header('content-type') ?? '';
  // Any spelling a route might read as JSON (the monitoring upload lowercases the type).
  if (/^application\/json\s*(;|$)/i.test(type)) {
    let value: unknown;
    try {
      value = JSON.parse(await c.req.text());
    } catch {
      return null; // the route's own parser answers malformed_json
    }
    const at = controlCharacterIn(value);
    return at === null ? null : { kind: 'control', where: `the body at ${at}` };
  }
  if (formType.test(type)) {
    const form = await formOf(c);
    if (form === null) return { kind: 'unreadable' };
    for (const [key, entry] of Object.entries(form)) {
      const texts = [entry].flat().map((v) => (v instanceof File ? v.name : String(v)));
      if (hasControlCharacter(key) || texts.some(hasControlCharacter))
        return { kind: 'control', where: `the form field ${key.replace(/[^\w-]/g, '?')}` };
    }
  }
  return null;
}
