// `jcm history account|project|serial`, `jcm retirements` and `jcm report ...` in-process (issue 15
// review, item 8): with --json each prints the services' answer byte for byte, a page at a time by
// --after and --limit; as text, the table and the command line of the next page; report files are
// written where --out says and read back; bad input prints its stable code and fails.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonText } from '../../src/core/shared/json-text.ts';
import type { Page, PageRequest } from '../../src/core/shared/page.ts';
import type { Result } from '../../src/core/shared/result.ts';
import { runCli, type CliRun } from '../support/cli.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { allItems } from '../support/pages.ts';
import { mustRun, standardOpening } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;
const dir = mkdtempSync(join(tmpdir(), 'jcm-cli-registry-'));

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await standardOpening(platform);
  // Serials 1-100 of IN001 2027 in JP-000004: 30 to JP-000006, then retirements from both.
  await mustRun(platform, 'transfer', {
    from: 'JP-000004',
    to: 'JP-000006',
    selection: { quantity: '30' },
  });
  for (const [from, beneficiary] of [
    ['JP-000006', 'Acme Green Ltd'],
    ['JP-000004', 'acme_underscore'],
    ['JP-000004', 'Beta Holdings'],
  ] as const)
    await mustRun(platform, 'retire', {
      from,
      selection: { quantity: '3' },
      purpose: 'voluntary_offsetting',
      beneficiary,
    });
}, 120_000);
afterAll(async () => {
  await testDb.drop();
});

function jcm(...args: string[]): Promise<CliRun> {
  return runCli(
    { openPlatform: async () => ({ ...platform, close: async () => undefined }) },
    ...args,
  );
}

/** Every item of a paged command, walked with --json and --after, and the pages it took. */
async function walk(args: readonly string[], limit: number) {
  const items: unknown[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const run = await jcm(
      '--json',
      ...args,
      '--limit',
      String(limit),
      ...(after === null ? [] : ['--after', after]),
    );
    expect(run.exitCode, run.err).toBe(0);
    const page = JSON.parse(run.out) as { items: unknown[]; next: string | null };
    items.push(...page.items);
    after = page.next;
    pages++;
  } while (after !== null && pages < 50);
  return { items, pages };
}

/** The service's whole list, as the CLI's JSON writes it. */
async function whole<T>(list: (r: PageRequest) => Promise<Result<Page<T>>>) {
  return JSON.parse(jsonText(await allItems(list))) as unknown[];
}

describe(`jcm history and retirements on ${testDbKind}`, () => {
  it('history account: every movement once, a page at a time, as the service answers', async () => {
    const expected = await whole((r) => platform.histories.account('JP-000004', r));
    expect(expected).toHaveLength(1 + 1 + 2);
    const { items, pages } = await walk(['history', 'account', 'JP-000004'], 2);
    expect(items).toEqual(expected);
    expect(pages).toBe(2);
    const text = await jcm('history', 'account', 'JP-000004', '--limit', '2');
    expect(text.exitCode).toBe(0);
    expect(text.out).toMatch(/when\s+entry\s+kind\s+block\s+credits\s+from\s+to\s+beneficiary/);
    expect(text.out).toMatch(/issue\s+JCM-IN-001-2027-1-100\s+100\s+JP-000004/);
    expect(text.out).toMatch(/\nnext page: --after [A-Za-z0-9_-]+\n$/);
  });

  it('history project and serial: JSON byte for byte, text with the blocks', async () => {
    const project = await platform.histories.project('IN001', { limit: 500 });
    if (!project.ok) throw new Error(project.error.code);
    const json = await jcm('--json', 'history', 'project', 'IN001', '--limit', '500');
    expect(json.out).toBe(`${jsonText(project.value)}\n`);
    expect(new Set(project.value.items.map((m) => m.registry))).toEqual(new Set(['JP', 'IN']));
    const serial = JSON.parse((await jcm('--json', 'history', 'serial', 'IN001', '2')).out) as {
      items: { kind: string; block: string }[];
    };
    expect(serial.items.map((m) => m.kind)).toEqual(['issue', 'transfer', 'retire']);
    const text = (await jcm('history', 'serial', 'IN001', '2')).out;
    // Serial 2 was issued in 1-100, transferred in 1-30 and retired in 1-3.
    for (const block of ['JCM-IN-001-2027-1-100', 'JCM-IN-001-2027-1-30', 'JCM-IN-001-2027-1-3'])
      expect(text).toContain(block);
    expect(text).not.toContain('next page');
  });

  it('retirements: newest first, or by the beginning of the beneficiary in any case', async () => {
    const all = await walk(['retirements'], 2);
    expect(all.items).toEqual(await whole((r) => platform.histories.retirements(undefined, r)));
    expect((all.items as { beneficiary: string }[]).map((m) => m.beneficiary)).toEqual([
      'Beta Holdings',
      'acme_underscore',
      'Acme Green Ltd',
    ]);
    const found = JSON.parse((await jcm('--json', 'retirements', '--beneficiary', 'ACME')).out) as {
      items: { beneficiary: string }[];
    };
    expect(found.items.map((m) => m.beneficiary)).toEqual(['Acme Green Ltd', 'acme_underscore']);
    const text = (await jcm('retirements', '--beneficiary', 'beta')).out;
    expect(text).toContain('Beta Holdings');
    expect(text).not.toContain('Acme');
  });

  it.each([
    [['history', 'account', 'nope'], 'account_id_malformed'],
    [['history', 'account', 'JP-999999'], 'account_not_found'],
    [['history', 'account', 'JP-000004', '--limit', '0'], 'invalid_request'],
    [['history', 'account', 'JP-000004', '--limit', '501'], 'invalid_request'],
    [['history', 'account', 'JP-000004', '--after', 'garbage'], 'page_cursor_invalid'],
    [['history', 'account', 'JP-000004', '--after', 'not a cursor'], 'page_cursor_invalid'],
    [['history', 'project', 'XX'], 'project_ref_malformed'],
    [['history', 'serial', 'IN001', 'abc'], 'serial_malformed'],
    [['history', 'serial', 'IN001', '0'], 'serial_must_be_positive'],
    [['retirements', '--beneficiary', 'x'.repeat(201)], 'invalid_request'],
  ])('%j fails with %s', async (args, code) => {
    const run = await jcm(...args);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain(`error ${code}:`);
    const json = await jcm('--json', ...args);
    expect((JSON.parse(json.out) as { error: { code: string } }).error.code).toBe(code);
  });
});

describe(`jcm report on ${testDbKind}`, () => {
  it('prints the annual summary and the amounts per account type, the demo apart', async () => {
    const annual = await jcm('report', 'annual');
    expect(annual.exitCode).toBe(0);
    expect(annual.out).toContain('Annual transaction summary');
    expect(annual.out).toMatch(/JP\s+\d{4}\s+retire\s+3\s+9\n/);
    expect(annual.out).toContain('Synthetic demo data (not real credits)');
    const json = JSON.parse(
      (await jcm('--json', 'report', 'account-types', '--registry', 'JP')).out,
    ) as {
      title: string;
      rows: Record<string, unknown>[];
    }[];
    expect(json.map((t) => t.title)).toEqual([
      'Amount per account type',
      'Synthetic demo data (not real credits)',
    ]);
    expect(json[0]?.rows).toContainEqual({
      registry: 'JP',
      'account type': 'retirement',
      credits: '9',
      blocks: '3',
    });
  });

  it('writes the holdings CSV and XLSX where --out says, and the CSV holds every holding', async () => {
    const csvPath = join(dir, 'holdings.csv');
    const written = await jcm('--json', 'report', 'holdings', '--format', 'csv', '--out', csvPath);
    expect(written.exitCode, written.err).toBe(0);
    const text = readFileSync(csvPath, 'utf8');
    expect(JSON.parse(written.out)).toEqual({ written: csvPath, bytes: Buffer.byteLength(text) });
    const holdings = await allItems((r) => platform.registryReports.holdings('JP', r));
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(
      '"account","holder","account type","status","project","vintage","credits","blocks","synthetic demo data"',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 1)[0])).toEqual(
      holdings.map((h) => `"${h.account}"`),
    );
    expect(lines).toContain('"JP-000004","Acme","holding","open","IN001","2027","64","1","no"');
    const xlsxPath = join(dir, 'holdings.xlsx');
    expect((await jcm('report', 'holdings', '--format', 'xlsx', '--out', xlsxPath)).out).toBe(
      `wrote ${xlsxPath}\n`,
    );
    expect(readFileSync(xlsxPath).subarray(0, 2).toString()).toBe('PK');
  });

  it.each([
    [['report', 'holdings', '--registry', 'ZZ'], 'registry_not_found'],
    [['report', 'holdings', '--registry', 'jp', '--format', 'csv'], 'registry_id_malformed'],
    [['report', 'annual', '--format', 'doc'], 'invalid_request'],
  ])('%j fails with %s', async (args, code) => {
    const run = await jcm(...args);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain(`error ${code}:`);
  });
});
