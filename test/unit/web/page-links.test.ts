// The page a portal or back-office list page asks for (`after`, `limit`), read as the API reads it:
// a limit from 1 to 500 or the default, anything else `invalid_request`; and the links that open the
// page starting with one decision or one authorisation.
import { describe, expect, it } from 'vitest';
import { pageSizeMax } from '../../../src/core/shared/page.ts';
import { authorisationHref } from '../../../src/web/article6-links.ts';
import { decisionHref, limitQuery, listRequest } from '../../../src/web/page-links.ts';

describe("a list page's query", () => {
  it.each([
    [undefined, undefined, { after: undefined }],
    ['', '', { after: undefined }],
    ['abc', '2', { after: 'abc', limit: 2 }],
    [undefined, String(pageSizeMax), { after: undefined, limit: pageSizeMax }],
  ])('reads after=%j and limit=%j', (after, limit, expected) => {
    expect(listRequest(after, limit)).toEqual({ ok: true, value: expected });
  });

  it.each(['0', '501', '-1', 'abc', '1e2', '2.5', '0002', ' 2'])('refuses limit=%j', (limit) => {
    const read = listRequest(undefined, limit);
    expect(read.ok ? 'read' : read.error.code).toBe('invalid_request');
  });

  it('keeps the limit asked in the links of the page, and no limit when none was asked', () => {
    expect(limitQuery({ limit: 2 })).toEqual({ limit: '2' });
    expect(limitQuery({})).toEqual({ limit: undefined });
  });

  it('links a decision and an authorisation to the page that starts with it, at its anchor', () => {
    expect(decisionHref('JC-IN-2026-001')).toBe('/decisions?from=JC-IN-2026-001#JC-IN-2026-001');
    expect(authorisationHref('IND-JCM-NDC-001')).toBe(
      '/article6/authorisations?from=IND-JCM-NDC-001#IND-JCM-NDC-001',
    );
    expect(authorisationHref('IND-1', 'entity-skyair')).toBe(
      '/article6/authorisations?from=IND-1#entity-skyair',
    );
  });
});
