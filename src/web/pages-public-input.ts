// Public input on the portal: the methodology proposals and PDDs open for comments, each item's page
// with its public documents, its published comments and, while its period runs, the form to comment
// (no account needed; the secretariat moderates before a comment is shown). The items open and an
// item's comments are shown a page at a time.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { decideComment, commentLimits } from '../core/cycle/comments.ts';
import { dateOfClock } from '../core/shared/civil-date.ts';
import type { PageRequest } from '../core/shared/page.ts';
import { errorCodes } from '../core/shared/error-codes.ts';
import { ok, type Rejection, type Result } from '../core/shared/result.ts';
import type { Platform } from '../services/platform.ts';
import type { AppEnv } from '../services/request-scope.ts';
import { countryName, day, page, table, type Html } from './layout.ts';
import { readableLongDate } from '../core/shared/readable.ts';
import { documentTypes } from '../core/cycle/vocabulary.ts';
import { stateWord } from '../core/cycle/words.ts';
import { limitQuery, listRequest, pageLinks, refusedList } from './page-links.ts';

const kinds: Readonly<Record<string, string>> = {
  methodology: 'Methodology proposal',
  project: 'Project design document (PDD)',
};

async function openItemsPage(platform: Platform, request: PageRequest): Promise<Result<Html>> {
  const listed = await platform.comments.openItems(request);
  const after = request.after;
  if (!listed.ok) return listed;
  const items = listed.value.items;
  const body = html`<p>
      Methodology proposals are open for public comments for 15 days and project design documents
      for 30 days. Anyone may comment, without an account; the secretariat of the partnership
      publishes the comments with the item.
    </p>
    ${table(
      ['Item', 'Kind', 'Partner country', 'Comments until'],
      items.map((i) => [
        html`<a href="/public-input/${i.id}">${titleOf(i.id, i.data)}</a>`,
        kinds[i.machine] ?? i.machine,
        i.partnership,
        readableLongDate(i.dueDate),
      ]),
      items.length === 0 && after === undefined
        ? 'Nothing is open for public input now.'
        : undefined,
    )}
    ${pageLinks('/public-input', listed.value, after, limitQuery(request), 'items')}`;
  return ok(page('Public input', '/public-input', body));
}

function titleOf(id: string, data: unknown): string {
  const title = (data as { project?: { title?: string } } | null)?.project?.title;
  return title === undefined ? id : `${title} (${id})`;
}

function commentForm(id: string, values: Record<string, string>): Html {
  return html`<form
    class="action"
    method="post"
    action="/public-input/${id}/comments"
    aria-label="Send a comment"
  >
    <h2>Send a comment</h2>
    <label for="comment-name"
      >Your name<input
        id="comment-name"
        name="name"
        required
        maxlength="${commentLimits.name}"
        value="${values['name'] ?? ''}"
    /></label>
    <label for="comment-affiliation"
      >Organisation (optional)<input
        id="comment-affiliation"
        name="affiliation"
        maxlength="${commentLimits.affiliation}"
        value="${values['affiliation'] ?? ''}"
    /></label>
    <label for="comment-text"
      >Comment<textarea
        id="comment-text"
        name="text"
        required
        maxlength="${commentLimits.text}"
        rows="8"
      >
${values['text'] ?? ''}</textarea>
    </label>
    <button type="submit">Send the comment</button>
  </form>`;
}

/** An item's page with a page of its published comments; null for no such item open to input. */
async function itemPage(
  platform: Platform,
  id: string,
  message: Html | null = null,
  values: Record<string, string> = {},
  request: PageRequest = {},
): Promise<Result<Html> | null> {
  const found = await platform.cycleQueries.item(id);
  if (!found.ok) return null;
  const item = found.value as {
    id: string;
    machine: string;
    partnership: string;
    state: string;
    due_date: unknown;
    data: unknown;
    documents: {
      type: string;
      file_name: string;
      public_sha256: string;
      version: number;
      confidential: boolean;
    }[];
  };
  if (kinds[item.machine] === undefined) return null;
  const due = item.due_date === null ? null : day(item.due_date);
  const open = decideComment({ ...item, dueDate: due }, item.id, dateOfClock(platform.clock())).ok;
  const comments = await platform.comments.published(item.id, request);
  if (!comments.ok) return comments;
  const body = html`${message ?? ''}
    <p>
      ${kinds[item.machine]} ${item.id}, partner country ${countryName(item.partnership)}:
      ${
        open
          ? `open for public comments until ${readableLongDate(due)}.`
          : `not open for public comments (${stateWord(item.state)}).`
      }
      ${item.machine === 'project' ? html`<a href="/projects/${item.id}">The project's page</a>.` : ''}
    </p>
    <h2>Public documents</h2>
    ${table(
      ['Document', 'Version'],
      item.documents.map((d) => [
        html`<a href="/api/v1/documents/${d.public_sha256}"
            >${documentTypes[d.type as keyof typeof documentTypes] ?? d.type}: ${d.file_name}</a
          >${d.confidential ? ' (public version; the full version is confidential)' : ''}`,
        String(d.version),
      ]),
    )}
    <h2>Published comments</h2>
    ${publishedList(comments.value.items)}
    ${pageLinks(`/public-input/${item.id}`, comments.value, request.after, limitQuery(request), 'comments')}
    ${open ? commentForm(item.id, values) : ''}`;
  return ok(page(titleOf(item.id, item.data), '/public-input', body));
}

/** Published comments, each with its number (the secretariat and the TPE refer to it). */
export function publishedList(
  comments: readonly {
    id: string;
    name: string;
    affiliation: string;
    text: string;
    submittedAt: string;
  }[],
): Html {
  if (comments.length === 0) return html`<p>No published comment.</p>`;
  return html`<ol class="comments">
    ${comments.map(
      (c) =>
        html`<li id="comment-${c.id}">
          <p>
            <strong>Comment ${c.id}</strong>, from
            ${c.name}${c.affiliation === '' ? '' : `, ${c.affiliation}`},
            ${readableLongDate(c.submittedAt.slice(0, 10))}
          </p>
          <p class="comment-text">${c.text}</p>
        </li>`,
    )}
  </ol>`;
}

function refusal(error: Rejection): Html {
  return html`<div role="alert">
    <p>${errorCodes[error.code]} (${error.code})</p>
    <p>${error.message}</p>
  </div>`;
}

async function postComment(c: Context<AppEnv>, platform: Platform): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const form = await c.req.parseBody();
  const values = Object.fromEntries(
    ['name', 'affiliation', 'text'].map((k) => [k, typeof form[k] === 'string' ? form[k] : '']),
  );
  const result = await platform.comments.submit({ item: id, ...values }, c.get('clientAddress'));
  const message = result.ok
    ? html`<p role="status">
        Thank you. Your comment (number ${result.value.id}) is with the secretariat, which publishes
        it here once it has read it.
      </p>`
    : refusal(result.error);
  const shown = await itemPage(platform, id, message, result.ok ? {} : values);
  if (shown === null)
    return c.html(page('Not found', '/public-input', html`<p>No such item.</p>`), 404);
  // The first page of comments: no cursor to refuse.
  if (!shown.ok)
    return c.html(refusedList(shown.error, '/public-input', `/public-input/${id}`), 400);
  const status = result.ok ? 200 : result.error.code === 'comment_rate_limited' ? 429 : 422;
  return c.html(shown.value, status);
}

export function registerPublicInput(app: Hono<AppEnv>, platform: Platform): void {
  app.get('/public-input', async (c) => {
    const request = listRequest(c.req.query('after'), c.req.query('limit'));
    const shown = request.ok ? await openItemsPage(platform, request.value) : request;
    return shown.ok
      ? c.html(shown.value)
      : c.html(refusedList(shown.error, '/public-input', '/public-input'), 400);
  });
  app.get('/public-input/:id', async (c) => {
    const id = c.req.param('id');
    const request = listRequest(c.req.query('after'), c.req.query('limit'));
    const shown = request.ok ? await itemPage(platform, id, null, {}, request.value) : request;
    if (shown === null)
      return c.html(
        page('Not found', '/public-input', html`<p>No such item open to public input.</p>`),
        404,
      );
    return shown.ok
      ? c.html(shown.value)
      : c.html(refusedList(shown.error, '/public-input', `/public-input/${id}`), 400);
  });
  app.post('/public-input/:id/comments', (c) => postComment(c, platform));
}
