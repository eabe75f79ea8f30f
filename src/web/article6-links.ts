// Links of the Article 6.2 pages: a journal entry (the public journal read of the API, which gives
// the entry with its hash), an authorisation on the paged authorisations page, a Party's page for a
// year, and a Party's years as a row of links.
import { html } from 'hono/html';
import { citation, type FactSource } from '../core/partnership/record.ts';
import type { Html } from './layout.ts';

/** The public read of one journal entry: the chain's entries after seq - 1, one of them. */
export function entryHref(entry: { readonly chain: string; readonly seq: bigint }): string {
  return `/api/v1/registries/${encodeURIComponent(entry.chain)}/journal?after=${entry.seq - 1n}&limit=1`;
}

/** "journal entry JP#8", linked to the entry. */
export function entryLink(entry: { readonly chain: string; readonly seq: bigint }): Html {
  return html`<a href="${entryHref(entry)}">journal entry ${entry.chain}#${String(entry.seq)}</a>`;
}

/**
 * An authorisation on the authorisations page, which shows a page at a time: the page that starts
 * with it (`from`), at its section or at another anchor of that page (an entity it names).
 */
export function authorisationHref(id: string, anchor: string = id): string {
  return `/article6/authorisations?from=${encodeURIComponent(id)}#${anchor}`;
}

export function partyYearHref(party: string, year: number): string {
  return `/article6/parties/${party}/${year}`;
}

/** The years from the first to the last, each linked to the Party's page of that year. */
export function partyYearLinks(party: string, firstYear: number, lastYear: number): Html {
  const years: number[] = [];
  for (let year = firstYear; year <= lastYear; year += 1) years.push(year);
  return html`${years.map((year, i) => html`${i === 0 ? '' : ' · '}<a href="${partyYearHref(party, year)}">${year}</a>`)}`;
}

/** A fact's source under a label: "NDC: source ...", or the synthetic mark with its note. */
export function labelledSource(label: string, source: FactSource): Html {
  return 'synthetic' in source
    ? html`<p class="note">
        ${label}: <span class="synthetic">synthetic demo data</span>, ${source.note}.
      </p>`
    : html`<p class="note">${label}: source ${citation(source)}.</p>`;
}
