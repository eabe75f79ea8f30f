// An item's page in the back office: what the item says, the forms of the actions the user may take
// on it, and its related items, findings, documents and timeline.
import { html } from 'hono/html';
import type { ProjectData } from '../services/cycle-schemas.ts';
import type { Platform } from '../services/platform.ts';
import { day, page, tonnes, type Html } from './layout.ts';
import { label, offeredRules } from './office-cycle-rules.ts';
import { doubleCountingSections } from './office-double-counting.ts';
import { formChoices, type AllocationLine } from './office-forms.ts';
import { actionForm, type ItemFormContext, type ItemView } from './office-item-forms.ts';
import { officeNav, type OfficeSession } from './office-session.ts';

/** The parts of an item's data that its page shows. */
interface ItemData {
  project?: ProjectData;
  calculation?: { vintages?: { vintage: number; credits: string }[] };
  verified?: Record<string, string>;
  allocation?: AllocationLine[];
  subject?: { item: string; action: string; text: string };
  confirmations?: Record<string, string>;
}

/** Who and what the item is about: its project, the decision's subject, its confirmations. */
function subjectFacts(d: ItemData): Html {
  return html`${
    d.project === undefined
      ? ''
      : html`<dt>Project</dt>
          <dd>
            ${d.project.title} (${d.project.methodology.id} v${d.project.methodology.version}, TPE
            ${d.project.tpe})
          </dd>`
  }
  ${
    d.subject === undefined
      ? ''
      : html`<dt>Decision</dt>
          <dd>
            ${label(d.subject.action)} of
            <a href="/office/items/${d.subject.item}">${d.subject.item}</a>: ${d.subject.text}
          </dd>`
  }
  ${
    d.confirmations === undefined
      ? ''
      : html`<dt>Confirmed by</dt>
          <dd>${Object.keys(d.confirmations).map(label).join(', ') || 'nobody yet'}</dd>`
  }`;
}

/** The quantities the item carries: calculated and verified reductions, its allocation. */
function quantityFacts(d: ItemData): Html {
  return html`${
    d.calculation?.vintages === undefined
      ? ''
      : html`<dt>Calculated</dt>
          <dd>
            ${d.calculation.vintages.map((v) => `${v.vintage}: ${tonnes(v.credits)} t`).join('; ')}
          </dd>`
  }
  ${
    d.verified === undefined
      ? ''
      : html`<dt>Verified</dt>
          <dd>
            ${Object.entries(d.verified)
              .map(([v, q]) => `${v}: ${tonnes(q)} t`)
              .join('; ')}
          </dd>`
  }
  ${
    d.allocation === undefined
      ? ''
      : html`<dt>Allocation</dt>
          <dd>
            <ul>
              ${d.allocation.map((l) => html`<li>${label(l.holder)}: ${l.account} (${l.registry}) vintage ${String(l.vintage)}, ${tonnes(l.quantity)} t</li>`)}
            </ul>
          </dd>`
  }`;
}

/** What the item says: its project, calculation, verified reductions, allocation or subject. */
function itemFacts(item: ItemView): Html {
  const d = item.data as ItemData;
  return html`<dl class="facts">${subjectFacts(d)} ${quantityFacts(d)}</dl>`;
}

/** The item's related items, findings, documents and timeline. */
function itemRecord(item: ItemView): Html {
  return html`<h2>Related items</h2>
    <ul>
      ${item.children.map((c) => html`<li><a href="/office/items/${c.id}">${c.id}</a> ${c.machine}: ${label(c.state)}</li>`)}
    </ul>
    <h2>Findings</h2>
    <ul>
      ${item.findings.map((f) => html`<li>${String(f.id)} ${f.kind} (${f.state}): ${f.text}${f.answer ? html` — answer: ${f.answer}` : ''}</li>`)}
    </ul>
    <h2>Documents</h2>
    <ul>
      ${item.documents.map((d) => html`<li><a href="/api/v1/documents/${d.public_sha256}">${d.file_name}</a> (${label(d.type)}, version ${String(d.version)})${d.confidential === true ? html` · <a href="/api/v1/cycle/items/${item.id}/documents/${d.type}/full?version=${String(d.version)}">confidential full version</a> (the project's TPE and the Joint Committee; each read is logged)` : ''}</li>`)}
    </ul>
    <h2>Timeline</h2>
    <ul>
      ${item.timeline.map((e) => html`<li>${day(e.at)} ${label(e.action)} → ${label(e.to_state)} (${e.actor})</li>`)}
    </ul>`;
}

/** What the forms need beyond the item: its parent's data, the form choices, its decisions. */
async function formContext(
  platform: Platform,
  session: OfficeSession,
  item: ItemView,
): Promise<ItemFormContext> {
  const [parent] = await platform.cycleQueries.brief(
    item.parent_id === null ? [] : [item.parent_id],
  );
  const parentData = (parent?.data ?? {}) as Record<string, unknown>;
  return {
    platform,
    session,
    item,
    parentData,
    project:
      (item.data.project as Partial<ProjectData> | undefined) ??
      (parentData.project as Partial<ProjectData> | undefined),
    choices: await formChoices(platform),
    decisions: await platform.cycleQueries.decisionsAbout(item.id),
  };
}

/** An item's page, or null when there is no such item. */
export async function itemPage(
  platform: Platform,
  id: string,
  session: OfficeSession,
  message: Html | null,
): Promise<Html | null> {
  const found = await platform.cycleQueries.item(id);
  if (!found.ok) return null;
  const item = found.value as unknown as ItemView;
  const ctx = await formContext(platform, session, item);
  const forms = offeredRules(item, session.actor)
    .map((r) => actionForm(ctx, r))
    .filter((f) => f !== null);
  return page(
    `${item.id}: ${label(item.state)}`,
    '/office',
    html`${officeNav(session)} ${message ?? ''}
      <p>
        ${item.machine} of partnership
        ${item.partnership}${item.reference === null ? '' : `, reference ${item.reference}`}${item.parent_id === null ? '' : html`, about <a href="/office/items/${item.parent_id}">${item.parent_id}</a>`}.
      </p>
      ${itemFacts(item)}
      <h2>What you can do</h2>
      ${forms.length === 0 ? html`<p>No action of this state belongs to your roles.</p>` : forms}
      ${await doubleCountingSections(platform, session, item)} ${itemRecord(item)}`,
  );
}
