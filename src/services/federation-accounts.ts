// The accounts of a registry a peer hosts (issue 16): a Joint Committee decision names accounts of
// both registries, and the cycle derives who holds each line's credits from its account (its type
// and holder; core/cycle/allocation-holders.ts) before the decision is adopted. An account's
// registry, type and holder never change once it is opened, so the deployment that hosts the
// registry reports each account it opens to its peers as an `account_record`
// (federation-producer.ts), and they keep it in `peer_accounts`, where the cycle reads it.
import { z } from 'zod';
import { checkAccountRecord } from '../core/federation/issuance.ts';
import type { Account } from '../core/ledger/types.ts';
import { accountTypes } from '../core/ledger/types.ts';
import type { Json } from '../core/shared/canonical-json.ts';
import { ok, type Result } from '../core/shared/result.ts';
import { peerAccounts, recordPeerAccount } from '../db/peer-issuance-store.ts';
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
export function accountBody(account: Account): Json {
  return {
    id: account.id,
    registry: account.registry,
    type: account.type,
    holder: account.holderId,
  };
}

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
