// Issue 13, the rest of the cycle: public input is real. Anyone comments on a methodology proposal
// or a PDD while its public input period runs (through the API and the portal); the secretariat of
// the item's partnership publishes or rejects each comment; published comments are shown with the
// item; comments outside the period are refused; the secretariat and the TPE refer to comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { encodeCursor } from '../../src/core/shared/page.ts';
import { commentsPerMinuteMax } from '../../src/services/comments.ts';
import { ApiClient, devToken, textDocument } from '../support/api-client.ts';
import { userSession } from '../support/sessions.ts';
import {
  CycleFixtures,
  methodologyFileDocument,
  registerOrganisations,
} from '../support/cycle-fixtures.ts';
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
let api: ApiClient;

beforeAll(async () => {
  ({ platform, testDb, clock } = await freshPlatform());
  app = createApp(platform, { devToken });
  api = new ApiClient(app);
  await registerOrganisations(platform);
});
afterAll(async () => {
  await testDb.drop();
});

const comment = {
  name: 'Asha Rao',
  affiliation: 'Gujarat Solar Users Forum',
  text: 'The grid emission factor should be the latest CEA database value.',
};
const comments = (item: string) => `/api/v1/cycle/items/${item}/comments`;

async function proposal(): Promise<string> {
  return api.act(
    'propose_methodology',
    {
      partnership: 'IN',
      documents: [textDocument('methodology_proposal'), methodologyFileDocument()],
    },
    'project_participant:sunrise-jp',
  );
}

describe(`public comments during public input, on ${testDbKind}`, () => {
  let item = '';
  let first = '';
  let second = '';

  it('refuses comments on an item that is not in public input', async () => {
    item = await proposal();
    const early = await api.post(comments(item), comment, null);
    expect([early.status, early.body.code]).toEqual([422, 'comment_outside_public_input']);
    const nowhere = await api.post(comments('IN_PM999'), comment, null);
    expect([nowhere.status, nowhere.body.code]).toEqual([404, 'cycle_item_not_found']);
  });

  it('takes a comment from anyone during the period, with bounded parts and no control characters', async () => {
    await api.act('accept_complete', { item }, 'secretariat:IN');
    clock.advanceToNextMinute();
    const sent = await api.post(comments(item), comment, null);
    expect(sent.status).toBe(201);
    first = (sent.body as { id: string }).id;
    second = (await api.post(comments(item), { name: 'B. Tanaka', text: 'Off topic.' }, null)).body[
      'id'
    ] as string;
    for (const [body, code] of [
      [{ ...comment, name: 'x'.repeat(201) }, 'invalid_request'],
      [{ ...comment, text: '' }, 'invalid_request'],
      [{ ...comment, text: 'y'.repeat(4001) }, 'invalid_request'],
      [{ ...comment, name: 'Two\nlines' }, 'invalid_request'],
      [{ ...comment, text: 'a bell \u0007' }, 'control_character_refused'],
      // Forged parts: a comment cannot publish itself or name another item.
      [{ ...comment, state: 'published' }, 'invalid_request'],
      [{ ...comment, item: 'IN_PM777' }, 'invalid_request'],
    ] as const) {
      const refused = await api.post(comments(item), body, null);
      expect([refused.status, refused.body.code]).toEqual([400, code]);
    }
    // Not shown before the secretariat publishes it.
    expect((await api.getJson(comments(item))).body).toEqual({ items: [], next: null });
  });

  it('lets the secretariat of the partnership, and no one else, moderate', async () => {
    expect((await api.getJson('/api/v1/comments')).status).toBe(401);
    expect((await api.getJson('/api/v1/comments', 'secretariat:ID')).body).toEqual({
      items: [],
      next: null,
    });
    const awaiting = (await api.getJson('/api/v1/comments', 'secretariat:IN')).body as unknown as {
      items: { id: string }[];
    };
    expect(awaiting.items.map((c) => c.id)).toEqual([first, second]);

    const publish = { comment: first, verdict: 'publish' };
    for (const [roles, status, code] of [
      [null, 401, 'unauthenticated'],
      ['project_participant:sunrise-jp', 403, 'actor_not_authorised'],
      ['joint_committee:IN', 403, 'actor_not_authorised'],
      ['secretariat:ID', 403, 'cycle_role_not_allowed'],
    ] as const) {
      const refused = await api.post('/api/v1/comments/moderation', publish, roles);
      expect([refused.status, refused.body.code]).toEqual([status, code]);
    }
    const missing = await api.post(
      '/api/v1/comments/moderation',
      { comment: '987654', verdict: 'publish' },
      'secretariat:IN',
    );
    expect([missing.status, missing.body.code]).toEqual([404, 'comment_not_found']);
    expect((await api.post('/api/v1/comments/moderation', publish, 'secretariat:IN')).status).toBe(
      201,
    );
    const again = await api.post('/api/v1/comments/moderation', publish, 'secretariat:IN');
    expect([again.status, again.body.code]).toEqual([409, 'comment_already_moderated']);
    await api.post(
      '/api/v1/comments/moderation',
      { comment: second, verdict: 'reject' },
      'secretariat:IN',
    );
  });

  it('shows the published comments with the item, on the API and the portal', async () => {
    const published = (await api.getJson(comments(item))).body as unknown as {
      items: { id: string; text: string }[];
    };
    expect(published.items.map((c) => [c.id, c.text])).toEqual([[first, comment.text]]);
    const shown = await (await app.request(`/public-input/${item}`)).text();
    expect(shown).toContain(comment.text);
    expect(shown).toContain(`Comment ${first}`);
    expect(shown).not.toContain('Off topic.');
    expect(shown).toContain('Send the comment');
    const list = await (await app.request('/public-input')).text();
    expect(list).toContain(`/public-input/${item}`);
  });

  it('takes a comment from the portal form, and limits comments per address', async () => {
    clock.advanceToNextMinute();
    const form = new URLSearchParams({
      name: 'Portal Visitor',
      affiliation: '',
      text: 'Via the form.',
    });
    const posted = await app.request(`/public-input/${item}/comments`, {
      method: 'POST',
      body: form,
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('Thank you');
    for (let i = 1; i < commentsPerMinuteMax; i += 1)
      expect((await api.post(comments(item), comment, null)).status).toBe(201);
    const limited = await api.post(comments(item), comment, null);
    expect([limited.status, limited.body.code]).toEqual([429, 'comment_rate_limited']);
  });

  it('lets the secretariat moderate in the back office', async () => {
    const awaiting = (await api.getJson('/api/v1/comments', 'secretariat:IN')).body as unknown as {
      items: { id: string; text: string }[];
    };
    const fromForm = awaiting.items.find((c) => c.text === 'Via the form.')?.id ?? '';
    const secretariat = await userSession(platform, clock, 'sec@example.org', 'secretariat:IN');
    const other = await userSession(platform, clock, 'sec-id@example.org', 'secretariat:ID');
    const participant = await userSession(
      platform,
      clock,
      'pp@example.org',
      'project_participant:sunrise-jp',
    );
    const office = (user: { cookie: string }) =>
      app.request('/office/comments', { headers: { cookie: user.cookie } });
    expect(await (await office(secretariat)).text()).toContain('Via the form.');
    expect(await (await office(other)).text()).not.toContain('Via the form.');
    const post = (user: { cookie: string; csrf: string }) =>
      app.request('/office/comments/publish', {
        method: 'POST',
        headers: { cookie: user.cookie },
        body: new URLSearchParams({ csrf: user.csrf, comment: fromForm }),
      });
    expect((await post(participant)).status).toBe(403);
    const refused = await post(other);
    expect([refused.status, (await refused.text()).includes('cycle_role_not_allowed')]).toEqual([
      422,
      true,
    ]);
    const done = await post(secretariat);
    expect([done.status, (await done.text()).includes(`Comment ${fromForm} published.`)]).toEqual([
      200,
      true,
    ]);
    expect(await (await app.request(`/public-input/${item}`)).text()).toContain('Via the form.');
  });

  it('refuses comments once the period has ended, and the secretariat refers to comments', async () => {
    clock.advanceDays(16);
    const late = await api.post(comments(item), comment, null);
    expect([late.status, late.body.code]).toEqual([422, 'comment_outside_public_input']);
    const form = new URLSearchParams({ name: 'Late', text: 'Too late.' });
    const posted = await app.request(`/public-input/${item}/comments`, {
      method: 'POST',
      body: form,
    });
    expect(posted.status).toBe(422);
    expect(await posted.text()).toContain('comment_outside_public_input');

    const unknown = await api.post(
      '/api/v1/cycle/actions/close_public_input',
      { item, comments: ['999999'] },
      'secretariat:IN',
    );
    expect([unknown.status, unknown.body.code]).toEqual([404, 'comment_not_found']);
    await api.act('close_public_input', { item, comments: [first] }, 'secretariat:IN');
    const timeline = (
      (await api.getJson(`/api/v1/cycle/items/${item}`)).body as {
        timeline: { action: string; payload: { comments?: string[] } }[];
      }
    ).timeline;
    expect(timeline.find((e) => e.action === 'close_public_input')?.payload.comments).toEqual([
      first,
    ]);
    // Only the actions of the completeness and of the TPE's report take comments.
    const foreign = await api.post(
      '/api/v1/cycle/actions/propose_decision',
      {
        subject: { item, action: 'approve_methodology', text: 'x' },
        comments: [first],
        documents: [textDocument('decision_text')],
      },
      'secretariat:IN',
    );
    expect([foreign.status, foreign.body.code]).toEqual([400, 'invalid_request']);
  });

  it("lets the TPE's validation report refer to the comments on the PDD, and only to those", async () => {
    const fixtures = new CycleFixtures(testDb.db, clock.now());
    const project = await fixtures.project('validation');
    const [own] = await testDb.db.transaction((trx) =>
      trx
        .insertInto('public_comments')
        .values({
          item_id: project,
          name: 'Local resident',
          affiliation: '',
          text: 'Will the panels shade the school?',
          state: 'published',
          submitted_at: clock.now(),
          moderated_by: 'secretariat',
          moderated_at: clock.now(),
        })
        .returning('id')
        .execute(),
    );
    const report = (ids: string[]) => ({
      item: project,
      comments: ids,
      documents: [textDocument('validation_report')],
    });
    const wrong = await api.post(
      '/api/v1/cycle/actions/issue_negative_validation',
      report([first]),
      'third_party_entity:verita',
    );
    expect([wrong.status, wrong.body.code]).toEqual([404, 'comment_not_found']);
    await api.act(
      'issue_negative_validation',
      report([String(own?.id)]),
      'third_party_entity:verita',
    );
  });

  it('pages the comments awaiting moderation, the published ones and the items open, two at a time', async () => {
    // Five more proposals open to public input, and six comments on the first of them.
    const opened: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const id = await proposal();
      await api.act('accept_complete', { item: id }, 'secretariat:IN');
      opened.push(id);
    }
    const target = opened[0] ?? '';
    const sent: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      if (i % commentsPerMinuteMax === 0) clock.advanceToNextMinute();
      const done = await api.post(comments(target), { ...comment, text: `Paged ${i}.` }, null);
      expect(done.status).toBe(201);
      sent.push(String(done.body['id']));
    }
    const walk = async (path: string, roles: string | null) => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const query: string = after === null ? '' : `&after=${after}`;
        const page = (await api.getJson(`${path}?limit=2${query}`, roles)).body as unknown as {
          items: { id: string }[];
          next: string | null;
        };
        if (page.next !== null) expect(page.items).toHaveLength(2);
        seen.push(...page.items.map((c) => c.id));
        after = page.next;
      } while (after !== null);
      return seen;
    };
    const awaiting = await walk('/api/v1/comments', 'secretariat:IN');
    expect(awaiting.slice(-6)).toEqual(sent);
    expect(awaiting.map(BigInt)).toEqual(awaiting.map(BigInt).sort((a, b) => (a < b ? -1 : 1)));
    // The portal and the back office, by their "Next" links.
    const follow = async (first: string, key: RegExp, cookie?: string) => {
      const seen: string[] = [];
      let path: string | null = first;
      for (let pages = 0; path !== null && pages < 50; pages += 1) {
        const response = await app.request(
          path,
          cookie === undefined ? {} : { headers: { cookie } },
        );
        const body = await response.text();
        seen.push(...[...body.matchAll(key)].map((m) => m[1] ?? ''));
        const next = /<a\s+rel="next"\s+class="next-page"\s+href="([^"]+)"/.exec(body);
        path = next === null ? null : (next[1] ?? '').replaceAll('&amp;', '&');
      }
      return seen;
    };
    const secretariat = await userSession(platform, clock, 'pages@example.org', 'secretariat:IN');
    const moderation = /aria-label="Publish comment (\d+)"/g;
    expect(await follow('/office/comments?limit=2', moderation, secretariat.cookie)).toEqual(
      awaiting,
    );
    for (const id of sent)
      await api.post(
        '/api/v1/comments/moderation',
        { comment: id, verdict: 'publish' },
        'secretariat:IN',
      );
    expect(await walk(comments(target), null)).toEqual(sent);
    expect(await walk('/api/v1/comments', 'secretariat:IN')).toEqual(
      awaiting.filter((id) => !sent.includes(id)),
    );
    for (const [path, roles] of [
      [comments(target), null],
      ['/api/v1/comments', 'secretariat:IN'],
    ] as const) {
      for (const after of ['abc', encodeCursor(['x']), encodeCursor([1n, 2n])]) {
        const refused = await api.getJson(`${path}?after=${after}`, roles);
        expect([refused.status, refused.body['code']]).toEqual([400, 'page_cursor_invalid']);
      }
      const tooMany = await api.getJson(`${path}?limit=501`, roles);
      expect([tooMany.status, tooMany.body['code']]).toEqual([400, 'invalid_request']);
    }
    expect(await follow(`/public-input/${target}?limit=2`, /<li id="comment-(\d+)">/g)).toEqual(
      sent,
    );
    const open = await follow('/public-input?limit=2', /<a href="\/public-input\/([^"]+)">/g);
    expect(open).toEqual(expect.arrayContaining(opened));
    expect(new Set(open).size).toBe(open.length);
    const forged = await app.request(`/public-input?after=${encodeCursor([1n])}`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('page_cursor_invalid');
  });
});
