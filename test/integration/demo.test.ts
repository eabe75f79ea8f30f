// `jcm demo`: the synthetic India-Japan project goes through the whole cycle, the ledger holds its
// credits in both registries, the audit passes, and a second run changes nothing. Three more
// partnerships (Indonesia with its 10% rule, Chile, the Philippines) each register a project modelled
// on an example project of the Ministry of the Environment's slides and issue one monitoring period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { label } from '../../src/services/demo-data.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import type { TestPlatform } from '../support/db.ts';
import { allItems } from '../support/pages.ts';

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
    // India's 17 entries and its 11 Article 6.2 ones (the approach, two authorisations for Japan's
    // NDC and their confirmations, a use and an OMGE cancellation, the CORSIA authorisation, its
    // confirmation, the assignment and the entity's use); per partnership a registry, three accounts
    // and the issued lines (3, 2, 2).
    expect(first.ledger).toBe(17 + 11 + 12 + 7);
    const items = await allItems((r) => platform.cycleQueries.list({}, r));
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

  it('runs three more partnerships, each with a record, a registered project and credits issued', async () => {
    const items = await allItems((r) => platform.cycleQueries.list({}, r));
    const states = Object.fromEntries(items.map((i) => [i.id, i.state]));
    const records = await platform.partnerships.list();
    for (const [code, methodology, credits] of [
      ['ID', 'ID_AM001', 4403n],
      ['CL', 'CL_AM001', 10099n],
      ['PH', 'PH_AM001', 10622n],
    ] as const) {
      expect(states).toMatchObject({
        [`${code}-PRJ001`]: 'registered',
        [`${code}-PRJ001-MP1`]: 'verified',
        [`${code}-PRJ001-IR1`]: 'issued',
      });
      expect(records.some((r) => r.code === code)).toBe(true);
      const project = await platform.cycleQueries.item(`${code}-PRJ001`);
      const data = (project.ok ? project.value.data : {}) as {
        project: { title: string; methodology: { id: string }; participantsJapan: string[] };
      };
      expect(data.project.methodology.id).toBe(methodology);
      expect(data.project.title).toContain(label);
      // Every credit verified is issued, into the partner's registry and the Japanese participant's
      // account in Japan's.
      const balance = async (registry: string, holders?: readonly string[]) => {
        const listed = await platform.queries.listAccounts(registry, { limit: 500 });
        return (listed.ok ? listed.value.items : [])
          .filter((a) => holders === undefined || holders.includes(a.holderId))
          .reduce((sum, a) => sum + a.balance, 0n);
      };
      const held = await balance(code);
      const heldInJapan = await balance('JP', data.project.participantsJapan);
      expect(held + heldInJapan).toBe(credits);
    }
    // Indonesia's rulebook: at least 10% of the credits to the Government of Indonesia's account.
    const indonesia = await platform.queries.listAccounts('ID', { limit: 500 });
    const government = (indonesia.ok ? indonesia.value.items : []).find(
      (a) => a.type === 'government_holding',
    );
    expect(government?.balance).toBe(441n);
    expect(government!.balance * 10n >= 4403n).toBe(true);
    // Every item belongs to a partnership with a record.
    const codes = new Set(records.map((r) => r.code));
    expect(items.filter((i) => !codes.has(i.partnership))).toEqual([]);
    // Every organisation of the demo is labelled synthetic.
    const organisations = await platform.db.read((k) =>
      k.selectFrom('organisations').select(['id', 'name']).execute(),
    );
    expect(organisations.length).toBeGreaterThanOrEqual(9);
    expect(organisations.filter((o) => !o.name.includes(label))).toEqual([]);
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
