// The back office, first pages: log in (password and, where the roles need it, the authenticator
// code), the inbox of the user's roles, and the monitoring spreadsheet check that shows every located
// error on the page. Plain HTML forms, no JavaScript; every form carries a CSRF token (a double-submit
// cookie before login, the session's token after).
import { randomBytes } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { sessionHours } from '../core/accounts/policy.ts';
import type { CycleRole } from '../core/cycle/definition.ts';
import { errorCodes } from '../core/shared/error-codes.ts';
import type { Platform } from '../services/platform.ts';
import { overTls, sameSecret, sessionCookie, sessionOf } from '../api/actor.ts';
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
import { instant, page, table, tonnes, type Html } from './layout.ts';

const loginCsrfCookie = 'jcm_login_csrf';
/** Largest spreadsheet accepted by the form (bytes). */
export const officeUploadBytesMax = 16 * 1024 * 1024;

function loginPage(csrf: string, message: string | null, email = ''): Html {
  return page(
    'Log in',
    '/login',
    html`${message === null ? '' : html`<p role="alert" class="synthetic">${message}</p>`}
      <form class="filters" method="post" action="/login">
        <input type="hidden" name="csrf" value="${csrf}" />
        <label for="email"
          >Email<input
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value="${email}"
        /></label>
        <label for="password"
          >Password<input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
        /></label>
        <label for="code"
          >Authenticator code (if your account has one)<input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
        /></label>
        <button type="submit">Log in</button>
      </form>`,
  );
}

export function registerOffice(app: OpenAPIHono, platform: Platform): void {
  app.get('/login', (c) => {
    const csrf = randomBytes(18).toString('base64url');
    setCookie(c, loginCsrfCookie, csrf, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: overTls(c),
      path: '/login',
    });
    return c.html(loginPage(csrf, null));
  });

  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const csrf = String(form['csrf'] ?? '');
    const expected = getCookie(c, loginCsrfCookie) ?? '';
    const email = String(form['email'] ?? '');
    if (expected === '' || !sameSecret(csrf, expected)) {
      return c.html(loginPage(expected, 'The form expired; please try again.', email), 403);
    }
    const address = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? 'direct';
    const code = String(form['code'] ?? '');
    const result = await platform.accounts.login(
      email,
      String(form['password'] ?? ''),
      code === '' ? undefined : code,
      address,
    );
    if (!result.ok) return c.html(loginPage(expected, errorCodes[result.error.code], email), 401);
    deleteCookie(c, loginCsrfCookie, { path: '/login' });
    setCookie(c, sessionCookie, result.value.token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: overTls(c),
      path: '/',
      maxAge: sessionHours * 3600,
    });
    return c.redirect('/office', 303);
  });

  app.post('/logout', async (c) => {
    const session = await sessionOf(c, platform.accounts);
    const form = await c.req.parseBody();
    if (session !== null && sameSecret(String(form['csrf'] ?? ''), session.csrfToken)) {
      await platform.accounts.logout(getCookie(c, sessionCookie) ?? '');
      deleteCookie(c, sessionCookie, { path: '/' });
    }
    return c.redirect('/', 303);
  });

  app.get('/office', async (c) => {
    const session = await officeSession(c, platform);
    if (session instanceof Response) return session;
    const { actor } = session;
    const boxes = await Promise.all(
      actor.roles
        .filter((r) =>
          [
            'secretariat',
            'joint_committee',
            'government_partner',
            'government_japan',
            'project_participant',
            'third_party_entity',
            'registry_manager',
          ].includes(r.kind),
        )
        .map(async (r) => ({
          role: r,
          // Participants and TPEs see the steps of their own organisation's projects.
          entries: await platform.cycleQueries.inbox(
            r.kind as CycleRole,
            'partnership' in r ? r.partnership : undefined,
            'organisation' in r ? r.organisation : undefined,
          ),
        })),
    );
    const items = await platform.cycleQueries.list({});
    return c.html(
      page(
        'Back office',
        '/office',
        html`<p>
            Logged in as ${actor.id}
            (${actor.roles.map((r) => Object.values(r).join(':')).join(', ')}).
          </p>
          ${officeNav(session)}
          ${boxes.map(
            (b) =>
              html`<h2>Inbox: ${Object.values(b.role).join(':')}</h2>
                ${
                  b.entries.length === 0
                    ? html`<p>Nothing waits for this role.</p>`
                    : table(
                        ['Item', 'Step', 'Due', 'Status'],
                        b.entries.map((e) => [
                          html`<a href="/office/items/${e.item}">${e.item}</a>`,
                          e.step,
                          e.due ?? '',
                          e.overdue
                            ? 'OVERDUE'
                            : e.daysLeft === null
                              ? ''
                              : `${e.daysLeft} day(s) left`,
                        ]),
                      )
                }`,
          )}
          <h2>Items of the project cycle</h2>
          ${table(
            ['Item', 'Kind', 'Partnership', 'State', 'About'],
            items.map((i) => [
              html`<a href="/office/items/${i.id}">${i.id}</a>`,
              i.machine,
              i.partnership,
              i.state.replaceAll('_', ' '),
              i.parent_id ?? '',
            ]),
          )}`,
      ),
    );
  });

  app.get('/office/audit', async (c) => {
    const session = await officeSession(c, platform);
    if (session instanceof Response) return session;
    if (!mayPost(session.actor, '/office/audit')) return c.html(forbidden(), 403);
    return c.html(await auditPage(platform, session, null));
  });

  app.post('/office/audit', async (c) => {
    const posted = await officeForm(c, platform);
    if (posted instanceof Response) return posted;
    const { session } = posted;
    const report = await platform.audit();
    const outcome = html`<div role="status">
      <h2>
        ${report.passed ? 'Audit passed: every invariant holds' : `Audit FAILED: ${report.violations.length} violation(s)`}
      </h2>
      <ul>
        ${report.violations.map((v) => html`<li>${JSON.stringify(v)}</li>`)}
      </ul>
    </div>`;
    return c.html(await auditPage(platform, session, outcome), report.passed ? 200 : 500);
  });

  app.get('/office/monitoring', async (c) => {
    const session = await officeSession(c, platform);
    if (session instanceof Response) return session;
    return c.html(monitoringPage(platform, session, null));
  });

  app.post('/office/monitoring', async (c) => {
    const posted = await officeForm(c, platform);
    if (posted instanceof Response) return posted;
    const { session, form } = posted;
    const methodology = platform.methodologies.get(field(form, 'methodology') ?? '');
    const file = Array.isArray(form['file']) ? form['file'][0] : form['file'];
    if (methodology === undefined || !(file instanceof File) || file.size === 0) {
      return c.html(
        monitoringPage(
          platform,
          session,
          html`<p role="alert">Choose a methodology and a filled XLSX or CSV file.</p>`,
        ),
        422,
      );
    }
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      return c.html(
        monitoringPage(
          platform,
          session,
          html`<p role="alert">Only .xlsx and .csv files are accepted.</p>`,
        ),
        415,
      );
    }
    if (file.size > officeUploadBytesMax) {
      return c.html(
        monitoringPage(
          platform,
          session,
          html`<p role="alert">The file is larger than ${officeUploadBytesMax} bytes.</p>`,
        ),
        413,
      );
    }
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
      calculated.ok ? 200 : 422,
    );
  });
}

async function auditPage(
  platform: Platform,
  session: OfficeSession,
  outcome: Html | null,
): Promise<Html> {
  const [registries, runs] = await Promise.all([
    platform.queries.listRegistries(),
    platform.db.read((k) =>
      k
        .selectFrom('audit_runs')
        .select(['ran_at', 'passed'])
        .orderBy('id', 'desc')
        .limit(10)
        .execute(),
    ),
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
