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
import {
  checkNotification,
  checkNumbering,
  decideConfirmation,
  type LineConfirmation,
  type NotifiedLine,
} from '../core/federation/issuance.ts';
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
  type AccountId,
  type DecisionId,
  type ProjectRef,
  type RegistryId,
} from '../core/shared/ids.ts';
import {
  allocationLinesPerDecisionMax,
  identifierLengthMax,
  quantityMax,
  vintageMax,
  vintageMin,
  vintagesPerVerificationMax,
} from '../core/shared/limits.ts';
import { ok, type Result } from '../core/shared/result.ts';
import type { Tx } from '../db/connect.ts';
import {
  confirmationOf,
  decisionLines,
  recordConfirmation,
  recordPeerDecision,
} from '../db/peer-issuance-store.ts';
import type { FederationConfig } from './federation-config.ts';
import type { MessageAppliers } from './federation-receiver.ts';
import {
  entryHashSchema,
  int8TextSchema,
  registryIdSchema,
  sequenceSchema,
  serialsSchema,
} from './federation-wire.ts';
import type { LedgerService } from './ledger-service.ts';
import { parseInput } from './parse-input.ts';
import type { WriteContext } from './write-pipeline.ts';

// Within the limits the ledger's own input takes (core/shared/limits.ts): a peer's numbers reach the
// same tables, and a value the database cannot hold must be refused here, not thrown there.
const whole = int8TextSchema;
const quantity = whole.refine((n) => n >= 1n && n <= quantityMax, `from 1 to ${quantityMax}`);
const reserve = whole.refine((n) => n <= quantityMax, `at most ${quantityMax}`);
const serials = serialsSchema;
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
        hash: entryHashSchema,
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
  const allowed = checkNotification({
    sender,
    project: notified.project,
    partner,
    senderHosts: config.peers.find((p) => p.id === sender)?.registries,
    hostedHere: config.registries,
    lines: notified.lines,
  });
  if (!allowed.ok) return allowed;
  const lines = [...notified.lines].sort((a, b) => a.lineNo - b.lineNo);
  // Who records it: the sender, for the partnership's Joint Committee (its signature said so).
  const actor: Actor = {
    id: `federation:${sender}`,
    roles: [{ kind: 'joint_committee', partnership: partner }],
  };
  const recorded = await ledger.executeBuiltWithin(
    tx,
    'federation.issuance_notification',
    recordCommand(notified, lines),
    {
      actor,
      idempotencyKey: `federation:${sender}:${message.envelope.sequence}`,
      input: message.envelope.body,
    },
  );
  if (!recorded.ok) return recorded;
  // Numbered here as the sender numbered it, or not at all.
  const same = checkNumbering(notified.decision, await decisionLines(tx, notified.decision), lines);
  if (!same.ok) return same;
  await recordPeerDecision(tx, notified.decision, sender, ctx.now);
  return ok(undefined);
}

type Notified = z.infer<typeof notificationSchema>;

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

async function applyConfirmation(
  tx: Tx,
  message: SignedMessage,
  ctx: WriteContext,
  config: FederationConfig,
): Promise<Result<void>> {
  const body = parseInput(confirmationSchema, message.envelope.body, 'message_body_invalid');
  if (!body.ok) return body;
  const { serials, ...confirmed } = body.value;
  const confirmation: LineConfirmation = {
    ...confirmed,
    sender: message.envelope.sender,
    first: serials.first,
    last: serials.last,
  };
  const line = (await decisionLines(tx, confirmed.decision)).find(
    (l) => l.lineNo === confirmed.lineNo,
  );
  const decided = decideConfirmation(
    confirmation,
    line,
    config.peers.find((p) => p.id === confirmation.sender)?.registries ?? [],
    await confirmationOf(tx, confirmed.decision, confirmed.lineNo),
  );
  if (!decided.ok) return decided;
  if (decided.value === 'record') await recordConfirmation(tx, confirmation, ctx.now);
  return ok(undefined);
}
