// Where the tests find PostgreSQL: JCM_TEST_PG_URL (default: the local server, trust auth).
export const adminUrl =
  process.env['JCM_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const templateName = 'jcm_test_template';

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
