// Synthetic demo data as stored flags (issue 15 review, items 1 and 2), over the demo with real
// credits beside it: the flag the cycle stores on each item equals the rule over all items; the
// portal reads the synthetic projects' references through the flagged items only, however many real
// items there are, and labels its projects, decisions and credits by the stored flag; the annual
// summary takes the demo's share from its own aggregate, counts an entry that mixes demo and real
// credits once, in the registry's part, and splits its credits by project; when a registered
// project's participants change from demo to real organisations, its flag, its children's, the
// decisions about them and the demo's share of the annual summary follow, and the audit agrees.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { syntheticItems } from '../../src/core/cycle/synthetic.ts';
import { PortalQueries } from '../../src/db/portal-queries.ts';
import { RegistryReportQueries } from '../../src/db/registry-report-queries.ts';
import { storeSyntheticFlags } from '../../src/db/synthetic-flags.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { demoProject } from '../../src/services/demo-data.ts';
import {
  RegistryReports,
  type AnnualRow,
  type Split,
} from '../../src/services/registry-reports.ts';
import { authoriseForJapan } from '../support/demo-authorisation.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { recordingDb } from '../support/recording-db.ts';
import { allItems } from '../support/pages.ts';
import { mustRun } from '../support/scenario.ts';

let platform: TestPlatform;
let testDb: TestDb;
/** The entry that transferred demo and real credits together, and the year it was recorded. */
let mixed: { seq: bigint; year: number; demoProject: string };
/** The annual summary just before that entry. */
let annualBefore: Split<AnnualRow>;

const rows = <T>(query: ReturnType<typeof sql<T>>) =>
  platform.db.read(async (k) => (await query.execute(k)).rows);

/** The project data of a real project (organisations not flagged synthetic). */
const realProject = {
  ...demoProject,
  title: 'A real project',
  participantsJapan: ['real-jp'],
  participantsPartner: ['real-in'],
  focalPoint: 'real-jp',
};

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await seedDemo(platform);
  await authoriseForJapan(platform, 'IN950');
  // A holding account in Japan's registry with a demo project's credits, and another to move to.
  const [held] = await rows(sql<{ account_id: string; project: string; serial_first: bigint }>`
    SELECT b.account_id, b.project, b.serial_first FROM blocks b
    JOIN cycle_items c ON c.reference = b.project AND c.machine = 'project' AND c.synthetic
    JOIN accounts a ON a.id = b.account_id
    WHERE b.registry_id = 'JP' AND a.type = 'holding' AND a.status = 'open'
      AND b.serial_last - b.serial_first >= 4
    ORDER BY b.account_id, b.project, b.serial_first LIMIT 1`);
  if (held === undefined) throw new Error('the demo holds no credits in a JP holding account');
  const [to] = await rows(sql<{ id: string }>`
    SELECT id FROM accounts WHERE registry_id = 'JP' AND type = 'holding' AND status = 'open'
      AND id <> ${held.account_id} ORDER BY id LIMIT 1`);
  if (to === undefined) throw new Error('the demo has one JP holding account only');
  // Real credits (a project no synthetic organisation takes part in) into the same account.
  await mustRun(platform, 'record_issuance_decision', {
    decision: 'REAL-1',
    project: 'IN950',
    verification: { reference: 'V-REAL-1', reductions: [{ vintage: 2026, quantity: '100' }] },
    lines: [{ registry: 'JP', account: held.account_id, vintage: 2026, quantity: '100' }],
  });
  await mustRun(platform, 'issue', { registry: 'JP', decision: 'REAL-1', line: 1 });
  const before = await platform.registryReports.annual(undefined);
  if (!before.ok) throw new Error(before.error.code);
  annualBefore = before.value;
  const first = BigInt(held.serial_first);
  const moved = await mustRun(platform, 'transfer', {
    from: held.account_id,
    to: to.id,
    selection: {
      ranges: [
        { project: held.project, first: String(first), last: String(first + 4n) },
        { project: 'IN950', first: '1', last: '10' },
      ],
    },
  });
  const [entry] = await rows(sql<{ recorded_at: string }>`
    SELECT recorded_at FROM journal WHERE chain = 'JP' AND seq = ${moved.entry.seq}`);
  mixed = {
    seq: moved.entry.seq,
    year: Number(entry?.recorded_at.slice(0, 4)),
    demoProject: held.project,
  };
  // Real items as history (IN801 to IN840, with no credits): projects of organisations that are
  // not synthetic.
  await platform.db.transaction((trx) =>
    sql`INSERT INTO cycle_items (id, machine, partnership, state, reference, data, created_at, updated_at)
        SELECT 'IN-REAL' || g, 'project', 'IN', 'registered', 'IN8' || lpad(g::text, 2, '0'),
          ${JSON.stringify({ project: realProject })}::jsonb, now(), now()
        FROM generate_series(1, 40) g`.execute(trx),
  );
}, 300_000);
afterAll(async () => {
  await testDb.drop();
});

/** The stored flags, and the rule applied to every item and organisation as they are now. */
async function flagsAndRule() {
  const items = await rows(
    sql<{
      id: string;
      machine: string;
      parent_id: string | null;
      reference: string | null;
      data: unknown;
      synthetic: boolean;
    }>`SELECT id, machine, parent_id, reference, data, synthetic FROM cycle_items`,
  );
  const flagged = await rows(sql<{ id: string }>`SELECT id FROM organisations WHERE synthetic`);
  const rule = syntheticItems(items, new Set(flagged.map((o) => o.id)));
  return {
    stored: items
      .filter((i) => i.synthetic)
      .map((i) => i.id)
      .sort(),
    rule: [...rule.items].sort(),
  };
}

describe(`synthetic flags on ${testDbKind}`, () => {
  it('stores on every item the flag the rule gives over all items', async () => {
    const { stored, rule } = await flagsAndRule();
    expect(stored.length).toBeGreaterThan(10);
    expect(stored).toEqual(rule);
  });

  it('reads the synthetic projects through their stored flag only, however many real items the cycle holds', async () => {
    const { db, seen } = recordingDb(platform.db);
    const references = await new PortalQueries(db).syntheticReferences();
    const flagged = await rows(sql<{ reference: string }>`
      SELECT reference FROM cycle_items WHERE synthetic AND machine = 'project' AND reference IS NOT NULL`);
    expect([...references].sort()).toEqual(flagged.map((r) => r.reference).sort());
    expect(references.has(mixed.demoProject)).toBe(true);
    expect([...references].some((r) => r.startsWith('IN8'))).toBe(false);
    expect(seen.rows).toBe(references.size);
  });

  it("labels the portal's projects, decisions and credits by the flag stored with each item", async () => {
    // A real project's stored flag set by hand: the portal follows the column, not a rule of its own.
    const flag = (value: boolean) =>
      platform.db.transaction((trx) =>
        sql`UPDATE cycle_items SET synthetic = ${value} WHERE id = 'IN-REAL1'`.execute(trx),
      );
    await flag(true);
    // Put back whatever happens: the audit of the tests below checks the flags against the rule.
    onTestFinished(() => flag(false).then(() => undefined));
    const stored = new Map(
      (
        await rows(sql<{ id: string; synthetic: boolean }>`SELECT id, synthetic FROM cycle_items`)
      ).map((r) => [r.id, r.synthetic]),
    );
    const projects = await allItems((r) => platform.portal.projects({}, r));
    expect(projects.length).toBeGreaterThan(40);
    expect(projects.filter((p) => p.synthetic).map((p) => p.id)).toContain('IN-REAL1');
    for (const p of projects) expect([p.id, p.synthetic]).toEqual([p.id, stored.get(p.id)]);
    const byReference = await platform.portal.projectsByReference([
      'IN801',
      'IN802',
      mixed.demoProject,
    ]);
    expect(byReference.map((p) => [p.reference, p.synthetic]).sort()).toEqual([
      [mixed.demoProject, true],
      ['IN801', true],
      ['IN802', false],
    ]);
    const decisions = await allItems((r) => platform.portal.decisions(r));
    expect(decisions.some((d) => d.synthetic)).toBe(true);
    for (const d of decisions) expect([d.id, d.synthetic]).toEqual([d.id, stored.get(d.id)]);
    const demoItem = projects.find((p) => p.reference === mixed.demoProject)?.id ?? '';
    const about = await platform.portal.decisionsAbout([demoItem]);
    expect(about.length).toBeGreaterThan(0);
    for (const d of about) expect([d.id, d.synthetic]).toEqual([d.id, stored.get(d.id)]);
    // Credits split by the project's stored flag: the demo's part is the flagged projects' credits.
    const [demoCredits] = await rows(sql<{ issued: bigint }>`
      SELECT coalesce(sum(t.quantity), 0)::int8 AS issued FROM registry_totals t
      JOIN cycle_items p ON p.reference = t.project AND p.machine = 'project' AND p.synthetic`);
    const stats = await platform.portal.statistics();
    expect(stats.synthetic.issued).toBe(BigInt(demoCredits?.issued ?? -1n));
    expect(stats.synthetic.issued).toBeGreaterThan(0n);
    expect(stats.real.issued).toBeGreaterThanOrEqual(100n);
  });

  it('counts an entry of demo and real credits once, in the registry part, and splits its credits', async () => {
    const { db, seen } = recordingDb(platform.db);
    const reports = new RegistryReports(
      new RegistryReportQueries(db),
      new PortalQueries(db),
      () => new Date(),
    );
    const report = await reports.annual(undefined);
    if (!report.ok) throw new Error(report.error.code);
    const at = (part: readonly AnnualRow[]) =>
      part.find((r) => r.registry === 'JP' && r.year === mixed.year && r.kind === 'transfer') ?? {
        entries: 0n,
        quantity: 0n,
      };
    const added = (now: readonly AnnualRow[], before: readonly AnnualRow[]) => ({
      entries: at(now).entries - at(before).entries,
      quantity: at(now).quantity - at(before).quantity,
    });
    // The mixed entry: one entry and its 10 real credits in the registry's part, the demo's 5
    // credits in the demo's part without an entry.
    expect(added(report.value.real, annualBefore.real)).toEqual({ entries: 1n, quantity: 10n });
    expect(added(report.value.synthetic, annualBefore.synthetic)).toEqual({
      entries: 0n,
      quantity: 5n,
    });
    // The demo's share comes from its aggregate, not from the movements.
    expect(seen.queries.filter((q) => q.includes('"ledger_movements"'))).toEqual([]);
    // Every group: the two parts add up to movement_totals, each entry counted once.
    const totals = await rows(sql<{
      registry_id: string;
      year: number;
      kind: string;
      entries: bigint;
      quantity: bigint;
    }>`
      SELECT registry_id, year, kind, entries, quantity FROM movement_totals`);
    for (const t of totals) {
      const key = (r: { registry: string; year: number; kind: string }) =>
        r.registry === t.registry_id && r.year === t.year && r.kind === t.kind;
      const real = report.value.real.find(key);
      const demo = report.value.synthetic.find(key);
      expect((real?.entries ?? 0n) + (demo?.entries ?? 0n)).toBe(BigInt(t.entries));
      expect((real?.quantity ?? 0n) + (demo?.quantity ?? 0n)).toBe(BigInt(t.quantity));
    }
    expect((await platform.audit()).passed).toBe(true);
  });

  it("follows a registered project's change of participants to its children, decisions and credits", async () => {
    const project = await rows(sql<{ id: string; data: { project: Record<string, unknown> } }>`
      SELECT id, data FROM cycle_items WHERE machine = 'project' AND reference = ${mixed.demoProject}`);
    const item = project[0];
    if (item === undefined) throw new Error(`no project ${mixed.demoProject}`);
    const dependent = await rows(sql<{ id: string }>`
      SELECT id FROM cycle_items WHERE parent_id = ${item.id} AND synthetic`);
    expect(dependent.length).toBeGreaterThan(0);
    const before = await platform.registryReports.annual('JP');
    if (!before.ok) throw new Error(before.error.code);
    const changeBefore = before.value;
    const data = {
      ...item.data,
      project: {
        ...item.data.project,
        participantsJapan: ['real-jp'],
        participantsPartner: ['real-in'],
      },
    };
    await platform.db.transaction(async (trx) => {
      await sql`INSERT INTO organisations (id, name, kind, country, synthetic, created_at)
        VALUES ('real-jp', 'Real JP', 'project_participant', 'JP', false, now()),
               ('real-in', 'Real IN', 'project_participant', 'IN', false, now())`.execute(trx);
      await sql`UPDATE cycle_items SET data = ${JSON.stringify(data)}::jsonb WHERE id = ${item.id}`.execute(
        trx,
      );
      await storeSyntheticFlags(trx, {
        item: {
          id: item.id,
          machine: 'project',
          parent_id: null,
          reference: mixed.demoProject,
          data,
        },
        created: false,
        related: [],
      });
    });
    const { stored, rule } = await flagsAndRule();
    expect(stored).toEqual(rule);
    expect(stored).not.toContain(item.id);
    for (const d of dependent) expect(stored).not.toContain(d.id);
    expect((await platform.portal.syntheticReferences()).has(mixed.demoProject)).toBe(false);
    // The project's credits are real now: the demo's share of the mixed entry's group fell by its
    // 5 credits at least (and by the project's other transfers), the registry's rose as much.
    const after = await platform.registryReports.annual('JP');
    if (!after.ok) throw new Error(after.error.code);
    const transfers = (part: readonly AnnualRow[]) =>
      part.find((r) => r.year === mixed.year && r.kind === 'transfer')?.quantity ?? 0n;
    const fell = transfers(changeBefore.synthetic) - transfers(after.value.synthetic);
    expect(fell).toBeGreaterThanOrEqual(5n);
    expect(transfers(after.value.real) - transfers(changeBefore.real)).toBe(fell);
    expect((await platform.audit()).passed).toBe(true);
  });
});
