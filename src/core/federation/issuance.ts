// Issuance between deployments (issue 16), the receiving side's rules, pure: who may notify a Joint
// Committee decision and for which registries, whether the decision recorded here is numbered as the
// sender numbered it, and whether a peer's confirmation of a line it issued is one to record. The
// service (services/federation-issuance.ts) parses the message, loads what these need and persists
// what they allow; each function checks its rules in the order the codes are listed in.
import type { AllocationLine } from '../ledger/types.ts';
import { japanRegistryId, type RegistryId } from '../shared/ids.ts';
import { canonicalJson, type Json } from '../shared/canonical-json.ts';
import { ok, reject, type Result } from '../shared/result.ts';

/** An allocation line as a notification states it (account and registry not yet branded). */
export type NotifiedLine = Omit<AllocationLine, 'registry' | 'account'> & {
  readonly registry: string;
  readonly account: string;
};

/**
 * A notification's sender and lines: the sender hosts a registry of the project's partnership (so
 * speaks for its Joint Committee), and each line is for a registry hosted here or by the sender.
 * `senderHosts` is undefined when the sender is no peer of this deployment.
 */
export function checkNotification(notified: {
  readonly sender: string;
  readonly project: string;
  readonly partner: RegistryId;
  readonly senderHosts: readonly string[] | undefined;
  readonly hostedHere: readonly string[];
  readonly lines: readonly NotifiedLine[];
}): Result<true> {
  const { sender, senderHosts, partner } = notified;
  if (senderHosts === undefined || !senderHosts.some((r) => r === japanRegistryId || r === partner))
    return reject(
      'message_sender_not_in_partnership',
      `${sender} hosts no registry of the partnership of ${notified.project}`,
    );
  const strange = notified.lines.find(
    (l) => !notified.hostedHere.includes(l.registry) && !senderHosts.includes(l.registry),
  );
  if (strange !== undefined)
    return reject(
      'notification_line_registry_unknown',
      `line ${strange.lineNo} is for ${strange.registry}, hosted neither here nor by ${sender}`,
    );
  // Only a line of a registry hosted here makes a decision this deployment's to record.
  if (!notified.lines.some((l) => notified.hostedHere.includes(l.registry)))
    return reject(
      'notification_no_line_here',
      `the decision has no line for a registry this deployment hosts`,
    );
  return ok(true);
}

/**
 * A peer's account: in a registry the sender hosts, its id of that registry, and, when recorded
 * before, recorded the same (an account's registry, type and holder never change once opened).
 */
export function checkAccountRecord(
  sender: string,
  senderHosts: readonly string[],
  account: {
    readonly id: string;
    readonly registry: string;
    readonly type: string;
    readonly holder: string;
  },
  earlier: { readonly type: string; readonly holder: string; readonly sender: string } | undefined,
): Result<true> {
  if (!senderHosts.includes(account.registry) || !account.id.startsWith(`${account.registry}-`))
    return reject(
      'account_not_from_host',
      `${sender} does not host registry ${account.registry}, or ${account.id} is not of it`,
    );
  if (
    earlier !== undefined &&
    (earlier.type !== account.type ||
      earlier.holder !== account.holder ||
      earlier.sender !== sender)
  )
    return reject(
      'account_record_conflict',
      `${account.id} was recorded before as a ${earlier.type} account of ${earlier.holder}`,
    );
  return ok(true);
}

/** The decision as recorded here numbers its lines, serials and reserves as the sender's did. */
export function checkNumbering(
  decision: string,
  recorded: readonly AllocationLine[],
  notified: readonly NotifiedLine[],
): Result<true> {
  const text = (lines: readonly NotifiedLine[]) =>
    canonicalJson([...lines].sort((a, b) => a.lineNo - b.lineNo) as unknown as Json);
  return text(recorded) === text(notified)
    ? ok(true)
    : reject(
        'notification_decision_mismatch',
        `decision ${decision} numbers its lines or serials otherwise here`,
      );
}

/** A peer's confirmation that it issued a line, by the journal entry that did it. */
export interface LineConfirmation {
  readonly decision: string;
  readonly lineNo: number;
  readonly registry: string;
  readonly sender: string;
  readonly first: bigint;
  readonly last: bigint;
  readonly entry: { readonly chain: string; readonly seq: bigint; readonly hash: string };
}

/**
 * Whether to record a confirmation: of a line recorded here (`line`), for a registry the sender
 * hosts, with exactly the line's serials; 'recorded already' when the same one came before
 * (`earlier`), refused when another did.
 */
export function decideConfirmation(
  confirmed: LineConfirmation,
  line: AllocationLine | undefined,
  senderHosts: readonly string[],
  earlier: LineConfirmation | undefined,
): Result<'record' | 'recorded already'> {
  const { decision, lineNo, sender, first, last } = confirmed;
  if (line === undefined)
    return reject(
      'confirmation_line_unknown',
      `no line ${lineNo} of a decision ${decision} is recorded here`,
    );
  if (line.registry !== confirmed.registry || !senderHosts.includes(line.registry))
    return reject(
      'confirmation_not_from_host',
      `line ${lineNo} of ${decision} is for ${line.registry}, which ${sender} does not host`,
    );
  if (first > last || last - first + 1n > line.quantity)
    return reject(
      'confirmation_exceeds_line',
      `${sender} confirms ${first}-${last}, more than the line's ${line.quantity}`,
    );
  if (first !== line.serials.first || last !== line.serials.last)
    return reject(
      'confirmation_range_differs',
      `${sender} confirms ${first}-${last}; the line is ${line.serials.first}-${line.serials.last}`,
    );
  if (earlier === undefined) return ok('record');
  const text = (c: LineConfirmation) => canonicalJson(c as unknown as Json);
  return text(earlier) === text(confirmed)
    ? ok('recorded already')
    : reject(
        'confirmation_conflict',
        `line ${lineNo} of ${decision} was confirmed before with another entry`,
      );
}
