// The public transparency portal: server-rendered pages that work without JavaScript, the stylesheet
// and the downloads. Nothing here needs a login or changes anything.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { toCsv } from './csv.ts';
import { datasets, downloadsPage, toXlsx } from './downloads.ts';
import { contentDisposition } from '../core/shared/content-disposition.ts';
import { page } from './layout.ts';
import { listRequest, refusedList } from './page-links.ts';
import {
  methodologiesPage,
  methodologyPage,
  overviewPage,
  partnershipsPage,
  serialPage,
} from './pages-public.ts';
import { decisionsPage, registryPage } from './pages-registry.ts';
import { historicalPage, projectPage, projectsPage } from './pages-projects.ts';
import { referenceIndexPage, referencePage } from './pages-reference.ts';
import { partnershipPage } from './pages-partnerships.ts';
import { registerArticle6Portal } from './article6-routes.ts';

const css = readFileSync(join(import.meta.dirname, 'assets', 'site.css'), 'utf8');

const optionalNumber = (text: string | undefined) =>
  text === undefined || text === '' || !/^\d{1,2}$/.test(text) ? undefined : Number(text);
const optionalText = (text: string | undefined, pattern: RegExp) =>
  text === undefined || !pattern.test(text) ? undefined : text;

export function registerPortal(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/static/site.css', (c) =>
    c.body(css, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/', async (c) => c.html(await overviewPage(platform)));
  app.get('/partnerships', async (c) => c.html(await partnershipsPage(platform)));
  registerPortalLists(app, platform);
  app.get('/projects/historical', async (c) => c.html(await historicalPage(platform)));
  app.get('/projects/:id', async (c) => {
    const shown = await projectPage(platform, c.req.param('id'));
    return shown === null ? c.html(notFound('No such project.'), 404) : c.html(shown);
  });
  // The catalogue takes in the entries Joint Committees adopted since it last looked.
  app.use('/methodologies/*', async (_c, next) => {
    await platform.methodologies.refresh();
    await next();
  });
  app.get('/methodologies', async (c) => {
    await platform.methodologies.refresh();
    return c.html(methodologiesPage(platform));
  });
  app.get('/methodologies/:id', (c) => {
    const shown = methodologyPage(platform, c.req.param('id'));
    return shown === null ? c.html(notFound('No such methodology.'), 404) : c.html(shown);
  });
  app.get('/reference', (c) => c.html(referenceIndexPage()));
  app.get('/reference/:table', async (c) => {
    const shown = await referencePage(platform, c.req.param('table'));
    return shown === null ? c.html(notFound('No such reference table.'), 404) : c.html(shown);
  });
  registerArticle6Portal(app, platform);
  app.get('/registry', async (c) => c.html(await registryPage(platform)));
  app.get('/serial', async (c) =>
    c.html(
      await serialPage(platform, {
        project: c.req.query('project'),
        serial: c.req.query('serial'),
      }),
    ),
  );
  app.get('/downloads', (c) => c.html(downloadsPage()));
  app.get('/downloads/:file', async (c) => {
    const match = /^([a-z-]+)\.(csv|json|xlsx)$/.exec(c.req.param('file'));
    const dataset = match === null ? undefined : datasets[match[1] ?? ''];
    if (match === null || dataset === undefined) return c.html(notFound('No such dataset.'), 404);
    const rows = await dataset.rows(platform);
    const name = `${match[1] ?? 'data'}.${match[2] ?? 'json'}`;
    const disposition = { 'content-disposition': contentDisposition(name) };
    if (match[2] === 'csv')
      return c.body(toCsv(rows), 200, {
        'content-type': 'text/csv; charset=utf-8',
        ...disposition,
      });
    if (match[2] === 'xlsx') {
      return c.body(await toXlsx(dataset.title, rows), 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ...disposition,
      });
    }
    return c.json({ dataset: dataset.title, rows });
  });
}

/**
 * The portal's lists of a partnership's projects, the projects (with filters) and the Joint
 * Committee decisions, a page at a time: a bad limit or a cursor the list did not give out is 400.
 */
function registerPortalLists(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/partnerships/:code', async (c) => {
    const code = c.req.param('code');
    const request = listRequest(c.req.query('after'), c.req.query('limit'));
    const shown = request.ok ? await partnershipPage(platform, code, request.value) : request;
    if (shown === null) return c.html(notFound('No such partnership.'), 404);
    return shown.ok
      ? c.html(shown.value)
      : c.html(refusedList(shown.error, '/partnerships', `/partnerships/${code}`), 400);
  });
  app.get('/projects', async (c) => {
    const request = listRequest(c.req.query('after'), c.req.query('limit'));
    const filter = {
      country: optionalText(c.req.query('country'), /^[A-Z]{2}$/),
      sector: optionalNumber(c.req.query('sector')),
      programme: optionalText(c.req.query('programme'), /^[a-z_]{1,40}$/),
      status: optionalText(c.req.query('status'), /^[a-z_]{1,40}$/),
    };
    const shown = request.ok ? await projectsPage(platform, filter, request.value) : request;
    return shown.ok
      ? c.html(shown.value)
      : c.html(refusedList(shown.error, '/projects', '/projects'), 400);
  });
  app.get('/decisions', async (c) => {
    const request = listRequest(c.req.query('after'), c.req.query('limit'));
    const from = c.req.query('from');
    if (from !== undefined && !/^[A-Za-z0-9_-]{3,64}$/.test(from)) {
      const error = { code: 'invalid_request', message: 'from: a decision id' } as const;
      return c.html(refusedList(error, '/decisions', '/decisions'), 400);
    }
    const shown = request.ok ? await decisionsPage(platform, { ...request.value, from }) : request;
    return shown.ok
      ? c.html(shown.value)
      : c.html(refusedList(shown.error, '/decisions', '/decisions'), 400);
  });
}

function notFound(message: string) {
  return page('Not found', '', html`<p>${message} See the navigation above.</p>`);
}
