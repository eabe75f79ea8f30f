// The back office's moderation of public comments: the secretariat sees the comments on its
// partnership's items in public input that await moderation, a page at a time, and publishes or
// rejects each one.
import { html } from 'hono/html';
import type { Platform } from '../services/platform.ts';
import { instant, page, table, type Html } from './layout.ts';
import { limitQuery, pageLinks } from './page-links.ts';
import type { PageRequest } from '../core/shared/page.ts';
import type { AdminForm, AdminPage } from './office-admin.ts';
import {
  csrfField,
  field,
  mayPost,
  officeEnvelope,
  officeNav,
  type OfficeSession,
} from './office-session.ts';

function moderationForms(session: OfficeSession, id: string): Html {
  const form = (verb: 'publish' | 'reject', label: string) =>
    html`<form
      class="inline"
      method="post"
      action="/office/comments/${verb}"
      aria-label="${label} comment ${id}"
    >
      ${csrfField(session)}<input type="hidden" name="comment" value="${id}" /><button
        type="submit"
      >
        ${label}
      </button>
    </form>`;
  return html`${form('publish', 'Publish')} ${form('reject', 'Reject')}`;
}

async function commentsPage(
  platform: Platform,
  session: OfficeSession,
  message: Html | null,
  request: PageRequest = {},
) {
  const listed = await platform.comments.awaiting(session.actor, request);
  const after = request.after;
  const awaiting = listed.ok ? listed.value.items : [];
  return page(
    'Public comments to moderate',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
      <p>
        Comments sent during the public input of methodology proposals and PDDs of your
        partnerships. A published comment is shown with its item on the portal; a rejected one is
        not shown.
      </p>
      ${table(
        ['Comment', 'Item', 'From', 'Text', 'Received', 'Moderation'],
        awaiting.map((c) => [
          c.id,
          html`<a href="/public-input/${c.item}">${c.item}</a>`,
          c.affiliation === '' ? c.name : `${c.name} (${c.affiliation})`,
          c.text,
          instant(c.submittedAt),
          moderationForms(session, c.id),
        ]),
        awaiting.length === 0 && after === undefined ? 'No comment awaits moderation.' : undefined,
      )}
      ${
        listed.ok
          ? pageLinks('/office/comments', listed.value, after, limitQuery(request), 'comments')
          : html`<p class="error">${listed.error.message} (${listed.error.code})</p>`
      }`,
  );
}

const moderate =
  (verdict: 'publish' | 'reject'): AdminForm =>
  async (platform, posted) => {
    const comment = field(posted.form, 'comment') ?? '';
    const result = await platform.comments.moderate(officeEnvelope(posted, { comment, verdict }));
    return {
      result,
      done: `Comment ${comment} ${verdict === 'publish' ? 'published' : 'rejected'}.`,
    };
  };

export const commentsAdminPage: AdminPage = {
  render: commentsPage,
  may: (s) => mayPost(s, '/office/comments/publish'),
  forms: { publish: moderate('publish'), reject: moderate('reject') },
};
