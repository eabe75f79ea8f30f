// The pages of every paged list of the portal and the back office (lane H1): the one reading of a
// page's query (`after` and `limit`), and the "next page" link under the list, a plain link carrying
// the cursor in `after` (and the page's other query parameters), so it works without JavaScript;
// the first-page link returns to the start. And the page shown for a cursor a list did not give out.
import { html } from 'hono/html';
import { errorCodes } from '../core/shared/error-codes.ts';
import { pageSizeDefault, pageSizeMax, type PageRequest } from '../core/shared/page.ts';
import { ok, reject, type Rejection, type Result } from '../core/shared/result.ts';
import { page, type Html } from './layout.ts';

/**
 * A Joint Committee decision on the decisions page, which shows a page at a time: the page that
 * starts with it (`from`), at its row.
 */
export function decisionHref(id: string): string {
  return `/decisions?from=${encodeURIComponent(id)}#${id}`;
}

/**
 * The `after` of a list page's query: undefined for the first page (no cursor, or an empty one).
 */
export function afterParam(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The page a list page's query asks for, as the lists take it: `limit` left out when none was given
 * (the list's own default), else as `pageAsked` reads it.
 */
export function listRequest(
  after: string | undefined,
  limit: string | undefined,
): Result<PageRequest> {
  const asked = pageAsked({ after, limit });
  if (!asked.ok) return asked;
  return ok(limit === undefined || limit === '' ? { after: asked.value.after } : asked.value);
}

/** The query parameters the links of a page keep: its limit, when one was asked. */
export function limitQuery(request: PageRequest): Record<string, string | undefined> {
  return { limit: request.limit === undefined ? undefined : String(request.limit) };
}

/**
 * A list page refused (a cursor the list did not give out, `page_cursor_invalid`, or a bad limit,
 * `invalid_request`; both answered 400): the refusal in words with its code, and the link to the
 * list's first page.
 */
export function refusedList(error: Rejection, section: string, first: string): Html {
  const body = html`<div role="alert">
      <p>${errorCodes[error.code]}</p>
      <p>${error.message}.</p>
      <p class="note">Code: <code id="refusal-code">${error.code}</code></p>
    </div>
    <p>See <a href="${first}">the first page</a>.</p>`;
  return page('Not available', section, body);
}

/** The page a query asks for: the cursor as given (checked by the list that reads it) and a size. */
export interface PageAsked {
  readonly after: string | undefined;
  readonly limit: number;
}

/**
 * `after` and `limit` of a page's query: the limit a whole number from 1 to `sizes.max` (the
 * default when absent or empty), else `invalid_request`; an empty `after` is the first page.
 */
export function pageAsked(
  query: { readonly after?: string | undefined; readonly limit?: string | undefined },
  sizes: { readonly max: number; readonly fallback: number } = {
    max: pageSizeMax,
    fallback: pageSizeDefault,
  },
): Result<PageAsked> {
  const after = afterParam(query.after);
  if (query.limit === undefined || query.limit === '') return ok({ after, limit: sizes.fallback });
  const limit = /^[1-9]\d{0,5}$/.test(query.limit) ? Number(query.limit) : 0;
  if (limit < 1 || limit > sizes.max)
    return reject('invalid_request', `limit: a whole number from 1 to ${sizes.max}`, {
      limit: `1 to ${sizes.max}`,
    });
  return ok({ after, limit });
}

/** A link to `path` with the query parameters given (undefined ones left out). */
export function pageHref(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/**
 * The links under a page of a list: "Next page" when there is one (its cursor in `after`), "First
 * page" when this is not the first; `query` holds the page's other parameters, `param` names the
 * cursor's parameter (when a page holds more than one list).
 */
export function pageLinks(
  path: string,
  page: { readonly next: string | null },
  current: string | undefined,
  query: Record<string, string | undefined> = {},
  label = 'page',
  param = 'after',
): Html | '' {
  if (page.next === null && current === undefined) return '';
  const next =
    page.next === null
      ? ''
      : html`<a
          rel="next"
          class="next-page"
          href="${pageHref(path, { ...query, [param]: page.next })}"
          >Next ${label}</a
        >`;
  const first =
    current === undefined ? '' : html` <a href="${pageHref(path, query)}">First ${label}</a>`;
  return html`<p class="page-links">${next}${first}</p>`;
}
