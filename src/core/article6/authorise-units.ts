// Assigning credits already held to an OIMP authorisation whose first transfer is its authorisation
// or the credits' use or cancellation (decision 2/CMA.3, annex, paragraph 2(b)): the authorising
// Party names the serials in its registry; they become ITMOs now, first transferred now under the
// "authorization" definition and at their use or cancellation otherwise. Credits already ITMOs are
// refused: a credit is first transferred once.
import { ok, reject, type Result } from '../shared/result.ts';
import type { Actor } from '../ledger/actor.ts';
import type { LedgerCommand } from '../ledger/commands.ts';
import type { LedgerEvent } from '../ledger/events.ts';
import { findAccount, notAuthorised } from '../ledger/rules.ts';
import { selectPieces } from '../ledger/selection.ts';
import { totalSize } from '../ledger/serial-range.ts';
import { blockHolding, type LedgerState } from '../ledger/state.ts';
import type { Account, MovedPiece } from '../ledger/types.ts';
import { actsForParty } from './parties.ts';
import { coversAtIssuance, hostParty, inTimeframe } from './itmo-rules.ts';
import {
  approachById,
  currentAuthorisation,
  effectiveAuthorisation,
  isFinalised,
} from './state.ts';
import type { Authorisation } from './types.ts';

export function decideAuthoriseUnits(
  state: LedgerState,
  actor: Actor,
  command: Extract<LedgerCommand, { type: 'authorise_units' }>,
  recordedAt: string,
): Result<LedgerEvent> {
  const a6 = state.article6;
  const latest = currentAuthorisation(a6, command.authorisation);
  const approach = latest && approachById(a6, latest.approach);
  if (latest === undefined || approach === undefined)
    return reject('article6_authorisation_not_found', `no authorisation ${command.authorisation}`);
  // Judged by its version in force (the latest every Party asked has confirmed), as issuance is.
  const authorisation = effectiveAuthorisation(a6, approach, latest.id) ?? latest;
  if (!actsForParty(actor, approach, authorisation.party))
    return notAuthorised(actor, `assign credits to ${authorisation.id}`);
  // The first transferring Party is the host, whose mitigation outcomes the credits are (paragraph 2):
  // an acquiring Party's authorisation is recorded and confirmed, but makes no credit an ITMO.
  const host = hostParty(approach);
  if (authorisation.party !== host)
    return notAuthorised(
      actor,
      `assign credits to ${authorisation.id}: only ${host ?? 'the host Party'} first transfers mitigation outcomes of the ${approach.partnership} partnership`,
    );
  if (coversAtIssuance(authorisation))
    return reject(
      'article6_authorisation_covers_at_issuance',
      `credits under ${authorisation.id} become ITMOs as they are issued, not by assignment`,
    );
  const found = findAccount(state, command.from);
  if (!found.ok) return found;
  const account = found.value;
  const held = checkAccount(account, authorisation);
  if (!held.ok) return held;
  const pieces = selectPieces(state, account.id, command.selection);
  if (!pieces.ok) return pieces;
  const covered = checkPieces(state, account, pieces.value, authorisation);
  if (!covered.ok) return covered;
  const quantity = totalSize(pieces.value.map((p) => p.serials));
  if (effectiveAuthorisation(a6, approach, authorisation.id) !== authorisation)
    return reject(
      'article6_authorisation_not_confirmed',
      `${authorisation.id} is not confirmed by every Party`,
    );
  if (!inTimeframe(authorisation, recordedAt.slice(0, 10)))
    return reject('article6_authorisation_expired', `${authorisation.id} is not in force`);
  const already = a6.authorisations.get(authorisation.id)?.covered ?? 0n;
  if (authorisation.quantityCap !== null && already + quantity > authorisation.quantityCap)
    return reject(
      'article6_authorisation_cap_exceeded',
      `${authorisation.id} covers ${authorisation.quantityCap}; ${already} are covered and ${quantity} more asked`,
    );
  const firstTransferred = authorisation.firstTransferDefinition === 'authorization';
  const finalised = pieces.value.find(
    (p) => firstTransferred && isFinalised(a6, authorisation.party, p.vintage),
  );
  if (finalised !== undefined)
    return reject(
      'article6_period_finalised',
      `${authorisation.party} has finalised ${finalised.vintage}`,
    );
  return ok({
    type: 'units_authorised',
    authorisation: authorisation.id,
    account: account.id,
    pieces: pieces.value,
    quantity,
    itmo: {
      approach: approach.id,
      authorisation: authorisation.id,
      firstParty: authorisation.party,
      firstTransferred,
    },
  });
}

function checkAccount(account: Account, authorisation: Authorisation): Result<true> {
  if (account.registry !== authorisation.registry)
    return reject(
      'article6_account_not_in_authorised_registry',
      `${account.id} is not in registry ${authorisation.registry}, whose credits ${authorisation.id} covers`,
    );
  if (account.type !== 'holding' && account.type !== 'government_holding')
    return reject(
      'source_account_type_cannot_send',
      `credits in a ${account.type} account are not assigned`,
    );
  if (account.status !== 'open')
    return reject(
      account.status === 'frozen' ? 'source_account_frozen' : 'source_account_closed',
      `${account.id} is ${account.status}`,
    );
  return ok(true);
}

function checkPieces(
  state: LedgerState,
  account: Account,
  pieces: readonly MovedPiece[],
  authorisation: Authorisation,
): Result<true> {
  for (const piece of pieces) {
    const itmo = blockHolding(state, account.id, piece)?.itmo;
    if (itmo !== undefined)
      return itmo.firstTransferred
        ? reject(
            'article6_already_first_transferred',
            `${piece.project} ${piece.serials.first}-${piece.serials.last} were first transferred under ${itmo.authorisation}`,
          )
        : reject(
            'article6_units_already_authorised',
            `${piece.project} ${piece.serials.first}-${piece.serials.last} are ITMOs under ${itmo.authorisation}`,
          );
    if (!authorisation.projects.includes(piece.project))
      return reject(
        'article6_project_not_authorised',
        `${authorisation.id} does not cover ${piece.project}`,
      );
    if (piece.vintage < authorisation.vintageFirst || piece.vintage > authorisation.vintageLast)
      return reject(
        'article6_vintage_not_authorised',
        `${authorisation.id} does not cover vintage ${piece.vintage}`,
      );
  }
  return ok(true);
}
