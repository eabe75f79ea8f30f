// Keyset pagination, one shape for every list the platform serves (API, CLI, portal): rows in a
// stable order, a limit with a maximum, and an opaque cursor holding the sort key of the last row
// served. A cursor is never an offset, so a page costs the same at the millionth row as at the first.
import { daysInMonth } from './civil-date.ts';
import { hasControlCharacter } from './control-characters.ts';
import { ok, reject, type Result } from './result.ts';

export const pageSizeDefault = 50;
export const pageSizeMax = 500;
/**
 * A cursor longer than this is refused before it is decoded. Room for the longest key a list gives
 * out: the register's order by beneficiary holds the folded name (up to textLengthMax = 500
 * characters, up to 4 bytes each in UTF-8, or 2 for a quote JSON escapes), base64 of about 2,800.
 */
export const cursorLengthMax = 4096;

/** One part of a sort key: text or an integer (bigint, for serials, sequence numbers and ids). */
export type KeyPart = string | bigint;
/**
 * 'instant': text holding an ISO-8601 UTC instant as toISOString writes it (cast in SQL);
 * 'int4': an integer within PostgreSQL's int4 (a column of that type bound as such).
 */
export type KeyShape = readonly ('text' | 'int' | 'int4' | 'instant')[];

const isoInstant = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;

/** Whether a text is an instant as Date.toISOString writes it (a cursor's instant part). */
function isInstant(text: string): boolean {
  const m = isoInstant.exec(text);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const dayOk =
    year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  return dayOk && hour < 24 && minute < 60 && second < 60;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** The cursor of the next page, or null on the last page. */
  readonly next: string | null;
}

/** Encodes a sort key as an opaque, URL-safe cursor. */
export function encodeCursor(key: readonly KeyPart[]): string {
  const parts = key.map((p) => (typeof p === 'bigint' ? `i${p.toString()}` : `t${p}`));
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor against the shape of the list's sort key. */
export function decodeCursor(cursor: string, shape: KeyShape): Result<KeyPart[]> {
  const bad = reject<KeyPart[]>('page_cursor_invalid', 'the cursor is not one this list gave out');
  if (cursor.length === 0 || cursor.length > cursorLengthMax || !/^[A-Za-z0-9_-]+$/.test(cursor))
    return bad;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return bad;
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length) return bad;
  const key: KeyPart[] = [];
  for (const [i, part] of parsed.entries()) {
    if (typeof part !== 'string') return bad;
    const kind = shape[i];
    if ((kind === 'int' || kind === 'int4') && /^i-?\d{1,19}$/.test(part)) {
      const n = BigInt(part.slice(1));
      const bits = kind === 'int' ? 63n : 31n;
      if (n < -(2n ** bits) || n >= 2n ** bits) return bad;
      key.push(n);
    } else if (kind === 'text' && part.startsWith('t') && !hasControlCharacter(part)) {
      key.push(part.slice(1));
    } else if (kind === 'instant' && part.startsWith('t') && isInstant(part.slice(1))) {
      key.push(part.slice(1));
    } else return bad;
  }
  return ok(key);
}

/**
 * The page from rows fetched with a limit of `limit + 1` in the list's order: the extra row, when
 * present, only says that there is a next page.
 */
export function pageOf<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (row: T) => readonly KeyPart[],
): Page<T> {
  if (rows.length <= limit) return { items: rows, next: null };
  const items = rows.slice(0, limit);
  return { items, next: encodeCursor(keyOf(items[items.length - 1] as T)) };
}

/** The same page with its items mapped (rows to their public shape). */
export function mapPage<T, U>(page: Page<T>, fn: (item: T) => U): Page<U> {
  return { items: page.items.map(fn), next: page.next };
}

// Lane H1 (every list paginated): what a caller asks of a list, read the same way everywhere.

/** A page asked for: the cursor of the previous page's `next` (none: the first page) and a size. */
export interface PageRequest {
  readonly after?: string | undefined;
  readonly limit?: number | undefined;
}

/** The page size asked for, kept within 1..pageSizeMax (pageSizeDefault when none is given). */
export function pageLimit(request: PageRequest): number {
  const limit = request.limit ?? pageSizeDefault;
  if (!Number.isFinite(limit)) return pageSizeDefault;
  return Math.min(Math.max(1, Math.trunc(limit)), pageSizeMax);
}

/** The sort key after which a page starts: null for the first page, a rejection for a bad cursor. */
export function afterKey(request: PageRequest, shape: KeyShape): Result<KeyPart[] | null> {
  if (request.after === undefined) return ok(null);
  return decodeCursor(request.after, shape);
}
