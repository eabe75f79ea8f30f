// A user with a back-office session, made directly through the accounts service: the cookie and the
// CSRF token its pages carry. (test/integration/office-cycle.test.ts logs in through the form.)
import { totpCode } from '../../src/services/accounts.ts';
import type { Platform } from '../../src/services/platform.ts';
import type { Db } from '../../src/db/connect.ts';
import type { TestClock } from './db.ts';
import { operator } from './scenario.ts';

export async function userSession(
  platform: Platform,
  clock: TestClock,
  email: string,
  roles: string,
  password = 'a test passphrase',
): Promise<{ cookie: string; csrf: string }> {
  const created = await platform.accounts.createUser({
    actor: operator,
    input: { email, name: email, password, roles, secondFactor: true },
  });
  if (!created.ok) throw new Error(created.error.message);
  const login = await platform.accounts.login(
    email,
    password,
    totpCode(email, created.value.totpUri ?? '', Date.parse(clock.now())),
    email,
  );
  if (!login.ok) throw new Error(login.error.message);
  return { cookie: `jcm_session=${login.value.token}`, csrf: login.value.csrfToken };
}

/** The sessions a user holds (their token hashes), read from the database. */
export function sessionsOf(platform: { readonly db: Db }, email: string) {
  return platform.db.read((k) =>
    k
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('token_hash')
      .where('users.email', '=', email)
      .execute(),
  );
}
