// Vitest global setup for the PostgreSQL projects: builds a migrated template database once per run;
// each test then gets a fresh copy (CREATE DATABASE ... TEMPLATE), see test/support/db.ts.
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDb } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { loadReferenceData } from '../../src/db/reference-data.ts';
import { adminUrl, databaseUrl, templateName } from './postgres-urls.ts';

export default async function setup(): Promise<void> {
  const admin = await openDb({ kind: 'postgres', url: adminUrl, poolSize: 1 });
  try {
    await admin.exclusive((k) =>
      sql.raw(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`).execute(k),
    );
    await admin.exclusive((k) => sql.raw(`CREATE DATABASE ${templateName}`).execute(k));
  } finally {
    await admin.close();
  }
  const template = await openDb({ kind: 'postgres', url: databaseUrl(templateName), poolSize: 1 });
  try {
    await migrate(template);
    await loadReferenceData(template, join(import.meta.dirname, '..', '..', 'data'));
  } finally {
    await template.close();
  }
}
