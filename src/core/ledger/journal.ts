// The journal entry as it is hashed and stored: an envelope around one event. The hash of an entry is
// sha256(previous hash || canonical JSON of the envelope), computed here through the hash port; the
// database's trigger and the audit compute it again.
import { canonicalJson, type Json } from '../shared/canonical-json.ts';
import type { Sha256 } from '../shared/hash.ts';
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

/** The hash that chains an entry to the one before it. */
export function entryHash(sha256: Sha256, previousHash: string, entryText: string): string {
  return sha256(previousHash + entryText);
}
