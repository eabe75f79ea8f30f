// The portal's routes of the histories, the registry's reports and the register of retirements.
// Public pages, linked from the registry's statistics; bad input answers a page with the code and
// the status the API gives it, a refused download problem+json.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { contentDisposition } from '../core/shared/content-disposition.ts';
import { errorCodes, type ErrorCode } from '../core/shared/error-codes.ts';
import type { Rejection, Result } from '../core/shared/result.ts';
import type { PageRequest } from '../services/histories.ts';
import type { Platform } from '../services/platform.ts';
import { streamOf, type ReportFile } from '../services/registry-reports.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { page } from './layout.ts';
import { pageAsked, type PageAsked } from './page-links.ts';
import { historyPage, retirementsPage } from './pages-history.ts';
import {
  accountTypesPage,
  annualPage,
  holdingsPage,
  reportsIndexPage,
} from './pages-registry-reports.ts';
import { problemFile } from './problem-file.ts';

type Ctx = Context<AppEnv>;

/** The statuses of the refusals these pages make (the API's for the same codes). */
const notFoundCodes: readonly ErrorCode[] = [
  'not_found',
  'registry_not_found',
  'account_not_found',
];
const statusOf = (code: ErrorCode): 400 | 404 | 413 =>
  notFoundCodes.includes(code) ? 404 : code === 'report_too_large' ? 413 : 400;

/** A refused download, as problem+json with this page's status for the code. */
function refusedFile(c: Ctx, error: Rejection): Response {
  return problemFile(c, error, statusOf(error.code));
}

/** A report file, its parts sent as they are made (the holdings CSV, page by page). */
function sendFile(file: ReportFile): Response {
  return new Response(streamOf(file.parts), {
    headers: {
      'content-type': file.mediaType,
      'content-disposition': contentDisposition(file.fileName),
    },
  });
}

function refused(c: Ctx, error: Rejection): Response | Promise<Response> {
  const body = html`<div role="alert">
      <p>${errorCodes[error.code]}</p>
      <p>${error.message}.</p>
      <p class="note">Code: <code id="refusal-code">${error.code}</code></p>
    </div>
    <p>See the <a href="/registry/reports">registry reports</a>.</p>`;
  return c.html(page('Not available', '/registry', body), statusOf(error.code));
}

/** `after` and `limit` of a page's query (page-links.ts, as every paged page reads them). */
const pageRequest = (c: Ctx): Result<PageAsked> =>
  pageAsked({ after: c.req.query('after'), limit: c.req.query('limit') });

const registryOf = (c: Ctx) => {
  const r = c.req.query('registry');
  return r === undefined || r === '' ? undefined : r;
};

export function registerRegistryHistoryPortal(app: Hono<AppEnv>, platform: Platform): void {
  const h = platform.histories;
  const historyRoute = (
    path: string,
    read: (c: Ctx, request: PageRequest) => ReturnType<typeof h.project>,
    title: (c: Ctx) => string,
    intro: string,
  ) =>
    app.get(path, async (c) => {
      const request = pageRequest(c);
      if (!request.ok) return refused(c, request.error);
      const shown = await read(c, request.value);
      if (!shown.ok) return refused(c, shown.error);
      return c.html(
        historyPage({
          title: title(c),
          intro,
          base: c.req.path,
          asked: request.value,
          page: shown.value,
        }),
      );
    });
  historyRoute(
    '/registry/history/account/:account',
    (c, r) => h.account(c.req.param('account') ?? '', r),
    (c) => `History of account ${c.req.param('account')}`,
    'Every movement of credits into or out of the account, oldest first.',
  );
  historyRoute(
    '/registry/history/project/:project',
    (c, r) => h.project(c.req.param('project') ?? '', r),
    (c) => `History of project ${c.req.param('project')}`,
    "Every movement of the project's credits in every registry, oldest first.",
  );
  historyRoute(
    '/registry/history/serial/:project/:serial',
    (c, r) => h.serial(c.req.param('project') ?? '', c.req.param('serial') ?? '', r),
    (c) => `History of serial ${c.req.param('serial')} of ${c.req.param('project')}`,
    'Every entry that moved the block holding this serial number, from its issuance on.',
  );
  app.get('/registry/retirements', async (c) => {
    const request = pageRequest(c);
    if (!request.ok) return refused(c, request.error);
    const beneficiary = c.req.query('beneficiary') ?? '';
    const shown = await h.retirements(beneficiary, request.value);
    return shown.ok
      ? c.html(retirementsPage(beneficiary.trim(), shown.value, request.value))
      : refused(c, shown.error);
  });
  registerReportPages(app, platform);
}

function registerReportPages(app: Hono<AppEnv>, platform: Platform): void {
  const reports = platform.registryReports;
  app.get('/registry/reports', (c) => c.html(reportsIndexPage()));
  app.get('/registry/reports/:file', async (c) => {
    const match = /^(holdings|account-types|annual)(?:\.(csv|xlsx|pdf))?$/.exec(
      c.req.param('file'),
    );
    if (match === null) return refused(c, { code: 'not_found', message: 'no such report' });
    const name = match[1] as 'holdings' | 'account-types' | 'annual';
    const format = match[2] as 'csv' | 'xlsx' | 'pdf' | undefined;
    const registry = registryOf(c);
    if (format !== undefined) {
      const file = await reports.file(name, format, registry);
      return file.ok ? sendFile(file.value) : refusedFile(c, file.error);
    }
    if (name === 'holdings') {
      const request = pageRequest(c);
      if (!request.ok) return refused(c, request.error);
      const shown = await reports.holdings(registry, request.value);
      return shown.ok
        ? c.html(holdingsPage(shown.value.registry, shown.value, request.value))
        : refused(c, shown.error);
    }
    if (name === 'account-types') {
      const report = await reports.accountTypes(registry);
      return report.ok
        ? c.html(accountTypesPage(registry, report.value))
        : refused(c, report.error);
    }
    const report = await reports.annual(registry);
    return report.ok ? c.html(annualPage(registry, report.value)) : refused(c, report.error);
  });
}
