// Decisions for every command that moves issued credits between accounts of one registry: transfer,
// retire, cancel, release and reverse. Credits enter the reserve account only with their issuance
// (a CCS line's reserve, decide.ts), never by a command of their own. Checks run in this precedence: accounts exist, the
// actor may act, accounts differ and share a registry, account types, account statuses, then the
// credits themselves.
import { assertNever } from '../shared/assert.ts';
import { accountRegistry, registryChain, type AccountId } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { managesRegistry, type Actor } from './actor.ts';
import type { LedgerCommand, Selection } from './commands.ts';
import { actsForAccount, findAccount, notAuthorised } from './rules.ts';
import type { LedgerEvent } from './events.ts';
import { selectPieces } from './selection.ts';
import { checkItmoMovement, type MovementArticle6 } from '../article6/itmo-rules.ts';
import { totalSize } from './serial-range.ts';
import type { LedgerState } from './state.ts';
import { entryKey, type Account, type AccountType, type MovementKind } from './types.ts';

type MovementCommand = Extract<
  LedgerCommand,
  { type: 'transfer' | 'retire' | 'cancel' | 'release' | 'reverse' }
>;

interface Route {
  readonly movement: MovementKind;
  readonly from: AccountId;
  readonly to: AccountId;
  readonly selection: Selection;
  readonly senders: readonly AccountType[];
  readonly receivers: readonly AccountType[];
  /** Only the registry manager may order it (not the account holder). */
  readonly managerOnly: boolean;
}

const tradable: readonly AccountType[] = ['holding', 'government_holding'];

export function decideMovement(
  state: LedgerState,
  actor: Actor,
  command: MovementCommand,
  recordedAt: string,
): Result<LedgerEvent> {
  const routed = route(state, actor, command);
  if (!routed.ok) return routed;
  const { value: r } = routed;
  const from = findAccount(state, r.from);
  if (!from.ok) return from;
  const to = findAccount(state, r.to);
  if (!to.ok) return to;
  const allowed = r.managerOnly
    ? managesRegistry(actor, from.value.registry)
    : actsForAccount(actor, from.value);
  if (!allowed) return notAuthorised(actor, `${command.type} from ${from.value.id}`);
  const accountCheck = checkAccounts(r, from.value, to.value);
  if (!accountCheck.ok) return accountCheck;
  const pieces = selectPieces(state, from.value.id, r.selection);
  if (!pieces.ok) {
    return command.type === 'reverse' && pieces.error.code === 'serial_range_not_held_by_account'
      ? reject(
          'reversal_credits_no_longer_held',
          `the credits of entry ${command.seq} have moved on from ${from.value.id}`,
        )
      : pieces;
  }
  // Article 6.2: checked on the credits themselves, after every registry check.
  const article6 = checkItmoMovement(
    state,
    from.value,
    pieces.value,
    article6Of(command),
    recordedAt,
  );
  if (!article6.ok) return article6;
  const quantity = totalSize(pieces.value.map((piece) => piece.serials));
  const base = {
    type: 'credits_moved',
    movement: r.movement,
    from: from.value.id,
    to: to.value.id,
    pieces: pieces.value,
    quantity,
  } as const;
  return movementEvent(command, actor, from.value, base);
}

/** The event of a movement command, with what each command adds to the common fields. */
function movementEvent(
  command: MovementCommand,
  actor: Actor,
  from: Account,
  base: Extract<LedgerEvent, { type: 'credits_moved' }>,
): Result<LedgerEvent> {
  switch (command.type) {
    case 'transfer':
      // Checked last, so that every other refusal keeps its precedence.
      if (from.type === 'government_holding') {
        if (command.requestedBy === undefined) {
          return reject(
            'transfer_needs_second_approver',
            `transfers out of the government account ${from.id} are requested by one person and approved by another (POST /api/v1/transfer-requests)`,
          );
        }
        if (command.requestedBy === actor.id) {
          return reject(
            'second_approver_must_differ',
            'the person who requested the transfer cannot approve it',
          );
        }
      }
      return ok(base);
    case 'retire':
      return ok({
        ...base,
        purpose: command.purpose,
        beneficiary: command.beneficiary,
        note: command.note,
        ...(command.yearOfUse === undefined ? {} : { yearOfUse: command.yearOfUse }),
      });
    case 'cancel':
      return ok({
        ...base,
        reason: command.reason,
        ...(command.cancellationKind === undefined
          ? {}
          : { cancellationKind: command.cancellationKind }),
      });
    case 'release':
      return ok({ ...base, reason: command.reason });
    case 'reverse':
      return ok({
        ...base,
        reason: command.reason,
        reverses: { chain: registryChain(command.registry), seq: command.seq },
      });
    default:
      return assertNever(command, 'movement command');
  }
}

function article6Of(command: MovementCommand): MovementArticle6 {
  switch (command.type) {
    case 'retire':
      return {
        kind: 'retirement',
        purpose: command.purpose,
        ...(command.yearOfUse === undefined ? {} : { yearOfUse: command.yearOfUse }),
      };
    case 'cancel':
      return { kind: 'cancellation', cancellationKind: command.cancellationKind ?? 'other' };
    default:
      return { kind: 'other' };
  }
}

/** Where each command takes credits from and to, and which account types may take part. */
function route(state: LedgerState, actor: Actor, command: MovementCommand): Result<Route> {
  switch (command.type) {
    case 'transfer':
      return ok({
        movement: 'transfer',
        from: command.from,
        to: command.to,
        selection: command.selection,
        senders: tradable,
        receivers: tradable,
        managerOnly: false,
      });
    case 'retire':
    case 'cancel': {
      const registry = state.registries.get(accountRegistry(command.from));
      if (registry === undefined) return reject('account_not_found', `no account ${command.from}`);
      const retire = command.type === 'retire';
      // Reserve credits leave by cancellation (a reversal of stored CO2) or by release.
      const senders: readonly AccountType[] = retire ? tradable : [...tradable, 'reserve'];
      return ok({
        movement: retire ? 'retirement' : 'cancellation',
        from: command.from,
        to: retire ? registry.retirementAccount : registry.cancellationAccount,
        selection: command.selection,
        senders,
        receivers: [retire ? 'retirement' : 'cancellation'],
        managerOnly: false,
      });
    }
    case 'release': {
      const registry = state.registries.get(accountRegistry(command.to));
      if (registry === undefined) return reject('account_not_found', `no account ${command.to}`);
      return ok({
        movement: 'release',
        from: registry.reserveAccount,
        to: command.to,
        selection: command.selection,
        senders: ['reserve'],
        receivers: tradable,
        managerOnly: true,
      });
    }
    case 'reverse':
      return routeReversal(state, actor, command);
    default:
      return assertNever(command, 'movement command');
  }
}

function routeReversal(
  state: LedgerState,
  actor: Actor,
  command: Extract<LedgerCommand, { type: 'reverse' }>,
): Result<Route> {
  if (!managesRegistry(actor, command.registry))
    return notAuthorised(actor, `reverse entries of registry ${command.registry}`);
  const record = state.movements.get(
    entryKey({ chain: registryChain(command.registry), seq: command.seq }),
  );
  if (record === undefined)
    return reject(
      'journal_entry_not_found',
      `registry ${command.registry} has no entry ${command.seq}`,
    );
  if (
    record.movement !== 'transfer' &&
    record.movement !== 'reservation' &&
    record.movement !== 'release'
  ) {
    return reject(
      'journal_entry_not_reversible',
      `entry ${command.seq} is ${record.movement ?? 'not a movement of credits'}; it cannot be reversed`,
    );
  }
  if (record.reversed)
    return reject('journal_entry_already_reversed', `entry ${command.seq} is already reversed`);
  const selection: Selection = {
    kind: 'ranges',
    ranges: record.pieces.map((piece) => ({ project: piece.project, serials: piece.serials })),
  };
  // A reversal sends the credits back the way they came; the original source may be any tradable or
  // reserve account, so both sides accept what the original entry accepted.
  return ok({
    movement: 'reversal',
    from: record.to,
    to: record.from,
    selection,
    senders: [...tradable, 'reserve'],
    receivers: [...tradable, 'reserve'],
    managerOnly: true,
  });
}

function checkAccounts(r: Route, from: Account, to: Account): Result<true> {
  if (from.id === to.id)
    return reject('accounts_must_be_different', `${from.id} is both source and destination`);
  if (from.registry !== to.registry) {
    return reject(
      'accounts_must_be_in_same_registry',
      `${from.id} is in registry ${from.registry}, ${to.id} in ${to.registry}`,
    );
  }
  if (!r.senders.includes(from.type)) {
    return reject(
      'source_account_type_cannot_send',
      `${r.movement} cannot take credits from a ${from.type} account`,
    );
  }
  if (!r.receivers.includes(to.type)) {
    return reject(
      'destination_account_type_not_allowed',
      `${r.movement} cannot put credits into a ${to.type} account`,
    );
  }
  if (from.status === 'frozen') return reject('source_account_frozen', `${from.id} is frozen`);
  if (from.status === 'closed') return reject('source_account_closed', `${from.id} is closed`);
  if (to.status === 'frozen') return reject('destination_account_frozen', `${to.id} is frozen`);
  if (to.status === 'closed') return reject('destination_account_closed', `${to.id} is closed`);
  return ok(true);
}
