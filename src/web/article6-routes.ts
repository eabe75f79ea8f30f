// The portal's Article 6.2 routes: the approaches, the authorisations (a page at a time), a Party's
// page for a year and its AEF files. Path and query parameters are checked here, each bad one
// refused with a stable code and a 4xx status (never a 500): a Party not ISO 3166 alpha-3, a year
// not within 2013-2100 or an authorisation id not one (`invalid_request`), a cursor a list did not
// give out (`page_cursor_invalid`), an unknown file or table (`not_found`), a year no NDC of the
// Party covers (`article6_ndc_information_missing`). Control characters never reach here (the edge
// refuses them).
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { aefTableKeys, type AefTableKey } from '../core/article6/aef-description.ts';
import { partyPattern, yearMax, yearMin } from '../core/article6/types.ts';
import { contentDisposition } from '../core/shared/content-disposition.ts';
import { errorCodes, type ErrorCode } from '../core/shared/error-codes.ts';
import { ok, reject, type Rejection, type Result } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { actionsPageOf } from './article6-actions.ts';
import { partyYearPage } from './article6-party.ts';
import { authorisationIdPattern } from '../services/article6-schemas.ts';
import { page } from './layout.ts';
import { listRequest } from './page-links.ts';
import { approachesPage, authorisationsPage } from './pages-article6.ts';
import { problemFile } from './problem-file.ts';

type Ctx = Context<AppEnv>;

/** The statuses of the refusals these routes make; a business refusal is 422. */
const statusOf = (code: ErrorCode): 400 | 404 | 422 =>
  code === 'invalid_request' || code === 'page_cursor_invalid'
    ? 400
    : code === 'not_found'
      ? 404
      : 422;

function partyOf(raw: string): Result<string> {
  return partyPattern.test(raw)
    ? ok(raw)
    : reject(
        'invalid_request',
        'party: a Party by its ISO 3166 alpha-3 code in capitals, such as JPN or IND',
        {
          party: 'ISO 3166 alpha-3',
        },
      );
}

function yearOf(raw: string): Result<number> {
  const year = /^\d{4}$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isInteger(year) && year >= yearMin && year <= yearMax
    ? ok(year)
    : reject('invalid_request', `year: a calendar year from ${yearMin} to ${yearMax}`, {
        year: `${yearMin} to ${yearMax}`,
      });
}

function partyYear(party: string, year: string): Result<{ party: string; year: number }> {
  const p = partyOf(party);
  if (!p.ok) return p;
  const y = yearOf(year);
  return y.ok ? ok({ party: p.value, year: y.value }) : y;
}

/** A refused page: the refusal in words with its code, and the way back. */
function refusedPage(c: Ctx, error: Rejection): Response | Promise<Response> {
  const body = html`<div role="alert">
      <p>${errorCodes[error.code]}</p>
      <p>${error.message}.</p>
      <p class="note">Code: <code id="refusal-code">${error.code}</code></p>
    </div>
    <p>See the <a href="/article6">cooperative approaches</a> and each Party's years there.</p>`;
  return c.html(page('Not available', '/article6', body), statusOf(error.code));
}

/** A refused download, as problem+json with this page's status for the code. */
function refusedFile(c: Ctx, error: Rejection): Response {
  return problemFile(c, error, statusOf(error.code));
}

async function sendAef(
  c: Ctx,
  platform: Platform,
  at: { party: string; year: number },
  format: 'xlsx' | 'json' | 'csv',
  table?: AefTableKey,
): Promise<Response> {
  const file = await platform.article6.aefFile(at.party, at.year, format, table);
  if (!file.ok) return refusedFile(c, file.error);
  return new Response(new Uint8Array(file.value.bytes), {
    headers: {
      'content-type': file.value.mediaType,
      'content-disposition': contentDisposition(file.value.fileName),
    },
  });
}

const notFound = (what: string): Rejection => ({ code: 'not_found', message: what });

export function registerArticle6Portal(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/article6', async (c) => {
    const request = listRequest(c.req.query('after'), c.req.query('limit'));
    const shown = request.ok ? await approachesPage(platform, request.value) : request;
    return shown.ok ? c.html(shown.value) : refusedPage(c, shown.error);
  });
  app.get('/article6/authorisations', async (c) => {
    const from = c.req.query('from');
    if (from !== undefined && !authorisationIdPattern.test(from))
      return refusedPage(c, { code: 'invalid_request', message: 'from: an authorisation id' });
    const request = listRequest(c.req.query('after'), c.req.query('limit'));
    const shown = request.ok
      ? await authorisationsPage(platform, { ...request.value, from })
      : request;
    return shown.ok ? c.html(shown.value) : refusedPage(c, shown.error);
  });
  app.get('/article6/parties/:party/:year', async (c) => {
    const at = partyYear(c.req.param('party'), c.req.param('year'));
    if (!at.ok) return refusedPage(c, at.error);
    const pageOf = actionsPageOf({ after: c.req.query('after'), limit: c.req.query('limit') });
    if (!pageOf.ok) return refusedPage(c, pageOf.error);
    const shown = await partyYearPage(platform, { ...at.value, page: pageOf.value });
    return shown.ok ? c.html(shown.value) : refusedPage(c, shown.error);
  });
  app.get('/article6/aef/:party/:file', async (c) => {
    const match = /^([^.]{0,40})\.(xlsx|json)$/.exec(c.req.param('file'));
    if (match === null)
      return refusedFile(
        c,
        notFound('an AEF file is YEAR.xlsx or YEAR.json, or YEAR/TABLE.csv for one table'),
      );
    const at = partyYear(c.req.param('party'), match[1] ?? '');
    if (!at.ok) return refusedFile(c, at.error);
    return sendAef(c, platform, at.value, match[2] === 'xlsx' ? 'xlsx' : 'json');
  });
  app.get('/article6/aef/:party/:year/:file', async (c) => {
    const at = partyYear(c.req.param('party'), c.req.param('year'));
    if (!at.ok) return refusedFile(c, at.error);
    const table = /^([a-z_]{1,40})\.csv$/.exec(c.req.param('file'))?.[1];
    const key = aefTableKeys.find((k) => k === table);
    if (key === undefined)
      return refusedFile(c, notFound(`an AEF table is one of ${aefTableKeys.join(', ')}, as .csv`));
    return sendAef(c, platform, at.value, 'csv', key);
  });
}
