// `jcm user roles`: an administrator gives an existing user a role and takes it away, through the
// accounts' write pipeline (idempotent under a key); the README tour's token with a role the user was
// given afterwards, printed alone with --quiet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
});
afterAll(async () => {
  await testDb.drop();
});

function jcm(...args: string[]) {
  return runCli(
    { openPlatform: async () => ({ ...platform, close: async () => undefined }) },
    ...args,
  );
}

describe(`jcm user roles on ${testDbKind}`, () => {
  it('gives an existing administrator a role, then a token scoped to it', async () => {
    process.env['JCM_PASSWORD'] = 'long enough passphrase 7';
    try {
      const created = await jcm('admin', 'create', 'ada@example.org', '--name', 'Ada Admin');
      expect(created.exitCode, created.err).toBe(0);
    } finally {
      delete process.env['JCM_PASSWORD'];
    }
    const refused = await jcm(
      'token',
      'create',
      'ada@example.org',
      '--scopes',
      'registry_manager:JP',
    );
    expect(refused.exitCode).not.toBe(0);

    const given = await jcm('user', 'roles', 'ada@example.org', '--add', 'registry_manager:JP');
    expect(given.exitCode, given.err).toBe(0);
    expect(given.out).toContain('ada@example.org holds: administrator, registry_manager:JP');

    const token = await jcm(
      'token',
      'create',
      'ada@example.org',
      '--scopes',
      'registry_manager:JP',
      '--quiet',
    );
    expect(token.exitCode, token.err).toBe(0);
    expect(token.out).toMatch(/^jcm_tok_\w+_[A-Za-z0-9_-]+\n$/);
    const actor = await platform.accounts.tokenActor(token.out.trim());
    expect(actor?.roles).toEqual([{ kind: 'registry_manager', registry: 'JP' }]);
  });

  it('takes a role away, is idempotent under a key, and refuses what it cannot do', async () => {
    const key = ['--idempotency-key', 'roles-1'];
    const first = await jcm(
      '--json',
      ...key,
      'user',
      'roles',
      'ada@example.org',
      '--remove',
      'registry_manager:JP',
    );
    expect(first.exitCode, first.err).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ roles: ['administrator'] });
    const again = await jcm(
      '--json',
      ...key,
      'user',
      'roles',
      'ada@example.org',
      '--remove',
      'registry_manager:JP',
    );
    expect(JSON.parse(again.out)).toMatchObject({ roles: ['administrator'] });
    const other = await jcm(...key, 'user', 'roles', 'ada@example.org', '--add', 'secretariat:IN');
    expect(other.err).toContain('idempotency_key_reused');

    const unknown = await jcm('user', 'roles', 'nobody@example.org', '--add', 'secretariat:IN');
    expect(unknown.err).toContain('user_not_found');
    const notARole = await jcm('user', 'roles', 'ada@example.org', '--add', 'emperor');
    expect(notARole.exitCode).not.toBe(0);
    const nothing = await jcm('user', 'roles', 'ada@example.org');
    expect(nothing.err).toContain('invalid_request');
    const rows = await platform.db.read((k) =>
      k.selectFrom('user_roles').select('role').orderBy('role').execute(),
    );
    expect(rows.map((r) => r.role)).toEqual(['administrator']);
  });
});
