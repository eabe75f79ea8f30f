// The back office's first pages: the inbox of the user's roles, the audit, and the monitoring
// spreadsheet check that shows every located error on the page. Plain HTML forms, no JavaScript;
// the edge puts every page behind the session and checks every form's CSRF token and matrix row.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { roles, type CycleRole } from '../core/cycle/vocabulary.ts';
import type { Role } from '../core/ledger/actor.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { instant, page, table, tonnes, type Html } from './layout.ts';
import { pageLinks } from './page-links.ts';
import {
  csrfField,
  field,
  forbidden,
  mayPost,
  officeForm,
  officeNav,
  officeSession,
  type OfficeSession,
} from './office-session.ts';

/** Largest spreadsheet accepted by the form (bytes). */
export const officeUploadBytesMax = 16 * 1024 * 1024;

const isCycleRole = (role: Role): role is Role & { kind: CycleRole } =>
  (roles as readonly string[]).includes(role.kind);

export function registerOffice(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/office', async (c) =>
    c.html(
      await inboxPage(platform, officeSession(c), {
        after: c.req.query('after'),
        inbox: c.req.query('inbox'),
        inboxAfter: c.req.query('inboxAfter'),
      }),
    ),
  );
  app.get('/office/audit', async (c) => {
    const session = officeSession(c);
    if (!mayPost(session, '/office/audit')) return c.html(forbidden(), 403);
    return c.html(await auditPage(platform, session, null));
  });
  app.post('/office/audit', async (c) => {
    const { session } = await officeForm(c);
    const report = await platform.audit();
    const outcome = html`<div role="status">
      <h2>
        ${report.passed ? 'Audit passed: every invariant holds' : `Audit FAILED: ${report.violationCount} violation(s)`}
      </h2>
      <ul>
        ${report.kinds.map((k) => html`<li>${k.kind} (invariant ${k.invariant}): ${k.count}</li>`)}
      </ul>
      <ul>
        ${report.violations.map((v) => html`<li>${JSON.stringify(v)}</li>`)}
      </ul>
    </div>`;
    // The audit ran: its findings are the page, not a server error.
    return c.html(await auditPage(platform, session, outcome));
  });
  app.get('/office/monitoring', async (c) => {
    await platform.methodologies.refresh();
    return c.html(monitoringPage(platform, officeSession(c), null));
  });
  app.post('/office/monitoring', (c) => checkMonitoring(c, platform));
}

/** The pages asked for: of the items (`after`) and of one inbox (`inbox`: its number). */
interface OfficePaging {
  readonly after?: string | undefined;
  readonly inbox?: string | undefined;
  readonly inboxAfter?: string | undefined;
}

/** Each cycle role's waiting and overdue steps, then the items of the cycle, a page at a time. */
async function inboxPage(
  platform: Platform,
  session: OfficeSession,
  paging: OfficePaging = {},
): Promise<Html> {
  const { actor } = session;
  const boxes = await Promise.all(
    actor.roles.filter(isCycleRole).map(async (r, i) => {
      const after = paging.inbox === String(i) ? paging.inboxAfter : undefined;
      return {
        role: r,
        index: i,
        after,
        // Participants and TPEs see the steps of their own organisation's projects.
        entries: await platform.cycleQueries.inbox(
          r.kind,
          'partnership' in r ? r.partnership : undefined,
          'organisation' in r ? r.organisation : undefined,
          { after },
        ),
      };
    }),
  );
  const items = await platform.cycleQueries.list({}, { after: paging.after });
  return page(
    'Back office',
    '/office',
    html`<p>
        Logged in as ${actor.id} (${actor.roles.map((r) => Object.values(r).join(':')).join(', ')}).
      </p>
      ${officeNav(session)}
      ${boxes.map(
        (b) =>
          html`<h2>Inbox: ${Object.values(b.role).join(':')}</h2>
            ${inboxTable(b.entries, b.index, b.after)}`,
      )}
      <h2>Items of the project cycle</h2>
      ${itemsTable(items, paging.after)}`,
  );
}

function itemsTable(
  items: Awaited<ReturnType<Platform['cycleQueries']['list']>>,
  after: string | undefined,
): Html {
  if (!items.ok) return html`<p class="error">${items.error.message} (${items.error.code})</p>`;
  return html`${table(
    ['Item', 'Kind', 'Partnership', 'State', 'About'],
    items.value.items.map((i) => [
      html`<a href="/office/items/${i.id}">${i.id}</a>`,
      i.machine,
      i.partnership,
      i.state.replaceAll('_', ' '),
      i.parent_id ?? '',
    ]),
  )}
  ${pageLinks('/office', items.value, after, {}, 'items')}`;
}

function inboxTable(
  entries: Awaited<ReturnType<Platform['cycleQueries']['inbox']>>,
  index: number,
  after: string | undefined,
): Html | string {
  if (!entries.ok)
    return html`<p class="error">${entries.error.message} (${entries.error.code})</p>`;
  const { items } = entries.value;
  if (items.length === 0 && after === undefined) return html`<p>Nothing waits for this role.</p>`;
  const links = pageLinks(
    '/office',
    entries.value,
    after,
    { inbox: String(index) },
    'steps',
    'inboxAfter',
  );
  return html`${table(
    ['Item', 'Step', 'Due', 'Status'],
    items.map((e) => [
      html`<a href="/office/items/${e.item}">${e.item}</a>`,
      e.step,
      e.due ?? '',
      e.overdue ? 'OVERDUE' : e.daysLeft === null ? '' : `${e.daysLeft} day(s) left`,
    ]),
  )}
  ${links}`;
}

async function checkMonitoring(c: Context<AppEnv>, platform: Platform): Promise<Response> {
  const { session, form } = await officeForm(c);
  await platform.methodologies.refresh();
  const methodology = platform.methodologies.get(field(form, 'methodology') ?? '');
  const file = Array.isArray(form['file']) ? form['file'][0] : form['file'];
  const refuse = (message: string, status: 413 | 415 | 422) =>
    c.html(monitoringPage(platform, session, html`<p role="alert">${message}</p>`), status);
  if (methodology === undefined || !(file instanceof File) || file.size === 0)
    return refuse('Choose a methodology and a filled XLSX or CSV file.', 422);
  if (!/\.(xlsx|csv)$/i.test(file.name))
    return refuse('Only .xlsx and .csv files are accepted.', 415);
  if (file.size > officeUploadBytesMax)
    return refuse(`The file is larger than ${officeUploadBytesMax} bytes.`, 413);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const csv = file.name.toLowerCase().endsWith('.csv');
  const calculated = await platform.methodologies.calculate(
    methodology,
    csv ? { kind: 'csv', text: Buffer.from(bytes).toString('utf8') } : { kind: 'xlsx', bytes },
  );
  const outcome = calculated.ok
    ? html`<div role="status">
        <h2>Result: ${tonnes(calculated.result.credits)} credits</h2>
        ${table(
          ['Period', 'Vintage', '#Credits'],
          calculated.result.periods.flatMap((p) =>
            p.vintages.map((v) => [p.period, String(v.vintage), tonnes(v.credits)]),
          ),
        )}
        <p class="note">Input hash ${calculated.result.inputHash}</p>
      </div>`
    : html`<div role="alert">
        <h2>${calculated.issues.length} error(s) in ${file.name}; nothing was calculated</h2>
        <ul>
          ${calculated.issues.map((i) => html`<li><strong>${i.where}</strong>: ${i.message} <span class="note">(${i.code})</span></li>`)}
        </ul>
      </div>`;
  return c.html(
    monitoringPage(platform, session, outcome, methodology.file.id),
    calculated.ok ? 200 : refusedStatus(calculated.refused?.code),
  );
}

const tooLargeCodes: readonly (string | undefined)[] = [
  'workbook_too_many_entries',
  'workbook_too_large_unpacked',
  'workbook_too_many_rows',
];

/** A file refused as a whole: too large (413), the workers busy (503); other errors 422. */
function refusedStatus(code: string | undefined): 413 | 422 | 503 {
  if (code === 'calculation_busy') return 503;
  return tooLargeCodes.includes(code) ? 413 : 422;
}

async function auditPage(
  platform: Platform,
  session: OfficeSession,
  outcome: Html | null,
): Promise<Html> {
  const [registries, runs] = await Promise.all([
    platform.queries.listRegistries(),
    platform.recentAudits(10),
  ]);
  return page(
    'Audit',
    '/office',
    html`${officeNav(session)}
      <p>
        The audit verifies every journal's hash chain, replays every journal through the core and
        compares the result with the tables, and checks the invariants in SQL.
      </p>
      <h2>Journal heads</h2>
      ${table(
        ['Registry', '#Entries', 'Head hash'],
        registries.map((r) => [
          r.id,
          String(r.journal.headSeq),
          html`<span class="mono">${String(r.journal.headHash ?? '').slice(0, 16)}…</span>`,
        ]),
      )}
      <h2>Last audits</h2>
      <ul>
        ${runs.map((r) => html`<li>${instant(r.ran_at)}: ${r.passed ? 'passed' : 'FAILED'}</li>`)}
      </ul>
      <form method="post" action="/office/audit">
        ${csrfField(session)}<button type="submit">Run the audit now</button>
      </form>
      ${outcome ?? ''}`,
  );
}

function monitoringPage(
  platform: Platform,
  session: OfficeSession,
  outcome: Html | null,
  selected = '',
): Html {
  return page(
    'Check a monitoring spreadsheet',
    '/office',
    html`${officeNav(session)}
      <p>
        Upload a filled monitoring spreadsheet (the XLSX template of the methodology, or CSV): the
        platform calculates it exactly, or lists every mistake with its sheet and cell.
      </p>
      <form class="filters" method="post" action="/office/monitoring" enctype="multipart/form-data">
        ${csrfField(session)}
        <label for="methodology"
          >Methodology<select id="methodology" name="methodology">
            ${platform.methodologies.list().map((m) => html`<option value="${m.id}" ${m.id === selected ? html` selected` : ''}>${m.id} ${m.title}</option>`)}
          </select></label
        >
        <label for="file"
          >Spreadsheet<input id="file" name="file" type="file" accept=".xlsx,.csv" required
        /></label>
        <button type="submit">Check</button>
      </form>
      ${outcome ?? ''}`,
  );
}
