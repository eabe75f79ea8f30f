// Article 6.2 between the core's shapes and the tables of migration 015: the ITMO columns of a block,
// an action as a row, the records kept as the canonical JSON their journal event holds, and the
// records read back into the core's Article6State. The loader, the persister, the audit and the
// queries all go through here, so that a record is written and read one way.
import type { Kysely } from 'kysely';
import { canonicalJson, type Json } from '../core/shared/canonical-json.ts';
import type { ProjectRef, RegistryId } from '../core/shared/ids.ts';
import { reviveEvent } from '../core/ledger/events.ts';
import type { Article6State, AuthorisationRecord } from '../core/article6/state.ts';
import type {
  Action,
  ActionType,
  Authorisation,
  CooperativeApproach,
  ItmoAttributes,
  PurposeSet,
} from '../core/article6/types.ts';
import type { Schema } from './schema.ts';

/** A record as its journal event holds it: canonical JSON, bigints as decimal strings. */
export function recordText(record: CooperativeApproach | Authorisation): string {
  return canonicalJson(record as unknown as Json);
}

/**
 * Reads a record back. The journal's own reviver turns exactly the fields that are bigint in the
 * events (quantityCap, budget, quantity...) back into bigints, so a record reads as the replay reads it.
 */
export function approachFromRecord(text: string): CooperativeApproach {
  return reviveEvent(text) as unknown as CooperativeApproach;
}

export function authorisationFromRecord(text: string): Authorisation {
  return reviveEvent(text) as unknown as Authorisation;
}

type ItmoColumns = Pick<
  Schema['blocks'],
  'itmo_approach' | 'itmo_authorisation' | 'itmo_first_party' | 'itmo_first_transferred'
>;

export function itmoColumns(itmo: ItmoAttributes | undefined): ItmoColumns {
  return {
    itmo_approach: itmo?.approach ?? null,
    itmo_authorisation: itmo?.authorisation ?? null,
    itmo_first_party: itmo?.firstParty ?? null,
    itmo_first_transferred: itmo?.firstTransferred ?? null,
  };
}

/** The ITMO attributes of a block row; undefined when the row has none (the CHECK sets all or none). */
export function itmoFromRow(row: ItmoColumns): ItmoAttributes | undefined {
  if (
    row.itmo_approach === null ||
    row.itmo_authorisation === null ||
    row.itmo_first_party === null ||
    row.itmo_first_transferred === null
  )
    return undefined;
  return {
    approach: row.itmo_approach,
    authorisation: row.itmo_authorisation,
    firstParty: row.itmo_first_party,
    firstTransferred: row.itmo_first_transferred,
  };
}

export function sameItmo(a: ItmoAttributes | undefined, b: ItmoAttributes | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.approach === b.approach &&
    a.authorisation === b.authorisation &&
    a.firstParty === b.firstParty &&
    a.firstTransferred === b.firstTransferred
  );
}

/** An action as its row; `n` is its place (from 1) among the actions of its journal entry. */
export function actionRow(action: Action, n: number): Schema['article6_actions'] {
  return {
    chain: action.entry.chain,
    seq: action.entry.seq,
    n,
    party: action.party,
    type: action.type,
    subtype: action.subtype,
    action_date: action.date,
    approach: action.approach,
    authorisation: action.authorisation,
    first_party: action.firstParty,
    registry_id: action.registry,
    party_registry_id: action.partyRegistryId,
    project: action.project,
    vintage: action.vintage,
    serial_first: action.serialFirst,
    serial_last: action.serialLast,
    quantity: action.quantity,
    transferring_party: action.transferringParty,
    acquiring_party: action.acquiringParty,
    purpose: action.purpose,
    using_or_cancelling: action.usingOrCancelling,
    year_of_use: action.yearOfUse,
  };
}

export function actionFromRow(row: Schema['article6_actions']): Action {
  return {
    party: row.party,
    type: row.type as ActionType,
    subtype: row.subtype,
    date: row.action_date,
    approach: row.approach,
    authorisation: row.authorisation,
    firstParty: row.first_party,
    registry: row.registry_id as RegistryId,
    partyRegistryId: row.party_registry_id,
    project: row.project as ProjectRef,
    vintage: row.vintage,
    serialFirst: row.serial_first,
    serialLast: row.serial_last,
    quantity: row.quantity,
    transferringParty: row.transferring_party,
    acquiringParty: row.acquiring_party,
    purpose: row.purpose as PurposeSet,
    usingOrCancelling: row.using_or_cancelling,
    yearOfUse: row.year_of_use,
    entry: { chain: row.chain, seq: row.seq },
  };
}

/**
 * Fills the Article 6.2 records from the tables, replacing whatever the state held: the latest
 * version of each approach, every version of every authorisation with its confirmations and the
 * credits it covers, and every finalised period. The records are few (a handful per partnership),
 * and any chain may have written them, so a batch that needs them reads them all.
 */
export async function loadArticle6(k: Kysely<Schema>, into: Article6State): Promise<void> {
  const [approaches, authorisations, confirmations, covered, finalisations] = [
    await k
      .selectFrom('article6_approaches')
      .select(['partnership', 'record'])
      .distinctOn('partnership')
      .orderBy('partnership')
      .orderBy('version', 'desc')
      .execute(),
    await k
      .selectFrom('article6_authorisations')
      .select(['id', 'record'])
      .orderBy('id')
      .orderBy('version')
      .execute(),
    await k.selectFrom('article6_confirmations').select(['id', 'version', 'party']).execute(),
    await k.selectFrom('article6_authorisation_covered').select(['id', 'quantity']).execute(),
    await k
      .selectFrom('article6_finalisations')
      .selectAll()
      .orderBy('party')
      .orderBy('first_year')
      .execute(),
  ];
  clearArticle6(into);
  for (const row of approaches)
    into.approaches.set(row.partnership as RegistryId, approachFromRecord(row.record));
  for (const row of authorisations) {
    const record: AuthorisationRecord = into.authorisations.get(row.id) ?? {
      versions: [],
      confirmations: new Map(),
      covered: 0n,
    };
    record.versions.push(authorisationFromRecord(row.record));
    into.authorisations.set(row.id, record);
  }
  for (const row of confirmations) {
    const confirmed = into.authorisations.get(row.id)?.confirmations;
    if (confirmed === undefined) continue;
    confirmed.set(row.version, (confirmed.get(row.version) ?? new Set()).add(row.party));
  }
  for (const row of covered) {
    const record = into.authorisations.get(row.id);
    if (record !== undefined) record.covered = row.quantity;
  }
  for (const row of finalisations)
    into.finalisations.push({
      party: row.party,
      firstYear: row.first_year,
      lastYear: row.last_year,
      date: row.finalised_on,
    });
  into.loaded = true;
}

/** Empties the records: a cached chain state never carries them from one batch to the next. */
export function clearArticle6(state: Article6State): void {
  state.approaches.clear();
  state.authorisations.clear();
  state.finalisations.length = 0;
  state.dirtyCovered.clear();
  state.loaded = false;
}
