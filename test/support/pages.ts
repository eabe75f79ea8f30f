// Every row of a paged list (lane H1): walks the pages of `list` with the largest page size, for
// tests that check a whole list rather than its pages.
import type { Page, PageRequest } from '../../src/core/shared/page.ts';
import type { Result } from '../../src/core/shared/result.ts';

export async function allItems<T>(
  list: (request: PageRequest) => Promise<Result<Page<T>>>,
): Promise<T[]> {
  const rows: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await list({ after, limit: 500 });
    if (!page.ok) throw new Error(`${page.error.code}: ${page.error.message}`);
    rows.push(...page.value.items);
    if (page.value.next === null) return rows;
    after = page.value.next;
  }
}
