// The page options of every CLI list (lane H1): `--after <cursor>` (the `next` a previous page
// printed) and `--limit <n>` (1 to 500). A table is followed by the command line of the next page;
// with --json the page itself is printed, `{ items, next }`.
import type { Command } from 'commander';
import { cursorLengthMax, pageSizeDefault, pageSizeMax } from '../core/shared/page.ts';
import type { Page, PageRequest } from '../core/shared/page.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Output } from './output.ts';

/** Adds --after and --limit to a list command. */
export function withPageOptions(command: Command): Command {
  return command
    .option('--after <cursor>', 'start after this cursor (the "next" of the previous page)')
    .option('--limit <n>', `rows per page, 1 to ${pageSizeMax}`, String(pageSizeDefault));
}

/** The page asked for on the command line, or a clear refusal. */
export function pageRequestOf(opts: Record<string, unknown>): Result<PageRequest> {
  const limitText = String(opts['limit'] ?? pageSizeDefault);
  const limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > pageSizeMax)
    return reject('invalid_request', `--limit is a whole number from 1 to ${pageSizeMax}`);
  const after = opts['after'];
  if (after === undefined) return ok({ limit });
  const text = String(after);
  if (text.length > cursorLengthMax || !/^[A-Za-z0-9_-]+$/.test(text))
    return reject('page_cursor_invalid', '--after takes the cursor a previous page printed');
  return ok({ after: text, limit });
}

/** Prints a page: the page as JSON with --json, else the table and how to ask for the next page. */
export function printPage<T>(out: Output, page: Page<T>, text: (items: readonly T[]) => string) {
  out.data(page, () =>
    page.next === null ? text(page.items) : `${text(page.items)}\nnext page: --after ${page.next}`,
  );
}

/**
 * The body of every list command: the page asked for on the command line, the page `read` gives for
 * it, then the page printed (`text` makes the table of its rows); a refusal of either, as the CLI
 * prints refusals. `read` checks a list's own options (a filter) and may refuse them, after the page.
 */
export async function printList<T>(
  out: Output,
  opts: Record<string, unknown>,
  read: (request: PageRequest) => Promise<Result<Page<T>>>,
  text: (items: readonly T[]) => string,
): Promise<void> {
  const request = pageRequestOf(opts);
  if (!request.ok) return out.rejection(request.error);
  const page = await read(request.value);
  if (!page.ok) return out.rejection(page.error);
  printPage(out, page.value, text);
}
