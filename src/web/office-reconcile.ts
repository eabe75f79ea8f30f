// The back office's reconciliation (issue 16): this deployment against each peer its JCM_FEDERATION
// file registers, on a button, with every discrepancy on the page and what to do about it in
// docs/OPERATIONS.md ("When reconciliation fails"). Registry managers and administrators.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Platform } from '../services/platform.ts';
import { exportSummary } from '../services/public-exports.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { page, table, type Html } from './layout.ts';
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

export function registerOfficeReconcile(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/office/reconcile', (c) => {
    const session = officeSession(c);
    if (!mayPost(session, '/office/reconcile')) return c.html(forbidden(), 403);
    return c.html(reconcilePage(platform, session, null));
  });
  app.post('/office/reconcile', async (c) => {
    const posted = await officeForm(c);
    const peer = field(posted.form, 'peer') ?? '';
    const outcome = await platform.exports.reconcileWithConfiguredPeer(peer);
    if (!outcome.ok)
      return c.html(
        reconcilePage(
          platform,
          posted.session,
          html`<p role="alert">${outcome.error.code}: ${outcome.error.message}</p>`,
        ),
        outcome.error.code === 'peer_export_unreadable' ? 502 : 404,
      );
    const { exports, discrepancies } = outcome.value;
    const found = html`<div role="status">
      <h2>
        ${
          discrepancies.length === 0
            ? `${peer}: no discrepancy`
            : `${peer}: ${discrepancies.length} discrepancies`
        }
      </h2>
      ${table(
        ['Deployment', 'Registries', 'Exported', 'Entries', 'Blocks', 'Checkpoints', 'Keys'],
        exports
          .map(exportSummary)
          .map((e) => [
            e.deployment,
            e.registries,
            e.exportedAt,
            String(e.entries),
            String(e.blocks),
            String(e.checkpoints),
            e.keys,
          ]),
      )}
      ${
        discrepancies.length === 0
          ? ''
          : table(
              ['Kind', 'Deployment', 'Subject', 'What'],
              discrepancies.map((d) => [d.kind, d.deployment, d.subject, d.message]),
            )
      }
    </div>`;
    return c.html(reconcilePage(platform, posted.session, found));
  });
}

function reconcilePage(platform: Platform, session: OfficeSession, outcome: Html | null): Html {
  const peers = platform.federation?.config.peers ?? [];
  return page(
    'Reconciliation',
    '/office',
    html`${officeNav(session)}
      <p>
        Compares this deployment's public export with a peer's, downloaded now: per issuance
        decision, the serial ranges each registry issued against its lines; per registry, the totals
        and the journal heads against its signed checkpoints. What to do when it finds something:
        docs/OPERATIONS.md, "When reconciliation fails".
      </p>
      ${
        peers.length === 0
          ? html`<p>This deployment runs all-in-one (no JCM_FEDERATION): it has no peer.</p>`
          : peers.map(
              (p) =>
                html`<form method="post" action="/office/reconcile">
                  ${csrfField(session)}<input type="hidden" name="peer" value="${p.id}" />
                  <button type="submit">
                    Reconcile with ${p.id} (${p.registries.join(', ')}, ${p.url})
                  </button>
                </form>`,
            )
      }
      ${outcome ?? ''}`,
  );
}
