// A project's page, the parts that follow it past registration: its monitoring periods and issuance
// requests (each anchored so that decisions can link to it), the allocation of its credits as shares,
// and one timeline from the idea to issuance with the public documents of every step.
import { html } from 'hono/html';
import { documentTypes, type DocumentType } from '../core/cycle/vocabulary.ts';
import { actionWord, holderWord, machineWord, stateWord } from '../core/cycle/words.ts';
import type { Platform } from '../services/platform.ts';
import { day, registryName, table, tonnes, type Html } from './layout.ts';
import { decisionHref } from './page-links.ts';

type Document = {
  type: string;
  version: number;
  file_name: string;
  public_sha256: string;
  confidential: boolean;
};
type Event = {
  seq: bigint;
  at: string;
  action: string;
  to_state: string;
  actor: string;
  payload?: { projectVersion?: unknown } | null;
};
type Allocation = {
  holder: string;
  registry: string;
  account: string;
  vintage: number;
  quantity: string;
};

/** A monitoring period or issuance request of the project, as the cycle queries give it. */
export type ChildItem = {
  id: string;
  machine: string;
  state: string;
  data: {
    calculation?: { periods?: readonly { start: string; end: string }[]; credits?: string };
    verified?: Record<string, string>;
    allocation?: readonly Allocation[];
    monitoring?: string;
  };
  timeline: Event[];
  documents: Document[];
};

type Decision = Awaited<ReturnType<Platform['portal']['decisionsAbout']>>[number];

/** Loads the project's children with their timelines and documents. */
export async function loadChildren(
  platform: Platform,
  children: readonly { id: string }[],
): Promise<ChildItem[]> {
  const found = await Promise.all(children.map((c) => platform.cycleQueries.item(c.id)));
  const order = (c: ChildItem) => ['monitoring', 'issuance', 'decision'].indexOf(c.machine);
  return found
    .flatMap((f) => (f.ok ? [f.value as ChildItem] : []))
    .sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : 1));
}

/** Where a child's entries link to: its section on this page, or a decision on the decisions page. */
function childLink(c: ChildItem): Html {
  const href = c.machine === 'decision' ? decisionHref(c.id) : `#${c.id}`;
  return html`<a href="${href}">${machineWord(c.machine)} ${c.id}</a>`;
}

/** Each monitoring period and issuance request: its dates, figures, allocation and documents. */
export function childSections(all: readonly ChildItem[]): Html {
  // Decisions have their own page; the timeline links to them.
  const children = all.filter((c) => c.machine !== 'decision');
  if (children.length === 0) return html`<p>No monitoring period yet.</p>`;
  return html`${children.map((c) => {
    const periods = c.data.calculation?.periods ?? [];
    const verified = Object.entries(c.data.verified ?? {});
    return html`<section aria-labelledby="${c.id}">
      <h3 id="${c.id}">${machineWord(c.machine)} ${c.id}: ${stateWord(c.state)}</h3>
      ${periods.length === 0 ? '' : html`<p>From ${periods[0]?.start ?? ''} to ${periods.at(-1)?.end ?? ''}.</p>`}
      ${c.data.monitoring === undefined ? '' : html`<p>For <a href="#${c.data.monitoring}">monitoring period ${c.data.monitoring}</a>.</p>`}
      ${verified.length === 0 ? '' : html`<p>Verified reductions: ${verified.map(([v, q]) => `${tonnes(q)} credits of vintage ${v}`).join('; ')}.</p>`}
      ${c.data.allocation === undefined ? '' : allocationShares(c.data.allocation)}
      ${c.documents.length === 0 ? '' : documentList(c.documents)}
    </section>`;
  })}`;
}

/** Allocation lines as shares of the whole (percent) beside their credits. */
export function allocationShares(lines: readonly Allocation[]): Html {
  const total = lines.reduce((sum, l) => sum + BigInt(l.quantity), 0n);
  // Hundredths of a percent, rounded down: the shares are for reading, the credits are exact.
  const share = (q: string) =>
    total === 0n ? '' : `${(Number((BigInt(q) * 10_000n) / total) / 100).toFixed(2)}%`;
  return table(
    ['Holder', 'Registry', 'Account', 'Vintage', '#Share', '#Credits'],
    lines.map((l) => [
      holderWord(l.holder),
      registryName(l.registry),
      l.account,
      String(l.vintage),
      share(l.quantity),
      tonnes(l.quantity),
    ]),
    'Allocation of the credits',
  );
}

function documentList(documents: readonly Document[]): Html {
  return html`<ul>
    ${documents.map((d) => html`<li>${documentLink(d)}</li>`)}
  </ul>`;
}

/** A public document, linked; a confidential one says that only its public version is shown. */
export function documentLink(d: Document): Html {
  return html`<a href="/api/v1/documents/${d.public_sha256}"
      >${documentWord(d.type)} (version ${String(d.version)})</a
    >${d.confidential ? ' (public version; the full version is confidential)' : ''}`;
}

/** A document type in words, with its form number where it has one. */
function documentWord(type: string): string {
  return Object.hasOwn(documentTypes, type)
    ? documentTypes[type as DocumentType]
    : type.replaceAll('_', ' ');
}

/**
 * One timeline from the idea to issuance: the project's steps, those of its monitoring periods and
 * issuance requests (linked to their section), and the Joint Committee decisions about any of them
 * (linked to the decisions page), in the order they happened.
 */
export function fullTimeline(
  project: { id: string; timeline: Event[] },
  children: readonly ChildItem[],
  decisions: readonly Decision[],
): Html {
  const entries = [
    ...project.timeline.map((e) => ({
      at: e.at,
      // A submission, an approved change, a re-assessment or a renewal makes a version of the data.
      step: html`${actionWord(e.action)}${
        typeof e.payload?.projectVersion === 'number'
          ? ` (project data version ${String(e.payload.projectVersion)})`
          : ''
      }`,
      state: e.to_state,
      by: e.actor,
      item: html`project`,
    })),
    ...children.flatMap((c) =>
      c.timeline.map((e) => ({
        at: e.at,
        step: html`${actionWord(e.action)}`,
        state: e.to_state,
        by: e.actor,
        item: childLink(c),
      })),
    ),
    // Decisions about an issuance request belong to the request, not to the project: their adoption
    // joins the timeline here, linked to the decisions page.
    ...decisions.flatMap((d) => {
      const data = d.data as { adoptedAt?: string; subject?: { action: string } };
      if (data.adoptedAt === undefined || children.some((c) => c.id === d.id)) return [];
      return [
        {
          at: data.adoptedAt,
          step: html`<a href="${decisionHref(d.id)}">decision ${d.id}</a> adopted:
            ${actionWord(data.subject?.action ?? '')}`,
          state: d.state,
          by: 'Joint Committee',
          item: html`Joint Committee`,
        },
      ];
    }),
  ].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  return table(
    ['Date', 'Step', 'Of', 'New status', 'By'],
    entries.map((e) => [day(e.at), e.step, e.item, stateWord(e.state), e.by]),
  );
}
