// Where a peer deployment delivers its signed messages (issue 16). The route is open to any caller
// by the authorisation matrix: what admits a message is its Ed25519 signature, checked against the
// key this deployment's configuration registers for the sender. The answer is the acknowledgement
// (the highest number applied on the link), or a problem with a stable code: `message_sequence_gap`
// (the message is held; `details.expected` names the number awaited) or a refusal.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { federationNotConfigured } from '../services/federation.ts';
import { messagesPath } from '../services/federation-wire.ts';
import { answer, json, problem } from './problem.ts';
import { exportSummary } from '../services/public-exports.ts';

const signedMessage = z.object({}).passthrough().openapi({
  description:
    'A signed message: { envelope: { version: 1, sender, receiver, sequence (decimal string), idempotencyKey, kind, writtenAt, body }, keyId, signature (Ed25519 over the canonical JSON of the envelope, base64) }',
});

export function registerFederationRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: messagesPath,
      tags: ['federation'],
      summary:
        'Deliver a signed message from a peer deployment (admitted by its signature; applied once, in the order of its link)',
      request: {
        body: { required: true, content: { 'application/json': { schema: signedMessage } } },
      },
      responses: {
        200: { description: 'Applied, or applied before: { outcome, acknowledged }' },
        400: { description: 'Not a signed message (message_malformed)' },
        403: { description: 'Unknown sender or key, expired key, bad signature' },
        404: { description: 'This deployment takes no messages (federation_not_configured)' },
        409: { description: 'Held after a gap (message_sequence_gap), or a replay' },
        422: { description: 'For another deployment, or of a kind not applied here' },
      },
    }),
    async (c) => {
      if (platform.federation === null) return problem(c, federationNotConfigured);
      const result = await platform.federation.receiver.receive(c.req.valid('json'));
      if (!result.ok) return answer(c, result);
      const receipt = result.value;
      return receipt.outcome === 'held'
        ? problem(c, {
            code: 'message_sequence_gap',
            message: receipt.kept
              ? `the message is held: message ${receipt.expected} has not arrived`
              : `message ${receipt.expected} has not arrived, and this one is too far past it to be held`,
            details: { expected: receipt.expected.toString() },
          })
        : json(receipt);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/federation/reconcile',
      tags: ['federation'],
      summary:
        "Compare this deployment with a peer's public export (the peer by its id in JCM_FEDERATION): every discrepancy with its kind",
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({ peer: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/) }).strict(),
            },
          },
        },
      },
      responses: {
        200: {
          description:
            '{ exports: [...], discrepancies: [{ kind, deployment, subject, message }] }',
        },
        404: { description: 'No federation here, or no such peer' },
        502: { description: "The peer's export could not be read (peer_export_unreadable)" },
      },
    }),
    async (c) => {
      const outcome = await platform.exports.reconcileWithConfiguredPeer(c.req.valid('json').peer);
      if (!outcome.ok) return answer(c, outcome);
      return json({
        exports: outcome.value.exports.map(exportSummary),
        discrepancies: outcome.value.discrepancies,
      });
    },
  );
}
