// Accounts over HTTP: log in (the edge sets the session cookie, HttpOnly and SameSite=Strict, Secure
// behind TLS; the answer carries the CSRF token for writes), log out, who am I; API tokens for
// machine clients; users and password resets for administrators.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { sessionHours } from '../core/accounts/policy.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { envelopeOf, writeHeaders, writeQuery, writeStatus } from './envelope.ts';
import { answer, json, problem } from './problem.ts';

const answers = {
  200: { description: 'OK' },
  401: { description: 'Not logged in, or wrong credentials (problem+json)' },
  403: { description: 'Not allowed' },
  422: { description: 'Refused (problem+json)' },
};

const body = <S extends z.ZodType>(schema: S) => ({
  required: true as const,
  content: { 'application/json': { schema } },
});

const loginSchema = z
  .object({
    email: z.string().max(200),
    password: z.string().max(256),
    code: z.string().max(10).optional(),
  })
  .strict();
const tokenSchema = z
  .object({
    name: z.string().min(1).max(100),
    scopes: z.array(z.string().max(80)).max(20).optional(),
  })
  .strict();
const userSchema = z
  .object({
    email: z.string().max(200),
    name: z.string().min(1).max(200),
    password: z.string().max(256),
    roles: z.string().max(500),
    organisation: z.string().max(64).optional(),
  })
  .strict();
const passwordSchema = z
  .object({ email: z.string().max(200), password: z.string().max(256) })
  .strict();

/** A write route of the accounts with a JSON body. */
const postRoute = <S extends z.ZodType>(path: string, summary: string, schema: S) =>
  createRoute({
    method: 'post',
    path,
    tags: ['accounts'],
    summary,
    security: [{ devToken: [] }],
    request: { headers: writeHeaders, query: writeQuery, body: body(schema) },
    responses: answers,
  });

export function registerAccountRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  registerSessionRoutes(app, platform);
  const accounts = platform.accounts;
  app.openapi(
    postRoute(
      '/api/v1/tokens',
      'Create an API token for yourself, limited to some of your roles (shown once)',
      tokenSchema,
    ),
    async (c) => {
      const result = await accounts.createApiToken(envelopeOf(c, c.req.valid('json')));
      return answer(c, result, writeStatus(c, result.replayed));
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/tokens/{id}',
      tags: ['accounts'],
      summary: 'Revoke an API token',
      security: [{ devToken: [] }],
      request: {
        headers: writeHeaders,
        query: writeQuery,
        params: z.object({ id: z.string().max(40) }),
      },
      responses: answers,
    }),
    async (c) =>
      answer(c, await accounts.revokeApiToken(envelopeOf(c, { id: c.req.valid('param').id }))),
  );
  app.openapi(
    postRoute(
      '/api/v1/users',
      'Create a user (administrators); the TOTP enrolment URI is returned once',
      userSchema,
    ),
    async (c) => {
      const result = await accounts.createUser(envelopeOf(c, c.req.valid('json')));
      return answer(c, result, writeStatus(c, result.replayed));
    },
  );
  app.openapi(
    postRoute(
      '/api/v1/users/password',
      "Reset a user's password (administrators); ends the user's sessions and revokes the user's API tokens",
      passwordSchema,
    ),
    async (c) => answer(c, await accounts.resetPassword(envelopeOf(c, c.req.valid('json')))),
  );
}

function registerSessionRoutes(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  const accounts = platform.accounts;
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/session',
      tags: ['accounts'],
      summary: 'Log in with email, password and (where the roles need it) the TOTP code',
      request: { body: body(loginSchema) },
      responses: answers,
    }),
    async (c) => {
      const credentials = c.req.valid('json');
      const result = await accounts.login(
        credentials.email,
        credentials.password,
        credentials.code,
        c.get('clientAddress'),
      );
      if (!result.ok) return problem(c, result.error);
      c.set('newSession', { token: result.value.token, maxAgeSeconds: sessionHours * 3600 });
      const { csrfToken, expiresAt, user } = result.value;
      return json({ csrfToken, expiresAt, user });
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/session',
      tags: ['accounts'],
      summary: 'Who is logged in',
      responses: answers,
    }),
    (c) => {
      const actor = c.get('actor');
      return actor === null
        ? problem(c, {
            code: 'unauthenticated',
            message: 'log in (POST /api/v1/session) or send Authorization: Bearer <API token>',
          })
        : json({ actor: actor.id, roles: actor.roles });
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/session',
      tags: ['accounts'],
      summary: 'Log out',
      security: [{ devToken: [] }],
      responses: answers,
    }),
    async (c) => {
      const token = c.get('sessionToken');
      if (token !== null) await accounts.logout(token);
      c.set('endSession', true);
      return json({ loggedOut: true });
    },
  );
}
