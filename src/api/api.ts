// The HTTP API under /api/v1: Hono with zod-validated requests and an OpenAPI document generated
// from the same schemas. Routes translate HTTP to service calls and results to answers; who may
// call them was settled by the edge (src/http) before they run.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { registerAccountRoutes } from './account-routes.ts';
import { registerArticle6Writes } from './article6-write-routes.ts';
import { registerArticle6Reads } from './article6-read-routes.ts';
import { registerBackupRoutes } from './backup-routes.ts';
import { registerCommentRoutes } from './comment-routes.ts';
import { registerCycleRoutes } from './cycle-routes.ts';
import { registerExternalRegistrationRoutes } from './external-registration-routes.ts';
import { registerFederationRoutes } from './federation-routes.ts';
import { registerCheckpointRoutes } from './checkpoint-routes.ts';
import { registerExportRoute } from './export-routes.ts';
import { registerLedgerReads } from './ledger-read-routes.ts';
import { registerLedgerWrites } from './ledger-write-routes.ts';
import { registerMethodologyRoutes } from './methodology-routes.ts';
import { registerPartnershipRoutes } from './partnership-routes.ts';
import { invalidRequest } from './problem.ts';
import { registerTransferRequestRoutes } from './transfer-request-routes.ts';
import { registerCertificateRoutes } from './certificate-routes.ts';
// Histories, reports and the register of retirements (issue 15, lane H2)
import { registerHistoryRoutes } from './history-routes.ts';
import { registerRegistryReportRoutes } from './registry-report-routes.ts';

/**
 * The operations whose request body is JSON and only JSON, from the OpenAPI registry: the edge
 * (src/http/edge-input.ts) gives them all the same content-type rule. Routes that also take other
 * types (a monitoring report as XLSX, CSV or JSON) read their bodies themselves.
 */
export function jsonOperations(api: OpenAPIHono<AppEnv>): { method: string; path: string }[] {
  return api.openAPIRegistry.definitions.flatMap((d) => {
    if (d.type !== 'route') return [];
    const types = Object.keys(d.route.request?.body?.content ?? {});
    return types.length === 1 && types[0] === 'application/json'
      ? [{ method: d.route.method, path: d.route.path }]
      : [];
  });
}

export function createApi(platform: Platform): OpenAPIHono<AppEnv> {
  const api = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return invalidRequest(c, result.error.issues);
      return undefined;
    },
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'devToken', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API token (jcm_tok_..., from `jcm token create` or POST /api/v1/tokens); in development only, the JCM_DEV_TOKEN with X-JCM-Actor and X-JCM-Roles',
  });
  registerLedgerReads(api, platform);
  registerLedgerWrites(api, platform);
  registerMethodologyRoutes(api, platform);
  registerCycleRoutes(api, platform);
  registerPartnershipRoutes(api, platform);
  registerCommentRoutes(api, platform);
  registerExternalRegistrationRoutes(api, platform);
  registerAccountRoutes(api, platform);
  registerTransferRequestRoutes(api, platform);
  registerArticle6Writes(api, platform);
  registerArticle6Reads(api, platform);
  // Certificates of issuance and retirement (issue 15, lane C).
  registerCertificateRoutes(api, platform);
  registerBackupRoutes(api, platform); // issue 15, lane R2
  registerHistoryRoutes(api, platform);
  registerRegistryReportRoutes(api, platform);
  registerFederationRoutes(api, platform); // issue 16
  registerCheckpointRoutes(api, platform); // issue 16
  registerExportRoute(api, platform); // issue 16
  api.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'JCM platform API',
      version: '1',
      description:
        'Registries, accounts, the ledger, the project cycle and the methodologies of the Joint Crediting Mechanism. Quantities, serial numbers and methodology values are decimal strings. Every write takes an Idempotency-Key (required where it changes the registries, the cycle or the organisations) and ?dryRun=true.',
    },
  });
  return api;
}
