// The registry's decision function: state + actor + command -> the event to journal, or a rejection
// named after the first rule broken, in the documented precedence order (docs/errors.md). Pure: it
// reads the state and never changes it.
import { assert, assertNever } from '../shared/assert.ts';
import {
  accountRegistry,
  formatAccountId,
  japanRegistryId,
  type RegistryId,
  projectCountry,
} from '../shared/ids.ts';
import { allocationLinesPerDecisionMax, serialMax } from '../shared/limits.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { isAdministrator, managesRegistry, sitsOnJointCommittee, type Actor } from './actor.ts';
import { findAccount, notAuthorised } from './rules.ts';
import type { AllocationLineInput, LedgerCommand } from './commands.ts';
import type { LedgerEvent } from './events.ts';
import { decideMovement } from './decide-movement.ts';
import { decideArticle6 } from '../article6/decide-article6.ts';
import { decideIssue } from './decide-issue.ts';
import { accountBlocks, type LedgerState } from './state.ts';
import type { Account, AllocationLine, SystemAccountType } from './types.ts';

/** `recordedAt` is the time the entry will carry (the clock port's): Article 6.2 timeframes use it. */
export function decide(
  state: LedgerState,
  actor: Actor,
  command: LedgerCommand,
  recordedAt: string,
): Result<LedgerEvent> {
  switch (command.type) {
    case 'open_registry':
      return decideOpenRegistry(state, actor, command);
    case 'open_account':
      return decideOpenAccount(state, actor, command);
    case 'freeze_account':
    case 'unfreeze_account':
    case 'close_account':
      return decideAccountStatus(state, actor, command);
    case 'record_issuance_decision':
      return decideIssuanceDecision(state, actor, command);
    case 'issue':
      return decideIssue(state, actor, command, recordedAt);
    case 'transfer':
    case 'retire':
    case 'cancel':
    case 'release':
    case 'reverse':
      return decideMovement(state, actor, command, recordedAt);
    case 'record_approach':
    case 'record_authorisation':
    case 'confirm_authorisation':
    case 'authorise_units':
    case 'finalise_adjustments':
      return decideArticle6(state, actor, command, recordedAt);
    default:
      return assertNever(command, 'command');
  }
}

function decideOpenRegistry(
  state: LedgerState,
  actor: Actor,
  command: Extract<LedgerCommand, { type: 'open_registry' }>,
): Result<LedgerEvent> {
  if (!isAdministrator(actor)) return notAuthorised(actor, 'open a registry');
  if (state.registries.has(command.registry))
    return reject('registry_already_exists', `registry ${command.registry} is already open`);
  const kind = command.registry === japanRegistryId ? 'japan' : 'partner';
  const system: readonly SystemAccountType[] = ['retirement', 'cancellation', 'reserve'];
  const systemAccounts = system.map((type, index): Account => ({
    id: formatAccountId(command.registry, index + 1),
    registry: command.registry,
    type,
    status: 'open',
    holderId: command.registry,
    holderName: `${command.name}: ${type} account`,
  }));
  return ok({
    type: 'registry_opened',
    registry: { id: command.registry, name: command.name, kind },
    systemAccounts,
  });
}

function decideOpenAccount(
  state: LedgerState,
  actor: Actor,
  command: Extract<LedgerCommand, { type: 'open_account' }>,
): Result<LedgerEvent> {
  const registry = state.registries.get(command.registry);
  if (registry === undefined)
    return reject('registry_not_found', `no registry ${command.registry}`);
  if (!managesRegistry(actor, registry.id))
    return notAuthorised(actor, `open accounts in registry ${registry.id}`);
  const id = formatAccountId(registry.id, registry.accountSequence + 1);
  return ok({
    type: 'account_opened',
    account: {
      id,
      registry: registry.id,
      type: command.accountType,
      status: 'open',
      holderId: command.holderId,
      holderName: command.holderName,
    },
  });
}

function decideAccountStatus(
  state: LedgerState,
  actor: Actor,
  command: Extract<
    LedgerCommand,
    { type: 'freeze_account' | 'unfreeze_account' | 'close_account' }
  >,
): Result<LedgerEvent> {
  const found = findAccount(state, command.account);
  if (!found.ok) return found;
  const account = found.value;
  if (!managesRegistry(actor, account.registry))
    return notAuthorised(actor, `change the status of ${account.id}`);
  if (account.type !== 'holding' && account.type !== 'government_holding') {
    return reject(
      'account_is_system_account',
      `${account.id} is the registry's ${account.type} account`,
    );
  }
  if (account.status === 'closed')
    return reject('account_already_closed', `${account.id} is closed`);
  const change = (to: Account['status']): Result<LedgerEvent> =>
    ok({
      type: 'account_status_changed',
      account: account.id,
      from: account.status,
      to,
      reason: command.reason,
    });
  switch (command.type) {
    case 'freeze_account':
      return account.status === 'frozen'
        ? reject('account_already_frozen', `${account.id} is already frozen`)
        : change('frozen');
    case 'unfreeze_account':
      return account.status !== 'frozen'
        ? reject('account_not_frozen', `${account.id} is not frozen`)
        : change('open');
    case 'close_account':
      return accountBlocks(state, account.id).length > 0
        ? reject('account_must_be_empty_to_close', `${account.id} still holds credits`)
        : change('closed');
    default:
      return assertNever(command.type, 'status command');
  }
}

function decideIssuanceDecision(
  state: LedgerState,
  actor: Actor,
  command: Extract<LedgerCommand, { type: 'record_issuance_decision' }>,
): Result<LedgerEvent> {
  const partner = projectCountry(command.project);
  // The Joint Committee of the partnership decides; a registry manager may record its decision.
  if (
    !managesRegistry(actor, japanRegistryId) &&
    !managesRegistry(actor, partner) &&
    !sitsOnJointCommittee(actor, partner)
  ) {
    return notAuthorised(actor, `record issuance decisions for ${command.project}`);
  }
  if (state.decisions.has(command.decision))
    return reject('decision_already_recorded', `decision ${command.decision} is already recorded`);
  if (!state.registries.has(partner))
    return reject('decision_project_registry_not_found', `the registry of ${partner} is not open`);
  if (command.lines.length === 0)
    return reject('decision_needs_lines', 'a decision needs at least one allocation line');
  if (command.lines.length > allocationLinesPerDecisionMax)
    return reject('decision_too_many_lines', `at most ${allocationLinesPerDecisionMax} lines`);
  if (state.verificationsUsed.has(command.verificationReference)) {
    return reject(
      'verification_already_used',
      `verification ${command.verificationReference} is already used`,
    );
  }
  const verified = new Map<number, bigint>();
  for (const reduction of command.verifiedReductions) {
    if (verified.has(reduction.vintage))
      return reject(
        'verification_vintage_repeated',
        `vintage ${reduction.vintage} is listed twice`,
      );
    verified.set(reduction.vintage, reduction.quantity);
  }
  const lineCheck = checkLines(state, command, partner, verified);
  if (!lineCheck.ok) return lineCheck;
  const given = command.lineReserves;
  if (
    given !== undefined &&
    (given.length !== command.lines.length ||
      command.lines.some((l, i) => (given[i] ?? -1n) < 0n || (given[i] ?? 0n) > l.quantity))
  )
    return reject('decision_reserve_invalid', 'each line needs a reserve from 0 to its quantity');
  const previous = state.projectLastSerial.get(command.project) ?? 0n;
  if (command.serialFirst !== undefined && command.serialFirst !== previous + 1n) {
    return reject(
      'decision_serial_range_not_contiguous',
      `the next serial of ${command.project} is ${previous + 1n}, not ${command.serialFirst}`,
    );
  }
  const lines = numberedLines(command, previous + 1n);
  const next = (lines.at(-1)?.serials.last ?? previous) + 1n;
  if (next - 1n > serialMax)
    return reject('serial_too_large', `the decision would pass serial ${serialMax}`);
  return ok({
    type: 'issuance_decision_recorded',
    decision: {
      id: command.decision,
      project: command.project,
      verificationReference: command.verificationReference,
      verifiedReductions: [...command.verifiedReductions].sort((a, b) => a.vintage - b.vintage),
      serials: { first: previous + 1n, last: next - 1n },
      lines,
    },
  });
}

/**
 * The decision's lines, numbered and given serials from `first` in vintage order (so each vintage's
 * serials are contiguous), each with its reserve.
 */
function numberedLines(
  command: Extract<LedgerCommand, { type: 'record_issuance_decision' }>,
  first: bigint,
): AllocationLine[] {
  const indexed = command.lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => a.line.vintage - b.line.vintage || a.index - b.index);
  const ordered = indexed.map(({ line }) => line);
  // A notified decision's reserves are the notifying deployment's (checked when they come).
  const given = command.lineReserves;
  const reserves =
    given === undefined
      ? reservesOf(ordered, command.reserveShare)
      : indexed.map(({ index }) => given[index] ?? 0n);
  let next = first;
  return ordered.map((line, index) => {
    const serials = { first: next, last: next + line.quantity - 1n };
    next = serials.last + 1n;
    return {
      lineNo: index + 1,
      registry: line.registry,
      account: line.account,
      vintage: line.vintage,
      quantity: line.quantity,
      serials,
      reserve: reserves[index] ?? 0n,
    };
  });
}

function checkLines(
  state: LedgerState,
  command: Extract<LedgerCommand, { type: 'record_issuance_decision' }>,
  partner: string,
  verified: ReadonlyMap<number, bigint>,
): Result<true> {
  const allocated = new Map<number, bigint>();
  for (const line of command.lines) {
    if (line.registry !== japanRegistryId && line.registry !== partner) {
      return reject(
        'allocation_line_registry_not_in_partnership',
        `registry ${line.registry} is neither JP nor ${partner}`,
      );
    }
    if (!state.registries.has(line.registry))
      return reject('registry_not_found', `no registry ${line.registry}`);
    const account = lineAccount(state, line, command.hostedElsewhere ?? []);
    if (!account.ok) return account;
    const cap = verified.get(line.vintage);
    if (cap === undefined)
      return reject(
        'decision_vintage_not_verified',
        `the verification has no vintage ${line.vintage}`,
      );
    const total = (allocated.get(line.vintage) ?? 0n) + line.quantity;
    if (total > cap) {
      return reject(
        'decision_exceeds_verified_reductions',
        `vintage ${line.vintage}: ${total} allocated, ${cap} verified`,
      );
    }
    allocated.set(line.vintage, total);
  }
  return ok(true);
}

/**
 * A line's account: one of its registry; here, an open holding account. A registry a peer hosts
 * keeps its accounts there: the peer checks them when it applies the decision (issue 16).
 */
function lineAccount(
  state: LedgerState,
  line: AllocationLineInput,
  hostedElsewhere: readonly RegistryId[],
): Result<true> {
  const elsewhere = hostedElsewhere.includes(line.registry);
  const found = elsewhere ? ok(null) : findAccount(state, line.account);
  if (!found.ok) return found;
  if (accountRegistry(line.account) !== line.registry) {
    return reject(
      'allocation_line_account_not_in_registry',
      `${line.account} is not in registry ${line.registry}`,
    );
  }
  if (found.value === null) return ok(true);
  if (found.value.type !== 'holding' && found.value.type !== 'government_holding') {
    return reject(
      'destination_account_type_not_allowed',
      `credits are issued into holding accounts, not ${found.value.type}`,
    );
  }
  if (found.value.status === 'closed')
    return reject('destination_account_closed', `${line.account} is closed`);
  return ok(true);
}

/**
 * The reserve of each line (CCS, SPEC section 4): per vintage, the reserve share of the vintage's
 * credits rounded up (a reserve is never smaller than its share, as in the methodology's own
 * calculation), spread over the vintage's lines by largest remainder, so each line gives up the
 * floor or the ceiling of its own share and the lines together give up exactly the vintage's
 * reserve. Exact in integers; no share, no reserve.
 */
export function reservesOf(
  lines: readonly AllocationLineInput[],
  share: { readonly numerator: bigint; readonly denominator: bigint } | undefined,
): bigint[] {
  if (share === undefined || share.numerator === 0n) return lines.map(() => 0n);
  const { numerator, denominator } = share;
  assert(denominator > 0n && numerator >= 0n && numerator < denominator, 'a share lies in [0, 1)');
  const reserves = lines.map((l) => (l.quantity * numerator) / denominator);
  for (const vintage of new Set(lines.map((l) => l.vintage))) {
    const indices = lines.flatMap((l, i) => (l.vintage === vintage ? [i] : []));
    const credits = indices.reduce((sum, i) => sum + (lines[i]?.quantity ?? 0n), 0n);
    const target = (credits * numerator + denominator - 1n) / denominator;
    const floors = indices.reduce((sum, i) => sum + (reserves[i] ?? 0n), 0n);
    const byRemainder = indices
      .map((i) => ({ i, remainder: ((lines[i]?.quantity ?? 0n) * numerator) % denominator }))
      .filter((r) => r.remainder > 0n)
      .sort((a, b) =>
        a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1,
      );
    const extra = Number(target - floors);
    assert(extra >= 0 && extra <= byRemainder.length, 'the rounding is spread one credit a line');
    for (const { i } of byRemainder.slice(0, extra)) reserves[i] = (reserves[i] ?? 0n) + 1n;
  }
  lines.forEach((l, i) =>
    assert((reserves[i] ?? 0n) <= l.quantity, 'a reserve is part of its line'),
  );
  return reserves;
}
