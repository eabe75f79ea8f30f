// Back office forms for the project cycle: an item's page offers a form for every action its state
// allows to the user's roles, with the parts each action needs (project data, allocation lines, the
// adopted decision it carries out, findings, verified reductions, documents), the submissions that
// start from it (a monitoring report of a registered project, an issuance request of a verified
// period, a Joint Committee decision about it), and /office/new starts idea notes, methodology
// proposals and PDDs. Every form posts through the cycle service with the session's CSRF token.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { cycleDefinition, type TransitionRule } from '../core/cycle/definition.ts';
import type { Actor } from '../core/ledger/actor.ts';
import type { ProjectData } from '../services/cycle-schemas.ts';
import type { Platform } from '../services/platform.ts';
import { day, page, tonnes, type Html } from './layout.ts';
import {
  allocationFields,
  documentFields,
  envelopeFrom,
  formChoices,
  neededDocuments,
  projectFields,
  projectFrom,
  type AllocationLine,
  type FormChoices,
} from './office-forms.ts';
import {
  csrfField,
  officeEnvelope,
  officeForm,
  officeNav,
  officeSession,
  outcome,
  type OfficeSession,
} from './office-session.ts';
import type { AppEnv } from '../services/request-scope.ts';

const label = (text: string) => text.replaceAll('_', ' ');

/** Submissions that start from another item, and the state that item must be in. */
const startsFrom: Record<string, { machine: string; state: string }> = {
  submit_monitoring_report: { machine: 'project', state: 'registered' },
  request_issuance: { machine: 'monitoring', state: 'verified' },
};
/** Submissions that start a new item on their own (/office/new). */
const standalone = ['submit_pin', 'propose_methodology', 'submit_pdd'];

function holds(actor: Actor, rule: TransitionRule): boolean {
  const kinds = new Set<string>(actor.roles.map((r) => r.kind));
  return rule.roles.some((role) => kinds.has(role));
}

/** The actions of an item's state whose acting roles the user holds (the domain checks the rest). */
function actionsFor(machine: string, state: string, actor: Actor): TransitionRule[] {
  return cycleDefinition.filter(
    (r) => r.machine === machine && r.from === state && holds(actor, r),
  );
}

function ruleOf(action: string): TransitionRule | undefined {
  return cycleDefinition.find((r) => r.action === action);
}

interface ItemView {
  id: string;
  machine: string;
  state: string;
  partnership: string;
  parent_id: string | null;
  reference: string | null;
  data: Record<string, unknown>;
  timeline: { action: string; to_state: string; at: string; actor: string }[];
  findings: { id: bigint; kind: string; state: string; text: string; answer?: string | null }[];
  documents: { type: string; version: number; file_name: string; public_sha256: string }[];
  children: { id: string; machine: string; state: string }[];
}

interface PageContext {
  platform: Platform;
  session: OfficeSession;
  item: ItemView;
  /** The data of the item's parent (the project of a monitoring period, the subject of a decision). */
  parentData: Record<string, unknown>;
  project: Partial<ProjectData> | undefined;
  choices: FormChoices;
  decisions: Awaited<ReturnType<Platform['cycleQueries']['decisionsAbout']>>;
}

function formStart(ctx: PageContext, rule: TransitionRule, body: Html): Html {
  return html`<form
    class="action"
    method="post"
    action="/office/items/${ctx.item.id}/${rule.action}"
    enctype="multipart/form-data"
    aria-label="${label(rule.action)}"
  >
    ${csrfField(ctx.session)}
    <h3>${label(rule.action)}</h3>
    ${body}
    <label for="${rule.action}-note">Note<input id="${rule.action}-note" name="note" /></label>
    <button type="submit">${label(rule.action)}</button>
  </form>`;
}

/** The registration allocation split over the verified reductions of each vintage, as a start. */
function issuanceProposal(
  registration: readonly AllocationLine[],
  verified: Record<string, string>,
): AllocationLine[] {
  const total = registration.reduce((sum, l) => sum + BigInt(l.quantity), 0n);
  if (total === 0n) return [];
  return Object.entries(verified).flatMap(([vintage, amount]) => {
    let left = BigInt(amount);
    return registration.map((l, i) => {
      const share =
        i === registration.length - 1 ? left : (BigInt(amount) * BigInt(l.quantity)) / total;
      left -= share;
      return { ...l, vintage: Number(vintage), quantity: String(share) };
    });
  });
}

/** The form of an action; null when the item offers nothing to act on (no finding left open). */
async function actionForm(ctx: PageContext, rule: TransitionRule): Promise<Html | null> {
  const { item } = ctx;
  const id = rule.action;
  const onFile = new Set(item.documents.map((d) => d.type));
  const parts: Html[] = [
    documentFields(
      id,
      neededDocuments(ctx.platform, rule, item.partnership, ctx.project?.programme ?? null),
      rule.from === null ? new Set() : onFile,
    ),
  ];
  if (rule.guards.includes('decision_adopted')) {
    const adopted = ctx.decisions.filter((d) => d.state === 'adopted' && d.action === rule.action);
    if (adopted.length === 0)
      return html`<section aria-label="${label(id)}">
        <h3>${label(id)}</h3>
        <p>
          Waits for an adopted Joint Committee decision that authorises ${label(id)} of ${item.id}
          (the secretariat proposes it from this page).
        </p>
      </section>`;
    parts.push(
      html`<label for="${id}-decision"
        >Adopted decision<select id="${id}-decision" name="decision">
          ${adopted.map((d) => html`<option value="${d.id}">${d.id}: ${d.text}</option>`)}
        </select></label
      >`,
    );
  }
  switch (id) {
    case 'resubmit_pin':
    case 'resubmit_pdd':
      parts.push(projectFields(id, ctx.choices, ctx.project));
      break;
    case 'request_registration':
    case 'resubmit_registration':
    case 'resubmit_issuance':
    case 'decide_issuance':
      parts.push(
        allocationFields(id, (item.data.allocation as AllocationLine[] | undefined) ?? []),
      );
      break;
    case 'request_issuance': {
      // The verified period's parent is the project: its registration allocation.
      const registration = (ctx.parentData.allocation as AllocationLine[] | undefined) ?? [];
      parts.push(
        allocationFields(
          id,
          issuanceProposal(registration, (item.data.verified as Record<string, string>) ?? {}),
        ),
      );
      break;
    }
    case 'adopt_decision':
      parts.push(
        html`<label for="${id}-method"
          >Adopted<select id="${id}-method" name="method">
            <option value="meeting">at a meeting</option>
            <option value="electronic">electronically</option>
          </select></label
        >`,
      );
      break;
    case 'raise_finding':
      parts.push(
        html`<label for="${id}-kind"
            >Kind<select id="${id}-kind" name="finding_kind">
              <option value="CAR">CAR: corrective action request</option>
              <option value="CL">CL: clarification request</option>
              <option value="FAR">FAR: forward action request</option>
            </select></label
          ><label for="${id}-text"
            >Finding<textarea id="${id}-text" name="finding_text" required></textarea>
          </label>`,
      );
      break;
    case 'answer_finding':
    case 'close_finding': {
      const open = item.findings.filter((f) => f.state !== 'closed');
      if (open.length === 0) return null;
      parts.push(
        html`<label for="${id}-finding"
          >Finding<select id="${id}-finding" name="finding">
            ${open.map((f) => html`<option value="${String(f.id)}">${String(f.id)} ${f.kind}: ${f.text}</option>`)}
          </select></label
        >`,
      );
      if (id === 'answer_finding')
        parts.push(
          html`<label for="${id}-answer"
            >Answer<textarea id="${id}-answer" name="answer" required></textarea>
          </label>`,
        );
      break;
    }
    case 'issue_verification': {
      const calculated =
        (item.data.calculation as { vintages?: { vintage: number; credits: string }[] } | undefined)
          ?.vintages ?? [];
      parts.push(
        html`<label for="${id}-verified"
          >Verified reductions, one "vintage=tonnes" per line (at most the calculation)<textarea
            id="${id}-verified"
            name="verified"
            required
          >
${calculated.map((v) => `${v.vintage}=${v.credits}`).join('\n')}</textarea>
        </label>`,
      );
      break;
    }
    case 'propose_decision': {
      const pending = cycleDefinition.filter(
        (r) =>
          r.machine === item.machine &&
          r.from === item.state &&
          r.guards.includes('decision_adopted'),
      );
      parts.push(
        html`<label for="${id}-subject"
            >Authorises<select id="${id}-subject" name="subject_action">
              ${pending.map((r) => html`<option value="${r.action}">${label(r.action)} of ${item.id}</option>`)}
            </select></label
          ><label for="${id}-text"
            >Text of the decision<textarea id="${id}-text" name="subject_text" required></textarea>
          </label>`,
      );
      break;
    }
  }
  return formStart(ctx, rule, html`${parts}`);
}

/** What the item says: its project, calculation, verified reductions, allocation or subject. */
function itemFacts(item: ItemView): Html {
  const d = item.data as {
    project?: ProjectData;
    calculation?: { vintages?: { vintage: number; credits: string }[] };
    verified?: Record<string, string>;
    allocation?: AllocationLine[];
    subject?: { item: string; action: string; text: string };
    confirmations?: Record<string, string>;
  };
  return html`<dl class="facts">
    ${
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
    }
    ${
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
    }
  </dl>`;
}

async function itemPage(
  platform: Platform,
  id: string,
  session: OfficeSession,
  message: Html | null,
): Promise<Html | null> {
  const found = await platform.cycleQueries.item(id);
  if (!found.ok) return null;
  const item = found.value as unknown as ItemView;
  const [parent] = await platform.cycleQueries.brief(
    item.parent_id === null ? [] : [item.parent_id],
  );
  const parentData = (parent?.data ?? {}) as Record<string, unknown>;
  const ctx: PageContext = {
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
  const rules = [
    ...actionsFor(item.machine, item.state, session.actor),
    ...Object.entries(startsFrom)
      .filter(([, from]) => from.machine === item.machine && from.state === item.state)
      .map(([action]) => ruleOf(action))
      .filter((r): r is TransitionRule => r !== undefined && holds(session.actor, r)),
    ...cycleDefinition.filter(
      (r) =>
        r.action === 'propose_decision' &&
        holds(session.actor, r) &&
        cycleDefinition.some(
          (x) =>
            x.machine === item.machine &&
            x.from === item.state &&
            x.guards.includes('decision_adopted'),
        ),
    ),
  ];
  const forms = (await Promise.all(rules.map((r) => actionForm(ctx, r)))).filter((f) => f !== null);
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
      <h2>Related items</h2>
      <ul>
        ${item.children.map((c) => html`<li><a href="/office/items/${c.id}">${c.id}</a> ${c.machine}: ${label(c.state)}</li>`)}
      </ul>
      <h2>Findings</h2>
      <ul>
        ${item.findings.map((f) => html`<li>${String(f.id)} ${f.kind} (${f.state}): ${f.text}${f.answer ? html` — answer: ${f.answer}` : ''}</li>`)}
      </ul>
      <h2>Documents</h2>
      <ul>
        ${item.documents.map((d) => html`<li><a href="/api/v1/documents/${d.public_sha256}">${d.file_name}</a> (${label(d.type)}, version ${String(d.version)})</li>`)}
      </ul>
      <h2>Timeline</h2>
      <ul>
        ${item.timeline.map((e) => html`<li>${day(e.at)} ${label(e.action)} → ${label(e.to_state)} (${e.actor})</li>`)}
      </ul>`,
  );
}

async function newPage(
  platform: Platform,
  session: OfficeSession,
  message: Html | null,
  typed?: Record<string, unknown>,
): Promise<Html> {
  const choices = await formChoices(platform);
  const partners = (await platform.reference('partner-countries')) as {
    alpha2: string;
    name: string;
  }[];
  const rules = cycleDefinition.filter(
    (r) => r.from === null && standalone.includes(r.action) && holds(session.actor, r),
  );
  return page(
    'Start a submission',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
    ${rules.length === 0 ? html`<p>None of your roles starts a submission.</p>` : ''}
    ${rules.map(
      (rule) =>
        html`<form
          class="action"
          method="post"
          action="/office/new/${rule.action}"
          enctype="multipart/form-data"
          aria-label="${label(rule.action)}"
        >
          ${csrfField(session)}
          <h2>${label(rule.action)}</h2>
          <label for="${rule.action}-partnership"
            >Partnership<select id="${rule.action}-partnership" name="partnership">
              ${partners.map((p) => html`<option value="${p.alpha2}" ${p.alpha2 === 'IN' ? 'selected' : ''}>${p.name}</option>`)}
            </select></label
          >
          ${rule.action === 'propose_methodology' ? '' : projectFields(rule.action, choices, typed as Partial<ProjectData>)}
          ${documentFields(rule.action, neededDocuments(platform, rule, null, null), new Set())}
          <label for="${rule.action}-note"
            >Note<input id="${rule.action}-note" name="note"
          /></label>
          <button type="submit">${label(rule.action)}</button>
        </form>`,
    )}`,
  );
}

async function act(
  c: Context<AppEnv>,
  platform: Platform,
  action: string,
  target: { item?: string; parent?: string },
) {
  const posted = await officeForm(c);
  const envelope = await envelopeFrom(posted.form, target);
  const result = await platform.cycle.act(action, officeEnvelope(posted, envelope));
  return { posted, result };
}

export function registerOfficeActions(app: Hono<AppEnv>, platform: Platform): void {
  const notFound = (c: Context<AppEnv>) =>
    c.html(page('Not found', '/office', html`<p>No such item.</p>`), 404);

  app.get('/office/items/:id', async (c) => {
    const shown = await itemPage(platform, c.req.param('id'), officeSession(c), null);
    return shown === null ? notFound(c) : c.html(shown);
  });

  app.post('/office/items/:id/:action', async (c) => {
    const action = c.req.param('action');
    const id = c.req.param('id');
    const starts = ruleOf(action)?.from === null;
    const { posted, result } = await act(
      c,
      platform,
      action,
      starts ? { parent: id } : { item: id },
    );
    const message = outcome(
      result,
      result.ok
        ? `Done: ${label(action)}, ${result.value.item} ${result.value.from === null ? 'created:' : `${label(result.value.from)} →`} ${label(result.value.to)}.`
        : '',
    );
    // A new item (a report, a request, a decision) is shown on its own page.
    const shown = await itemPage(
      platform,
      result.ok && starts ? result.value.item : id,
      posted.session,
      message,
    );
    return shown === null ? notFound(c) : c.html(shown, result.ok ? 200 : 422);
  });

  app.get('/office/new', async (c) => {
    return c.html(await newPage(platform, officeSession(c), null));
  });

  app.post('/office/new/:action', async (c) => {
    const action = c.req.param('action');
    if (!standalone.includes(action)) return notFound(c);
    const { posted, result } = await act(c, platform, action, {});
    if (!result.ok)
      return c.html(
        await newPage(
          platform,
          posted.session,
          outcome(result, ''),
          projectFrom(posted.form) as Record<string, unknown>,
        ),
        422,
      );
    const shown = await itemPage(
      platform,
      result.value.item,
      posted.session,
      outcome(result, `Submitted: ${result.value.item} is ${label(result.value.to)}.`),
    );
    return shown === null ? notFound(c) : c.html(shown);
  });
}
