// Registry operations in the back office: a registry manager issues the lines of adopted issuance
// decisions into their registry (then confirms on the issuance request), opens accounts, moves
// credits, and releases or rejects, as the second person, transfers out of government accounts.
// Administrators open registries. Every write goes through the ledger pipeline, like the API's
// (office-registry-operations.ts).
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { Actor } from '../core/ledger/actor.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { page, table, tonnes, type Html } from './layout.ts';
import { registryOperations } from './office-registry-operations.ts';
import { pageLinks } from './page-links.ts';
import {
  actionPanel,
  csrfField,
  forbidden,
  hasRole,
  mayPost,
  officeEnvelope,
  officeForm,
  officeNav,
  officeSession,
  outcome,
  type OfficeSession,
} from './office-session.ts';

type PendingLine = Awaited<ReturnType<Platform['queries']['pendingIssuanceLines']>>[number];
type AccountList = Awaited<ReturnType<Platform['queries']['listAccounts']>>;

/** The registries a user operates: a manager's own, every one for an administrator. */
async function registriesOf(platform: Platform, actor: Actor): Promise<string[]> {
  const all = (await platform.queries.listRegistries()).map((r) => r.id as string);
  if (hasRole(actor, 'administrator')) return all;
  const managed = new Set(
    actor.roles.flatMap((r) => (r.kind === 'registry_manager' ? [r.registry as string] : [])),
  );
  return all.filter((r) => managed.has(r));
}

/** The issuance request each decision belongs to, where the manager confirms afterwards. */
async function requestsOf(
  platform: Platform,
  pending: readonly PendingLine[],
): Promise<Map<string, string | null>> {
  const decisions = await platform.cycleQueries.brief([...new Set(pending.map((p) => p.decision))]);
  return new Map(decisions.map((d) => [d.id, d.parent_id]));
}

/** The lines of adopted issuance decisions still to issue, each with the form that issues it. */
function pendingLines(
  session: OfficeSession,
  pending: readonly PendingLine[],
  requests: ReadonlyMap<string, string | null>,
): Html {
  if (pending.length === 0)
    return html`<p>Every line of the adopted issuance decisions in your registries is issued.</p>`;
  return html`${table(
      ['Decision', 'Line', 'Account', 'Vintage', '#Credits', 'Issue'],
      pending.map((p) => {
        const request = requests.get(p.decision);
        return [
          html`${p.decision}${request ? html` (request <a href="/office/items/${request}">${request}</a>)` : ''}`,
          String(p.line),
          p.account,
          String(p.vintage),
          tonnes(p.quantity),
          html`<form method="post" action="/office/registry/issue">
            ${csrfField(session)}
            <input type="hidden" name="registry" value="${p.registry}" />
            <input type="hidden" name="decision" value="${p.decision}" />
            <input type="hidden" name="line" value="${String(p.line)}" />
            <button type="submit">Issue line ${String(p.line)} of ${p.decision}</button>
          </form>`,
        ];
      }),
    )}
    <p>When every line of your registry is issued, confirm the issuance on the request's page.</p>`;
}

function openAccountPanel(session: OfficeSession, registry: string): Html | '' {
  return actionPanel(
    session,
    `/office/registry/open_account`,
    `Open an account in ${registry}`,
    html`<input type="hidden" name="registry" value="${registry}" />

      <label for="type-${registry}"
        >Type<select id="type-${registry}" name="accountType">
          <option value="holding">holding</option>
          <option value="government_holding">government holding</option>
        </select></label
      >
      <label for="holder-${registry}"
        >Holder id<input id="holder-${registry}" name="holderId" required
      /></label>
      <label for="holder-name-${registry}"
        >Holder name<input id="holder-name-${registry}" name="holderName" required
      /></label>
      <button type="submit">Open the account</button>`,
    3,
  );
}

/** A page of a registry's accounts with their balances, and the form that opens another. */
function accountsSection(
  session: OfficeSession,
  registry: string,
  list: AccountList,
  after: string | undefined,
): Html {
  return html`<h2>Accounts of registry ${registry}</h2>
    ${
      list.ok
        ? html`${table(
            ['Account', 'Type', 'Holder', 'Status', '#Balance'],
            list.value.items.map((acc) => [
              acc.id,
              acc.type.replaceAll('_', ' '),
              `${acc.holderName} (${acc.holderId})`,
              acc.status,
              tonnes(acc.balance),
            ]),
          )}
          ${pageLinks('/office/registry', list.value, after, { registry }, `accounts of ${registry}`)}`
        : html`<p class="error">${list.error.message} (${list.error.code})</p>`
    }
    ${openAccountPanel(session, registry)}`;
}

function transferPanel(session: OfficeSession): Html | '' {
  return actionPanel(
    session,
    `/office/registry/transfer`,
    `Transfer credits`,
    html`<p>
        From a government account this makes a request that another person approves on
        <a href="/office/transfers">the transfers page</a>.
      </p>
      <label for="transfer-from"
        >From account<input id="transfer-from" name="from" required
      /></label>
      <label for="transfer-to">To account<input id="transfer-to" name="to" required /></label>
      <label for="transfer-quantity"
        >Credits<input id="transfer-quantity" name="quantity" inputmode="numeric" required
      /></label>
      <label for="transfer-project"
        >Project reference (optional)<input id="transfer-project" name="project"
      /></label>
      <label for="transfer-vintage"
        >Vintage (optional)<input id="transfer-vintage" name="vintage" inputmode="numeric"
      /></label>
      <button type="submit">Transfer</button>`,
  );
}

function openRegistryPanel(session: OfficeSession): Html | '' {
  return actionPanel(
    session,
    `/office/registry/open_registry`,
    `Open a registry`,
    html`<label for="registry-id"
        >Country code (JP, or the partner of a partnership with a record)<input
          id="registry-id"
          name="registry"
          required
          maxlength="2"
      /></label>
      <label for="registry-name">Name<input id="registry-name" name="name" required /></label>
      <button type="submit">Open the registry</button>`,
  );
}

/** The page asked for: the accounts of `registry` after the cursor `after` (others: first pages). */
interface AccountsPaging {
  readonly registry?: string | undefined;
  readonly after?: string | undefined;
}

async function registryPage(
  platform: Platform,
  session: OfficeSession,
  message: Html | null,
  paging: AccountsPaging = {},
): Promise<Html> {
  const registries = await registriesOf(platform, session.actor);
  const pending = await platform.queries.pendingIssuanceLines(registries);
  const requests = await requestsOf(platform, pending);
  const accounts = await Promise.all(
    registries.map(async (r) => {
      const after = r === paging.registry ? paging.after : undefined;
      return { registry: r, after, list: await platform.queries.listAccounts(r, { after }) };
    }),
  );
  return page(
    'Registry operations',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
      <h2>Lines to issue</h2>
      ${pendingLines(session, pending, requests)}
      ${accounts.map((a) => accountsSection(session, a.registry, a.list, a.after))}
      ${transferPanel(session)} ${openRegistryPanel(session)}`,
  );
}

export function registerOfficeRegistry(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/office/registry', async (c) => {
    const session = officeSession(c);
    if (!mayPost(session, '/office/registry/issue')) return c.html(forbidden(), 403);
    const paging = { registry: c.req.query('registry'), after: c.req.query('after') };
    return c.html(await registryPage(platform, session, null, paging));
  });

  app.post('/office/registry/:operation', async (c: Context<AppEnv>) => {
    const operation = registryOperations[c.req.param('operation') ?? ''];
    if (operation === undefined)
      return c.html(page('Not found', '/office', html`<p>No such operation.</p>`), 404);
    const posted = await officeForm(c);
    const step = await operation(platform, posted);
    return c.html(
      await registryPage(platform, posted.session, outcome(step.result, step.done)),
      step.result.ok ? 200 : 422,
    );
  });

  app.get('/office/transfers', async (c) => {
    const session = officeSession(c);
    if (!mayPost(session, '/office/transfers/x/approve')) return c.html(forbidden(), 403);
    return c.html(await transfersPage(platform, session, null, c.req.query('after')));
  });

  app.post('/office/transfers/:id/:verb', async (c) => {
    const verb = c.req.param('verb');
    if (verb !== 'approve' && verb !== 'reject')
      return c.html(page('Not found', '/office', html`<p>No such decision.</p>`), 404);
    const posted = await officeForm(c);
    const id = c.req.param('id');
    const approve = verb === 'approve';
    const envelope = officeEnvelope(posted, { id });
    const result = approve
      ? await platform.transferRequests.approve(envelope)
      : await platform.transferRequests.decline(envelope);
    const message = outcome(
      result,
      `${id}: ${approve ? 'approved, the credits moved' : 'rejected, nothing moved'}.`,
    );
    return c.html(await transfersPage(platform, posted.session, message), result.ok ? 200 : 422);
  });
}

async function transfersPage(
  platform: Platform,
  session: OfficeSession,
  message: Html | null,
  after?: string,
): Promise<Html> {
  const listed = await platform.transferRequests.list('pending', session.actor, { after });
  const pending = listed.ok ? listed.value : { items: [], next: null };
  return page(
    'Transfers out of government accounts',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
      <p>Each needs a second person: approve or reject a request someone else made.</p>
      ${table(
        ['Request', 'From', 'Transfer', 'Requested by', 'Decide'],
        pending.items.map((r) => [
          r.id,
          r.from_account,
          html`<span class="mono">${JSON.stringify(r.input)}</span>`,
          r.requested_by,
          html`<form method="post" action="/office/transfers/${r.id}/approve">
              ${csrfField(session)}<button type="submit">Approve ${r.id}</button>
            </form>
            <form method="post" action="/office/transfers/${r.id}/reject">
              ${csrfField(session)}<button type="submit">Reject ${r.id}</button>
            </form>`,
        ]),
      )}
      ${listed.ok ? '' : html`<p class="error">${listed.error.message} (${listed.error.code})</p>`}
      ${pageLinks('/office/transfers', pending, after, {}, 'requests')}`,
  );
}
