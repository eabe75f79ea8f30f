// The portal's Article 6.2 pages over the demo: the approaches with each Party's NDC and its sources,
// the authorisations in words, each Party's corresponding adjustments by its method (figures worked
// out by hand below), its actions in keyset pages each naming its journal entry, the AEF files
// re-read into the service's own tables, the serial checker's ITMO status, and bad path parameters
// (table-driven and fuzzed), each a 4xx with its stable code and never a 500.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAefCsv, readAefJson, readAefXlsx } from '../../src/formats/aef-export.ts';
import { createApp } from '../../src/http/app.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { baseSeed } from '../support/prng.ts';

let platform: TestPlatform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;
/** The year the demo's entries are dated in: the test clock's. */
let year: number;

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  await seedDemo(platform);
  year = Number(platform.clock().slice(0, 4));
  app = createApp(platform, { devToken: null });
});
afterAll(async () => {
  await testDb.drop();
});

/** A page's visible text: tags dropped, entities written out, spaces collapsed. */
function words(body: string): string {
  return body
    .replace(/<[^>]*>/g, ' ')
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.:;)])/g, '$1');
}

async function get(path: string): Promise<{ status: number; body: string; type: string }> {
  const response = await app.request(path);
  return {
    status: response.status,
    body: await response.text(),
    type: response.headers.get('content-type') ?? '',
  };
}

/** The stable code of a refusal: problem+json's `code`, or the refused page's code element. */
function codeOf(answer: { body: string; type: string }): string | undefined {
  if (answer.type.startsWith('application/problem+json'))
    return (JSON.parse(answer.body) as { code?: string }).code;
  return /id="refusal-code">([a-z0-9_]+)</.exec(answer.body)?.[1];
}

/** The rows of the year table, year -> its cells' text. */
function yearRows(body: string): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  for (const match of body.matchAll(/<tr>\s*<td>(\d{4})<\/td>([\s\S]*?)<\/tr>/g)) {
    const cells = [...(match[2] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
      words(c[1] ?? '').trim(),
    );
    rows.set(Number(match[1]), cells);
  }
  return rows;
}

describe(`the Article 6.2 portal on ${testDbKind}`, () => {
  it.each([
    ['/article6', 'Article 6.2: cooperative approaches'],
    ['/article6/authorisations', 'Article 6.2: authorisations'],
    ['/article6/parties/IND/{year}', 'India: Article 6.2 in {year}'],
    ['/article6/parties/JPN/{year}', 'Japan: Article 6.2 in {year}'],
  ])('%s is public, accessible and free of inline script and style', async (path, heading) => {
    const answer = await get(path.replace('{year}', String(year)));
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<main id="main">');
    expect(answer.body).toContain(`<h1>${heading.replace('{year}', String(year))}</h1>`);
    expect(answer.body).toMatch(/<a href="\/article6"\s+aria-current="page">Article 6.2<\/a>/);
    expect(answer.body).not.toMatch(/<script|\sstyle="|\son[a-z]+="/i);
    // No raw codes among the words (identifiers in links and attributes are fine).
    expect(words(answer.body)).not.toMatch(
      /\b(single_year|use_or_cancellation|ndc_use|emissions_missing)\b/,
    );
  });

  it('shows the approach with its synthetic id, both Parties, and each NDC with the source of its target and method', async () => {
    const text = words((await get('/article6')).body);
    expect(text).toContain('Cooperative approach CA0001: India-Japan Joint Crediting Mechanism');
    expect(text).toContain(
      'Identifier: synthetic demo data, no document the platform holds gives the identifier',
    );
    expect(text).toContain('Participating Parties: Japan and India.');
    expect(text).toMatch(/Japan's registry Japan JPN01 India's registry India IND01/);
    expect(text).toContain(
      'Reduce greenhouse gas emissions by 46 percent in fiscal year 2030 from fiscal year 2013 levels',
    );
    expect(text).toContain(
      'Source: "Basic Scheme & Recent Development of the Joint Crediting Mechanism (JCM)", Ministry of Economy, Trade and Industry of Japan, 27 February 2025',
    );
    expect(text).toContain('indicative multi-year emissions trajectory');
    expect(text).toContain(
      'no document the platform holds states the corresponding-adjustment method India applies; averaging is the demo',
    );
    expect(text).toContain('Implementation period 2021 to 2030');
    expect(text.match(/No reported emissions figure is held on this platform/g)).toHaveLength(2);
    const body = (await get('/article6')).body;
    expect(body).toContain(`href="/article6/parties/IND/${year}"`);
    expect(body).toContain(`href="/article6/aef/JPN/${year}.xlsx"`);
  });

  it('shows every authorisation with its purposes, first transfer, cap, covered credits, entities and confirmations in words', async () => {
    const body = (await get('/article6/authorisations')).body;
    const text = words(body);
    const section = (id: string) =>
      words(
        body.slice(
          body.indexOf(`<h2 id="${id}">`),
          body.indexOf('</section>', body.indexOf(`<h2 id="${id}">`)),
        ),
      );
    // India's NDC authorisation: the 2,942 credits issued into Japan's registry under it (by hand:
    // 133 + 598 of vintage 2025 and 130 + 585 + 272 + 1,224 of 2026), confirmed by Japan.
    expect(section('IND-JCM-NDC-001')).toContain('2,942 credits covered; no cap');
    expect(section('IND-JCM-NDC-001')).toContain('Purposes NDC First transfer not applicable');
    expect(section('IND-JCM-NDC-001')).toContain('Confirmed by Japan. It has taken effect.');
    const corsia = section('IND-JCM-OIMP-001');
    expect(corsia).toContain('150 credits covered of a cap of 200');
    expect(corsia).toContain('Purposes OIMP: CORSIA');
    expect(corsia).toContain('First transfer when the credits are used or cancelled');
    expect(corsia).toContain('Vintages 2025 to 2026');
    expect(corsia).toContain('(India, identification number DEMO-IN-0001)');
    expect(corsia).toContain('Synthetic demo data');
    expect(section('JPN-JCM-NDC-001')).toContain('Confirmed by India.');
    // Entities link to the organisation's record, which the page anchors.
    expect(body).toContain('href="#entity-example-solar-in"');
    expect(body).toContain('<span id="entity-example-solar-in">Example Solar Developer Pvt Ltd');
    expect(text).toContain(
      'example-trading-jp Japan DEMO-JP-0001 IND-JCM-NDC-001, JPN-JCM-NDC-001',
    );
    // Each version names its journal entry, and the link gives that entry.
    const link =
      /href="(\/api\/v1\/registries\/JP\/journal\?after=\d+&amp;limit=1)">journal entry JP#(\d+)</.exec(
        body,
      );
    expect(link).not.toBeNull();
    const { items: entries } = (await (
      await app.request((link?.[1] ?? '').replaceAll('&amp;', '&'))
    ).json()) as {
      items: { seq: string; event: { type: string } }[];
    };
    expect(entries.map((e) => [String(e.seq), e.event.type])).toEqual([
      [link?.[2], 'authorisation_recorded'],
    ]);
  });

  it("shows India's adjustments by averaging, worked out by hand, and says there is no balance without reported emissions", async () => {
    const body = (await get(`/article6/parties/IND/${year}`)).body;
    const rows = yearRows(body);
    // First transferred by vintage: 2025: 731 into Japan's registry + 40 used for CORSIA = 771;
    // 2026: 130 + 585 + 272 + 1,224 = 2,211. Averaging: cumulative / years elapsed since 2021,
    // 771 / 5 = 154.2, 2,982 / 6 = 497, 2,982 / 7 = 426, 2,982 / 8 = 372.75; applied only in 2030.
    const noBalance = 'no reported emissions figure on this platform: no balance computed';
    expect(rows.get(2025)).toEqual([
      '771',
      '0',
      '+771',
      '+154.2',
      '0',
      'none on this platform',
      noBalance,
      'not finalised',
    ]);
    expect(rows.get(2026)).toEqual([
      '2,211',
      '0',
      '+2,211',
      '+497',
      '0',
      'none on this platform',
      noBalance,
      'not finalised',
    ]);
    if (year >= 2028) expect(rows.get(2028)?.[3]).toBe('+372.75');
    expect([...rows.keys()]).toEqual(Array.from({ length: year - 2020 }, (_, i) => 2021 + i));
    const text = words(body);
    expect(text).toContain('The balance is incomplete');
    expect(text).toContain('40 used for other international mitigation purposes');
    expect(text).toContain('India has finalised no period');
    expect(text).toContain(
      "Synthetic demo data: the figures on this page count the credits of the platform's demo project IN001",
    );
  });

  it("shows Japan's uses subtracted for the year of use by its trajectory, and the OMGE cancellation as no adjustment", async () => {
    const body = (await get(`/article6/parties/JPN/${year}`)).body;
    // 300 used towards the NDC + 1,000 retired for GX-ETS compliance, both for 2026.
    expect(yearRows(body).get(2026)?.slice(0, 4)).toEqual(['0', '1,300', '-1,300', '-1,300']);
    const text = words(body);
    expect(text).toContain(
      `In ${year}, besides: 2,942 acquired; 20 cancelled, of which 20 for overall mitigation`,
    );
    expect(text).toContain('nothing is deducted automatically');
  });

  it.each(['IND', 'JPN'])(
    "pages %s's actions by keyset, each naming its journal entry, and covers them all once",
    async (party) => {
      const all = await platform.article6.queries.partyActions(party, year, { limit: 1000 });
      const rowsOf = (body: string) =>
        [...body.matchAll(/<tr>\s*<td>[^<]*\d{4}<\/td>([\s\S]*?)<\/tr>/g)].filter((m) =>
          (m[1] ?? '').includes('journal entry'),
        );
      const seen: string[] = [];
      let path: string | null = `/article6/parties/${party}/${year}?limit=4`;
      let pages = 0;
      while (path !== null) {
        const body: string = (await get(path)).body;
        const rows = rowsOf(body);
        expect(rows.length).toBeLessThanOrEqual(4);
        for (const row of rows)
          seen.push(/journal entry ([A-Z-]+#\d+)/.exec(row[1] ?? '')?.[1] ?? '');
        const next: string | undefined = /href="([^"]+)#actions" rel="next"/.exec(body)?.[1];
        path = next === undefined ? null : next.replaceAll('&amp;', '&');
        pages += 1;
        expect(pages).toBeLessThan(20);
      }
      expect(seen).toEqual(all.actions.map((a) => `${a.entry.chain}#${a.entry.seq}`));
      expect(pages).toBe(Math.ceil(all.actions.length / 4));
      expect(all.actions.length).toBe(party === 'IND' ? 15 : 12);
    },
  );

  it.each(['IND', 'JPN'])(
    "serves %s's AEF as XLSX, JSON and CSV that re-read into the service's tables",
    async (party) => {
      const report = await platform.article6.aef(party, year);
      if (!report.ok) throw new Error(report.error.message);
      const d = platform.article6.description;
      const file = (path: string) => app.request(`/article6/aef/${party}/${year}${path}`);
      const xlsx = await file('.xlsx');
      expect(xlsx.headers.get('content-type')).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(xlsx.headers.get('content-disposition')).toBe(
        `attachment; filename="AEF-${party}-${year}.xlsx"; filename*=UTF-8''AEF-${party}-${year}.xlsx`,
      );
      const fromXlsx = await readAefXlsx(Buffer.from(await xlsx.arrayBuffer()), d);
      expect(fromXlsx.ok && fromXlsx.value).toEqual(report.value.tables);
      const json = await file('.json');
      expect(json.headers.get('content-type')).toBe('application/json');
      // The JSON is the AEF document as it is read back; the checks have their own read.
      const fromJson = readAefJson(await json.text(), d);
      expect(fromJson.ok && fromJson.value).toEqual(report.value.tables);
      const csv = [];
      for (const t of d.tables) {
        const answer = await file(`/${t.key}.csv`);
        expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(answer.headers.get('content-disposition')).toContain(
          `filename="AEF-${party}-${year}-${t.key}.csv"`,
        );
        csv.push({ name: `${t.key}.csv`, text: await answer.text() });
      }
      const fromCsv = readAefCsv(csv, d);
      expect(fromCsv.ok && fromCsv.value).toEqual(report.value.tables);
      // The page links every file and says every check passes.
      const body = (await get(`/article6/parties/${party}/${year}`)).body;
      expect(body).toContain('<p role="status" id="aef-checks">All 18 checks pass.</p>');
      for (const t of d.tables)
        expect(body).toContain(`href="/article6/aef/${party}/${year}/${t.key}.csv"`);
    },
  );

  it.each([
    // [serial, what the checker says]
    [
      '1',
      [
        'ITMO identifier CA0001-JPN01-IND-001.1-2025',
        'Authorisation IND-JCM-NDC-001',
        'First transferring Party India',
        'Yes: India has first transferred it.',
        `Used towards an NDC by Japan, for the calendar year 2026.`,
      ],
    ],
    [
      '310',
      [
        'CA0001-JPN01-IND-001.310-2025',
        'Cancelled by Japan, for overall mitigation in global emissions (OMGE), voluntary under Article 6.2. Reason given: Voluntary cancellation for overall mitigation in global emissions.',
      ],
    ],
    [
      '750',
      [
        'CA0001-IND01-IND-001.750-2025',
        'Authorisation IND-JCM-OIMP-001',
        'Used for other international mitigation purposes by Example Solar Developer Pvt Ltd',
      ],
    ],
    [
      '800',
      [
        'CA0001-IND01-IND-001.800-2025',
        'Not yet. Under IND-JCM-OIMP-001, the first transfer happens when the credits are used or cancelled.',
        'Not used or cancelled',
      ],
    ],
    [
      '5000',
      [
        "Not an ITMO: no authorisation covers this credit, so it is not internationally transferred and counts towards the host Party's NDC (India's).",
      ],
    ],
  ])('says in words what credit %s of IN001 is under Article 6.2', async (serial, expected) => {
    const text = words((await get(`/serial?project=IN001&serial=${serial}`)).body);
    for (const phrase of expected) expect(text).toContain(phrase);
    const status = await platform.article6.itmoStatus('IN001' as never, BigInt(serial));
    if (status?.itmoId != null) expect(text).toContain(status.itmoId);
  });

  it.each([
    ['/article6/parties/ind/{year}', 400, 'invalid_request'],
    ['/article6/parties/INDIA/{year}', 400, 'invalid_request'],
    ['/article6/parties/IN/{year}', 400, 'invalid_request'],
    ['/article6/parties/IND/20x8', 400, 'invalid_request'],
    ['/article6/parties/IND/2012', 400, 'invalid_request'],
    ['/article6/parties/IND/2101', 400, 'invalid_request'],
    ['/article6/parties/IND/-2026', 400, 'invalid_request'],
    ['/article6/parties/IND/99999999999999999999', 400, 'invalid_request'],
    ['/article6/parties/IND/2026.5', 400, 'invalid_request'],
    ['/article6/parties/IND/{year}?after=JP:1', 400, 'invalid_request'],
    ['/article6/parties/IND/{year}?after=JP:9999999999999999999:1', 400, 'invalid_request'],
    ['/article6/parties/IND/{year}?after=JP;8;1', 400, 'invalid_request'],
    ['/article6/parties/IND/{year}?limit=0', 400, 'invalid_request'],
    ['/article6/parties/IND/{year}?limit=201', 400, 'invalid_request'],
    ['/article6/parties/IND/{year}?limit=1e2', 400, 'invalid_request'],
    ['/article6/parties/%00ND/{year}', 400, 'control_character_refused'],
    ['/article6/parties/IND/20%0126', 400, 'control_character_refused'],
    ['/article6/parties/IND/{year}?after=JP%1F8', 400, 'control_character_refused'],
    ['/article6/parties/IND/2040', 422, 'article6_ndc_information_missing'],
    ['/article6/parties/XYZ/{year}', 422, 'article6_ndc_information_missing'],
    ['/article6/aef/IND/2040.xlsx', 422, 'article6_ndc_information_missing'],
    ['/article6/aef/IND/2040.json', 422, 'article6_ndc_information_missing'],
    ['/article6/aef/IND/2020/actions.csv', 422, 'article6_ndc_information_missing'],
    ['/article6/aef/XYZ/{year}.json', 422, 'article6_ndc_information_missing'],
    ['/article6/aef/ind/{year}.xlsx', 400, 'invalid_request'],
    ['/article6/aef/IND/abcd.json', 400, 'invalid_request'],
    ['/article6/aef/IND/2101/holdings.csv', 400, 'invalid_request'],
    ['/article6/aef/IND/{year}.pdf', 404, 'not_found'],
    ['/article6/aef/IND/{year}.csv', 404, 'not_found'],
    ['/article6/aef/IND/{year}/nothing.csv', 404, 'not_found'],
    ['/article6/aef/IND/{year}/ACTIONS.csv', 404, 'not_found'],
    ['/article6/aef/IND/{year}/actions.xlsx', 404, 'not_found'],
    ['/article6/aef/IND/{year}/..%2Factions.csv', 404, 'not_found'],
    ['/article6/aef/IND/{year}/%00.csv', 400, 'control_character_refused'],
  ])('answers %s with %i %s', async (path, status, code) => {
    const answer = await get(path.replace('{year}', String(year)));
    expect([answer.status, codeOf(answer)]).toEqual([status, code]);
  });

  it(`answers fuzzed Party, year and file segments with 4xx and a stable code, never 500 (seed ${baseSeed})`, async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('IND', 'JPN', String(2026), '2030', '0', '9'.repeat(30), '..', '%', 'a.b.c'),
    );
    const encode = (s: string) =>
      [...s]
        .map((ch) => {
          if (/^[A-Za-z0-9_-]$/.test(ch)) return ch;
          // A lone surrogate has no UTF-8 form: it travels as the replacement character.
          return encodeURIComponent(/^[\uD800-\uDFFF]$/.test(ch) ? '\uFFFD' : ch);
        })
        .join('');
    await fc.assert(
      fc.asyncProperty(segment, segment, segment, async (party, yearText, file) => {
        for (const path of [
          `/article6/parties/${encode(party)}/${encode(yearText)}`,
          `/article6/aef/${encode(party)}/${encode(yearText)}.json`,
          `/article6/aef/${encode(party)}/${encode(yearText)}/${encode(file)}.csv`,
        ]) {
          const answer = await get(path);
          if (answer.status === 200) continue;
          expect(answer.status, path).toBeGreaterThanOrEqual(400);
          expect(answer.status, path).toBeLessThan(500);
          expect(codeOf(answer), path).toMatch(/^[a-z0-9_]+$/);
        }
      }),
      { seed: baseSeed, numRuns: 40 },
    );
  });

  it('lists each failed check by its code with its rows when an AEF does not pass (a forged use)', async () => {
    // A use of credits India's registry still holds (ten serials past the CORSIA use's), forged
    // straight into the store as a tampering would be: the actions no longer add up to the registry.
    // (A second first transfer can no longer be forged: the database refuses it, migration 017.)
    const original = await platform.article6.queries.partyActions('IND', year, { limit: 1000 });
    const used = original.actions.find((a) => a.type === 'use' && a.registry === 'IN');
    if (used === undefined) throw new Error("no use in India's registry");
    await platform.db.transaction((k) =>
      k
        .insertInto('article6_actions')
        .values({
          chain: used.entry.chain,
          seq: used.entry.seq,
          n: 99,
          party: 'IND',
          type: 'use',
          subtype: used.subtype,
          action_date: used.date,
          approach: used.approach,
          authorisation: used.authorisation,
          first_party: used.firstParty,
          registry_id: used.registry,
          party_registry_id: used.partyRegistryId,
          project: used.project,
          vintage: used.vintage,
          serial_first: used.serialLast + 1n,
          serial_last: used.serialLast + 9n,
          quantity: 9n,
          transferring_party: null,
          acquiring_party: null,
          purpose: used.purpose,
          using_or_cancelling: used.usingOrCancelling,
          year_of_use: null,
        })
        .execute(),
    );
    const report = await platform.article6.aef('IND', year);
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.failures.map((f) => f.code)).toContain('aef_holdings_differ_from_registry');
    const body = (await get(`/article6/parties/IND/${year}`)).body;
    const checks = words(body.slice(body.indexOf('id="aef-checks"')));
    expect(checks).not.toContain('checks pass');
    for (const f of report.value.failures) {
      expect(checks).toContain(f.code);
      if (f.rows.length > 0)
        expect(checks).toContain(
          `${f.rows.length === 1 ? 'row' : 'rows'} ${f.rows.map((r) => r + 1).join(', ')}`,
        );
    }
  });
});
