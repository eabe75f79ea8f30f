// Partnerships as records: loaded from partnerships/*.yaml at start into the database, served by the
// API and the CLI with a source (or the synthetic label) for every fact; a record that breaks a rule
// (two co-chairs of one side, another country's registry) stops the start and the database refuses it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorWithRoles } from '../../src/core/ledger/actor.ts';
import type { Partnership } from '../../src/core/partnership/record.ts';
import { defaultPartnershipsDir } from '../../src/formats/partnership-file.ts';
import { createApp } from '../../src/http/app.ts';
import { createPlatform } from '../../src/services/platform.ts';
import { runCli } from '../support/cli.ts';
import { methodologyFileDocument, methodologyFileText } from '../support/cycle-fixtures.ts';
import {
  freshDb,
  freshPlatform,
  testDbKind,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;
const copy = mkdtempSync(join(tmpdir(), 'jcm-partnerships-'));

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  app = createApp(platform, { devToken: null });
});
afterAll(async () => {
  await testDb.drop();
  rmSync(copy, { recursive: true, force: true });
});

const jcm = (...args: string[]) =>
  runCli({ openPlatform: async () => ({ ...platform, close: async () => undefined }) }, ...args);

describe(`partnership records on ${testDbKind}`, () => {
  it('are served by the API, by date of their bilateral document, with their Joint Committee', async () => {
    const res = await app.request('/api/v1/partnerships');
    expect(res.status).toBe(200);
    const list = (await res.json()) as Partnership[];
    expect(list.map((p) => p.code)).toEqual(['ID', 'PW', 'CL', 'PH', 'IN']);
    const india = list.find((p) => p.code === 'IN');
    expect(india?.bilateral_document).toMatchObject({
      kind: 'memorandum_of_cooperation',
      signed_on: '2025-08-07',
      signed_in: 'New Delhi',
    });
    expect(india?.rulebook).toBe('IN');
    expect(india?.registries.partner.id).toBe('IN');
    // The demo's approach id, labelled synthetic; its Article 6.2 information with each NDC sourced.
    expect(india?.cooperative_approach).toMatchObject({
      approach_id: 'CA0001',
      approach_id_source: { synthetic: true },
      participating_parties: ['JPN', 'IND'],
    });
    expect(india?.cooperative_approach.article6?.ndcs.map((n) => [n.party, n.target_year])).toEqual(
      [
        ['JPN', 2030],
        ['IND', 2030],
      ],
    );
    // Two co-chairs, one per side, as the members table holds them.
    for (const p of list) {
      const chairs = p.joint_committee.members.filter((m) => m.role === 'co_chair');
      expect(chairs.map((m) => m.side).sort()).toEqual(['japan', 'partner']);
    }
  });

  it('give every fact a findable source or the synthetic label, never a file name', async () => {
    const res = await app.request('/api/v1/partnerships/ID');
    expect(res.status).toBe(200);
    const indonesia = (await res.json()) as Partnership;
    expect(indonesia.bilateral_document.source).toEqual({
      title: 'Basic Scheme & Recent Development of the Joint Crediting Mechanism (JCM)',
      publisher: 'Ministry of Economy, Trade and Industry of Japan',
      date: '27 February 2025',
      locator: 'slide "JCM Partner Countries (29 countries)"',
    });
    expect(indonesia.bilateral_document.signed_on).toBe('2013-08-26');
    expect(indonesia.joint_committee.members_source).toMatchObject({ synthetic: true });
    expect(JSON.stringify(indonesia)).not.toMatch(/\.txt|seed/);
  });

  it('answer 404 partnership_not_found for a partnership without a record and 400 for a malformed code', async () => {
    const missing = await app.request('/api/v1/partnerships/MN');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('partnership_not_found');
    const malformed = await app.request('/api/v1/partnerships/india');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('invalid_request');
  });

  it('are printed by the CLI, as text and as JSON', async () => {
    const list = await jcm('partnership', 'list');
    expect(list.exitCode).toBe(0);
    expect(list.out).toMatch(
      /IN\s+India-Japan Joint Crediting Mechanism\s+2025-08-07 \(New Delhi\)/,
    );
    const shown = await jcm('partnership', 'show', 'PH');
    expect(shown.exitCode).toBe(0);
    expect(shown.out).toContain('co-chair (Philippines): Example Co-chair (Philippines)');
    expect(shown.out).toContain('signed 2017-01-12 in Manila');
    expect(shown.out).toContain(
      'source: "Basic Scheme & Recent Development of the Joint Crediting Mechanism (JCM)", Ministry of Economy, Trade and Industry of Japan, 27 February 2025',
    );
    const json = await jcm('--json', 'partnership', 'show', 'CL');
    expect((JSON.parse(json.out) as Partnership).partner.alpha3).toBe('CHL');
    const missing = await jcm('partnership', 'show', 'XX');
    expect(missing.exitCode).toBe(1);
    expect(missing.err).toContain('partnership_not_found');
  });

  it('are the only partnerships a new item of the cycle may belong to', async () => {
    const actor = actorWithRoles('pp', 'project_participant:example-trading-jp');
    const submit = (partnership: string, key: string) =>
      platform.cycle.act('propose_methodology', {
        actor,
        idempotencyKey: key,
        input: {
          partnership,
          documents: [
            {
              type: 'methodology_proposal',
              fileName: 'proposal.txt',
              mediaType: 'text/plain',
              content: Buffer.from('A proposal').toString('base64'),
            },
            methodologyFileDocument(
              methodologyFileText((t) =>
                t.replace('partner_countries: [IN]', `partner_countries: [${partnership}]`),
              ),
            ),
          ],
        },
      });
    // Mongolia is a partner country with a rulebook, but no partnership record here.
    const refused = await submit('MN', 'pm-mn');
    expect(refused.ok ? 'done' : refused.error.code).toBe('partnership_not_found');
    const done = await submit('CL', 'pm-cl');
    expect(done.ok ? done.value.item : done.error.code).toBe('CL_PM001');
  });

  it('are the only partnerships whose partner registry may be opened', async () => {
    const open = (registry: string) =>
      platform.ledger.execute('open_registry', {
        actor: actorWithRoles('admin', 'administrator'),
        idempotencyKey: `open-${registry}`,
        input: { registry, name: `Registry ${registry}` },
      });
    // Mongolia is a partner country of the reference data, but no partnership record here.
    const refused = await open('MN');
    expect(refused.ok ? 'opened' : refused.error.code).toBe('registry_country_unknown');
    const opened = await open('PH');
    expect(opened.ok ? 'opened' : opened.error.code).toBe('opened');
  });

  it('are stored once when two starts load them at the same time', async () => {
    const other = await freshDb();
    try {
      await Promise.all([
        createPlatform(other.db, { migrate: false }),
        createPlatform(other.db, { migrate: false }),
      ]);
      const rows = await other.db.read((k) =>
        k.selectFrom('partnerships').select('code').execute(),
      );
      expect(rows.map((r) => r.code).sort()).toEqual(['CL', 'ID', 'IN', 'PH', 'PW']);
    } finally {
      await other.drop();
    }
  });

  it('refuse at start a record with two co-chairs of one side, and the database refuses it too', async () => {
    cpSync(defaultPartnershipsDir, copy, { recursive: true });
    const file = join(copy, 'CL.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'side: japan, role: member',
        'side: japan, role: co_chair',
      ),
    );
    await expect(
      createPlatform(testDb.db, { partnershipsDir: copy, migrate: false }),
    ).rejects.toThrow(/partnerships\/CL\.yaml:\d+:\d+ .*one co-chair of the japan side, not 2/);
    await expect(
      testDb.db.transaction((trx) =>
        trx
          .updateTable('partnership_members')
          .set({ role: 'co_chair' })
          .where('partnership', '=', 'CL')
          .where('side', '=', 'japan')
          .execute(),
      ),
    ).rejects.toThrow();
    // The records stored before are still there.
    expect((await platform.partnerships.get('CL'))?.joint_committee.members).toHaveLength(4);
  });

  it("refuse at start a partner registry that is not the partner's, and reload changed files", async () => {
    const file = join(copy, 'CL.yaml');
    cpSync(join(defaultPartnershipsDir, 'CL.yaml'), file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('    id: CL\n', '    id: PE\n'));
    await expect(
      createPlatform(testDb.db, { partnershipsDir: copy, migrate: false }),
    ).rejects.toThrow(/the partner registry is CL's/);
    await expect(
      testDb.db.transaction((trx) =>
        trx
          .updateTable('partnerships')
          .set({ partner_registry: 'PE' })
          .where('code', '=', 'CL')
          .execute(),
      ),
    ).rejects.toThrow();
    cpSync(join(defaultPartnershipsDir, 'CL.yaml'), file);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('approach_id: null', "approach_id: 'CA0042'"),
    );
    const again = await createPlatform(testDb.db, { partnershipsDir: copy, migrate: false });
    expect((await again.partnerships.get('CL'))?.cooperative_approach.approach_id).toBe('CA0042');
    await expect(
      testDb.db.transaction((trx) =>
        trx
          .updateTable('partnerships')
          .set({ approach_id: 'CA42' })
          .where('code', '=', 'CL')
          .execute(),
      ),
    ).rejects.toThrow();
  });
});
