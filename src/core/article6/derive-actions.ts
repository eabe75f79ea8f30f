// The AEF actions (decision 6/CMA.4, annex I, table 3) each journal entry gives, derived from the
// entry and the state before it is applied, never entered by hand. The writer stores them with the
// entry, in the same transaction; the audit derives them again from the journal and compares.
//
// Issuance under an authorisation: the authorising (host) Party's Authorization of the units; when
// they are first transferred at issuance (NDC use: the issuance into the acquiring Party's registry;
// OIMP: the "issuance" definition), its First transfer, and the acquiring Party's Acquisition.
// Assignment to an OIMP authorisation: Authorization, with First transfer under the "authorization"
// definition. Retirement or cancellation of ITMOs: First transfer if still pending (the "use or
// cancellation" definition), then Use (towards the NDC with the year of use, or OIMP by the entity),
// Cancellation (OMGE, other) or Voluntary cancellation. Transfers inside a registry are no AEF action.
import { assert } from '../shared/assert.ts';
import type { RegistryId } from '../shared/ids.ts';
import type { LedgerEvent } from '../ledger/events.ts';
import { blockHolding, type LedgerState } from '../ledger/state.ts';
import type { EntryRef, MovedPiece } from '../ledger/types.ts';
import { useOf } from './itmo-rules.ts';
import { approachById, effectiveAuthorisation, registryParty } from './state.ts';
import { purposeSet, type Action, type ActionType, type ItmoAttributes } from './types.ts';

export function deriveActions(
  state: LedgerState,
  event: LedgerEvent,
  entry: EntryRef,
  recordedAt: string,
): Action[] {
  const date = recordedAt.slice(0, 10);
  switch (event.type) {
    case 'credits_issued': {
      if (event.itmo === undefined) return [];
      const piece = { project: event.project, vintage: event.vintage, serials: event.serials };
      const at = locate(state, event.itmo, event.registry, piece, entry, date);
      const acquiring = at.registryParty === event.itmo.firstParty ? null : at.registryParty;
      return [
        at.row(event.itmo.firstParty, 'authorization', null, null, null),
        ...(event.itmo.firstTransferred
          ? [
              at.row(
                event.itmo.firstParty,
                'first_transfer',
                null,
                event.itmo.firstParty,
                acquiring,
              ),
            ]
          : []),
        ...(acquiring === null
          ? []
          : [at.row(acquiring, 'acquisition', null, event.itmo.firstParty, acquiring)]),
      ];
    }
    case 'units_authorised': {
      const registry = state.accounts.get(event.account)?.registry;
      assert(registry !== undefined, `units assigned in unknown account ${event.account}`);
      return event.pieces.flatMap((piece) => {
        const at = locate(state, event.itmo, registry, piece, entry, date);
        const party = event.itmo.firstParty;
        return [
          at.row(party, 'authorization', null, null, null),
          ...(event.itmo.firstTransferred
            ? [at.row(party, 'first_transfer', null, party, null)]
            : []),
        ];
      });
    }
    case 'credits_moved':
      return event.movement === 'retirement' || event.movement === 'cancellation'
        ? movementActions(state, event, entry, date)
        : [];
    default:
      return [];
  }
}

function movementActions(
  state: LedgerState,
  event: Extract<LedgerEvent, { type: 'credits_moved' }>,
  entry: EntryRef,
  date: string,
): Action[] {
  const from = state.accounts.get(event.from);
  assert(from !== undefined, `movement from unknown account ${event.from}`);
  return event.pieces.flatMap((piece) => {
    const itmo = blockHolding(state, from.id, piece)?.itmo;
    if (itmo === undefined) return [];
    const at = locate(state, itmo, from.registry, piece, entry, date);
    const party = at.registryParty;
    const pending = itmo.firstTransferred
      ? []
      : [at.row(itmo.firstParty, 'first_transfer', null, itmo.firstParty, null)];
    if (event.movement === 'cancellation') {
      const kind = event.cancellationKind ?? 'other';
      const type: ActionType = kind === 'voluntary' ? 'voluntary_cancellation' : 'cancellation';
      return [...pending, at.row(party, type, kind, null, null, { using: party })];
    }
    const purpose = event.purpose ?? 'ndc_use';
    const use = useOf(purpose);
    if (use === 'voluntary')
      return [
        ...pending,
        at.row(party, 'voluntary_cancellation', purpose, null, null, { using: from.holderId }),
      ];
    // An entity is named by its id (the platform organisation the account holder is), a Party by its
    // code. A use for OIMP counts towards no NDC: a year of use named with it is no subtraction
    // (paragraph 8(b)).
    const oimp = use === 'oimp';
    const yearOfUse = oimp ? null : (event.yearOfUse ?? null);
    const using = oimp ? from.holderId : party;
    return [...pending, at.row(party, 'use', purpose, null, null, { using, yearOfUse })];
  });
}

interface Located {
  readonly registryParty: string;
  row(
    party: string,
    type: ActionType,
    subtype: string | null,
    transferring: string | null,
    acquiring: string | null,
    use?: { readonly using: string; readonly yearOfUse?: number | null },
  ): Action;
}

/** The approach, authorisation and registry facts every row of one piece shares. */
function locate(
  state: LedgerState,
  itmo: ItmoAttributes,
  registry: RegistryId,
  piece: MovedPiece,
  entry: EntryRef,
  date: string,
): Located {
  const approach = approachById(state.article6, itmo.approach);
  // The version that governs the credits: the one in force, once every Party asked confirmed it.
  const authorisation =
    approach && effectiveAuthorisation(state.article6, approach, itmo.authorisation);
  const at = approach === undefined ? undefined : registryParty(approach, registry);
  assert(
    approach !== undefined && authorisation !== undefined && at !== undefined,
    `ITMOs under ${itmo.authorisation} of ${itmo.approach} in registry ${registry} have no records`,
  );
  return {
    registryParty: at.party,
    row: (party, type, subtype, transferring, acquiring, use) => ({
      party,
      type,
      subtype,
      date,
      approach: approach.id,
      authorisation: authorisation.id,
      firstParty: itmo.firstParty,
      registry,
      partyRegistryId: at.partyRegistryId,
      project: piece.project,
      vintage: piece.vintage,
      serialFirst: piece.serials.first,
      serialLast: piece.serials.last,
      quantity: piece.serials.last - piece.serials.first + 1n,
      transferringParty: transferring,
      acquiringParty: acquiring,
      purpose: purposeSet(authorisation.purposes),
      usingOrCancelling: use?.using ?? null,
      yearOfUse: use?.yearOfUse ?? null,
      entry: { chain: entry.chain, seq: entry.seq },
    }),
  };
}
