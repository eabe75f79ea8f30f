// `jcm demo`: the synthetic India-Japan project goes through the whole cycle, the ledger holds its
// credits in both registries, the audit passes, and a second run changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;
beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
});
afterAll(async () => {
  await testDb.drop();
});

describe(`the demo on ${testDbKind}`, () => {
  it('runs the whole cycle and the audit passes', async () => {
    const first = await seedDemo(platform);
    expect(first.ledger).toBe(17);
    const items = await platform.cycleQueries.list({});
    const states = Object.fromEntries(items.map((i) => [i.id, i.state]));
    expect(states).toMatchObject({
      IN_PIN001: 'no_objection',
      IN_PM001: 'approved',
      'IN-PRJ001': 'registered',
      'IN-PRJ001-MP1': 'verified',
      'IN-PRJ001-MP2': 'verified',
      'IN-PRJ001-IR1': 'issued',
      'IN-PRJ001-IR2': 'issued',
    });
    expect(items.find((i) => i.id === 'IN-PRJ001')?.reference).toBe('IN001');
    const proposal = await platform.cycleQueries.item('IN_PM001');
    expect(proposal.ok && (proposal.value.data as { version: string }).version).toBe('1.0');
    // The first monitoring period crosses 31 December: its credits carry vintages 2025 and 2026.
    const mp1 = await platform.cycleQueries.item('IN-PRJ001-MP1');
    const vintages = (
      (mp1.ok ? mp1.value.data : {}) as { calculation: { vintages: { vintage: number }[] } }
    ).calculation.vintages;
    expect(vintages.map((v) => v.vintage)).toEqual([2025, 2026]);
    // Activity 1 of India's list (renewable energy with storage, only the stored component) with the
    // methodology that credits only the stored electricity (issue 13, item 2): MP1's 3,478.75 MWh
    // discharged x 0.757 = 2,633.4 t, 92/182 of it in 2025 (1,331) and 90/182 in 2026 (1,302).
    const project = await platform.cycleQueries.item('IN-PRJ001');
    const data = (project.ok ? project.value.data : {}) as {
      project: { methodology: { id: string }; activity: string };
    };
    expect([data.project.methodology.id, data.project.activity]).toEqual(['IN_AM009', '1']);
    expect(
      (vintages as unknown as { vintage: number; credits: string }[]).map((v) => v.credits),
    ).toEqual(['1331', '1302']);
    const audit = await platform.audit();
    expect(audit.passed).toBe(true);
    const india = await platform.queries.account('IN-000005');
    expect(india.ok && india.value.balance > 0n).toBe(true);
  });

  it('changes nothing when run again', async () => {
    const events = async () =>
      platform.db.read((k) =>
        k
          .selectFrom('cycle_events')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow(),
      );
    const before = await events();
    const again = await seedDemo(platform);
    expect(again.ledger).toBe(0);
    expect(await events()).toEqual(before);
  });
});
