// The forms on an item's page, one per action the user may take, each with the parts its action
// needs: documents, the adopted decision, project data, allocation, findings, verified reductions.
import { html } from 'hono/html';
import { commentingActions } from '../core/cycle/actions.ts';
import type { TransitionRule } from '../core/cycle/definition.ts';
import type { ProjectData } from '../services/cycle-schemas.ts';
import type { Platform } from '../services/platform.ts';
import { table, tonnes, type Html } from './layout.ts';
import { decidedActions, label } from './office-cycle-rules.ts';
import {
  allocationFields,
  documentFields,
  neededDocuments,
  projectFields,
  type AllocationLine,
  type FormChoices,
} from './office-forms.ts';
import { csrfField, type OfficeSession } from './office-session.ts';

/** An item of the project cycle as its page and forms see it. */
export interface ItemView {
  id: string;
  machine: string;
  state: string;
  partnership: string;
  parent_id: string | null;
  reference: string | null;
  data: Record<string, unknown>;
  timeline: { action: string; to_state: string; at: string; actor: string }[];
  findings: { id: bigint; kind: string; state: string; text: string; answer?: string | null }[];
  documents: {
    type: string;
    version: number;
    file_name: string;
    public_sha256: string;
    confidential?: boolean;
  }[];
  children: { id: string; machine: string; state: string }[];
}

/** What the forms of an item's page are made from. */
export interface ItemFormContext {
  platform: Platform;
  session: OfficeSession;
  item: ItemView;
  /** The data of the item's parent (the project of a monitoring period, the subject of a decision). */
  parentData: Record<string, unknown>;
  project: Partial<ProjectData> | undefined;
  choices: FormChoices;
  decisions: Awaited<ReturnType<Platform['cycleQueries']['decisionsAbout']>>;
}

function formStart(ctx: ItemFormContext, rule: TransitionRule, body: Html): Html {
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
    ${
      (commentingActions as readonly string[]).includes(rule.action)
        ? html`<label for="${rule.action}-comments"
            >Public comments referred to (numbers, comma-separated)<input
              id="${rule.action}-comments"
              name="comments"
          /></label>`
        : ''
    }
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

/** In place of the form of an action that no adopted decision authorises yet. */
function waitsForDecision(id: string, item: string): Html {
  return html`<section aria-label="${label(id)}">
    <h3>${label(id)}</h3>
    <p>
      Waits for an adopted Joint Committee decision that authorises ${label(id)} of ${item} (the
      secretariat proposes it from this page).
    </p>
  </section>`;
}

/** The adopted decision an action carries out, chosen among those that authorise it. */
function decisionChooser(id: string, adopted: ItemFormContext['decisions']): Html {
  return html`<label for="${id}-decision"
    >Adopted decision<select id="${id}-decision" name="decision">
      ${adopted.map((d) => html`<option value="${d.id}">${d.id}: ${d.text}</option>`)}
    </select></label
  >`;
}

/** The allocation an issuance request starts from: its project's registration allocation. */
function issuanceAllocation(ctx: ItemFormContext, id: string): Html {
  // The verified period's parent is the project: its registration allocation.
  const registration = (ctx.parentData.allocation as AllocationLine[] | undefined) ?? [];
  const verified = (ctx.item.data.verified as Record<string, string>) ?? {};
  return allocationFields(id, issuanceProposal(registration, verified));
}

/** How the Joint Committee adopted a decision. */
function adoptionMethodField(id: string): Html {
  return html`<label for="${id}-method"
    >Adopted<select id="${id}-method" name="method">
      <option value="meeting">at a meeting</option>
      <option value="electronic">electronically</option>
    </select></label
  >`;
}

/** A new finding of a third-party entity: its kind and its text. */
function newFindingFields(id: string): Html {
  return html`<label for="${id}-kind"
      >Kind<select id="${id}-kind" name="finding_kind">
        <option value="CAR">CAR: corrective action request</option>
        <option value="CL">CL: clarification request</option>
        <option value="FAR">FAR: forward action request</option>
      </select></label
    ><label for="${id}-text"
      >Finding<textarea id="${id}-text" name="finding_text" required></textarea>
    </label>`;
}

/** The open finding to answer or close, and the answer; null when no finding is left open. */
function openFindingFields(id: string, item: ItemView): Html | null {
  const open = item.findings.filter((f) => f.state !== 'closed');
  if (open.length === 0) return null;
  const chooser = html`<label for="${id}-finding"
    >Finding<select id="${id}-finding" name="finding">
      ${open.map((f) => html`<option value="${String(f.id)}">${String(f.id)} ${f.kind}: ${f.text}</option>`)}
    </select></label
  >`;
  const answer =
    id === 'answer_finding'
      ? html`<label for="${id}-answer"
          >Answer<textarea id="${id}-answer" name="answer" required></textarea>
        </label>`
      : '';
  return html`${chooser}${answer}`;
}

/** The verified reductions of each vintage, prefilled with the calculation. */
function verifiedFields(id: string, item: ItemView): Html {
  const calculated =
    (item.data.calculation as { vintages?: { vintage: number; credits: string }[] } | undefined)
      ?.vintages ?? [];
  return html`<label for="${id}-verified"
    >Verified reductions, one "vintage=tonnes" per line (at most the calculation)<textarea
      id="${id}-verified"
      name="verified"
      required
    >
${calculated.map((v) => `${v.vintage}=${v.credits}`).join('\n')}</textarea>
  </label>`;
}

/** A proposed Joint Committee decision: the action of the item it authorises, and its text. */
function decisionProposalFields(id: string, item: ItemView): Html {
  const pending = decidedActions(item.machine, item.state);
  return html`<label for="${id}-subject"
      >Authorises<select id="${id}-subject" name="subject_action">
        ${pending.map((r) => html`<option value="${r.action}">${label(r.action)} of ${item.id}</option>`)}
      </select></label
    ><label for="${id}-text"
      >Text of the decision<textarea id="${id}-text" name="subject_text" required></textarea>
    </label>`;
}

/** What each adopted issuance decision allocates (as the governments confirmed it; not editable). */
function decidedAllocations(ctx: ItemFormContext): Html {
  const adopted = ctx.decisions.filter(
    (d) => d.state === 'adopted' && d.action === 'decide_issuance',
  );
  return html`${adopted.map(
    (d) =>
      html`${table(
        ['Holder', 'Registry', 'Account', 'Vintage', '#Quantity (tCO2e)'],
        d.allocation.map((l) => [
          label(l.holder),
          l.registry,
          l.account,
          String(l.vintage),
          tonnes(l.quantity),
        ]),
        `Allocation decided by ${d.id}`,
      )}`,
  )}`;
}

/** A renewal asks for the next crediting period. */
function renewalFields(id: string): Html {
  return html`<fieldset>
    <legend>Crediting period asked for</legend>
    <label for="${id}-start"
      >From<input id="${id}-start" name="renewal_start" type="date" required
    /></label>
    <label for="${id}-end"
      >Until<input id="${id}-end" name="renewal_end" type="date" required
    /></label>
  </fieldset>`;
}

/** The fields of an action beyond its documents and decision; null when there is nothing to act on. */
function actionFields(ctx: ItemFormContext, id: string): Html | '' | null {
  const { item } = ctx;
  switch (id) {
    case 'resubmit_pin':
    case 'resubmit_pdd':
    case 'request_post_registration_change':
      return projectFields(id, ctx.choices, ctx.project);
    case 'request_renewal':
      return renewalFields(id);
    case 'request_registration':
    case 'resubmit_registration':
    case 'resubmit_issuance':
      return allocationFields(id, (item.data.allocation as AllocationLine[] | undefined) ?? []);
    case 'decide_issuance':
      return decidedAllocations(ctx);
    case 'request_issuance':
      return issuanceAllocation(ctx, id);
    case 'adopt_decision':
      return adoptionMethodField(id);
    case 'raise_finding':
      return newFindingFields(id);
    case 'answer_finding':
    case 'close_finding':
      return openFindingFields(id, item);
    case 'issue_verification':
      return verifiedFields(id, item);
    case 'propose_decision':
      return decisionProposalFields(id, item);
    default:
      // The other actions need only their documents and a note.
      return '';
  }
}

/** The form of an action; null when the item offers nothing to act on (no finding left open). */
export function actionForm(ctx: ItemFormContext, rule: TransitionRule): Html | null {
  const { item } = ctx;
  const id = rule.action;
  const onFile = new Set(item.documents.map((d) => d.type));
  const documents = documentFields(
    id,
    neededDocuments(ctx.platform, rule, item.partnership, ctx.project?.programme ?? null),
    rule.from === null ? new Set() : onFile,
  );
  const needsDecision = rule.guards.includes('decision_adopted');
  const adopted = ctx.decisions.filter(
    (d) => d.state === 'adopted' && d.action === rule.action && !d.carriedOut,
  );
  if (needsDecision && adopted.length === 0) return waitsForDecision(id, item.id);
  const fields = actionFields(ctx, id);
  if (fields === null) return null;
  const decision = needsDecision ? decisionChooser(id, adopted) : '';
  return formStart(ctx, rule, html`${[documents, decision, fields]}`);
}
