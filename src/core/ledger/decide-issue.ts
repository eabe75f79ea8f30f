// The decision to issue one allocation line of a recorded issuance decision: the registry manager
// issues it once, into the line's account, with its reserve (CCS) and, under a cooperative approach,
// with the ITMO attributes of the authorisation it falls under (src/core/article6/itmo-rules.ts).
import { ok, reject, type Result } from '../shared/result.ts';
import { managesRegistry, type Actor } from './actor.ts';
import type { LedgerCommand } from './commands.ts';
import type { LedgerEvent } from './events.ts';
import { findAccount, notAuthorised } from './rules.ts';
import type { LedgerState } from './state.ts';
import { lineKey, type Registry } from './types.ts';
import { itmoForIssuance } from '../article6/itmo-rules.ts';

export function decideIssue(
  state: LedgerState,
  actor: Actor,
  command: Extract<LedgerCommand, { type: 'issue' }>,
  recordedAt: string,
): Result<LedgerEvent> {
  if (!managesRegistry(actor, command.registry))
    return notAuthorised(actor, `issue credits in registry ${command.registry}`);
  const decision = state.decisions.get(command.decision);
  if (decision === undefined)
    return reject('decision_not_found', `no issuance decision ${command.decision}`);
  const line = decision.lines.find((candidate) => candidate.lineNo === command.lineNo);
  if (line === undefined)
    return reject(
      'allocation_line_not_found',
      `decision ${decision.id} has no line ${command.lineNo}`,
    );
  if (line.registry !== command.registry) {
    return reject(
      'allocation_line_not_for_registry',
      `line ${line.lineNo} of ${decision.id} is issued by registry ${line.registry}`,
    );
  }
  if (state.issuedLines.has(lineKey(decision.id, line.lineNo))) {
    return reject(
      'allocation_line_already_issued',
      `line ${line.lineNo} of ${decision.id} is already issued`,
    );
  }
  const account = findAccount(state, line.account);
  if (!account.ok) return account;
  if (account.value.status === 'frozen')
    return reject('destination_account_frozen', `${line.account} is frozen`);
  if (account.value.status === 'closed')
    return reject('destination_account_closed', `${line.account} is closed`);
  // Article 6.2: checked last, so every registry refusal keeps its precedence.
  const itmo = itmoForIssuance(
    state.article6,
    {
      project: decision.project,
      vintage: line.vintage,
      registry: line.registry,
      quantity: line.quantity,
    },
    recordedAt,
  );
  if (!itmo.ok) return itmo;
  return ok({
    type: 'credits_issued',
    decision: decision.id,
    lineNo: line.lineNo,
    registry: line.registry,
    account: line.account,
    project: decision.project,
    vintage: line.vintage,
    serials: line.serials,
    // The reserve moves with the issuance itself, in the same entry: never a separate command.
    ...(line.reserve > 0n
      ? {
          reserve: line.reserve,
          reserveAccount: (state.registries.get(line.registry) as Registry).reserveAccount,
        }
      : {}),
    ...(itmo.value === undefined ? {} : { itmo: itmo.value }),
  });
}
