// Reference data is loaded when its files changed, not at every start: a start over the files last
// loaded leaves the tables as they are; changed files are loaded again, replacing the tables.
import { cpSync, appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform } from '../../src/services/platform.ts';
import { dataDir, freshDb, testDbKind, type TestDb } from '../support/db.ts';

let testDb: TestDb;
const copy = mkdtempSync(join(tmpdir(), 'jcm-reference-'));

beforeAll(async () => {
  testDb = await freshDb();
});
afterAll(async () => {
  await testDb.drop();
  rmSync(copy, { recursive: true, force: true });
});

const scopes = () =>
  testDb.db.read((k) => k.selectFrom('ref_sectoral_scopes').select('number').execute());

describe(`reference data on ${testDbKind}`, () => {
  it('is not reloaded when the files are those last loaded', async () => {
    // A mark only a reload would erase: the tables as the last load left them are kept.
    await testDb.db.transaction((trx) => trx.deleteFrom('ref_sectoral_scopes').execute());
    await createPlatform(testDb.db, { referenceDataDir: dataDir, migrate: false });
    expect(await scopes()).toEqual([]);
  });

  it('is reloaded when a file changed', async () => {
    cpSync(dataDir, copy, { recursive: true });
    appendFileSync(join(copy, 'sectoral_scopes.csv'), '99,A scope of the test,\n');
    await createPlatform(testDb.db, { referenceDataDir: copy, migrate: false });
    const numbers = (await scopes()).map((r) => r.number);
    expect(numbers).toContain(99);
    expect(numbers).toContain(1);
    await createPlatform(testDb.db, { referenceDataDir: dataDir, migrate: false });
    expect((await scopes()).map((r) => r.number)).not.toContain(99);
  });
});
