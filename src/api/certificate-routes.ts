// Certificates of issuance and retirement (issue 15): public reads, like the journal they come from.
// The certificate as JSON, as a PDF, and its verification against the journal. Path parameters are
// checked by the service (`certificate_reference_malformed`, 400), so every edge says the same.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { answer, attachment, problem } from './problem.ts';

const responses = {
  200: { description: 'OK' },
  400: { description: 'Malformed chain, entry number or hash (problem+json)' },
  404: { description: 'No such journal entry (problem+json)' },
  409: { description: 'The entry is neither an issuance nor a retirement (problem+json)' },
};

const params = z.object({
  chain: z.string().max(20).openapi({ example: 'JP' }),
  seq: z.string().max(30).openapi({ example: '42' }),
});

export function registerCertificateRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  const certificates = platform.certificates;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/certificates/{chain}/{seq}',
      tags: ['certificates'],
      summary: 'The certificate of an issuance or retirement entry, as JSON',
      request: { params },
      responses,
    }),
    async (c) => {
      const { chain, seq } = c.req.valid('param');
      return answer(c, await certificates.certificate(chain, seq));
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/certificates/{chain}/{seq}/pdf',
      tags: ['certificates'],
      summary: 'The certificate of an issuance or retirement entry, as a PDF',
      request: { params },
      responses: {
        ...responses,
        200: { description: 'application/pdf' },
        422: { description: 'More blocks than a PDF lists: read the JSON (problem+json)' },
      },
    }),
    async (c) => {
      const { chain, seq } = c.req.valid('param');
      const result = await certificates.pdf(chain, seq);
      return result.ok
        ? attachment({ mediaType: 'application/pdf', ...result.value })
        : problem(c, result.error);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/certificates/{chain}/{seq}/verification',
      tags: ['certificates'],
      summary:
        "A certificate checked against the journal: the entry's hash recomputed, its link, and the hash the certificate states",
      request: {
        params,
        query: z.object({ hash: z.string().max(100).optional() }),
      },
      responses,
    }),
    async (c) => {
      const { chain, seq } = c.req.valid('param');
      return answer(c, await certificates.verify(chain, seq, c.req.valid('query').hash));
    },
  );
}
