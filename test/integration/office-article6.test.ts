// The back office's Article 6.2 forms over the demo: India's government records an "NDC and OIMP"
// authorisation and a new version of it, Japan's confirms it, India assigns credits to its CORSIA
// authorisation, Japan finalises a period; the retirement form's year of use and the cancellation
// form's kind reach the ledger. Each refusal (another government's Party, a holder without the role,
// forged fields and CSRF) is shown with its code and message, and nothing changes. The public pages
// then show what the forms did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvelope } from '../../src/core/ledger/journal.ts';
import { errorCodes, type ErrorCode } from '../../src/core/shared/error-codes.ts';
import { createApp } from '../../src/http/app.ts';
import { seedDemo } from '../../src/services/demo-cycle.ts';
import { userSession } from '../support/sessions.ts';
import {
  freshPlatform,
  testDbKind,
  type TestClock,
  type TestDb,
  type TestPlatform,
} from '../support/db.ts';

let platform: TestPlatform;
let testDb: TestDb;
let clock: TestClock;
let app: ReturnType<typeof createApp>;
let year: number;
type Session = { cookie: string; csrf: string };
const sessions: Record<string, Session> = {};

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  await seedDemo(platform);
  year = Number(platform.clock().slice(0, 4));
  app = createApp(platform, { devToken: null });
  for (const [name, roles] of [
    ['india', 'government_partner:IN'],
    ['indonesia', 'government_partner:ID'],
    ['japan', 'government_japan'],
    ['managerJp', 'registry_manager:JP'],
    ['holder', 'account_holder:example-trading-jp'],
    ['participant', 'project_participant:example-trading-jp'],
  ] as const)
    sessions[name] = await userSession(platform, clock, `${name}@a6.example`, roles);
});
afterAll(async () => {
  await testDb.drop();
});

const session = (name: string): Session => {
  const found = sessions[name];
  if (found === undefined) throw new Error(`no session ${name}`);
  return found;
};

/** Visible text: tags dropped, entities written out, spaces collapsed. */
const words = (body: string) =>
  body
    .replace(/<[^>]*>/g, ' ')
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.:;)])/g, '$1');

async function post(
  path: string,
  who: string,
  fields: Record<string, string | readonly string[]>,
): Promise<{ status: number; text: string }> {
  const s = session(who);
  const body = new FormData();
  body.set('csrf', s.csrf);
  for (const [name, value] of Object.entries(fields))
    for (const v of typeof value === 'string' ? [value] : value) body.append(name, v);
  const response = await app.request(path, {
    method: 'POST',
    headers: { cookie: s.cookie },
    body,
  });
  return { status: response.status, text: words(await response.text()) };
}

async function page(path: string, who?: string) {
  const response = await app.request(
    path,
    who === undefined ? {} : { headers: { cookie: session(who).cookie } },
  );
  return { status: response.status, body: await response.text() };
}

/** What a refusal would change: the journal's length on every chain. */
const journalLength = () =>
  platform.db.read(async (k) =>
    Number(
      (
        await k
          .selectFrom('journal')
          .select((e) => e.fn.countAll<string>().as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    ),
  );

const both = {
  id: 'IND-JCM-BOTH-001',
  party: 'IND',
  approach: 'CA0001',
  date: '2028-03-01',
  registry: 'JP',
  projects: 'IN001',
  vintageFirst: '2027',
  vintageLast: '2030',
  purposes: ['ndc', 'oimp'],
  oimp: 'CORSIA',
  firstTransferDefinition: 'issuance',
  authorisedParties: ['JPN'],
  authorisedEntities: 'example-trading-jp DEMO-JP-0002',
  terms: 'Recorded through the back office in a test.',
};

/** The public authorisations page's section of one authorisation, in words. */
async function publicSection(id: string): Promise<string> {
  const body = (await page('/article6/authorisations')).body;
  const start = body.indexOf(`<h2 id="${id}">`);
  return words(body.slice(start, body.indexOf('</section>', start)));
}

describe(`the back office's Article 6.2 forms on ${testDbKind}`, () => {
  it('shows the Article 6.2 forms to governments only, and the retirement forms to holders and managers', async () => {
    const india = await page('/office/article6', 'india');
    expect(india.status).toBe(200);
    for (const form of ['authorise', 'assign', 'finalise'])
      expect(india.body).toContain(`action="/office/article6/${form}"`);
    for (const who of ['holder', 'participant', 'managerJp'])
      expect((await page('/office/article6', who)).status).toBe(403);
    const holder = await page('/office/retirements', 'holder');
    expect(holder.status).toBe(200);
    expect(words(holder.body)).toContain('Year of use towards the NDC');
    expect(words(holder.body)).toContain('Kind of cancellation (ITMOs)');
    expect(holder.body).toContain('<option value="omge">');
    expect((await page('/office/retirements', 'participant')).status).toBe(403);
  });

  it('refuses a holder without the role, and a forged CSRF token, before anything runs', async () => {
    const before = await journalLength();
    const holder = await post('/office/article6/authorise', 'holder', both);
    expect([holder.status, holder.text.includes('Your roles do not allow')]).toEqual([403, true]);
    const s = session('india');
    const body = new FormData();
    body.set('csrf', 'forged');
    for (const [k, v] of Object.entries(both)) body.set(k, String(v));
    const forged = await app.request('/office/article6/authorise', {
      method: 'POST',
      headers: { cookie: s.cookie },
      body,
    });
    expect(forged.status).toBe(403);
    expect(await journalLength()).toBe(before);
  });

  it("records India's NDC and OIMP authorisation from the form, and Japan's confirmation", async () => {
    const recorded = await post('/office/article6/authorise', 'india', both);
    expect(recorded.status).toBe(200);
    expect(recorded.text).toMatch(/Authorisation recorded, journal entry JP#\d+\./);
    let shown = await publicSection('IND-JCM-BOTH-001');
    expect(shown).toContain('Purposes NDC and OIMP: CORSIA');
    expect(shown).toContain('First transfer when the credits are issued');
    expect(shown).toContain('Vintages 2027 to 2030');
    expect(shown).toContain('Awaiting the confirmation of Japan');
    // The confirmation form shows to Japan's government, whose confirmation is awaited, not India's.
    const button = 'Confirm version 1 of IND-JCM-BOTH-001';
    expect((await page('/office/article6', 'japan')).body).toContain(button);
    expect((await page('/office/article6', 'india')).body).not.toContain(button);
    const confirmed = await post('/office/article6/confirm', 'japan', {
      authorisation: 'IND-JCM-BOTH-001',
      version: '1',
    });
    expect(confirmed.text).toMatch(/Confirmation recorded, journal entry JP#\d+\./);
    shown = await publicSection('IND-JCM-BOTH-001');
    expect(shown).toContain('Confirmed by Japan. It has taken effect.');
    expect((await page('/office/article6', 'japan')).body).not.toContain(button);
  });

  it('records a new version from the form filled with the version in force, ignoring forged fields', async () => {
    const filled = await page('/office/article6?edit=IND-JCM-BOTH-001', 'india');
    expect(filled.body).toContain('value="IND-JCM-BOTH-001"');
    expect(words(filled.body)).toContain('Record version 2 of IND-JCM-BOTH-001');
    expect(filled.body).toMatch(/value="oimp"\s+checked/);
    const recorded = await post('/office/article6/authorise', 'india', {
      ...both,
      quantityCap: '500',
      // Fields no form has: the version, the actor and the recorder come from the store and the session.
      version: '9',
      actor: 'demo-moej',
      recordedBy: 'government_japan',
    });
    expect(recorded.status).toBe(200);
    const record = await platform.article6.queries.authorisation('IND-JCM-BOTH-001');
    expect(
      record?.versions.map((v) => [v.authorisation.version, v.authorisation.quantityCap]),
    ).toEqual([
      [1, null],
      [2, 500n],
    ]);
    const entry = record?.versions[1]?.entry;
    const journal = await platform.db.read((k) =>
      k
        .selectFrom('journal')
        .select('entry')
        .where('chain', '=', entry?.chain ?? '')
        .where('seq', '=', entry?.seq ?? 0n)
        .executeTakeFirstOrThrow(),
    );
    expect(readEnvelope(journal.entry).actor).toBe('india@a6.example');
    const shown = await publicSection('IND-JCM-BOTH-001');
    expect(shown).toContain('Version 2 of 2');
    expect(shown).toContain('0 credits covered of a cap of 500');
    expect(shown).toContain('Awaiting the confirmation of Japan');
    expect(shown.match(/ journal entry JP#\d+/g)).toHaveLength(2);
  });

  it.each<[string, string, string, Record<string, string | readonly string[]>, ErrorCode]>([
    [
      'India authorising for Japan',
      'india',
      'authorise',
      { ...both, id: 'JPN-FORGED-1', party: 'JPN' },
      'actor_not_authorised',
    ],
    [
      "Indonesia's government authorising for India",
      'indonesia',
      'authorise',
      { ...both, id: 'IND-FORGED-1' },
      'actor_not_authorised',
    ],
    [
      'a forged purpose',
      'india',
      'authorise',
      { ...both, id: 'IND-FORGED-2', purposes: ['ndc', 'forged'] },
      'invalid_request',
    ],
    [
      'a vintage that is not a year',
      'india',
      'authorise',
      { ...both, id: 'IND-FORGED-3', vintageFirst: '20x7' },
      'invalid_request',
    ],
    [
      'an unknown approach',
      'india',
      'authorise',
      { ...both, id: 'IND-FORGED-4', approach: 'CA9999' },
      'article6_approach_not_found',
    ],
    [
      'an unknown organisation as entity',
      'india',
      'authorise',
      { ...both, id: 'IND-FORGED-5', authorisedEntities: 'no-such-org X1' },
      'organisation_not_found',
    ],
    [
      'Japan confirming its own authorisation',
      'japan',
      'confirm',
      { authorisation: 'JPN-JCM-NDC-001', version: '1' },
      'article6_confirmation_by_authorising_party',
    ],
    [
      'a forged authorisation id',
      'japan',
      'confirm',
      { authorisation: 'NOPE-1', version: '1' },
      'article6_authorisation_not_found',
    ],
    [
      'a confirmation twice',
      'japan',
      'confirm',
      { authorisation: 'IND-JCM-OIMP-001', version: '1' },
      'article6_authorisation_already_confirmed',
    ],
    [
      'more credits than the cap (150 covered of 200)',
      'india',
      'assign',
      {
        authorisation: 'IND-JCM-OIMP-001',
        from: 'IN-000005',
        quantity: '51',
        project: 'IN001',
        vintage: '2026',
      },
      'article6_authorisation_cap_exceeded',
    ],
    [
      "Japan assigning India's credits",
      'japan',
      'assign',
      {
        authorisation: 'IND-JCM-OIMP-001',
        from: 'IN-000005',
        quantity: '1',
        project: 'IN001',
        vintage: '2026',
      },
      'actor_not_authorised',
    ],
    [
      "India finalising Japan's period",
      'india',
      'finalise',
      { party: 'JPN', firstYear: '2021', lastYear: '2022' },
      'actor_not_authorised',
    ],
    [
      'a period outside the NDC',
      'japan',
      'finalise',
      { party: 'JPN', firstYear: '2019', lastYear: '2022' },
      'article6_year_outside_ndc_period',
    ],
  ])(
    'refuses %s with its code and message, and changes nothing',
    async (_what, who, form, fields, code) => {
      const before = [await journalLength(), await platform.article6.queries.authorisations()];
      const refused = await post(`/office/article6/${form}`, who, fields);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain(`${errorCodes[code]} (${code})`);
      expect([await journalLength(), await platform.article6.queries.authorisations()]).toEqual(
        before,
      );
    },
  );

  it('assigns credits to the CORSIA authorisation up to its cap', async () => {
    const assigned = await post('/office/article6/assign', 'india', {
      authorisation: 'IND-JCM-OIMP-001',
      from: 'in-000005',
      quantity: '50',
      project: 'IN001',
      vintage: '2026',
    });
    expect(assigned.text).toMatch(/Credits assigned to the authorisation, journal entry IN#\d+\./);
    expect(await publicSection('IND-JCM-OIMP-001')).toContain(
      '200 credits covered of a cap of 200',
    );
  });

  it.each<[string, Record<string, string>, ErrorCode]>([
    ['no year of use for a use towards the NDC', {}, 'article6_year_of_use_required'],
    [
      'a year of use before the vintage',
      { vintage: '2026', yearOfUse: '2025' },
      'article6_year_of_use_before_vintage',
    ],
    ['a year of use that is not a year', { yearOfUse: '20x7' }, 'invalid_request'],
  ])('refuses a retirement with %s', async (_what, fields, code) => {
    const before = await journalLength();
    const refused = await post('/office/retirements/retire', 'managerJp', {
      from: 'JP-000004',
      quantity: '5',
      project: 'IN001',
      vintage: '2025',
      purpose: 'ndc_use',
      beneficiary: 'Government of Japan',
      ...fields,
    });
    expect([refused.status, refused.text.includes(`${errorCodes[code]} (${code})`)]).toEqual([
      422,
      true,
    ]);
    expect(await journalLength()).toBe(before);
  });

  it('finalises a period from the form; a use for a finalised year is refused, one for a later year counts', async () => {
    const finalised = await post('/office/article6/finalise', 'japan', {
      party: 'JPN',
      firstYear: '2021',
      lastYear: '2025',
    });
    expect(finalised.text).toMatch(/Period finalised, journal entry JP#\d+\./);
    const retire = (yearOfUse: string) =>
      post('/office/retirements/retire', 'managerJp', {
        from: 'JP-000004',
        quantity: '5',
        project: 'IN001',
        vintage: '2025',
        purpose: 'ndc_use',
        beneficiary: 'Government of Japan',
        yearOfUse,
      });
    const refused = await retire('2025');
    expect(refused.text).toContain('(article6_period_finalised)');
    const used = await retire('2027');
    expect(used.text).toMatch(/Credits retired, journal entry JP#\d+\./);
    const body = (await page(`/article6/parties/JPN/${year}`)).body;
    const row = (y: number) =>
      words(new RegExp(`<tr>\\s*<td>${y}</td>([\\s\\S]*?)</tr>`).exec(body)?.[1] ?? '').trim();
    expect(row(2025)).toMatch(/ finalised$/);
    expect(row(2026)).toMatch(/not finalised$/);
    // 2027: the 5 credits used for that year, subtracted by Japan's trajectory method.
    expect(row(2027)).toMatch(/^0 5 -5 -5 /);
    expect(words(body)).toContain(`Finalised: 2021 to 2025 on ${platform.clock().slice(0, 10)}.`);
  });

  it('cancels with the kind the form names; a forged kind or a holder of another account is refused', async () => {
    const cancel = (who: string, kind: string) =>
      post('/office/retirements/cancel', who, {
        from: 'JP-000004',
        quantity: '2',
        project: 'IN001',
        vintage: '2025',
        reason: 'Cancelled for overall mitigation in global emissions',
        cancellationKind: kind,
      });
    const before = await journalLength();
    expect((await cancel('managerJp', 'forged')).text).toContain('(invalid_request)');
    const stranger = await cancel('holder', 'omge');
    expect([stranger.status, stranger.text.includes('(actor_not_authorised)')]).toEqual([
      422,
      true,
    ]);
    expect(await journalLength()).toBe(before);
    expect((await cancel('managerJp', 'omge')).text).toMatch(
      /Credits cancelled, journal entry JP#\d+\./,
    );
    // The demo's 20 and these 2, all for OMGE, none of them an adjustment.
    expect(words((await page(`/article6/parties/JPN/${year}`)).body)).toContain(
      '22 cancelled, of which 22 for overall mitigation',
    );
    expect((await platform.audit()).passed).toBe(true);
  });
});
