// The first transfers in public exports (issue 16, Article 6.2): what a deployment's journal derives
// (core/article6/derive-actions.ts, replayed as the writer derived them, numbered from 1 per entry as
// `article6_actions` numbers them) and what it says its peers reported. Reconciliation asks that each
// first transfer by a Party whose registry another deployment hosts reached that deployment as it was
// derived, and that each one a deployment says it received was derived by its sender.
import { deriveActions } from '../article6/derive-actions.ts';
import type { LedgerEvent } from '../ledger/events.ts';
import type { LedgerState } from '../ledger/state.ts';
import type { ChainId } from '../shared/ids.ts';
import { canonicalJson, type Json } from '../shared/canonical-json.ts';
import { partyRegistries, type FirstTransfer } from './article6-records.ts';
import type { ExportFirstTransferReceived } from './public-export.ts';

/** A first transfer's place in its sender's journal: `chain#seq#n`. */
export const firstTransferKey = (t: { chain: string; seq: bigint; n: number }) =>
  `${t.chain}#${t.seq}#${t.n}`;

/** What two statements of one first transfer must agree on, as one comparable text. */
export function firstTransferText(t: FirstTransfer): string {
  return canonicalJson({ ...t, seq: t.seq.toString() } as unknown as Json);
}

/** The first transfers an entry derives, before `apply` changes the state. */
export function derivedFirstTransfers(
  state: LedgerState,
  event: LedgerEvent,
  entry: { readonly chain: string; readonly seq: bigint },
  recordedAt: string,
): FirstTransfer[] {
  const at = { chain: entry.chain as ChainId, seq: entry.seq };
  return deriveActions(state, event, at, recordedAt).flatMap((a, index) =>
    a.type === 'first_transfer'
      ? [
          {
            chain: entry.chain,
            seq: entry.seq,
            n: index + 1,
            party: a.party,
            date: a.date,
            approach: a.approach,
            authorisation: a.authorisation,
            registry: a.registry,
            project: a.project,
            vintage: a.vintage,
            serialFirst: a.serialFirst,
            serialLast: a.serialLast,
            acquiringParty: a.acquiringParty,
          },
        ]
      : [],
  );
}

/** A received record as the first transfer it states. */
export function receivedTransfer(r: ExportFirstTransferReceived): FirstTransfer {
  return {
    chain: r.chain,
    seq: r.seq,
    n: r.n,
    party: r.party,
    date: r.date,
    approach: r.approach,
    authorisation: r.authorisation,
    registry: r.registry,
    project: r.project,
    vintage: r.vintage,
    serialFirst: r.serials.first,
    serialLast: r.serials.last,
    acquiringParty: r.acquiringParty,
  };
}

/** What an export says of first transfers, once checked. */
export interface FirstTransfers {
  /** Derived from its journal, by `firstTransferKey`. */
  readonly derived: ReadonlyMap<string, FirstTransfer>;
  /** Reported by peers, by sender, then by key. */
  readonly received: ReadonlyMap<string, ReadonlyMap<string, FirstTransfer>>;
  /** The registry each Party keeps its own entries in (the replayed approaches). */
  readonly partyRegistries: ReadonlyMap<string, string>;
}

export function partyRegistriesOf(state: LedgerState): Map<string, string> {
  return partyRegistries([...state.article6.approaches.values()]);
}

type Report = (kind: string, deployment: string, subject: string, message: string) => void;

/**
 * Across exports: each derived first transfer by a Party whose registry another export hosts is
 * among that export's received ones, the same; each received one was derived by its sender.
 */
export function compareFirstTransfers(
  exports: readonly {
    readonly header: { readonly deployment: string; readonly registries: readonly string[] };
    readonly firstTransfers: FirstTransfers;
  }[],
  report: Report,
): void {
  const byDeployment = new Map(exports.map((e) => [e.header.deployment, e]));
  for (const sender of exports) {
    const { derived, partyRegistries: parties } = sender.firstTransfers;
    for (const [key, transfer] of derived) {
      const registry = parties.get(transfer.party);
      const party = exports.find(
        (e) => e !== sender && registry !== undefined && e.header.registries.includes(registry),
      );
      if (party === undefined) continue;
      const got = party.firstTransfers.received.get(sender.header.deployment)?.get(key);
      const subject = `first transfer ${sender.header.deployment} ${key}`;
      if (got === undefined)
        report(
          'first_transfer_not_received',
          party.header.deployment,
          subject,
          `${transfer.party}'s first transfer of ${transfer.project} ${transfer.serialFirst}-${transfer.serialLast} is not recorded by ${party.header.deployment}`,
        );
      else if (firstTransferText(got) !== firstTransferText(transfer))
        report(
          'first_transfer_differs',
          party.header.deployment,
          subject,
          'recorded otherwise than derived',
        );
    }
  }
  for (const party of exports)
    for (const [from, received] of party.firstTransfers.received) {
      const sender = byDeployment.get(from);
      if (sender === undefined) continue;
      for (const key of received.keys())
        if (!sender.firstTransfers.derived.has(key))
          report(
            'first_transfer_unknown',
            party.header.deployment,
            `first transfer ${from} ${key}`,
            `${from}'s journal derives no such first transfer`,
          );
    }
}
