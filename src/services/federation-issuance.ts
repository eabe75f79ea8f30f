// Issuance between deployments (issue 16): what an issuance notification and an issuance
// confirmation say, and what applying them does here.
//
// A decision recorded on one deployment with a line for a registry a peer hosts is notified to that
// peer (federation-producer.ts). The peer records the same decision, with the same line numbers,
// serials and reserves, through its ledger (`record_issuance_decision` with the serials and reserves
// fixed), so that its registry manager issues its lines as usual; a refusal of its ledger (an
// account it does not have, serials that do not continue its record of the project) refuses the
// message, applies nothing and stops the link, and the sender hears the code. When it issues a line
// of such a decision, it confirms the serials it issued back to the sender, which checks them
// against the line and records them.
import { z } from 'zod';
import type { SignedMessage } from '../core/federation/messages.ts';
import type { Actor } from '../core/ledger/actor.ts';
import type { LedgerCommand } from '../core/ledger/commands.ts';
import type { IssuanceDecision } from '../core/ledger/types.ts';
import type { Json } from '../core/shared/canonical-json.ts';
import {
  parseAccountId,
  parseDecisionId,
  parseProjectRef,
  projectCountry,
  japanRegistryId,
  type AccountId,
  type DecisionId,
  type ProjectRef,
  type RegistryId,
} from '../core/shared/ids.ts';
import {
  allocationLinesPerDecisionMax,
  identifierLengthMax,
  quantityMax,
  serialMax,
  vintageMax,
  vintageMin,
  vintagesPerVerificationMax,
} from '../core/shared/limits.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Tx } from '../db/connect.ts';
import {
  confirmationOf,
  decisionLines,
  recordConfirmation,
  recordPeerDecision,
  type Confirmation,
  type StoredLine,
} from '../db/peer-issuance-store.ts';
import type { FederationConfig } from './federation-config.ts';
import type { MessageAppliers } from './federation-receiver.ts';
import { registryIdSchema, sequenceSchema } from './federation-wire.ts';
import type { LedgerService } from './ledger-service.ts';
import { parseInput } from './parse-input.ts';
import type { WriteContext } from './write-pipeline.ts';

// Within the limits the ledger's own input takes (core/shared/limits.ts): a peer's numbers reach the
// same tables, and a value the database cannot hold must be refused here, not thrown there.
const whole = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})$/)
  .transform((s) => BigInt(s));
const quantity = whole.refine((n) => n >= 1n && n <= quantityMax, `from 1 to ${quantityMax}`);
const reserve = whole.refine((n) => n <= quantityMax, `at most ${quantityMax}`);
const serial = whole.refine((n) => n >= 1n && n <= serialMax, `from 1 to ${serialMax}`);
const serials = z.object({ first: serial, last: serial }).strict();
const vintage = z.number().int().min(vintageMin).max(vintageMax);
const decisionId = z.string().refine((s) => parseDecisionId(s).ok, 'a decision id');

const notificationSchema = z
  .object({
    decision: decisionId,
    project: z.string().refine((s) => parseProjectRef(s).ok, 'a project reference'),
    verificationReference: z.string().trim().min(1).max(identifierLengthMax),
    verifiedReductions: z
      .array(z.object({ vintage, quantity }).strict())
      .min(1)
      .max(vintagesPerVerificationMax),
    serials,
    lines: z
      .array(
        z
          .object({
            lineNo: z.number().int().min(1).max(10_000),
            registry: registryIdSchema,
            account: z.string().refine((s) => parseAccountId(s).ok, 'an account id'),
            vintage,
            quantity,
            serials,
            reserve,
          })
          .strict(),
      )
      .min(1)
      .max(allocationLinesPerDecisionMax),
  })
  .strict();

const confirmationSchema = z
  .object({
    decision: decisionId,
    lineNo: z.number().int().min(1).max(10_000),
    registry: registryIdSchema,
    serials,
    entry: z
      .object({
        chain: z.string().regex(/^[A-Z]{2}$/),
        seq: sequenceSchema,
        hash: z.string().regex(/^[0-9a-f]{64}$/),
      })
      .strict(),
  })
  .strict();

/** The body of the notification of a decision (bigints as decimal strings). */
export function notificationBody(decision: IssuanceDecision): Json {
  return {
    decision: decision.id,
    project: decision.project,
    verificationReference: decision.verificationReference,
    verifiedReductions: decision.verifiedReductions.map((r) => ({
      vintage: r.vintage,
      quantity: r.quantity.toString(),
    })),
    serials: textSerials(decision.serials),
    lines: decision.lines.map((l) => ({
      lineNo: l.lineNo,
      registry: l.registry,
      account: l.account,
      vintage: l.vintage,
      quantity: l.quantity.toString(),
      serials: textSerials(l.serials),
      reserve: l.reserve.toString(),
    })),
  };
}

/** The body of the confirmation that a line was issued here, by the journal entry that did it. */
export function confirmationBody(issued: {
  readonly decision: string;
  readonly lineNo: number;
  readonly registry: string;
  readonly serials: { readonly first: bigint; readonly last: bigint };
  readonly entry: { readonly chain: string; readonly seq: bigint; readonly hash: string };
}): Json {
  return {
    decision: issued.decision,
    lineNo: issued.lineNo,
    registry: issued.registry,
    serials: textSerials(issued.serials),
    entry: { ...issued.entry, seq: issued.entry.seq.toString() },
  };
}

function textSerials(s: { readonly first: bigint; readonly last: bigint }): Json {
  return { first: s.first.toString(), last: s.last.toString() };
}

/** The appliers of the two issuance messages, for the receiver (federation-receiver.ts). */
export function issuanceAppliers(config: FederationConfig, ledger: LedgerService): MessageAppliers {
  return {
    issuance_notification: (tx, message, ctx) =>
      applyNotification(tx, message, ctx, config, ledger),
    issuance_confirmation: (tx, message, ctx) => applyConfirmation(tx, message, ctx, config),
  };
}

async function applyNotification(
  tx: Tx,
  message: SignedMessage,
  ctx: WriteContext,
  config: FederationConfig,
  ledger: LedgerService,
): Promise<Result<void>> {
  const body = parseInput(notificationSchema, message.envelope.body, 'message_body_invalid');
  if (!body.ok) return body;
  const notified = body.value;
  const sender = message.envelope.sender;
  const partner = projectCountry(notified.project as ProjectRef);
  const peer = config.peers.find((p) => p.id === sender);
  // Only a deployment hosting one of the partnership's registries speaks for its Joint Committee.
  if (peer === undefined || !peer.registries.some((r) => r === japanRegistryId || r === partner))
    return reject(
      'message_sender_not_in_partnership',
      `${sender} hosts no registry of the partnership of ${notified.project}`,
    );
  const strange = notified.lines.find(
    (l) => !config.registries.includes(l.registry) && !peer.registries.includes(l.registry),
  );
  if (strange !== undefined)
    return reject(
      'notification_line_registry_unknown',
      `line ${strange.lineNo} is for ${strange.registry}, hosted neither here nor by ${sender}`,
    );
  // Only the lines of registries hosted here make a decision this deployment's to record.
  if (!notified.lines.some((l) => config.registries.includes(l.registry)))
    return reject(
      'notification_no_line_here',
      `decision ${notified.decision} has no line for a registry ${config.self} hosts`,
    );
  const lines = [...notified.lines].sort((a, b) => a.lineNo - b.lineNo);
  const command = recordCommand(notified, lines);
  // Who records it: the sender, for the partnership's Joint Committee (its signature said so).
  const actor: Actor = {
    id: `federation:${sender}`,
    roles: [{ kind: 'joint_committee', partnership: partner }],
  };
  const recorded = await ledger.executeBuiltWithin(
    tx,
    'federation.issuance_notification',
    command,
    {
      actor,
      idempotencyKey: `federation:${sender}:${message.envelope.sequence}`,
      input: message.envelope.body,
    },
  );
  if (!recorded.ok) return recorded;
  // Numbered here as the sender numbered it, or not at all.
  const same = sameLines(await decisionLines(tx, notified.decision), lines);
  if (!same)
    return reject(
      'notification_decision_mismatch',
      `decision ${notified.decision} numbers its lines or serials otherwise here`,
    );
  await recordPeerDecision(tx, notified.decision, sender, ctx.now);
  return ok(undefined);
}

type Notified = z.infer<typeof notificationSchema>;
type NotifiedLine = Notified['lines'][number];

/** The ledger command that records a notified decision with the sender's serials and reserves. */
function recordCommand(notified: Notified, lines: readonly NotifiedLine[]): LedgerCommand {
  return {
    type: 'record_issuance_decision',
    decision: notified.decision as DecisionId,
    project: notified.project as ProjectRef,
    verificationReference: notified.verificationReference,
    verifiedReductions: notified.verifiedReductions,
    lines: lines.map((l) => ({
      registry: l.registry as RegistryId,
      account: l.account as AccountId,
      vintage: l.vintage,
      quantity: l.quantity,
    })),
    serialFirst: notified.serials.first,
    lineReserves: lines.map((l) => l.reserve),
  };
}

function sameLines(stored: readonly StoredLine[], lines: readonly NotifiedLine[]): boolean {
  return (
    stored.length === lines.length &&
    stored.every((s, i) => {
      const l = lines[i];
      return (
        l !== undefined &&
        s.lineNo === l.lineNo &&
        s.registry === l.registry &&
        s.account === l.account &&
        s.vintage === l.vintage &&
        s.quantity === l.quantity &&
        s.first === l.serials.first &&
        s.last === l.serials.last &&
        s.reserve === l.reserve
      );
    })
  );
}

async function applyConfirmation(
  tx: Tx,
  message: SignedMessage,
  ctx: WriteContext,
  config: FederationConfig,
): Promise<Result<void>> {
  const body = parseInput(confirmationSchema, message.envelope.body, 'message_body_invalid');
  if (!body.ok) return body;
  const confirmed = body.value;
  const sender = message.envelope.sender;
  const line = (await decisionLines(tx, confirmed.decision)).find(
    (l) => l.lineNo === confirmed.lineNo,
  );
  if (line === undefined)
    return reject(
      'confirmation_line_unknown',
      `no line ${confirmed.lineNo} of a decision ${confirmed.decision} is recorded here`,
    );
  const hosts = config.peers.find((p) => p.id === sender)?.registries ?? [];
  if (line.registry !== confirmed.registry || !hosts.includes(line.registry))
    return reject(
      'confirmation_not_from_host',
      `line ${line.lineNo} of ${confirmed.decision} is for ${line.registry}, which ${sender} does not host`,
    );
  const { first, last } = confirmed.serials;
  if (first > last || last - first + 1n > line.quantity)
    return reject(
      'confirmation_exceeds_line',
      `${sender} confirms ${first}-${last}, more than the line's ${line.quantity}`,
    );
  if (first !== line.first || last !== line.last)
    return reject(
      'confirmation_range_differs',
      `${sender} confirms ${first}-${last}; the line is ${line.first}-${line.last}`,
    );
  const confirmation: Confirmation = {
    decision: confirmed.decision,
    lineNo: confirmed.lineNo,
    registry: confirmed.registry,
    sender,
    first,
    last,
    entry: confirmed.entry,
  };
  const earlier = await confirmationOf(tx, confirmed.decision, confirmed.lineNo);
  if (earlier === undefined) await recordConfirmation(tx, confirmation, ctx.now);
  else if (JSON.stringify(earlier, replacer) !== JSON.stringify(confirmation, replacer))
    return reject(
      'confirmation_conflict',
      `line ${confirmed.lineNo} of ${confirmed.decision} was confirmed before with another entry`,
    );
  return ok(undefined);
}

const replacer = (_key: string, value: unknown) =>
  typeof value === 'bigint' ? value.toString() : value;
