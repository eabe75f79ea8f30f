// A deployment's links to its peers (issue 16): the receiver of their signed messages, the delivery
// worker of its own, and the links' state for /metrics and the operators. Present only when the
// deployment runs with JCM_FEDERATION (federation-config.ts); all-in-one deployments have none.
import { gaugeLines } from '../core/shared/histogram.ts';
import type { Rejection } from '../core/shared/result.ts';
import type { Db } from '../db/connect.ts';
import { forwardedRecords, type ListedForward } from '../db/article6-records-store.ts';
import {
  incomingLinks,
  outgoingLinks,
  resumeLink,
  type IncomingLink,
  type OutgoingLink,
} from '../db/federation-store.ts';
import type { FederationConfig } from './federation-config.ts';
import { sendAccounts } from './federation-accounts.ts';
import { FederationDelivery, type DeliveryOptions } from './federation-delivery.ts';
import { FederationReceiver, type MessageAppliers } from './federation-receiver.ts';
import type { WritePipeline } from './write-pipeline.ts';

/** What a deployment without JCM_FEDERATION answers to a message or to an operator asking for links. */
export const federationNotConfigured: Rejection = {
  code: 'federation_not_configured',
  message: 'this deployment runs without JCM_FEDERATION and exchanges no messages',
};

export interface FederationOptions {
  readonly config: FederationConfig;
  /** What each kind of message applies here; a kind without one is refused. */
  readonly appliers?: MessageAppliers;
  readonly delivery?: Omit<DeliveryOptions, 'clock'>;
}

export interface FederationLinks {
  readonly outgoing: readonly OutgoingLink[];
  readonly incoming: readonly IncomingLink[];
}

export class Federation {
  readonly receiver: FederationReceiver;
  readonly delivery: FederationDelivery;

  constructor(
    private readonly db: Db,
    pipeline: WritePipeline,
    private readonly clock: () => string,
    readonly options: FederationOptions,
  ) {
    this.receiver = new FederationReceiver(pipeline, options.config, options.appliers ?? {});
    this.delivery = new FederationDelivery(db, options.config, { ...options.delivery, clock });
  }

  get config(): FederationConfig {
    return this.options.config;
  }

  async links(): Promise<FederationLinks> {
    const [outgoing, incoming] = await Promise.all([
      outgoingLinks(this.db),
      incomingLinks(this.db),
    ]);
    return { outgoing, incoming };
  }

  /**
   * The links in Prometheus text: per peer, the messages not acknowledged, the age of the oldest of
   * them, whether a refusal stopped the link; per sender, the messages held after a gap. The age is
   * by the platform's clock, the one that stamped the messages.
   */
  async metricLines(): Promise<string[]> {
    const { outgoing, incoming } = await this.links();
    const now = Date.parse(this.clock());
    const peer = (id: string) => `peer="${id}"`;
    return [
      ...gaugeLines(
        'jcm_federation_outbox_waiting',
        'Messages to a peer deployment not yet acknowledged by it.',
        outgoing.map((l) => [peer(l.receiver), l.lastSequence - l.acknowledged]),
      ),
      ...gaugeLines(
        'jcm_federation_outbox_oldest_seconds',
        'Age of the oldest message to a peer not yet acknowledged (0 when none waits).',
        outgoing.map((l) => [
          peer(l.receiver),
          l.oldestWaiting === null
            ? 0
            : Math.max(0, Math.round((now - Date.parse(l.oldestWaiting)) / 1000)),
        ]),
      ),
      ...gaugeLines(
        'jcm_federation_link_stopped',
        'Whether the peer refused a message, which stops the link until an operator resumes it.',
        outgoing.map((l) => [peer(l.receiver), l.stoppedBy === undefined ? 0 : 1]),
      ),
      ...gaugeLines(
        'jcm_federation_held',
        'Messages received from a peer and held after a gap in its sequence.',
        incoming.map((l) => [peer(l.sender), l.held]),
      ),
    ];
  }

  /**
   * The Article 6.2 records forwarded to peers, newest first: each refused there (with the code its
   * ledger gave), acknowledged there, or still on its way. An acknowledgement does not say that the
   * peer recorded it: a refusal of its content is acknowledged too, and told back on the peer's own
   * link, which may come later (or not while that link is stopped).
   */
  async forwarded(limit: number): Promise<(ListedForward & { readonly status: string })[]> {
    const [records, outgoing] = await Promise.all([
      forwardedRecords(this.db, limit),
      outgoingLinks(this.db),
    ]);
    const acknowledged = new Map(outgoing.map((l) => [l.receiver, l.acknowledged]));
    return records.map((r) => ({
      ...r,
      status:
        r.refused !== null
          ? `refused by ${r.receiver}: ${r.refused.code}`
          : (acknowledged.get(r.receiver) ?? 0n) >= r.sequence
            ? `acknowledged by ${r.receiver} (recorded there, or its refusal is on its way)`
            : `on its way to ${r.receiver}`,
    }));
  }

  /**
   * Reports every account of the registries hosted here to every peer again (accounts opened before
   * this deployment ran with JCM_FEDERATION); answers how many messages it wrote.
   */
  async sendAccounts(): Promise<number> {
    const written = await sendAccounts(this.db, this.config, this.clock());
    if (written > 0) this.delivery.poke();
    return written;
  }

  /** Lets a link stopped by a refusal send again; false when there is no link to that peer. */
  async resume(peer: string): Promise<boolean> {
    const resumed = await resumeLink(this.db, peer);
    if (resumed) this.delivery.poke();
    return resumed;
  }
}
