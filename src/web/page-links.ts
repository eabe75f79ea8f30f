// The "next page" link under every paged list of the portal and the back office (lane H1): a plain
// link carrying the cursor in `after` (and the page's other query parameters), so it works without
// JavaScript; the first-page link returns to the start.
import { html } from 'hono/html';
import type { Html } from './layout.ts';

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
