// The accounts of a registry a peer hosts (issue 16): a Joint Committee decision names accounts of
// both registries, and the cycle derives who holds each line's credits from its account (its type
// and holder; core/cycle/allocation-holders.ts) before the decision is adopted. An account's
// registry, type and holder never change once it is opened, so the deployment that hosts the
// registry reports each account it opens to its peers as an `account_record`
// (federation-producer.ts), and they keep it in `peer_accounts`, where the cycle reads it.
import { z } from 'zod';
import { checkAccountRecord } from '../core/federation/issuance.ts';
import { accountTypes } from '../core/ledger/types.ts';
import type { Json } from '../core/shared/canonical-json.ts';
import { ok, type Result } from '../core/shared/result.ts';
import { bodyText } from '../core/federation/messages.ts';
import type { Db } from '../db/connect.ts';
import { enqueueMessage } from '../db/federation-store.ts';
import {
  hostedAccounts,
  peerAccounts,
  recordPeerAccount,
  type PeerAccount,
} from '../db/peer-issuance-store.ts';
import type { FederationConfig } from './federation-config.ts';
import type { MessageAppliers } from './federation-receiver.ts';
import { registryIdSchema } from './federation-wire.ts';
import { parseInput } from './parse-input.ts';

const accountSchema = z
  .object({
    id: z.string().regex(/^[A-Z]{2}-[0-9]{6}$/, 'an account id'),
    registry: registryIdSchema,
    type: z.enum(accountTypes),
    holder: z.string().min(1).max(128),
  })
  .strict();

/** The body of an `account_record`: what never changes of an account (not its holder's name). */
export function accountBody(account: PeerAccount): Json {
  return { id: account.id, registry: account.registry, type: account.type, holder: account.holder };
}

/**
 * Writes an `account_record` to every peer for every account of the registries hosted here, a page
 * of accounts per transaction; answers how many messages it wrote. For the accounts opened before
 * this deployment ran with JCM_FEDERATION (a registry that was all-in-one and now runs apart), whose
 * records no commit wrote. A peer applies an account it has already recorded as it was.
 */
export async function sendAccounts(db: Db, config: FederationConfig, now: string): Promise<number> {
  let after = '';
  let written = 0;
  for (;;) {
    const page = await db.transaction(async (tx) => {
      const accounts = await hostedAccounts(tx, config.registries, after, accountsPageSize);
      for (const a of accounts)
        for (const peer of config.peers)
          await enqueueMessage(
            tx,
            {
              receiver: peer.id,
              kind: 'account_record',
              // Its own key each time: the one a commit wrote may be acknowledged and pruned.
              idempotencyKey: `account-resent:${a.id}:${now.replace(/[^0-9]/g, '')}`,
              body: bodyText(accountBody(a)),
            },
            now,
          );
      return accounts;
    });
    written += page.length * config.peers.length;
    const last = page.at(-1);
    if (last === undefined || page.length < accountsPageSize) return written;
    after = last.id;
  }
}

const accountsPageSize = 1000;

export function accountAppliers(config: FederationConfig): MessageAppliers {
  return {
    account_record: async (tx, message, ctx): Promise<Result<void>> => {
      const body = parseInput(accountSchema, message.envelope.body, 'message_body_invalid');
      if (!body.ok) return body;
      const sender = message.envelope.sender;
      const [earlier] = await peerAccounts(tx, [body.value.id]);
      const checked = checkAccountRecord(
        sender,
        config.peers.find((p) => p.id === sender)?.registries ?? [],
        body.value,
        earlier,
      );
      if (!checked.ok) return checked;
      if (earlier === undefined) await recordPeerAccount(tx, sender, body.value, ctx.now);
      return ok(undefined);
    },
  };
}
