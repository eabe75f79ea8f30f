// The pages of every paged list of the portal and the back office (lane H1): the one reading of a
// page's query (`after` and `limit`), and the "next page" link under the list, a plain link carrying
// the cursor in `after` (and the page's other query parameters), so it works without JavaScript;
// the first-page link returns to the start.
import { html } from 'hono/html';
import { pageSizeDefault, pageSizeMax } from '../core/shared/page.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Html } from './layout.ts';

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
  const after = query.after === undefined || query.after === '' ? undefined : query.after;
  if (query.limit === undefined || query.limit === '') return ok({ after, limit: sizes.fallback });
  const limit = /^\d{1,6}$/.test(query.limit) ? Number(query.limit) : 0;
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
