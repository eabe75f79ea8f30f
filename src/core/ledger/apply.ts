// Applies a journalled event to the ledger state, asserting the invariants each mutation must keep.
// The same function serves the live writer and `jcm audit`'s replay, so a replay reproduces exactly
// what the writer did.
import { assert, assertNever } from '../shared/assert.ts';
import type { AccountId } from '../shared/ids.ts';
import type { LedgerEvent, LedgerEventType } from './events.ts';
import { rangeSize, subtract, tiles, totalSize, type SerialRange } from './serial-range.ts';
import { blockHolding, putBlock, removeBlock, type LedgerState } from './state.ts';
import { applyArticle6, cover } from '../article6/apply-article6.ts';
import {
  blockKey,
  entryKey,
  lineKey,
  type Account,
  type EntryRef,
  type MovedPiece,
} from './types.ts';

/** The event of one kind, for the function that applies it. */
type EventOf<T extends LedgerEventType> = Extract<LedgerEvent, { readonly type: T }>;

export function apply(state: LedgerState, event: LedgerEvent, entry: EntryRef): void {
  switch (event.type) {
    case 'registry_opened':
      applyRegistryOpened(state, event);
      break;
    case 'account_opened':
      applyAccountOpened(state, event);
      break;
    case 'account_status_changed':
      applyAccountStatusChanged(state, event);
      break;
    case 'issuance_decision_recorded':
      applyDecisionRecorded(state, event);
      break;
    case 'credits_issued':
      applyCreditsIssued(state, event, entry);
      break;
    case 'credits_moved':
      applyMovement(state, event, entry);
      break;
    case 'approach_recorded':
    case 'authorisation_recorded':
    case 'authorisation_confirmed':
    case 'units_authorised':
    case 'adjustments_finalised':
      applyArticle6(state, event);
      break;
    default:
      assertNever(event, 'event');
  }
  // A movement records its entry with the movement itself, so that a later reversal can find it.
  if (event.type !== 'credits_moved') recordEntry(state, entry, null);
}

function applyRegistryOpened(state: LedgerState, event: EventOf<'registry_opened'>): void {
  const [retirement, cancellation, reserve] = event.systemAccounts;
  assert(
    retirement?.type === 'retirement' &&
      cancellation?.type === 'cancellation' &&
      reserve?.type === 'reserve',
    'registry_opened needs its three system accounts in order',
  );
  assert(!state.registries.has(event.registry.id), `registry ${event.registry.id} opened twice`);
  state.registries.set(event.registry.id, {
    ...event.registry,
    accountSequence: event.systemAccounts.length,
    retirementAccount: retirement.id,
    cancellationAccount: cancellation.id,
    reserveAccount: reserve.id,
  });
  state.dirty.registries.add(event.registry.id);
  for (const account of event.systemAccounts) putAccount(state, account);
}

function applyAccountOpened(state: LedgerState, event: EventOf<'account_opened'>): void {
  const registry = state.registries.get(event.account.registry);
  assert(registry !== undefined, `account ${event.account.id} opened in unknown registry`);
  state.registries.set(registry.id, {
    ...registry,
    accountSequence: registry.accountSequence + 1,
  });
  state.dirty.registries.add(registry.id);
  putAccount(state, event.account);
}

function applyAccountStatusChanged(
  state: LedgerState,
  event: EventOf<'account_status_changed'>,
): void {
  const account = state.accounts.get(event.account);
  assert(
    account !== undefined && account.status === event.from,
    `account ${event.account} is not ${event.from}`,
  );
  assert(
    event.to !== 'closed' || (state.blocksByAccount.get(account.id)?.size ?? 0) === 0,
    `closing ${account.id} while it holds credits`,
  );
  state.accounts.set(account.id, { ...account, status: event.to });
  state.dirty.accounts.add(account.id);
}

function applyDecisionRecorded(
  state: LedgerState,
  event: EventOf<'issuance_decision_recorded'>,
): void {
  const decision = event.decision;
  const previous = state.projectLastSerial.get(decision.project) ?? 0n;
  assert(
    decision.serials.first === previous + 1n,
    `decision ${decision.id} does not continue the serials of ${decision.project}`,
  );
  assert(
    tiles(
      decision.lines.map((line) => line.serials),
      decision.serials,
    ),
    `decision ${decision.id} lines do not tile its range`,
  );
  assert(
    !state.decisions.has(decision.id) &&
      !state.verificationsUsed.has(decision.verificationReference),
    `decision ${decision.id} recorded twice`,
  );
  state.decisions.set(decision.id, decision);
  state.projectLastSerial.set(decision.project, decision.serials.last);
  state.verificationsUsed.add(decision.verificationReference);
}

function applyCreditsIssued(
  state: LedgerState,
  event: EventOf<'credits_issued'>,
  entry: EntryRef,
): void {
  const key = lineKey(event.decision, event.lineNo);
  assert(!state.issuedLines.has(key), `line ${key} issued twice`);
  const decision = state.decisions.get(event.decision);
  const line = decision?.lines.find((candidate) => candidate.lineNo === event.lineNo);
  // Everything the issuance says of its credits is the decision's: a replayed entry that names
  // another account, registry, project or vintage than its line was not written by `decide`.
  assert(
    line !== undefined &&
      line.serials.first === event.serials.first &&
      line.serials.last === event.serials.last &&
      line.account === event.account &&
      line.registry === event.registry &&
      line.vintage === event.vintage &&
      decision?.project === event.project,
    `issuance of ${key} does not match its decision`,
  );
  assert(
    state.accounts.get(event.account)?.registry === event.registry,
    `issuance of ${key} into a foreign account`,
  );
  const reserve = event.reserve ?? 0n;
  assert(
    reserve === line.reserve &&
      (reserve === 0n ||
        state.registries.get(event.registry)?.reserveAccount === event.reserveAccount),
    `issuance of ${key} does not set aside its decided reserve in the registry's reserve account`,
  );
  state.issuedLines.add(key);
  // The holder gets the line's first serials; the reserve account its last `reserve` serials.
  const split = event.serials.last - reserve;
  const parts: { serials: SerialRange; account: AccountId }[] = [];
  if (split >= event.serials.first)
    parts.push({ serials: { first: event.serials.first, last: split }, account: event.account });
  if (reserve > 0n && event.reserveAccount !== undefined)
    parts.push({
      serials: { first: split + 1n, last: event.serials.last },
      account: event.reserveAccount,
    });
  assert(
    totalSize(parts.map((p) => p.serials)) === rangeSize(event.serials),
    'invariant 2: an issuance with its reserve created or lost credits',
  );
  // Article 6.2: the line's credits, reserve included, become ITMOs under the decided authorisation.
  if (event.itmo !== undefined) cover(state, event.itmo.authorisation, rangeSize(event.serials));
  for (const part of parts) {
    putBlock(state, {
      project: event.project,
      vintage: event.vintage,
      serials: part.serials,
      registry: event.registry,
      account: part.account,
      entry,
      ...(event.itmo === undefined ? {} : { itmo: event.itmo }),
    });
    state.dirty.blocks.add(blockKey(event.project, part.serials.first));
  }
}

function putAccount(state: LedgerState, account: Account): void {
  assert(!state.accounts.has(account.id), `account ${account.id} opened twice`);
  state.accounts.set(account.id, account);
  state.dirty.accounts.add(account.id);
}

function applyMovement(state: LedgerState, event: EventOf<'credits_moved'>, entry: EntryRef): void {
  const from = state.accounts.get(event.from);
  const to = state.accounts.get(event.to);
  assert(
    from !== undefined && to !== undefined && from.registry === to.registry,
    `movement ${entryKey(entry)} between unknown or foreign accounts`,
  );
  // Invariants 3 and 4: retired and cancelled credits never move again; frozen or closed accounts send nothing.
  assert(
    from.type !== 'retirement' && from.type !== 'cancellation',
    `invariant 3: credits leave ${from.type} account ${from.id}`,
  );
  assert(
    from.status === 'open' && to.status === 'open',
    `invariant 4: movement ${entryKey(entry)} touches a ${from.status}/${to.status} account`,
  );
  assert(
    totalSize(event.pieces.map((piece) => piece.serials)) === event.quantity && event.quantity > 0n,
    `movement ${entryKey(entry)} quantity does not match its pieces`,
  );
  // Article 6.2: ITMOs not yet first transferred are first transferred by their use or cancellation
  // (paragraph 2(b): the only ITMOs left so are those of an OIMP authorisation that chose it).
  const firstTransfer = event.movement === 'retirement' || event.movement === 'cancellation';
  for (const piece of event.pieces) movePiece(state, piece, from.id, to.id, entry, firstTransfer);
  if (event.reverses !== undefined) {
    const key = entryKey(event.reverses);
    const original = state.movements.get(key);
    assert(
      original !== undefined && original.movement !== null && !original.reversed,
      `reversal of unknown or reversed entry ${key}`,
    );
    state.movements.set(key, { ...original, reversed: true });
  }
  recordEntry(state, entry, event);
}

function movePiece(
  state: LedgerState,
  piece: MovedPiece,
  from: AccountId,
  to: AccountId,
  entry: EntryRef,
  firstTransfer: boolean,
): void {
  const source = blockHolding(state, from, piece);
  assert(
    source !== undefined && source.vintage === piece.vintage,
    `no block of ${from} holds ${piece.project} ${piece.serials.first}-${piece.serials.last}`,
  );
  const sourceKey = blockKey(source.project, source.serials.first);
  removeBlock(state, sourceKey);
  state.dirty.blocks.add(sourceKey);
  // The serials that stay keep the entry that brought them; the moved piece records this entry.
  const rest = subtract(source.serials, piece.serials);
  for (const serials of rest) {
    putBlock(state, { ...source, serials });
    state.dirty.blocks.add(blockKey(source.project, serials.first));
  }
  const itmo =
    source.itmo !== undefined && firstTransfer && !source.itmo.firstTransferred
      ? { itmo: { ...source.itmo, firstTransferred: true } }
      : {};
  putBlock(state, { ...source, serials: piece.serials, account: to, entry, ...itmo });
  state.dirty.blocks.add(blockKey(piece.project, piece.serials.first));
  assert(
    totalSize(rest) + rangeSize(piece.serials) === rangeSize(source.serials),
    'invariant 2: a split created or lost credits',
  );
}

function recordEntry(
  state: LedgerState,
  entry: EntryRef,
  event: EventOf<'credits_moved'> | null,
): void {
  state.movements.set(
    entryKey(entry),
    event === null
      ? { movement: null }
      : {
          movement: event.movement,
          from: event.from,
          to: event.to,
          pieces: event.pieces,
          reversed: false,
        },
  );
}
