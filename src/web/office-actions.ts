// Back office forms for the project cycle and the two-person rule: an item's page offers a form for
// every action its state allows to the user's roles (documents as file fields, and the parts some
// actions need), and registry managers approve or reject transfers out of government accounts.
// Every form posts to the same services as the API, with the session's CSRF token.
import { randomUUID } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { html } from 'hono/html';
import {
  cycleDefinition,
  documentTypes,
  type DocumentType,
  type TransitionRule,
} from '../core/cycle/definition.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { errorCodes } from '../core/shared/error-codes.ts';
import type { Platform } from '../services/platform.ts';
import { sameSecret, sessionOf } from '../api/actor.ts';
import { page, type Html } from './layout.ts';

/** The actions of an item's state whose acting roles the user holds (the domain checks the rest). */
function actionsFor(machine: string, state: string, actor: Actor): TransitionRule[] {
  const kinds = new Set<string>(actor.roles.map((r) => r.kind));
  return cycleDefinition.filter(
    (r) => r.machine === machine && r.from === state && r.roles.some((role) => kinds.has(role)),
  );
}

function actionForm(id: string, rule: TransitionRule, csrf: string): Html {
  const needs = (guard: string) => rule.guards.includes(guard as never);
  return html`<form
    class="filters"
    method="post"
    action="/office/items/${id}/${rule.action}"
    enctype="multipart/form-data"
    aria-label="${rule.action.replaceAll('_', ' ')}"
  >
    <input type="hidden" name="csrf" value="${csrf}" />
    <strong>${rule.action.replaceAll('_', ' ')}</strong>
    ${rule.documents.map((d) => html`<label for="${rule.action}-${d}">${documentTypes[d]}<input id="${rule.action}-${d}" name="doc_${d}" type="file" required /></label>`)}
    ${needs('decision_adopted') ? html`<label for="${rule.action}-decision">Adopted decision<input id="${rule.action}-decision" name="decision" required placeholder="JC-IN-2026-001" /></label>` : ''}
    ${
      rule.action === 'adopt_decision'
        ? html`<label for="${rule.action}-method"
            >Adopted<select id="${rule.action}-method" name="method">
              <option value="meeting">at a meeting</option>
              <option value="electronic">electronically</option>
            </select></label
          >`
        : ''
    }
    ${
      rule.action === 'raise_finding'
        ? html`<label for="${rule.action}-kind"
              >Kind<select id="${rule.action}-kind" name="kind">
                <option>CAR</option>
                <option>CL</option>
                <option>FAR</option>
              </select></label
            ><label for="${rule.action}-text"
              >Finding<input id="${rule.action}-text" name="text" required
            /></label>`
        : ''
    }
    ${rule.action === 'answer_finding' || rule.action === 'close_finding' ? html`<label for="${rule.action}-finding">Finding number<input id="${rule.action}-finding" name="finding" inputmode="numeric" required /></label>` : ''}
    ${rule.action === 'answer_finding' ? html`<label for="${rule.action}-answer">Answer<input id="${rule.action}-answer" name="answer" required /></label>` : ''}
    ${rule.action === 'issue_verification' ? html`<label for="${rule.action}-verified">Verified reductions, one "vintage=tonnes" per line<textarea id="${rule.action}-verified" name="verified" required></textarea></label>` : ''}
    <label for="${rule.action}-note">Note<input id="${rule.action}-note" name="note" /></label>
    <button type="submit">${rule.action.replaceAll('_', ' ')}</button>
  </form>`;
}

async function itemPage(
  platform: Platform,
  id: string,
  actor: Actor,
  csrf: string,
  message: Html | null,
): Promise<Html | null> {
  const found = await platform.cycleQueries.item(id);
  if (!found.ok) return null;
  const item = found.value as {
    id: string;
    machine: string;
    state: string;
    reference: string | null;
    timeline: { action: string; to_state: string; at: string; actor: string }[];
    findings: { id: bigint; kind: string; state: string; text: string }[];
  };
  const forms = actionsFor(item.machine, item.state, actor);
  return page(
    `${item.id}: ${item.state.replaceAll('_', ' ')}`,
    '/office',
    html`${message ?? ''}
      <p>
        ${item.machine}${item.reference === null ? '' : `, reference ${item.reference}`}.
        <a href="/office">Back to the inbox</a>
      </p>
      <h2>What you can do</h2>
      ${forms.length === 0 ? html`<p>No action of this state belongs to your roles.</p>` : forms.map((r) => actionForm(item.id, r, csrf))}
      <h2>Findings</h2>
      <ul>
        ${item.findings.map((f) => html`<li>${String(f.id)} ${f.kind} (${f.state}): ${f.text}</li>`)}
      </ul>
      <h2>Timeline</h2>
      <ul>
        ${item.timeline.map((e) => html`<li>${String(e.at).slice(0, 10)} ${e.action.replaceAll('_', ' ')} → ${e.to_state.replaceAll('_', ' ')} (${e.actor})</li>`)}
      </ul>`,
  );
}

export function registerOfficeActions(app: OpenAPIHono, platform: Platform): void {
  app.get('/office/items/:id', async (c) => {
    const session = await sessionOf(c, platform.accounts);
    if (session === null) return c.redirect('/login', 303);
    const shown = await itemPage(
      platform,
      c.req.param('id'),
      session.actor,
      session.csrfToken,
      null,
    );
    return shown === null
      ? c.html(page('Not found', '/office', html`<p>No such item.</p>`), 404)
      : c.html(shown);
  });

  app.post('/office/items/:id/:action', async (c) => {
    const session = await sessionOf(c, platform.accounts);
    if (session === null) return c.redirect('/login', 303);
    const form = await c.req.parseBody();
    const id = c.req.param('id');
    if (!sameSecret(String(form['csrf'] ?? ''), session.csrfToken))
      return c.html(
        page(
          'Not allowed',
          '/office',
          html`<p role="alert">The form expired; please try again.</p>`,
        ),
        403,
      );
    const documents = [];
    for (const [key, value] of Object.entries(form)) {
      if (!key.startsWith('doc_') || !(value instanceof File) || value.size === 0) continue;
      documents.push({
        type: key.slice(4) as DocumentType,
        fileName: value.name.slice(0, 200),
        mediaType: value.type === '' ? 'application/octet-stream' : value.type,
        content: Buffer.from(await value.arrayBuffer()).toString('base64'),
      });
    }
    const text = (name: string) =>
      typeof form[name] === 'string' && form[name] !== '' ? (form[name] as string) : undefined;
    const action = c.req.param('action');
    const finding =
      action === 'raise_finding'
        ? { kind: text('kind'), text: text('text') }
        : action === 'answer_finding'
          ? { id: text('finding'), answer: text('answer') }
          : action === 'close_finding'
            ? { id: text('finding') }
            : undefined;
    const verified =
      text('verified') === undefined
        ? undefined
        : Object.fromEntries(
            (text('verified') ?? '')
              .split(/\r?\n/)
              .filter((l) => l.includes('='))
              .map((l) => l.split('=').map((p) => p.trim()) as [string, string]),
          );
    const envelope = {
      item: id,
      documents,
      note: text('note') ?? '',
      ...(text('decision') === undefined ? {} : { decision: text('decision') }),
      ...(text('method') === undefined ? {} : { method: text('method') }),
      ...(finding === undefined ? {} : { finding }),
      ...(verified === undefined ? {} : { verified }),
    };
    const result = await platform.cycle.act(
      action,
      envelope,
      session.actor,
      `office-${randomUUID()}`,
    );
    const message = result.ok
      ? html`<p role="status">Done: ${result.value.from ?? '(new)'} → ${result.value.to}.</p>`
      : html`<p role="alert">
          ${errorCodes[result.error.code]} ${result.error.message} (${result.error.code})
        </p>`;
    const shown = await itemPage(platform, id, session.actor, session.csrfToken, message);
    return shown === null
      ? c.html(page('Not found', '/office', html`<p>No such item.</p>`), 404)
      : c.html(shown, result.ok ? 200 : 422);
  });

  app.get('/office/transfers', async (c) => {
    const session = await sessionOf(c, platform.accounts);
    if (session === null) return c.redirect('/login', 303);
    return c.html(await transfersPage(platform, session.csrfToken, null));
  });

  app.post('/office/transfers/:id/:verb', async (c) => {
    const session = await sessionOf(c, platform.accounts);
    if (session === null) return c.redirect('/login', 303);
    const form = await c.req.parseBody();
    if (!sameSecret(String(form['csrf'] ?? ''), session.csrfToken))
      return c.html(
        page(
          'Not allowed',
          '/office',
          html`<p role="alert">The form expired; please try again.</p>`,
        ),
        403,
      );
    const id = c.req.param('id');
    const result =
      c.req.param('verb') === 'approve'
        ? await platform.transferRequests.approve(id, session.actor)
        : await platform.transferRequests.decline(id, session.actor);
    const message = result.ok
      ? html`<p role="status">
          ${id}:
          ${c.req.param('verb') === 'approve' ? 'approved, the credits moved' : 'rejected, nothing moved'}.
        </p>`
      : html`<p role="alert">${errorCodes[result.error.code]} (${result.error.code})</p>`;
    return c.html(await transfersPage(platform, session.csrfToken, message), result.ok ? 200 : 422);
  });
}

async function transfersPage(
  platform: Platform,
  csrf: string,
  message: Html | null,
): Promise<Html> {
  const pending = await platform.transferRequests.list('pending');
  return page(
    'Transfers out of government accounts',
    '/office',
    html`${message ?? ''}
      <p>Each needs a second person: approve or reject a request someone else made.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Request</th>
            <th scope="col">From</th>
            <th scope="col">Transfer</th>
            <th scope="col">Requested by</th>
            <th scope="col">Decide</th>
          </tr>
        </thead>
        <tbody>
          ${pending.map(
            (r) =>
              html`<tr>
                <td>${r.id}</td>
                <td>${r.from_account}</td>
                <td class="mono">${JSON.stringify(r.input)}</td>
                <td>${r.requested_by}</td>
                <td>
                  <form method="post" action="/office/transfers/${r.id}/approve">
                    <input type="hidden" name="csrf" value="${csrf}" /><button type="submit">
                      Approve ${r.id}
                    </button>
                  </form>
                  <form method="post" action="/office/transfers/${r.id}/reject">
                    <input type="hidden" name="csrf" value="${csrf}" /><button type="submit">
                      Reject ${r.id}
                    </button>
                  </form>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}
