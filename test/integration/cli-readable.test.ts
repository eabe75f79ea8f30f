// The `jcm` command line on the synthetic demo prints for people (credits grouped by thousands,
// instants and dates in words) and, with --json, prints the services' exact answers byte for byte
// (ungrouped decimal strings, ISO 8601 instants).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonText } from '../../src/core/shared/json-text.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { runCli, type CliRun } from '../support/cli.ts';
import { methodologyFileText } from '../support/cycle-fixtures.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await seedDemo(platform);
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

const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** The test's own reading of an ISO instant, to the minute: "2025-10-01T09:00:19.000Z" as "1 Oct 2025 09:00 UTC". */
function inWords(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (m === null) throw new Error(`${iso} is not an ISO instant`);
  return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]} ${m[4]}:${m[5]} UTC`;
}

/** The test's own reading of a calendar date: "2026-12-08" as "8 Dec 2026". */
function dateInWords(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) throw new Error(`${date} is not a date`);
  return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}`;
}

/** Digits grouped by thousands, en-US style, as the independent oracle of the CLI's grouping. */
const grouped = (value: bigint | string) => BigInt(value).toLocaleString('en-US');

describe(`jcm text and --json on the demo on ${testDbKind}`, () => {
  it('holdings: the balance and quantities grouped in the text, exact in --json', async () => {
    // The demo's Japanese account with the most credits (over a thousand, so grouping shows).
    const listed = await platform.queries.listAccounts('JP');
    if (!listed.ok) throw new Error('the demo has no registry JP');
    const most = listed.value.items.reduce((m, a) =>
      BigInt(a.balance) > BigInt(m.balance) ? a : m,
    );
    const account = await platform.queries.account(most.id);
    if (!account.ok) throw new Error(`the demo has no ${most.id}`);
    const { balance } = account.value;
    expect(balance).toBeGreaterThanOrEqual(1000n);
    const text = (await jcm('holdings', account.value.id)).out;
    expect(text).toContain(`balance: ${grouped(balance)} credits (t CO2e)`);
    expect(text).not.toContain(`balance: ${balance} `);
    for (const h of account.value.holdings)
      expect(text).toMatch(new RegExp(`${h.project}\\s+${h.vintage}\\s+${grouped(h.quantity)}\\s`));
    const json = (await jcm('--json', 'holdings', most.id)).out;
    expect(json).toBe(`${jsonText(account.value)}\n`);
    expect((JSON.parse(json) as { balance: string }).balance).toBe(String(balance));
  });

  it('accounts, blocks and a decision: credits grouped, serial numbers as they are', async () => {
    const accounts = (await jcm('account', 'list', 'JP')).out;
    const listed = await platform.queries.listAccounts('JP');
    if (!listed.ok) throw new Error('no registry JP');
    for (const a of listed.value.items)
      expect(accounts).toMatch(new RegExp(`${a.id}\\s.*\\s${grouped(a.balance)}\\n`));
    expect((await jcm('--json', 'account', 'list', 'JP')).out).toBe(`${jsonText(listed.value)}\n`);

    const decisionPage = await platform.queries.listDecisions({ limit: 500 });
    if (!decisionPage.ok) throw new Error('no decisions');
    const decisions = decisionPage.value.items;
    // A decision with a line of a thousand credits or more, so that grouping shows.
    let found: Extract<Awaited<ReturnType<typeof platform.queries.decision>>, { ok: true }> | null =
      null;
    for (const listedDecision of decisions) {
      const read = await platform.queries.decision(listedDecision.id);
      if (read.ok && read.value.lines.some((l) => BigInt(l.quantity) >= 1000n)) found = read;
    }
    if (found === null) throw new Error('no decision with a line of 1,000 credits or more');
    const d = found.value;
    const id = d.id;
    const text = (await jcm('decision', 'show', id)).out;
    // Serial numbers are identifiers to type back (`jcm block IN001 4000`): never grouped.
    expect(text).toContain(`serials ${d.serialFirst}-${d.serialLast}`);
    for (const l of d.lines)
      expect(text).toMatch(new RegExp(`${l.account}\\s+${l.vintage}\\s+${grouped(l.quantity)}\\s`));
    expect(d.lines.some((l) => BigInt(l.quantity) >= 1000n)).toBe(true);
    expect((await jcm('--json', 'decision', 'show', id)).out).toBe(`${jsonText(d)}\n`);

    const blocks = await platform.queries.blocks('JP-000005');
    if (!blocks.ok) throw new Error('no blocks');
    const blockText = (await jcm('blocks', 'JP-000005')).out;
    for (const b of blocks.value.items)
      expect(blockText).toMatch(new RegExp(`${b.blockId}\\s+${grouped(b.quantity)}\\s`));
  });

  it('a project timeline: instants in words in the text, ISO 8601 in --json', async () => {
    const item = await platform.cycleQueries.item('IN-PRJ001');
    if (!item.ok) throw new Error('the demo has no IN-PRJ001');
    const text = (await jcm('cycle', 'show', 'IN-PRJ001')).out;
    const timeline = item.value.timeline as { seq: unknown; at: Date | string }[];
    expect(timeline.length).toBeGreaterThan(3);
    for (const e of timeline) {
      const iso = e.at instanceof Date ? e.at.toISOString() : e.at;
      expect(text).toMatch(new RegExp(`${String(e.seq)}\\s+${inWords(iso)}\\s`));
    }
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    const json = (await jcm('--json', 'cycle', 'show', 'IN-PRJ001')).out;
    expect(json).toBe(`${jsonText(item.value)}\n`);
    const parsed = JSON.parse(json) as { timeline: { at: string }[] };
    for (const e of parsed.timeline)
      expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('the journal: recorded instants in words, exact in --json', async () => {
    const page = await platform.queries.journal('JP', { limit: 50 });
    if (!page.ok) throw new Error('no journal JP');
    const text = (await jcm('registry', 'journal', 'JP')).out;
    for (const r of page.value.items) expect(text).toContain(inWords(r.recordedAt));
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect((await jcm('--json', 'registry', 'journal', 'JP')).out).toBe(
      `${jsonText(page.value)}\n`,
    );
  });

  it('reference data: dates in words and tonnes grouped in the text, as stored in --json', async () => {
    const countries = (await jcm('reference', 'show', 'partner-countries')).out;
    expect(countries).toMatch(/ID\s+IDN\s+Indonesia\s+26 Aug 2013\s/);
    const json = JSON.parse(
      (await jcm('--json', 'reference', 'show', 'partner-countries')).out,
    ) as {
      alpha2: string;
      signed_on: string;
    }[];
    expect(json.find((c) => c.alpha2 === 'ID')?.signed_on).toBe('2013-08-26');
    const projects = await platform.reference('financed-projects-2019');
    const big = projects.find(
      (p) => BigInt(String(p['expected_reduction_tco2_per_year'] ?? '0')) >= 1000n,
    );
    if (big === undefined) throw new Error('no financed project of 1,000 t a year or more');
    const text = (await jcm('reference', 'show', 'financed-projects-2019')).out;
    const reduction = String(big['expected_reduction_tco2_per_year']);
    expect(text).toMatch(
      new RegExp(
        `\\n${String(big['no'])}\\s+${String(big['year'])}\\s.*\\s${grouped(reduction)}\\s`,
      ),
    );
  });

  it('a new item: its due date in words after the action, in the list and in the inbox', async () => {
    const doc = join(mkdtempSync(join(tmpdir(), 'jcm-readable-')), 'proposal.txt');
    writeFileSync(doc, 'Proposed methodology: LED street lighting');
    const file = join(dirname(doc), 'proposal.yaml');
    writeFileSync(file, methodologyFileText());
    const acted = await jcm(
      '--json',
      '--as',
      'project_participant:example-trading-jp',
      'cycle',
      'act',
      'propose_methodology',
      '--partnership',
      'IN',
      '--doc',
      `methodology_proposal=${doc}`,
      '--doc',
      `methodology_file=${file}`,
    );
    expect(acted.exitCode, acted.err).toBe(0);
    const answer = JSON.parse(acted.out) as { item: string; due: { date: string } };
    expect(answer.due.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const due = dateInWords(answer.due.date);
    const list = (await jcm('cycle', 'list', '--machine', 'methodology')).out;
    expect(list).toMatch(new RegExp(`${answer.item}\\s.*completeness check\\s+${due}\\n`));
    const inbox = (await jcm('cycle', 'inbox', 'secretariat')).out;
    expect(inbox).toMatch(new RegExp(`${answer.item}\\s.*\\s${due}\\s+\\d+\\s+false`));
    expect(inbox).not.toContain(answer.due.date);
    expect((await jcm('--json', 'cycle', 'inbox', 'secretariat')).out).toBe(
      `${jsonText(await platform.cycleQueries.inbox('secretariat', undefined).then((r) => (r.ok ? r.value : r)))}\n`,
    );
    const second = await jcm(
      '--as',
      'project_participant:example-trading-jp',
      'cycle',
      'act',
      'propose_methodology',
      '--partnership',
      'IN',
      '--doc',
      `methodology_proposal=${doc}`,
      '--doc',
      `methodology_file=${file}`,
    );
    expect(second.out, second.err).toMatch(
      /: \(new\) -> completeness_check; completeness check by secretariat due \d{1,2} [A-Z][a-z]{2} \d{4}\n/,
    );
  });

  it('transfer requests: when requested and decided, in words', async () => {
    const as = ['--as', 'registry_manager:JP'];
    const created = await jcm(
      '--json',
      '--actor',
      'alice',
      ...as,
      'transfer-request',
      'create',
      '--from',
      'JP-000004',
      '--to',
      'JP-000005',
      '--quantity',
      '10',
    );
    expect(created.exitCode, created.err).toBe(0);
    const { id } = JSON.parse(created.out) as { id: string };
    await jcm('--actor', 'bob', ...as, 'transfer-request', 'approve', id);
    const listed = await platform.transferRequests.list(undefined, 'all', { limit: 500 });
    const row = (listed.ok ? listed.value.items : []).find((r) => r.id === id);
    if (row === undefined) throw new Error(`no transfer request ${id}`);
    const iso = (t: unknown) => (t instanceof Date ? t.toISOString() : String(t));
    const text = (await jcm('transfer-request', 'list')).out;
    expect(text).toContain(inWords(iso(row.requested_at)));
    expect(text).toContain(inWords(iso(row.decided_at)));
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect((await jcm('--json', 'transfer-request', 'list', '--limit', '500')).out).toBe(
      `${jsonText(listed.ok ? listed.value : null)}\n`,
    );
  });
});
