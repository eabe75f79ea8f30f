// Vitest global setup for the PostgreSQL projects: builds a migrated template database once per
// project and run, hands its name to the tests (provide/inject), and drops it at the end; each test
// then gets a fresh copy (CREATE DATABASE ... TEMPLATE), see test/support/db.ts.
import { join } from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { openDb } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { loadReferenceData } from '../../src/db/reference-data.ts';
import { adminUrl, databaseUrl, newTemplateName } from './postgres-urls.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string;
  }
}

async function onAdmin(statement: string): Promise<void> {
  const admin = await openDb({ kind: 'postgres', url: adminUrl, poolSize: 1 });
  try {
    await admin.exclusive((k) => sql.raw(statement).execute(k));
  } finally {
    await admin.close();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const templateName = newTemplateName();
  await onAdmin(`CREATE DATABASE ${templateName}`);
  const template = await openDb({ kind: 'postgres', url: databaseUrl(templateName), poolSize: 1 });
  try {
    await migrate(template);
    await loadReferenceData(template, join(import.meta.dirname, '..', '..', 'data'));
  } finally {
    await template.close();
  }
  project.provide('postgresTemplate', templateName);
  return () => onAdmin(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`);
}
