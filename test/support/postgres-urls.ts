// Where the tests find PostgreSQL: JCM_TEST_PG_URL (default: the local server, trust auth).
export const adminUrl =
  process.env['JCM_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// One template database per test run (by process and time), so that two runs on one server, a CI
// run and a developer's, never drop each other's template.
export function newTemplateName(): string {
  return `jcm_test_template_${process.pid}_${Date.now().toString(36)}`;
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
