// The messages a deployment's own writes cause (issue 16), written from its outbox: every ledger batch
// leaves a `ledger.entries` message in the outbox in its own transaction (src/db/ledger-writer.ts);
// the relay hands it here inside the transaction that marks it published, and the federation's
// messages are written to their links' outbox in that same transaction. So each is written once:
// with the mark, or, when either fails, neither (and the relay hands it again). A message's
// idempotency key names what it reports, so a second writing of it is the same message.
//
// - A decision recorded here with lines for a registry a peer hosts: an `issuance_notification` to
//   that peer (not back to the peer that notified it).
// - A line issued here of a decision a peer notified: an `issuance_confirmation` to that peer.
// - An account opened in a registry hosted here: an `account_record` to every peer (the cycle there
//   derives who holds a decision's line from it).
// - A first transfer an entry here derived for a Party whose registry a peer hosts (an issuance into
//   Japan's registry is India's first transfer): a `first_transfer_record` to that peer.
import type { MessageKind } from '../core/federation/messages.ts';
import { bodyText } from '../core/federation/messages.ts';
import type { Json } from '../core/shared/canonical-json.ts';
import type { Tx } from '../db/connect.ts';
import { enqueueMessage } from '../db/federation-store.ts';
import { journalRange, peerDecisionSender } from '../db/peer-issuance-store.ts';
import type { OutboxRow } from '../db/write-store.ts';
import type { FederationConfig } from './federation-config.ts';
import { partyRegistries } from '../core/federation/article6-records.ts';
import { firstTransfersOf, latestApproaches } from '../db/article6-records-store.ts';
import { accountBody } from './federation-accounts.ts';
import { firstTransferBody } from './federation-article6.ts';
import { confirmationBody, notificationBody } from './federation-issuance.ts';

interface EntriesPayload {
  readonly chain: string;
  readonly first: string | number;
  readonly last: string | number;
}

function entriesOf(row: OutboxRow): { chain: string; first: bigint; last: bigint } | null {
  if (row.topic !== 'ledger.entries') return null;
  const p = row.payload as EntriesPayload;
  return { chain: p.chain, first: BigInt(p.first), last: BigInt(p.last) };
}

/**
 * A decision id in an idempotency key: `/`, which a decision id may have and a key may not, becomes
 * `:`, which a decision id never has (so two ids never give one key).
 */
const keyPart = (decision: string) => decision.replaceAll('/', ':');

/** Writes the federation's messages for a batch of outbox rows, in the relay's transaction. */
export async function produceMessages(
  tx: Tx,
  rows: readonly OutboxRow[],
  config: FederationConfig,
  now: string,
): Promise<number> {
  let written = 0;
  const send = async (receiver: string, kind: MessageKind, key: string, body: Json) => {
    // null: the key was written with another body, which a journal entry never has; the
    // reconciliation reports what follows from it.
    if (
      (await enqueueMessage(
        tx,
        { receiver, kind, idempotencyKey: key, body: bodyText(body) },
        now,
      )) !== null
    )
      written += 1;
  };
  for (const row of rows) {
    const range = entriesOf(row);
    if (range === null) continue;
    let transfers = false;
    for (const { envelope, hash } of await journalRange(tx, range.chain, range.first, range.last)) {
      const event = envelope.event;
      transfers ||= mayFirstTransfer.has(event.type);
      if (event.type === 'issuance_decision_recorded') {
        const from = await peerDecisionSender(tx, event.decision.id);
        for (const peer of config.peers)
          if (
            peer.id !== from &&
            event.decision.lines.some((l) => peer.registries.includes(l.registry))
          )
            await send(
              peer.id,
              'issuance_notification',
              `decision:${keyPart(event.decision.id)}`,
              notificationBody(event.decision),
            );
      } else if (
        event.type === 'account_opened' &&
        config.registries.includes(event.account.registry)
      ) {
        for (const peer of config.peers)
          await send(
            peer.id,
            'account_record',
            `account:${event.account.id}`,
            accountBody({ ...event.account, holder: event.account.holderId }),
          );
      } else if (event.type === 'credits_issued' && config.registries.includes(event.registry)) {
        const to = await peerDecisionSender(tx, event.decision);
        if (to !== undefined)
          await send(
            to,
            'issuance_confirmation',
            `issued:${keyPart(event.decision)}:${event.lineNo}`,
            confirmationBody({
              decision: event.decision,
              lineNo: event.lineNo,
              registry: event.registry,
              serials: event.serials,
              entry: { chain: envelope.chain, seq: envelope.seq, hash },
            }),
          );
      }
    }
    if (transfers) await sendFirstTransfers(tx, range, config, send);
  }
  return written;
}

/** The events whose entries may derive a first transfer (core/article6/derive-actions.ts). */
const mayFirstTransfer = new Set(['credits_issued', 'units_authorised', 'credits_moved']);

/** A `first_transfer_record` for each first transfer of the range by a Party a peer hosts. */
async function sendFirstTransfers(
  tx: Tx,
  range: { chain: string; first: bigint; last: bigint },
  config: FederationConfig,
  send: (receiver: string, kind: MessageKind, key: string, body: Json) => Promise<void>,
): Promise<void> {
  const found = await firstTransfersOf(tx, range.chain, range.first, range.last);
  if (found.length === 0) return;
  const registries = partyRegistries(await latestApproaches(tx));
  for (const transfer of found) {
    const registry = registries.get(transfer.party);
    const peer = config.peers.find(
      (p) => registry !== undefined && p.registries.includes(registry),
    );
    if (peer !== undefined)
      await send(
        peer.id,
        'first_transfer_record',
        `first-transfer:${transfer.chain}:${transfer.seq}:${transfer.n}`,
        firstTransferBody(transfer),
      );
  }
}
