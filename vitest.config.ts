// Test projects: unit tests of the pure core; the integration suite once on PGlite and once on
// PostgreSQL (same files, JCM_TEST_DB picks the database); PostgreSQL-only system tests
// (concurrency between writers, crash and restart); browser tests in Debian's Chromium.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/results.json' },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration-pglite',
          include: ['test/integration/**/*.test.ts'],
          env: { JCM_TEST_DB: 'pglite' },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration-postgres',
          include: ['test/integration/**/*.test.ts'],
          env: { JCM_TEST_DB: 'postgres' },
          globalSetup: ['test/support/postgres-template.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'system-postgres',
          include: ['test/system/**/*.test.ts'],
          env: { JCM_TEST_DB: 'postgres' },
          globalSetup: ['test/support/postgres-template.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 150_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
