// The portal's partnership pages over the demo: a partnership's record with its Joint Committee and a
// source for every fact (or the synthetic label), its rulebook in force and its projects; and the
// JCM's figures (257 technology adoptions with sector shares, more than 270 projects) with the title,
// publisher, date and slide of their source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';

let testDb: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  const fresh = await freshPlatform();
  testDb = fresh.testDb;
  await seedDemo(fresh.platform);
  app = createApp(fresh.platform, { devToken: null });
});
afterAll(async () => {
  await testDb.drop();
});

const text = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.text()).replace(/\s+/g, ' ') };
};

describe(`the portal's partnership pages on ${testDbKind}`, () => {
  it('show the JCM figures with their source: title, publisher, date and slide', async () => {
    const { status, body } = await text('/partnerships');
    expect(status).toBe(200);
    expect(body).toContain('<div class="figure">257</div> technology adoptions');
    expect(body).toContain('<div class="figure">more than 270</div> JCM projects');
    for (const share of [
      'Renewable energy</td><td class="num">53%',
      'Energy efficiency</td><td class="num">37%',
      'Effective use of energy</td><td class="num">4%',
      'REDD+</td><td class="num">1%',
    ])
      expect(body.replaceAll('> <', '><')).toContain(share);
    expect(body).toContain(
      'Technology adoptions and sector shares: &quot;Implementation Status and Potential of JCM&quot;, Ministry of the Environment of Japan, September 2025, slide &quot;Sectors of JCM projects&quot;',
    );
    expect(body).toContain(
      'slide &quot;(reference) More than 270 JCM projects with over 3 billion USD of investment&quot;',
    );
    // The partnerships with a record link to their pages.
    for (const code of ['IN', 'ID', 'CL', 'PH'])
      expect(body).toContain(`href="/partnerships/${code}"`);
  });

  it("show a partnership's record with sources, its rulebook in force and its projects", async () => {
    const { status, body } = await text('/partnerships/ID');
    expect(status).toBe(200);
    expect(body).toContain('signed on 26 August 2013 in Jakarta');
    expect(body).toContain(
      'Source: &quot;Basic Scheme &amp; Recent Development of the Joint Crediting Mechanism (JCM)&quot;, Ministry of Economy, Trade and Industry of Japan, 27 February 2025, slide &quot;JCM Partner Countries (29 countries)&quot;',
    );
    expect(body).toMatch(/Example Co-chair \(Japan\)<\/td> ?<td>Japan<\/td> ?<td>Co-chair/);
    expect(body).toMatch(/Example Co-chair \(Indonesia\)<\/td> ?<td>Indonesia<\/td> ?<td>Co-chair/);
    expect(body).toContain('<span class="synthetic">Synthetic demo data</span>');
    expect(body).toContain('At least 10% of the credits issued go to the Government of Indonesia.');
    expect(body).toContain('href="/projects/ID-PRJ001"');
    expect(body).toContain('Participating Parties: Japan, Indonesia');
    expect(body).not.toMatch(/seed|\.txt/);
    const chile = await text('/partnerships/CL');
    expect(chile.body).toContain('This platform holds no rulebook of this partnership');
  });

  it('answer 404 for a partnership without a record', async () => {
    expect((await text('/partnerships/MN')).status).toBe(404);
    expect((await text('/partnerships/india')).status).toBe(404);
  });
});
