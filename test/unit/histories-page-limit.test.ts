// The histories' service keeps a page within 1..pageSizeMax whatever a caller asks (issue 15 review):
// a limit of 0 made pageOf read the key of a row that is not there (TypeError, 500), and a limit
// above the maximum reached SQL.
import { describe, expect, it } from 'vitest';
import { pageSizeMax } from '../../src/core/shared/page.ts';
import type { HistoryQueries } from '../../src/db/history-queries.ts';
import type { PortalQueries } from '../../src/db/portal-queries.ts';
import { Histories } from '../../src/services/histories.ts';

function histories(limits: number[]) {
  const page = (_p: unknown, _a: unknown, limit: number) => {
    limits.push(limit);
    return Promise.resolve({ items: [], next: null });
  };
  const queries = {
    project: page,
    retirements: page,
    serial: (_p: unknown, _s: unknown, _a: unknown, limit: number) => page(0, 0, limit),
  } as unknown as HistoryQueries;
  return new Histories(queries, {} as PortalQueries);
}

describe('histories: page limits', () => {
  it('asks the queries for 1..pageSizeMax rows whatever the request says', async () => {
    const limits: number[] = [];
    const h = histories(limits);
    for (const limit of [0, -5, 10_000, Number.NaN, undefined]) {
      expect((await h.project('IN001', { limit })).ok).toBe(true);
      expect((await h.serial('IN001', '7', { limit })).ok).toBe(true);
      expect((await h.retirements('Ac', { limit })).ok).toBe(true);
    }
    expect(limits.every((l) => Number.isInteger(l) && l >= 1 && l <= pageSizeMax)).toBe(true);
  });
});
