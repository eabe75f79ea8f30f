// The web: the public portal (no login, nothing changes) and the back office (behind a session;
// the edge, src/http, checks every posted form's CSRF token and authorisation before it gets here).
import { Hono } from 'hono';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { registerLogin } from './login-routes.ts';
import { registerOfficeActions } from './office-actions.ts';
import { registerOfficeAdmin } from './office-admin.ts';
import { registerOfficeArticle6 } from './office-article6.ts';
import { registerOfficeRetirements } from './office-retirements.ts';
import { registerOfficeRegistry } from './office-registry.ts';
import { registerOffice } from './office-routes.ts';
import { registerOfficeReconcile } from './office-reconcile.ts';
import { registerPublicInput } from './pages-public-input.ts';
import { registerPortal } from './portal-routes.ts';
import { registerCertificatePages } from './pages-certificate.ts';
// Histories, reports and the register of retirements (issue 15, lane H2)
import { registerRegistryHistoryPortal } from './registry-history-routes.ts';

/** The public portal: pages the same for every visitor, none behind a login. */
export function createPortal(platform: Platform): Hono<AppEnv> {
  const portal = new Hono<AppEnv>();
  registerPortal(portal, platform);
  registerRegistryHistoryPortal(portal, platform);
  registerPublicInput(portal, platform);
  // Certificates' verification page (issue 15, lane C).
  registerCertificatePages(portal, platform);
  return portal;
}

/** The whole web: the portal (shared with the fast path of public reads), the login, the back office. */
export function createWeb(
  platform: Platform,
  portal: Hono<AppEnv> = createPortal(platform),
): Hono<AppEnv> {
  const web = new Hono<AppEnv>();
  web.route('/', portal);
  registerLogin(web, platform);
  registerOffice(web, platform);
  registerOfficeReconcile(web, platform);
  registerOfficeActions(web, platform);
  registerOfficeRegistry(web, platform);
  registerOfficeRetirements(web, platform);
  registerOfficeArticle6(web, platform);
  registerOfficeAdmin(web, platform);
  return web;
}
