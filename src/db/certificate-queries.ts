// What a certificate of issuance or retirement states, read from the journal (issue 15): the entry
// as stored, its hash recomputed from the stored text and the previous entry's hash, the accounts it
// names with their holders' names (public, as on the account pages), the projects of its credits
// (title, and whether they are synthetic demo data), and who recorded it by public name only.
import {
  entryHash,
  genesisHash,
  readEnvelope,
  type JournalEnvelope,
} from '../core/ledger/journal.ts';
import type { Db } from './connect.ts';
import { journalContext, publicNamer } from './public-actors.ts';
import { sha256Hex } from './sha256.ts';

export interface CertificateAccount {
  readonly id: string;
  readonly registry: string;
  readonly type: string;
  readonly holderName: string;
}

export interface CertificateProject {
  readonly reference: string;
  readonly title: string | null;
  readonly synthetic: boolean;
}

export interface CertificateRecord {
  readonly envelope: JournalEnvelope;
  readonly hash: string;
  readonly prevHash: string;
  /** sha256(prev_hash || entry) computed now, from the stored text. */
  readonly recomputedHash: string;
  /** The stored hash of the entry before (the genesis hash for the first); null if missing. */
  readonly previousEntryHash: string | null;
  /** The recording actor as the public sees it (role and organisation, never a person). */
  readonly recordedBy: string;
  readonly accounts: ReadonlyMap<string, CertificateAccount>;
  readonly projects: ReadonlyMap<string, CertificateProject>;
}

function namedAccounts(envelope: JournalEnvelope): string[] {
  const event = envelope.event;
  if (event.type === 'credits_issued')
    return [event.account, ...(event.reserveAccount === undefined ? [] : [event.reserveAccount])];
  if (event.type === 'credits_moved') return [event.from, event.to];
  return [];
}

function namedProjects(envelope: JournalEnvelope): string[] {
  const event = envelope.event;
  if (event.type === 'credits_issued') return [event.project];
  if (event.type === 'credits_moved') return [...new Set(event.pieces.map((p) => p.project))];
  return [];
}

export class CertificateQueries {
  constructor(private readonly db: Db) {}

  /** The entry `seq` of `chain` with what its certificate states, or null when there is none. */
  record(chain: string, seq: bigint): Promise<CertificateRecord | null> {
    return this.db.read(async (k) => {
      const rows = await k
        .selectFrom('journal')
        .select(['seq', 'hash', 'prev_hash', 'entry'])
        .where('chain', '=', chain)
        .where('seq', 'in', seq > 1n ? [seq - 1n, seq] : [seq])
        .execute();
      const row = rows.find((r) => BigInt(r.seq) === seq);
      if (row === undefined) return null;
      const previous = rows.find((r) => BigInt(r.seq) === seq - 1n);
      const envelope = readEnvelope(row.entry);
      const accountIds = namedAccounts(envelope);
      const projectRefs = namedProjects(envelope);
      const [accounts, projects, name] = await Promise.all([
        accountIds.length === 0
          ? []
          : k
              .selectFrom('accounts')
              .select(['id', 'registry_id', 'type', 'holder_name'])
              .where('id', 'in', accountIds)
              .execute(),
        projectRefs.length === 0
          ? []
          : k
              .selectFrom('cycle_items')
              .select(['reference', 'data', 'synthetic'])
              .where('machine', '=', 'project')
              .where('reference', 'in', projectRefs)
              .execute(),
        publicNamer(k, [envelope.actor]),
      ]);
      return {
        envelope,
        hash: row.hash,
        prevHash: row.prev_hash,
        recomputedHash: entryHash(sha256Hex, row.prev_hash, row.entry),
        previousEntryHash: seq === 1n ? genesisHash : (previous?.hash ?? null),
        recordedBy: name(envelope.actor, journalContext(chain, envelope.event.type)),
        accounts: new Map(
          accounts.map((a) => [
            a.id,
            { id: a.id, registry: a.registry_id, type: a.type, holderName: a.holder_name },
          ]),
        ),
        projects: new Map(
          projectRefs.map((ref) => {
            const item = projects.find((p) => p.reference === ref);
            const title = (item?.data as { project?: { title?: string } } | undefined)?.project
              ?.title;
            return [
              ref,
              // The flag the cycle stored on the project (migration 022).
              { reference: ref, title: title ?? null, synthetic: item?.synthetic === true },
            ];
          }),
        ),
      };
    });
  }
}
