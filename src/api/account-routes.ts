// Accounts over HTTP: log in (a session cookie, HttpOnly and SameSite=Strict, Secure behind TLS, and a
// CSRF token for writes), log out, who am I; API tokens for machine clients; users and password resets
// for administrators.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sessionHours } from '../core/accounts/policy.ts';
import type { Actor } from '../core/ledger/actor.ts';
import type { Platform } from '../services/platform.ts';
import { actorFromRequest, overTls, sessionCookie } from './actor.ts';
import { answer, json, jsonText, problem } from './problem.ts';

const answers = {
  200: { description: 'OK' },
  401: { description: 'Not logged in, or wrong credentials (problem+json)' },
  403: { description: 'Not allowed' },
  422: { description: 'Refused (problem+json)' },
};

export function registerAccountRoutes(app: OpenAPIHono, platform: Platform): void {
  const accounts = platform.accounts;
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/session',
      tags: ['accounts'],
      summary: 'Log in with email, password and (where the roles need it) the TOTP code',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  email: z.string().max(200),
                  password: z.string().max(256),
                  code: z.string().max(10).optional(),
                })
                .strict(),
            },
          },
        },
      },
      responses: answers,
    }),
    async (c) => {
      const body = c.req.valid('json');
      const address = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? 'direct';
      const result = await accounts.login(body.email, body.password, body.code, address);
      if (!result.ok) return problem(c as unknown as Context, result.error);
      setCookie(c, sessionCookie, result.value.token, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: overTls(c as unknown as Context),
        path: '/',
        maxAge: sessionHours * 3600,
      });
      // c.body keeps the Set-Cookie header that setCookie put on the context.
      const session = {
        csrfToken: result.value.csrfToken,
        expiresAt: result.value.expiresAt,
        user: result.value.user,
      };
      return c.body(jsonText(session), 200, { 'content-type': 'application/json' });
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
    async (c) => {
      const actor = await actorFromRequest(c as unknown as Context, accounts, null);
      return actor.ok
        ? json({ actor: actor.value.id, roles: actor.value.roles })
        : problem(c as unknown as Context, actor.error);
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
      const cookie = getCookie(c, sessionCookie);
      if (cookie !== undefined) await accounts.logout(cookie);
      deleteCookie(c, sessionCookie, { path: '/' });
      return c.body(jsonText({ loggedOut: true }), 200, { 'content-type': 'application/json' });
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/tokens',
      tags: ['accounts'],
      summary: 'Create an API token for yourself, limited to some of your roles (shown once)',
      security: [{ devToken: [] }],
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  name: z.string().min(1).max(100),
                  scopes: z.array(z.string().max(80)).max(20).optional(),
                })
                .strict(),
            },
          },
        },
      },
      responses: answers,
    }),
    async (c) => {
      const actor = c.get('actor' as never) as Actor;
      const user = await accounts.userIdOf(actor.id);
      if (user === null)
        return problem(c as unknown as Context, {
          code: 'actor_not_authorised',
          message: 'API tokens belong to users; log in first',
        });
      const body = c.req.valid('json');
      const result = await accounts.createApiToken(user, body.name, body.scopes ?? null);
      return answer(c as unknown as Context, result, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/tokens/{id}',
      tags: ['accounts'],
      summary: 'Revoke an API token',
      security: [{ devToken: [] }],
      request: { params: z.object({ id: z.string().max(40) }) },
      responses: answers,
    }),
    async (c) => {
      const actor = c.get('actor' as never) as Actor;
      const result = await accounts.revokeApiToken(
        c.req.valid('param').id,
        actor,
        await accounts.userIdOf(actor.id),
      );
      return answer(c as unknown as Context, result);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users',
      tags: ['accounts'],
      summary: 'Create a user (administrators); the TOTP enrolment URI is returned once',
      security: [{ devToken: [] }],
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  email: z.string().max(200),
                  name: z.string().min(1).max(200),
                  password: z.string().max(256),
                  roles: z.string().max(500),
                  organisation: z.string().max(64).optional(),
                })
                .strict(),
            },
          },
        },
      },
      responses: answers,
    }),
    async (c) => {
      const result = await accounts.createUser(
        c.req.valid('json'),
        c.get('actor' as never) as Actor,
      );
      return answer(c as unknown as Context, result, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/password',
      tags: ['accounts'],
      summary: "Reset a user's password (administrators); ends the user's sessions",
      security: [{ devToken: [] }],
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({ email: z.string().max(200), password: z.string().max(256) })
                .strict(),
            },
          },
        },
      },
      responses: answers,
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await accounts.resetPassword(
        body.email,
        body.password,
        c.get('actor' as never) as Actor,
      );
      return answer(c as unknown as Context, result);
    },
  );
}

/** The user behind an actor (actors of sessions and API tokens are named by their email). */
