// The journal entry as it is hashed and stored: an envelope around one event. The hash of an entry is
// sha256(previous hash || canonical JSON of the envelope); the adapter computes it (hashing needs
// node:crypto) and the database and the audit compute it again.
import { canonicalJson, type Json } from '../shared/canonical-json.ts';
import type { ChainId } from '../shared/ids.ts';
import { reviveEvent, type LedgerEvent } from './events.ts';

export interface JournalEnvelope {
  readonly chain: ChainId;
  readonly seq: bigint;
  readonly actor: string;
  /** ISO 8601 UTC time from the clock port. */
  readonly recordedAt: string;
  readonly idempotencyKey: string | null;
  readonly event: LedgerEvent;
}

export const genesisHash = '0'.repeat(64);

export function envelopeText(envelope: JournalEnvelope): string {
  return canonicalJson(envelope as unknown as Json);
}

export function readEnvelope(text: string): JournalEnvelope {
  return reviveEvent(text) as unknown as JournalEnvelope;
}
