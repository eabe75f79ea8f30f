// Applies the Article 6.2 events to the state, asserting what decide-article6.ts checked: the same
// function serves the writer and the audit's replay.
import { assert } from '../shared/assert.ts';
import type { LedgerEvent } from '../ledger/events.ts';
import { rangeSize, subtract } from '../ledger/serial-range.ts';
import { blockHolding, putBlock, removeBlock, type LedgerState } from '../ledger/state.ts';
import type { AccountId } from '../shared/ids.ts';
import { blockKey, type MovedPiece } from '../ledger/types.ts';
import { approachById, effectiveAuthorisation, type AuthorisationRecord } from './state.ts';
import type { ItmoAttributes } from './types.ts';

type Article6Event = Extract<
  LedgerEvent,
  {
    type:
      | 'approach_recorded'
      | 'authorisation_recorded'
      | 'authorisation_confirmed'
      | 'units_authorised'
      | 'adjustments_finalised';
  }
>;

export function applyArticle6(state: LedgerState, event: Article6Event): void {
  const a6 = state.article6;
  switch (event.type) {
    case 'approach_recorded': {
      const previous = a6.approaches.get(event.approach.partnership);
      assert(
        event.approach.version === (previous?.version ?? 0) + 1,
        `approach of ${event.approach.partnership} skips a version`,
      );
      a6.approaches.set(event.approach.partnership, event.approach);
      return;
    }
    case 'authorisation_recorded': {
      const { authorisation } = event;
      const record: AuthorisationRecord = a6.authorisations.get(authorisation.id) ?? {
        versions: [],
        confirmations: new Map(),
        covered: 0n,
      };
      assert(
        authorisation.version === record.versions.length + 1,
        `authorisation ${authorisation.id} skips a version`,
      );
      record.versions.push(authorisation);
      a6.authorisations.set(authorisation.id, record);
      return;
    }
    case 'authorisation_confirmed': {
      const record = a6.authorisations.get(event.authorisation);
      assert(
        record !== undefined && record.versions.at(-1)?.version === event.version,
        `confirmation of ${event.authorisation} v${event.version} is not of the version in force`,
      );
      const parties = record.confirmations.get(event.version) ?? new Set<string>();
      assert(!parties.has(event.party), `${event.party} confirmed ${event.authorisation} twice`);
      parties.add(event.party);
      record.confirmations.set(event.version, parties);
      return;
    }
    case 'units_authorised':
      for (const piece of event.pieces) stampPiece(state, event.account, piece, event.itmo);
      cover(state, event.authorisation, event.quantity);
      return;
    case 'adjustments_finalised':
      a6.finalisations.push(event.finalisation);
      return;
  }
}

/** Adds credits to what an authorisation covers, asserting its cap. */
export function cover(state: LedgerState, authorisation: string, quantity: bigint): void {
  const record = state.article6.authorisations.get(authorisation);
  assert(record !== undefined, `credits covered by unknown authorisation ${authorisation}`);
  const latest = record.versions.at(-1);
  const approach = latest === undefined ? undefined : approachById(state.article6, latest.approach);
  // The cap of the version in force: the one the decision judged the credits by.
  const cap =
    approach === undefined
      ? latest?.quantityCap
      : effectiveAuthorisation(state.article6, approach, authorisation)?.quantityCap;
  record.covered += quantity;
  assert(
    cap === null || cap === undefined || record.covered <= cap,
    `authorisation ${authorisation} covers more than its cap`,
  );
  state.article6.dirtyCovered.add(authorisation);
}

/** Splits the piece out of its block (same account, same entry) and stamps it as ITMOs. */
function stampPiece(
  state: LedgerState,
  account: AccountId,
  piece: MovedPiece,
  itmo: ItmoAttributes,
): void {
  const source = blockHolding(state, account, piece);
  assert(
    source !== undefined && source.itmo === undefined && source.vintage === piece.vintage,
    `credits assigned to ${itmo.authorisation} are not plain credits of ${account}`,
  );
  const sourceKey = blockKey(source.project, source.serials.first);
  removeBlock(state, sourceKey);
  state.dirty.blocks.add(sourceKey);
  const rest = subtract(source.serials, piece.serials);
  for (const serials of rest) {
    putBlock(state, { ...source, serials });
    state.dirty.blocks.add(blockKey(source.project, serials.first));
  }
  putBlock(state, { ...source, serials: piece.serials, itmo });
  state.dirty.blocks.add(blockKey(piece.project, piece.serials.first));
  assert(
    rest.reduce((sum, r) => sum + rangeSize(r), 0n) + rangeSize(piece.serials) ===
      rangeSize(source.serials),
    'invariant 2: assigning credits to an authorisation created or lost credits',
  );
}
