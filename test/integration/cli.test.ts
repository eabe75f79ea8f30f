// The `jcm` command line in-process: commands print readable text or JSON, refusals print their code
// and set a failing exit status, and the audit command reports.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { runCli, type CliRun } from '../support/cli.ts';
import { standardOpening } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await standardOpening(platform);
});
afterAll(async () => {
  await testDb.drop();
});

function jcm(...args: string[]): Promise<CliRun> {
  return runCli(
    { openPlatform: async () => ({ ...platform, close: async () => undefined }) },
    ...args,
  );
}

describe(`jcm CLI on ${testDbKind}`, () => {
  it('transfers and shows holdings, as text and as JSON', async () => {
    const done = await jcm(
      'transfer',
      '--from',
      'JP-000004',
      '--to',
      'JP-000006',
      '--quantity',
      '12',
    );
    expect(done.out).toMatch(/done: credits_moved recorded as JP entry \d+/);
    const json = JSON.parse((await jcm('--json', 'holdings', 'JP-000006')).out) as {
      balance: string;
      holdings: { quantity: string }[];
    };
    expect(json.balance).toBe('12');
    const text = await jcm('holdings', 'JP-000006');
    expect(text.out).toContain('balance: 12 credits (t CO2e)');
  });

  it('retires explicit ranges and finds the block by serial', async () => {
    const retired = await jcm(
      '--json',
      'retire',
      '--from',
      'JP-000004',
      '--range',
      'IN001:50-59',
      '--purpose',
      'gx_ets_compliance',
      '--beneficiary',
      'Acme',
    );
    expect(JSON.parse(retired.out)).toMatchObject({
      event: { type: 'credits_moved', movement: 'retirement', quantity: '10' },
    });
    const block = await jcm('block', 'IN001', '55');
    expect(block.out).toContain('JCM-IN-001-2027-50-59');
    expect(block.out).toContain('(retirement)');
  });

  it.each([
    [
      ['transfer', '--from', 'JP-000004', '--to', 'JP-000006', '--quantity', '0'],
      'quantity_must_be_positive',
    ],
    [
      ['transfer', '--from', 'JP-000004', '--to', 'JP-000006', '--quantity', '1.5'],
      'quantity_must_be_whole',
    ],
    [
      ['transfer', '--from', 'JP-000004', '--to', 'IN-000004', '--quantity', '1'],
      'accounts_must_be_in_same_registry',
    ],
    [
      ['transfer', '--from', 'JP-000001', '--to', 'JP-000006', '--quantity', '1'],
      'source_account_type_cannot_send',
    ],
    [
      [
        '--as',
        'account_holder:beta',
        'transfer',
        '--from',
        'JP-000004',
        '--to',
        'JP-000006',
        '--quantity',
        '1',
      ],
      'actor_not_authorised',
    ],
    [['account', 'show', 'JP-000099'], 'account_not_found'],
  ])('refuses %j with %s', async (args, code) => {
    const result = await jcm(...args);
    expect(result.err).toContain(`error ${code}:`);
    expect(result.exitCode).toBe(1);
  });

  it.each([
    [
      'an argument',
      ['user', 'add', 'mal\u0001lory@example.org', '--name', 'M', '--roles', 'administrator'],
    ],
    [
      'an option',
      ['user', 'add', 'zed@example.org', '--name', 'Zed\u001b[31mRED', '--roles', 'administrator'],
    ],
    ['a global option', ['--actor', 'a\u0000b', 'registry', 'list']],
  ])('refuses a control character in %s, writing nothing', async (_where, args) => {
    const users = async () =>
      (await platform.db.read((k) => k.selectFrom('users').select('id').execute())).length;
    const before = await users();
    await expect(jcm(...args)).rejects.toMatchObject({
      code: 'control_character_refused',
      exitCode: 1,
    });
    expect(await users()).toBe(before);
  });

  it('refuses an envelope file that is not JSON', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jcm-cli-')), 'envelope.json');
    writeFileSync(file, '{"finding": {"kind": "CL",');
    const result = await jcm(
      'cycle',
      'act',
      'raise_finding',
      '--item',
      'IN-PRJ001',
      '--file',
      file,
    );
    expect(result.err).toContain('error malformed_json:');
    expect(result.exitCode).toBe(1);
  });

  it('lists reference data and runs the audit', async () => {
    const scopes = JSON.parse(
      (await jcm('--json', 'reference', 'show', 'sectoral-scopes')).out,
    ) as unknown[];
    // The 15 scopes of the 2019 report and the CCS/CCUS scope added in December 2024.
    expect(scopes).toHaveLength(16);
    const audit = await jcm('audit');
    expect(audit.out).toContain('audit passed');
    expect(audit.exitCode).toBe(0);
  });

  it('audit exits with status 2 and names the invariants after a block is altered in SQL', async () => {
    await platform.db.transaction((trx) =>
      sql`UPDATE blocks SET serial_last = serial_last - 1 WHERE account_id = 'JP-000006'`.execute(
        trx,
      ),
    );
    const audit = await jcm('audit');
    expect(audit.exitCode).toBe(2);
    expect(audit.out).toMatch(/VIOLATION of invariant 1:/);
    expect(audit.out).toMatch(/VIOLATION of invariant 2:/);
    expect(audit.out).toMatch(/VIOLATION of invariant 6:/);
    expect(audit.out).toContain('audit FAILED');
  });
});
